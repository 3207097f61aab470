from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from oe21.selectors import current_cycle

from .selectors import matrix_rows


@permission_required("prioritization.view_assessment", raise_exception=True)
def matrix(request):
    """Task 3.2.1: the prioritization matrix of the current cycle, ranked by score."""
    cycle = current_cycle()
    criteria, rows = matrix_rows(cycle) if cycle else ([], [])
    return render(request, "prioritization/matrix.html",
                  {"cycle": cycle, "criteria": criteria, "rows": rows})
