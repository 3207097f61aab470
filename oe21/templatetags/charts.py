"""`{% load charts %}{{ figure|chart }}` renders a selector's Plotly figure (oe21.lib.charts)."""

from django import template

from ..lib.charts import chart_html

register = template.Library()


@register.filter
def chart(figure):
    return chart_html(figure)
