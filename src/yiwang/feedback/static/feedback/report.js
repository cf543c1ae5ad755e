// The report's reviews by level (ECharts, vendored); the same numbers are in the table under it.
(function () {
  var node = document.getElementById("feedback-report-data");
  var el = document.getElementById("chart-levels");
  if (!node || !el || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 12, bottom: 40 },
    xAxis: { type: "category", data: d.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: d.name, type: "bar", data: d.values }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
