// Construction figures: finished early and not early per investment kind (ECharts, vendored).
(function () {
  var node = document.getElementById("construction-figures-data");
  var el = document.getElementById("chart-kind");
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
      { name: d.names[0], type: "bar", stack: "f", data: d.early },
      { name: d.names[1], type: "bar", stack: "f", data: d.other }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
