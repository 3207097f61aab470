"""Charts: selectors build Plotly figures from the data; this one helper renders them as HTML.

plotly.js itself is served once by the portal (`static/vendor/plotly/`, loaded by the page with
`static/oe21/charts.js`), so a chart's HTML carries only its data and layout, as a JSON block that
is never run: the Content-Security-Policy forbids inline scripts, and charts.js draws each chart.
"""

import uuid

import plotly.io
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

CONFIG = {"displaylogo": False, "responsive": True}
# As django.utils.html.json_script: the JSON cannot close its <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def chart_html(figure) -> SafeString:
    """A figure as an HTML fragment (a box and its JSON); empty for no figure."""
    if figure is None:
        return mark_safe("")  # noqa: S308 - empty
    element_id = f"chart-{uuid.uuid4().hex[:12]}"
    figure_json = plotly.io.to_json(figure, validate=False).translate(_JSON_ESCAPES)
    return format_html('<div class="oe21-chart" data-chart="{}"></div>'
                       '<script type="application/json" id="{}">{}</script>',
                       element_id, element_id, mark_safe(figure_json))  # noqa: S308 - escaped above
