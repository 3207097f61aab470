"""`{% options field %}`: the `<option>` elements of a choice field's list with its value selected,
rendered in Python (`oe21.lib.widgets`) for tables of many rows that each have a list."""

from django import template

from oe21.lib.widgets import options_html

register = template.Library()


@register.simple_tag
def options(field):
    value = field.value()
    return options_html(field.field.choices, "" if value is None else str(value))
