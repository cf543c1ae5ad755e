(function () {
  var el = document.getElementById("figures-data");
  if (!el || !window.echarts) return;
  var d = JSON.parse(JSON.parse(el.textContent));
  var charts = [];
  function chart(id, option) {
    var n = document.getElementById(id);
    if (!n) return;
    var c = echarts.init(n);
    c.setOption(option);
    charts.push(c);
  }
  chart("chart-months", {
    tooltip: {trigger: "axis"}, legend: {}, xAxis: {type: "category", data: d.months}, yAxis: {type: "value"},
    series: [{name: d.names.received, type: "bar", data: d.month_received},
             {name: d.names.early, type: "line", data: d.month_early}]
  });
  chart("chart-by", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 140},
    yAxis: {type: "category", data: d.labels, inverse: true}, xAxis: {type: "value"},
    series: [{name: d.names.received, type: "bar", data: d.received}, {name: d.names.decided, type: "bar", data: d.decided}]
  });
  chart("chart-reasons", {tooltip: {trigger: "item"}, series: [{type: "pie", radius: "60%", data: d.reasons}]});
  // Charts take their size when drawn: redraw them when the window (or a phone's orientation) changes.
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
