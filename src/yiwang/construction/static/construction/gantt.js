// A project's approval items on a working-day axis (ECharts, vendored): bars from the earliest start for
// the expected days, critical items in red, the budget as a line.
(function () {
  var node = document.getElementById("construction-gantt-data");
  var el = document.getElementById("chart-gantt");
  if (!node || !el || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  var rows = d.rows.slice().reverse();
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        var r = rows[p.dataIndex];
        return r.name + "<br>" + r.from + " → " + r.to + " · " + r.days + " " + d.labels.days + " · " + d.labels.slack + " " + r.slack;
      }
    },
    grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: "value", min: 0, max: Math.max(d.budget, d.length) },
    yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
    series: [
      { type: "bar", stack: "g", itemStyle: { color: "transparent" }, data: rows.map(function (r) { return r.start; }), silent: true },
      {
        type: "bar", stack: "g", name: d.labels.days,
        data: rows.map(function (r) { return { value: r.days, itemStyle: { color: r.critical ? "#c0392b" : "#2e86de" } }; }),
        markLine: { symbol: "none", data: [{ xAxis: d.budget, name: d.labels.budget }], label: { formatter: d.labels.budget } }
      }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
