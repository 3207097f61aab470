// Draws each measure's trend (the look of Figures 3.2-3/3.2-4): its monthly values and a dashed target line.
(function () {
  const source = document.getElementById("trend-data");
  if (!source || typeof Plotly === "undefined") return;
  const colours = {green: "#198754", amber: "#fd7e14", red: "#dc3545", none: "#6c757d", in_progress: "#0d6efd"};
  JSON.parse(source.textContent).forEach(function (m) {
    const box = document.getElementById("trend-" + m.id);
    if (!box) return;
    const traces = [{x: m.x, y: m.y, type: "scatter", mode: "lines+markers", name: m.unit,
                     connectgaps: false, line: {color: colours[m.status] || "#0d6efd"}}];
    if (m.target !== null) {
      traces.push({x: [m.x[0], m.x[m.x.length - 1]], y: [m.target, m.target], type: "scatter", mode: "lines",
                   name: "target", line: {dash: "dash", color: "#212529", width: 1}});
    }
    Plotly.newPlot(box, traces, {margin: {l: 40, r: 10, t: 10, b: 30}, showlegend: false,
                                 xaxis: {type: "date", tickformat: "%b %y"}},
                   {displaylogo: false, responsive: true, staticPlot: false});
  });
})();
