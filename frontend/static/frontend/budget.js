/* The carbon budget's burn-down chart (Apache ECharts, vendored). No inline script: the page hands the figures
   over in a JSON block ({{ chart|json_script:"budget-charts" }}) and this file draws them. The table beside the
   chart holds the same figures. */
(function () {
  "use strict";

  var WAN = 10000;

  function num(value) { return value === null || value === undefined ? null : Number(value); }

  function tonnes(value) {
    if (value === null || value === undefined || isNaN(value)) return "—";
    if (Math.abs(value) >= WAN) {
      return (value / WAN).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 万吨";
    }
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 吨";
  }

  function axisTonnes(value) {
    return Math.abs(value) >= WAN ? (value / WAN).toLocaleString("zh-CN") + "万" : value.toLocaleString("zh-CN");
  }

  function burndown(element, data) {
    var chart = echarts.init(element);
    var budget = num(data.budget);
    chart.setOption({
      legend: { data: [data.names.actual, data.names.cumulative, data.names.planned, data.names.budget] },
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (value) { return tonnes(value); } },
      grid: { left: 70, right: 20, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: axisTonnes } },
      series: [
        { name: data.names.actual, type: "bar", data: data.actual.map(num) },
        { name: data.names.cumulative, type: "line", data: data.cumulative.map(num), symbolSize: 7 },
        { name: data.names.planned, type: "line", data: data.planned.map(num), lineStyle: { type: "dashed" }, symbol: "none" },
        { name: data.names.budget, type: "line", data: data.months.map(function () { return budget; }), symbol: "none", lineStyle: { type: "dotted" } },
      ],
    });
    return chart;
  }

  function start() {
    var source = document.getElementById("budget-charts");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart='burndown']").forEach(function (element) {
      if (data.burndown) {
        charts.push(burndown(element, data.burndown));
        element.setAttribute("data-rendered", "true");
      }
    });
    window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
