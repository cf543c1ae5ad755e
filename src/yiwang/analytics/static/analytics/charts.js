// Analytics charts (ECharts, vendored): each chart's numbers are also in the table under it.
(function () {
  var node = document.getElementById("analytics-charts");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  (data.charts || []).forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 12, bottom: 60 },
      xAxis: { type: "category", data: c.labels, axisLabel: { rotate: c.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: [{ name: c.name, type: c.type, data: c.values }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
