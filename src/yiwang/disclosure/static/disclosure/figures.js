// Disclosure figures: replies by type (ECharts, vendored); the same figures are in the table below.
(function () {
  var node = document.getElementById("disclosure-figures-data");
  var el = document.getElementById("chart-replies");
  if (!node || !el || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 140, right: 12, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.labels, axisLabel: { width: 130, overflow: "truncate" } },
    series: [{ type: "bar", data: d.values }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
