"""Filters of the prioritization pages."""

from django import template

register = template.Library()


@register.filter
def statistics_cell(described: dict) -> str:
    """A criterion's statistics as one cell, "mean · median · sd · n=count" (— without ratings).
    Formatted here in one call: the matrix statistics have a cell per group and criterion."""
    if not described["count"]:
        return "—"
    std = "—" if described["std"] is None else f"{described['std']:.2f}"
    return f"{described['mean']:.2f} · {described['median']:.1f} · {std} · n={described['count']}"
