// Credit figures: records by category (ECharts, vendored); the same figures are in the tables below.
(function () {
  var node = document.getElementById("credit-figures-data");
  var el = document.getElementById("chart-categories");
  if (!node || !el || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 200, right: 12, bottom: 24 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: d.labels, axisLabel: { width: 190, overflow: "truncate" } },
    series: [{ type: "bar", data: d.values }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
