// Draws every chart of the page from its JSON block (oe21/lib/charts.py), with the plotly.js the
// portal serves. Loaded with `defer`, after plotly.js.
document.querySelectorAll("[data-chart]").forEach(function (box) {
  var figure = JSON.parse(document.getElementById(box.dataset.chart).textContent);
  Plotly.newPlot(box, figure.data || [], figure.layout || {}, {displaylogo: false, responsive: true});
});
