/* The 404 page, as a static host serves it at any missing address. An address of an earlier
   release, claim/C12345.html (every figure had a page then), is taken to the claim: a figure of a
   daily series is now a row of its series' page. The page is written for that address (one level
   below the site's root), so this script and lookup.js load from ../assets/. */
(function () {
  "use strict";
  var m = window.location.pathname.match(/^(.*\/)claim\/(C[0-9]{4,})\.html$/);
  if (!m || !window.WAR_CLAIMS_FIND) return;
  var root = m[1];
  var status = document.getElementById("notfound-status");
  status.textContent = "Looking up " + m[2] + "…";
  window.WAR_CLAIMS_FIND(root, m[2]).then(function (address) {
    if (address) window.location.replace(root + address);
    else status.textContent = "No claim " + m[2] + " in this release of the dataset.";
  }, function (err) { status.textContent = "The lookup could not load: " + err.message; });
})();
