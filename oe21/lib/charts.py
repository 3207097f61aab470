"""Charts: selectors build Plotly figures from the data; this one helper renders them as HTML.

plotly.js itself is served once by the portal (`static/plotly/plotly.min.js`, loaded by the
page), so a chart's HTML carries only its data and layout.
"""

from django.utils.safestring import SafeString, mark_safe

CONFIG = {"displaylogo": False}


def chart_html(figure) -> SafeString:
    """A figure as an HTML fragment; empty for no figure."""
    if figure is None:
        return mark_safe("")  # noqa: S308 - empty
    # Plotly escapes the figure's data into its JSON; the fragment is its own markup.
    return mark_safe(figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG))  # noqa: S308
