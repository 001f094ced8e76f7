/* The bureau dashboard's charts (Apache ECharts, vendored). No inline script: the page hands the figures over
   in a JSON block ({{ charts|json_script:"dashboard-charts" }}) and this file draws them. Every figure is also
   in a table on the page; the charts add nothing the tables do not say. */
(function () {
  "use strict";

  var WAN = 10000;
  // English has no 万: tonnes grouped in thousands, axes in k / M (the page's lang is the reader's language).
  var ENGLISH = (document.documentElement.lang || "").indexOf("en") === 0;

  function tonnes(value) {
    if (value === null || value === undefined) return "—";
    if (ENGLISH) return value.toLocaleString("en", { maximumFractionDigits: Math.abs(value) >= WAN ? 0 : 2 }) + " t";
    if (Math.abs(value) >= WAN) {
      return (value / WAN).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 万吨";
    }
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 吨";
  }

  function axisTonnes(value) {
    if (ENGLISH) {
      if (Math.abs(value) >= 1e6) return (value / 1e6).toLocaleString("en") + "M";
      return Math.abs(value) >= 1e3 ? (value / 1e3).toLocaleString("en") + "k" : value.toLocaleString("en");
    }
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

  // The district map: a schematic of Huzhou (frontend/static/frontend/maps/, 示意图), registered once with
  // ECharts as a map whose regions are named by jurisdiction code. Shading by one measure at a time (the switch
  // beside the map: emissions, on-time rate, 碳效 grade); the tooltip shows all three as the tables do
  // (texts formatted on the server); a click on a tile filters the dashboard to it, as the bar chart does.
  var MAPS = {};

  function loadMap(url) {
    if (!MAPS[url]) {
      MAPS[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("map " + response.status);
          return response.json();
        })
        .then(function (geo) {
          echarts.registerMap("huzhou-schematic", geo);
          return geo;
        });
    }
    return MAPS[url];
  }

  function filterTo(code) {
    var url = new URL(window.location.href);
    url.searchParams.set("district", code);
    ["enterprise", "month"].forEach(function (name) { url.searchParams.delete(name); });
    window.location.assign(url.toString());
  }

  function districtMap(element, data) {
    var dark = element.getAttribute("data-theme") === "dark";
    var chart = echarts.init(element, dark ? "dark" : null);
    var switcher = document.querySelector('[data-map-switch="' + element.id + '"]');
    var order = Object.keys(data.measures);
    loadMap(data.geojson).then(function (geo) {
      var names = {}, labels = {};
      geo.features.forEach(function (feature) {
        names[feature.properties.code] = feature.properties.name;
        labels[feature.properties.code] = feature.properties.label || feature.properties.name;
      });
      // With a district selected, the others are outside the view, not without figures.
      var absent = function (code) { return data.selected && code !== data.selected ? data.outside : data.no_data; };

      function tooltip(code) {
        var lines = [names[code] || code];
        order.forEach(function (key) {
          var measure = data.measures[key];
          lines.push(measure.label + "：" + (measure.texts[code] || absent(code)));
        });
        return lines.join("\n");
      }

      function draw(key) {
        var measure = data.measures[key];
        var items = geo.features.map(function (feature) {
          var code = feature.properties.code;
          var value = measure.values[code];
          var item = { name: code, value: value === undefined || value === null ? "-" : value };
          if (code === data.selected) {
            item.itemStyle = { borderColor: dark ? "#ffffff" : "#0d6efd", borderWidth: 3 };
          }
          return item;
        });
        chart.setOption({
          backgroundColor: dark ? "transparent" : undefined,
          tooltip: { trigger: "item", renderMode: "richText", formatter: function (params) { return tooltip(params.name); } },
          visualMap: {
            type: "continuous", min: measure.range[0], max: measure.range[1], calculable: false,
            text: [measure.range_texts[1], measure.range_texts[0]], inRange: { color: measure.colours },
            left: 8, bottom: 8, itemHeight: 110, seriesIndex: 0,
          },
          graphic: [{
            type: "text", right: 8, top: 8,
            style: { text: data.schematic + " · " + measure.label, fill: dark ? "#b6cbd4" : "#4b5563", font: "13px sans-serif" },
          }],
          series: [{
            type: "map", map: "huzhou-schematic", nameProperty: "code", aspectScale: 1, roam: false,
            selectedMode: false, data: items, layoutCenter: ["55%", "50%"], layoutSize: "88%",
            label: {
              show: true, fontSize: 12, lineHeight: 16,
              color: dark ? "#f8fafc" : "#111827", textBorderColor: dark ? "#0b1f2a" : "#ffffff", textBorderWidth: 2,
              formatter: function (params) {
                var text = measure.texts[params.name];
                return (labels[params.name] || params.name) + (text ? "\n" + text : "");
              },
            },
            itemStyle: { areaColor: dark ? "#1f3a48" : "#e5e7eb", borderColor: dark ? "#0b1f2a" : "#ffffff", borderWidth: 1 },
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#7dd3fc", borderColor: "#111827", borderWidth: 2 } },
          }],
        }, true);
        element.setAttribute("data-measure", key);
        element.setAttribute("data-rendered", "true");
      }

      chart.on("click", function (params) {
        if (params.componentType === "series" && data.clickable.indexOf(params.name) >= 0) filterTo(params.name);
      });
      var first = switcher && switcher.querySelector("input:checked");
      draw(first ? first.value : order[0]);
      if (switcher) {
        switcher.addEventListener("change", function (event) { draw(event.target.value); });
        var seconds = Number(element.getAttribute("data-rotate") || 0);
        if (seconds > 0) { // the wall shows each measure in turn
          setInterval(function () {
            var inputs = Array.prototype.slice.call(switcher.querySelectorAll("input"));
            var next = inputs[(inputs.findIndex(function (input) { return input.checked; }) + 1) % inputs.length];
            next.checked = true;
            draw(next.value);
          }, seconds * 1000);
        }
      }
    }).catch(function (error) {
      element.setAttribute("data-rendered", "failed");
      if (typeof console !== "undefined") console.error(error);
    });
    return chart;
  }

  var DRAW = { trend: trend, grades: grades, districts: districts, map: districtMap };

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
        if (!element.hasAttribute("data-async")) element.setAttribute("data-rendered", "true");
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
