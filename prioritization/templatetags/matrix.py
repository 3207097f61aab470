"""Filters of the prioritization pages."""

from django import template
from django.utils.html import format_html, format_html_join

from oe21.lib.widgets import field_options

register = template.Library()


@register.filter
def statistics_cell(described: dict) -> str:
    """A criterion's statistics as one cell, "mean · median · sd · n=count" (— without ratings).
    Formatted here in one call: the matrix statistics have a cell per group and criterion."""
    if not described["count"]:
        return "—"
    std = "—" if described["std"] is None else f"{described['std']:.2f}"
    return f"{described['mean']:.2f} · {described['median']:.1f} · {std} · n={described['count']}"


@register.simple_tag
def grid_cell(field, row: int):
    """One cell of the ratings grid — a list or an input with its errors — built in Python: the grid
    has up to 100 rows of a dozen cells, which Django's template language renders ten times slower."""
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    label = f"{field.label} row {row}"
    if widget.input_type == "select":
        control = format_html('<select name="{}" id="{}" class="form-select form-select-sm{}" aria-label="{}">{}'
                              "</select>", field.html_name, field.auto_id, invalid, label, field_options(field))
    else:
        value = field.value()
        attrs = widget.attrs
        numeric = (format_html(' min="{}" max="{}" inputmode="numeric" style="width:4.5rem"',
                               attrs["min"], attrs["max"]) if attrs.get("min") else "")
        control = format_html('<input type="{}" name="{}" id="{}" value="{}" class="form-control form-control-sm{}{}"'
                              ' aria-label="{}"{}>', widget.input_type, field.html_name, field.auto_id,
                              "" if value is None else value, invalid,
                              f" {attrs['class']}" if attrs.get("class") else "", label, numeric)
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors))
    return format_html("<td>{}{}</td>", control, errors)
