/* The bureau dashboard's charts (Apache ECharts, vendored). No inline script: the page hands the figures over
   in a JSON block ({{ charts|json_script:"dashboard-charts" }}) and this file draws them. Every figure is also
   in a table on the page; the charts add nothing the tables do not say. */
(function () {
  "use strict";

  var WAN = 10000;

  function tonnes(value) {
    if (value === null || value === undefined) return "—";
    if (Math.abs(value) >= WAN) {
      return (value / WAN).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 万吨";
    }
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 吨";
  }

  function axisTonnes(value) {
    return Math.abs(value) >= WAN ? (value / WAN).toLocaleString("zh-CN") + "万" : value.toLocaleString("zh-CN");
  }

  // richText tooltips are drawn on the canvas: the page's CSP refuses the inline styles of HTML tooltips.
  var TOOLTIP = { trigger: "axis", renderMode: "richText" };

  function trend(element, data) {
    var chart = echarts.init(element, element.getAttribute("data-theme") === "dark" ? "dark" : null);
    var series = data.series.map(function (one) {
      return { name: one.name, type: "bar", data: one.data, connectNulls: false };
    });
    series.push({
      name: data.yearly.name, type: "line", xAxisIndex: 1, yAxisIndex: 1, data: data.yearly.data, symbolSize: 8,
    });
    chart.setOption({
      legend: { data: data.series.map(function (one) { return one.name; }).concat([data.yearly.name]) },
      tooltip: {
        trigger: "axis", renderMode: "richText",
        valueFormatter: function (value) { return tonnes(value); },
      },
      grid: [{ left: 60, right: "38%", bottom: 30 }, { left: "70%", right: 10, bottom: 30 }],
      xAxis: [
        { type: "category", data: data.months, gridIndex: 0 },
        { type: "category", data: data.yearly.years, gridIndex: 1 },
      ],
      yAxis: [
        { type: "value", gridIndex: 0, axisLabel: { formatter: axisTonnes } },
        { type: "value", gridIndex: 1, axisLabel: { formatter: axisTonnes } },
      ],
      series: series,
    });
    return chart;
  }

  function grades(element, data) {
    var chart = echarts.init(element, element.getAttribute("data-theme") === "dark" ? "dark" : null);
    chart.setOption({
      tooltip: { trigger: "item", renderMode: "richText" },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1 },
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      series: [{
        type: "bar",
        data: data.data.map(function (value, index) {
          return { value: value, itemStyle: { color: data.colours[index] } };
        }),
        label: { show: true, position: "top" },
      }],
    });
    return chart;
  }

  function districts(element, data) {
    var chart = echarts.init(element, element.getAttribute("data-theme") === "dark" ? "dark" : null);
    chart.setOption({
      legend: { data: [data.labels.tco2, data.labels.on_time] },
      tooltip: TOOLTIP,
      xAxis: { type: "category", data: data.names },
      yAxis: [
        { type: "value", name: "tCO2", axisLabel: { formatter: axisTonnes } },
        { type: "value", name: "%", min: 0, max: 100 },
      ],
      grid: { left: 60, right: 50, bottom: 30 },
      series: [
        {
          name: data.labels.tco2, type: "bar", data: data.tco2, cursor: "pointer",
          tooltip: { valueFormatter: tonnes },
        },
        {
          name: data.labels.on_time, type: "line", yAxisIndex: 1, data: data.on_time,
          tooltip: { valueFormatter: function (value) { return value === null ? "—" : value.toFixed(1) + "%"; } },
        },
      ],
    });
    // A click on a district's bar (or its name) filters the dashboard to it: the filter lives in the URL.
    function go(index) {
      var code = data.codes[index];
      if (!code) return;
      var url = new URL(window.location.href);
      url.searchParams.set("district", code);
      ["enterprise", "month"].forEach(function (name) { url.searchParams.delete(name); });
      window.location.assign(url.toString());
    }
    chart.on("click", function (params) { go(params.dataIndex); });
    chart.getZr().on("click", function (event) {
      if (event.target) return; // a bar or point: handled above
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel("grid", point)) return;
      go(chart.convertFromPixel({ seriesIndex: 0 }, point)[0]);
    });
    return chart;
  }

  var DRAW = { trend: trend, grades: grades, districts: districts };

  function start() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var name = element.getAttribute("data-chart");
      if (DRAW[name] && data[name]) {
        var chart = DRAW[name](element, data[name]);
        if (element.getAttribute("data-theme") === "dark") chart.setOption({ backgroundColor: "transparent" });
        charts.push(chart);
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
