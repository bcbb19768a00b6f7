/* claim/?id=C12345 (or claim/#C12345): go to the claim's row or page; otherwise say why. */
(function () {
  "use strict";
  var status = document.getElementById("find-status");
  var input = document.getElementById("claim-id");
  var params = new URLSearchParams(window.location.search);
  var id = (params.get("id") || window.location.hash.replace(/^#/, "")).trim().toUpperCase();
  if (!id) return;
  if (input) input.value = id;
  if (!/^C[0-9]{4,}$/.test(id)) { status.textContent = id + " is not a claim ID (C and at least four digits)."; return; }
  status.textContent = "Looking up " + id + "…";
  window.WAR_CLAIMS_FIND("../", id).then(function (address) {
    if (address) window.location.replace("../" + address);
    else status.textContent = "No claim " + id + " in this release of the dataset.";
  }, function (err) { status.textContent = "The lookup could not load: " + err.message; });
})();
