/* Draws a page's chart (its spec in #chart-spec, or the metric's shared chart script) with the vendored vega-embed. */
(function () {
  "use strict";
  var box = document.getElementById("chart");
  var inline = document.getElementById("chart-spec");
  /* a metric's time chart is a script of its own (metric/<id>.chart.js), shared by its pages */
  var spec = inline ? JSON.parse(inline.textContent) : window.WAR_CLAIMS_CHART;
  if (!box || !spec) return;
  /* A chart of fixed width is fitted to its box, so a phone shows all of it without scrolling
     sideways: a comparison chart sizes itself ("container"); a metric's timeline (beside its
     column of undated figures, in a panel per side) and a chart of a figure a row are narrowed. */
  var room = Math.max(280, box.clientWidth - 24);
  function narrow(view, spare) {
    if (view && typeof view.width === "number") view.width = Math.max(200, Math.min(view.width, room - spare));
  }
  /* a legend of many claimants in one column on a narrow screen */
  function oneColumn(node) {
    if (!node || typeof node !== "object") return;
    if (node.legend && node.legend.columns && room < 560) node.legend.columns = 1;
    Object.keys(node).forEach(function (k) { if (k !== "data") oneColumn(node[k]); });
  }
  oneColumn(spec);
  if (spec.hconcat) {
    var first = spec.hconcat[0];
    var undated = spec.hconcat.length > 1 ? 120 : 0;
    narrow(first.spec || first, 90 + undated);
  } else {
    narrow(spec, 300);  /* the rows' labels take up to 260 px */
  }
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
