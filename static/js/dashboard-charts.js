// Draws the dashboard's charts from the JSON the page embeds with json_script (no inline
// script: the Content-Security-Policy forbids it). Each chart's figures are also in the table
// beneath it; the canvas is marked with what it drew so tests can see a change.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var specs = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function dataset(spec, series) {
    var isDoughnut = spec.kind === "doughnut";
    return {
      label: series.label,
      data: series.data,
      backgroundColor: isDoughnut ? spec.palette : series.colour,
      borderColor: isDoughnut ? "#ffffff" : series.colour,
      borderWidth: spec.kind === "line" ? 2 : 1,
      spanGaps: false,
      tension: 0.2,
    };
  }

  function config(spec) {
    var isDoughnut = spec.kind === "doughnut";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 300 },
      plugins: {
        legend: { position: "bottom" },
        title: { display: false },
      },
    };
    if (!isDoughnut) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        x: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
      };
    }
    return {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (series) { return dataset(spec, series); }),
      },
      options: options,
    };
  }

  function total(spec) {
    return spec.datasets.reduce(function (sum, series) {
      return sum + series.data.reduce(function (s, v) { return s + (v || 0); }, 0);
    }, 0);
  }

  var charts = [];
  specs.forEach(function (spec) {
    var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
    if (!canvas) {
      return;
    }
    var chart = new window.Chart(canvas, config(spec));
    charts.push(chart);
    canvas.dataset.rendered = "true";
    canvas.dataset.total = String(total(spec));
    canvas.dataset.points = String(chart.data.labels.length);
  });

  // Chart.js follows its box's size, but a quick narrowing of the window could leave a chart
  // drawn at its old width, wider than the page (issue 17): redraw each to its box once the
  // resizing settles.
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 100);
  });
})();
