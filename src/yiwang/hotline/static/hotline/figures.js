// Hotline figures: received and finished per period (ECharts, vendored).
(function () {
  var node = document.getElementById("hotline-figures-data");
  var el = document.getElementById("chart-series");
  if (!node || !el || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: d.names },
    grid: { left: 48, right: 12, bottom: 40 },
    xAxis: { type: "category", data: d.labels },
    yAxis: { type: "value" },
    series: [
      { name: d.names[0], type: "bar", data: d.received },
      { name: d.names[1], type: "line", data: d.finished }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
