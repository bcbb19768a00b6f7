/* Draws a metric page's chart from the spec in #chart-spec with the vendored vega-embed. */
(function () {
  "use strict";
  var box = document.getElementById("chart");
  var spec = document.getElementById("chart-spec");
  if (!box || !spec) return;
  window.vegaEmbed(box, JSON.parse(spec.textContent), { renderer: "svg", actions: false })
    .then(function () { box.setAttribute("data-drawn", "true"); })
    .catch(function (err) { box.textContent = "The chart could not be drawn (" + err.message + "); the table below lists the same figures."; });
})();
