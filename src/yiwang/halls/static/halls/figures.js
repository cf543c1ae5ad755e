/* Hall figures: two ECharts charts from the JSON embedded in the page (no inline script). */
(function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent);
  var days = echarts.init(document.getElementById("chart-days"));
  days.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 40, bottom: 30, top: 40 },
    xAxis: { type: "category", data: d.days },
    yAxis: [{ type: "value", name: d.labels.tickets }, { type: "value", name: "min" }],
    series: [
      { name: d.labels.tickets, type: "bar", data: d.tickets },
      { name: d.labels.wait_avg, type: "line", yAxisIndex: 1, data: d.wait_avg },
      { name: d.labels.wait_p90, type: "line", yAxisIndex: 1, data: d.wait_p90 }
    ]
  });
  var win = echarts.init(document.getElementById("chart-windows"));
  win.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 40, bottom: 60, top: 40 },
    xAxis: { type: "category", data: d.windows, axisLabel: { rotate: 30 } },
    yAxis: [{ type: "value", name: d.labels.tickets }, { type: "value", name: "min" }],
    series: [
      { name: d.labels.tickets, type: "bar", data: d.window_tickets },
      { name: d.labels.service, type: "line", yAxisIndex: 1, data: d.window_service }
    ]
  });
  window.addEventListener("resize", function () { days.resize(); win.resize(); });
})();
