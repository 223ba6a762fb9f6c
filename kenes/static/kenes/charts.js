// Charts of Kenes: a canvas with data-chart='{"labels": [...], "series": [{"label", "data"}]}' becomes a
// stacked bar chart. Chart.js is installed from the npm registry and served by Kenes itself.
(function () {
  "use strict";
  var palette = ["#1e7b4f", "#f2c14e", "#b42318", "#0b4f6c", "#6b7280"];
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-chart"));
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series, index) {
            return { label: series.label, data: series.data, backgroundColor: palette[index % palette.length] };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  });
})();
