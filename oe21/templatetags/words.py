"""Filters for human words on screen (oe21.words); a builtin of every template:
`{{ user|person }}`, `{{ amount|money }}`, `{{ n|number }}`, `{{ n|number:1 }}`,
`{{ value|quantity:measure.unit }}` ("4.0 of 5")."""

from django import template

from .. import words

register = template.Library()

register.filter("person", words.person)
register.filter("money", words.money)
register.filter("number", words.number)
register.filter("quantity", words.quantity)
