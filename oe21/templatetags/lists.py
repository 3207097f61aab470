"""`{% sort_header "name" "Name" %}`: a table header that sorts the list by that column on the
server (the `o` parameter of the list's filter set, kept in the URL, the pages and the export);
a second click reverses the order. A builtin of every template."""

from django import template
from django.utils.html import format_html

register = template.Library()

SORT_PARAMETER = "o"


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, parameter: str = SORT_PARAMETER):
    request = context["request"]
    current = request.GET.get(parameter, "")
    ascending, descending = current == field, current == f"-{field}"
    query = request.GET.copy()
    query.pop("page", None)
    query[parameter] = f"-{field}" if ascending else field
    state = "ascending" if ascending else "descending" if descending else "none"
    arrow = " ▲" if ascending else " ▼" if descending else ""
    return format_html('<th aria-sort="{}"><a class="sort-link" href="?{}" data-sort="{}">{}{}</a></th>',
                       state, query.urlencode(), field, label, arrow)
