/* Draws a metric page's chart (its spec in #chart-spec, or the metric's shared chart script) with the vendored vega-embed. */
(function () {
  "use strict";
  var box = document.getElementById("chart");
  var inline = document.getElementById("chart-spec");
  /* a metric's time chart is a script of its own (metric/<id>.chart.js), shared by its pages */
  var spec = inline ? JSON.parse(inline.textContent) : window.WAR_CLAIMS_CHART;
  if (!box || !spec) return;
  /* the export menu saves the chart as SVG or PNG, made in the page (no request); no link to the
     online editor, which would send the data to another host */
  var options = {
    renderer: "svg",
    actions: { export: { svg: true, png: true }, source: false, compiled: false, editor: false },
    downloadFileName: box.getAttribute("data-download") || "war-claims-chart",
    i18n: { SVG_ACTION: "Save as SVG", PNG_ACTION: "Save as PNG" }
  };
  window.vegaEmbed(box, spec, options)
    .then(function () { box.setAttribute("data-drawn", "true"); })
    .catch(function (err) { box.textContent = "The chart could not be drawn (" + err.message + "); the table below lists the same figures."; });
})();
