/* Catalogue report charts (ECharts, vendored). Data comes from the page's JSON script element. */
(function () {
  var el = document.getElementById("catalogue-charts");
  if (!el || !window.echarts) { return; }
  var data = JSON.parse(el.textContent);
  function bar(id, d, horizontal) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node);
    var cat = { type: "category", data: d.labels, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    var val = { type: "value", minInterval: 1 };
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 150 : 40, right: 20, top: 20, bottom: horizontal ? 20 : 80 },
      xAxis: horizontal ? val : Object.assign({}, cat, { axisLabel: { rotate: 30, interval: 0 } }),
      yAxis: horizontal ? Object.assign({}, cat, { inverse: true }) : val,
      series: [{ type: "bar", data: d.values, itemStyle: { color: "#1d4ed8" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function pie(id, d) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node);
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: "65%", data: d.labels.map(function (l, i) { return { name: l, value: d.values[i] }; }) }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  bar("chart-departments", data.departments, true);
  pie("chart-types", data.types);
  bar("chart-levels", data.levels, false);
  pie("chart-depth", data.depth);
})();
