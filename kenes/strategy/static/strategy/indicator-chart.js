// The chart of an indicator: a canvas with data-indicator-chart='{"labels", "series": {baseline, targets,
// actuals, forecast, lo95, hi95}, "names"}' becomes a line chart, the forecast's 95% interval a band.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-indicator-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-indicator-chart"));
      var s = spec.series, n = spec.names;
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: spec.labels,
          datasets: [
            { label: n.hi95, data: s.hi95, borderColor: "rgba(11,79,108,.25)", backgroundColor: "rgba(11,79,108,.12)", pointRadius: 0, fill: "+1", spanGaps: true },
            { label: n.lo95, data: s.lo95, borderColor: "rgba(11,79,108,.25)", pointRadius: 0, fill: false, spanGaps: true },
            { label: n.forecast, data: s.forecast, borderColor: "#0b4f6c", borderDash: [6, 4], pointRadius: 2, spanGaps: true },
            { label: n.actuals, data: s.actuals, borderColor: "#1e7b4f", backgroundColor: "#1e7b4f", pointRadius: 3, spanGaps: true },
            { label: n.targets, data: s.targets, borderColor: "#b42318", backgroundColor: "#b42318", pointStyle: "rectRot", pointRadius: 5, showLine: false },
            { label: n.baseline, data: s.baseline, borderColor: "#6b7280", backgroundColor: "#6b7280", pointStyle: "triangle", pointRadius: 7, showLine: false }
          ]
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false } }
      });
    });
  });

  // When the worker's new forecast is swapped in (the polled forecast block), the chart shows it too.
  document.addEventListener("htmx:afterSettle", function () {
    var block = document.getElementById("forecast-block");
    var canvas = document.querySelector("canvas[data-indicator-chart]");
    if (!block || !canvas || !block.hasAttribute("data-indicator-chart-update")) { return; }
    var chart = window.Chart && window.Chart.getChart ? window.Chart.getChart(canvas) : null;
    if (!chart) { return; }
    var s = JSON.parse(block.getAttribute("data-indicator-chart-update")).series;
    [s.hi95, s.lo95, s.forecast, s.actuals, s.targets, s.baseline].forEach(function (data, index) {
      chart.data.datasets[index].data = data;
    });
    chart.update();
  });
})();
