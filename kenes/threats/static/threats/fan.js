// The forecast fan of a signal: a canvas with data-fan='{"labels", "actual", "mean", "band80", "band95",
// "thresholds"}' becomes a line chart with the 95% and 80% bands filled between their bounds.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-fan]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-fan"));
      var line = function (label, data, colour, extra) {
        var set = { label: label, data: data, borderColor: colour, backgroundColor: colour, pointRadius: 0,
          borderWidth: 1, spanGaps: false, fill: false };
        Object.keys(extra || {}).forEach(function (key) { set[key] = extra[key]; });
        return set;
      };
      var datasets = [
        line(spec.band95.label, spec.band95.hi, "rgba(11, 79, 108, 0.15)", { fill: "+1" }),
        line("", spec.band95.lo, "rgba(11, 79, 108, 0.15)"),
        line(spec.band80.label, spec.band80.hi, "rgba(11, 79, 108, 0.3)", { fill: "+1" }),
        line("", spec.band80.lo, "rgba(11, 79, 108, 0.3)"),
        line(spec.mean.label, spec.mean.data, "#0b4f6c", { borderWidth: 2, borderDash: [6, 3] }),
        line(spec.actual.label, spec.actual.data, "#1e7b4f", { borderWidth: 2, pointRadius: 1 })
      ];
      (spec.thresholds || []).forEach(function (value) {
        datasets.push(line("", spec.labels.map(function () { return value; }), "#b42318", { borderDash: [2, 2] }));
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { labels: { filter: function (item) { return item.text !== ""; } } } },
          scales: { y: { beginAtZero: false } }
        }
      });
    });
  });
})();
