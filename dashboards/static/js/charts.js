// Draws the analysts' charts with the vendored ECharts, from the JSON each chart element carries in
// its data-chart attribute (see dashboards/views/charts.py). A file rather than inline script, which
// the Content-Security-Policy forbids. Clicking a point, a bar or a node opens the documents behind it:
// a time series' point goes to the search with the series' filters and that bucket's time.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var STEP = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3 };

  function dateText(ms, step) {
    var options = { timeZone: "UTC", day: "numeric", month: "short" };
    if (step === "hour") { options.hour = "2-digit"; options.minute = "2-digit"; }
    return new Intl.DateTimeFormat(lang, options).format(new Date(ms));
  }

  function valueText(value, measure) {
    if (value === null || value === undefined) { return "–"; }
    return numbers.format(value) + (measure === "share" ? "%" : "");
  }

  function minute(ms) { return new Date(ms).toISOString().slice(0, 16); }  // YYYY-MM-DDTHH:MM, UTC

  function go(href) {  // only to a page of this site
    if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/" && href.charAt(1) !== "\\") {
      window.location.assign(href);
    }
  }

  function shortLabel(params) {
    var text = params.name || "";
    return text.length > 24 ? text.slice(0, 23) + "\u2026" : text;
  }

  function timeOption(spec) {
    var series = spec.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data, showSymbol: s.data.length < 100, symbolSize: 5,
               connectNulls: false, emphasis: { focus: "series" } };
    });
    if (!series.length) { series.push({ name: "", type: "line", data: [] }); }
    // A mark's full text is listed under the chart; on the chart it is cut to fit beside its line.
    series[0].markLine = { symbol: "none", silent: true, label: { formatter: shortLabel, position: "insideEndTop" },
                           data: spec.lines.map(function (l) { return { xAxis: l.at, name: l.label }; }) };
    series[0].markArea = { silent: true, itemStyle: { color: "rgba(179, 38, 30, 0.12)" },
                           label: { formatter: "{b}", position: "insideTop" },
                           data: spec.areas.map(function (a) { return [{ xAxis: a.from, name: a.label }, { xAxis: a.to }]; }) };
    return {
      animation: false,
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 56 },
      tooltip: {
        trigger: "axis", renderMode: "richText",
        formatter: function (items) {
          var lines = [dateText(items[0].value[0], spec.step)];
          items.forEach(function (item) { lines.push(item.seriesName + ": " + valueText(item.value[1], spec.measure)); });
          return lines.join("\n");
        },
      },
      xAxis: { type: "time", min: spec.range[0], max: spec.range[1],
               axisLabel: { formatter: function (ms) { return dateText(ms, spec.step); }, hideOverlap: true } },
      yAxis: { type: "value", minInterval: spec.measure === "share" ? 0 : 1,
               axisLabel: { formatter: function (v) { return valueText(v, spec.measure); } } },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }],
      series: series,
    };
  }

  function timeClick(spec, params) {
    var series = spec.series[params.seriesIndex];
    if (!series || !series.query || !params.value) { return; }
    var start = Math.max(params.value[0], spec.range[0]);
    var end = Math.min(params.value[0] + STEP[spec.step], spec.range[1]);
    go(spec.search + "?" + series.query + "&start=" + minute(start) + "&end=" + minute(end));
  }

  function barsOption(spec) {
    return {
      animation: false,
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 80 },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: function (v) { return numbers.format(v); } } },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; }),
    };
  }

  function graphOption(spec) {
    return {
      animation: false,
      legend: { top: 0, data: spec.groups },
      tooltip: { renderMode: "richText" },
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 160, edgeLength: [40, 160] },
        categories: spec.groups.map(function (g) { return { name: g }; }),
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        label: { show: true, position: "right", fontSize: 11 },
        data: spec.nodes.map(function (n) {
          return { id: n.id, name: n.name, value: n.value, category: n.group, href: n.href,
                   symbolSize: Math.min(40, 8 + Math.sqrt(n.value || 0)) };
        }),
        links: spec.links.map(function (l) {
          return { source: l.source, target: l.target, value: l.value,
                   lineStyle: { width: Math.min(6, 1 + Math.log(1 + l.value)) } };
        }),
      }],
    };
  }

  var KINDS = {
    time: { option: timeOption, click: timeClick },
    bars: { option: barsOption, click: function (spec, params) { if (params.data) { go(params.data.href); } } },
    graph: { option: graphOption,
             click: function (spec, params) { if (params.dataType === "node") { go(params.data.href); } } },
  };

  function draw(element) {
    var spec = JSON.parse(element.dataset.chart);
    var kind = KINDS[spec.kind];
    if (!kind || !window.echarts) { return; }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(kind.option(spec));
    chart.on("click", function (params) {
      if (params.componentType === "series") { kind.click(spec, params); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), draw);
  });
})();
