"""`{% submit_once %}`: the one-off token of a form (oe21.submit_once); a builtin of every template."""

from django import template

from ..submit_once import hidden_input

register = template.Library()


@register.simple_tag
def submit_once():
    return hidden_input()
