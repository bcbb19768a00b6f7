/* war-claims site: sortable, filterable tables and the home page search, with no server and no
   other host; what is typed is kept in the page's address. Text from the data is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  function cellKey(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return numeric ? -Infinity : "";
    if (numeric) {
      var v = parseFloat(cell.getAttribute("data-value"));
      return isNaN(v) ? -Infinity : v;
    }
    return cell.textContent.trim().toLowerCase();
  }

  function sortTable(table, th) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(th);
    var numeric = th.querySelector("button").getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a, index, numeric), y = cellKey(b, index, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? c : -c;
    });
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function filterTable(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      rows[i].hidden = !keep;
      if (keep) shown++;
    }
    var status = document.getElementById(table.id + "-status");
    if (status) status.textContent = shown + " of " + rows.length + " figures shown.";
  }

  /* What was typed into a search or filter lives in the address (?q=...), so a copied link opens
     the same view and Back returns to it. replaceState keeps one history entry per page, not
     one per keystroke; a browser that refuses it (some do for file://) keeps the page working. */
  function readParam(name) {
    return new URLSearchParams(window.location.search).get(name) || "";
  }

  function writeParam(name, value) {
    var params = new URLSearchParams(window.location.search);
    if (value) params.set(name, value); else params.delete(name);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try { window.history.replaceState(null, "", url); } catch (e) { /* the view still works */ }
  }

  function bindToAddress(input, apply) {
    var name = input.getAttribute("data-param") || "q";
    input.addEventListener("input", function () { writeParam(name, input.value); apply(); });
    function restore() {
      var value = readParam(name);
      if (value !== input.value) { input.value = value; apply(); }
    }
    window.addEventListener("popstate", restore);
    window.addEventListener("pageshow", restore);
    restore();
  }

  document.querySelectorAll("table.sortable th button").forEach(function (button) {
    button.addEventListener("click", function () { sortTable(button.closest("table"), button.closest("th")); });
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    bindToAddress(input, function () { filterTable(input); });
  });

  /* Home page search: the claims are in numbered script files (search/claims-NNNN.js), loaded
     on first use with <script> elements, which work from file:// where fetch() does not. */
  var search = document.getElementById("claim-search");
  if (!search) return;
  var chunks = (search.getAttribute("data-chunks") || "").split(" ").filter(Boolean);
  var root = search.getAttribute("data-root") || "";
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var loading = null;
  var LIMIT = 100;
  window.WAR_CLAIMS_SEARCH = window.WAR_CLAIMS_SEARCH || [];

  function load() {
    if (loading) return loading;
    loading = Promise.all(chunks.map(function (file) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + file;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + file)); };
        document.head.appendChild(s);
      });
    }));
    return loading;
  }

  /* a claim ID typed alone: its figure and claimant, and its page or its row, found through the
     lookup (series figures are not in the text search, which holds each figure with a page and
     each series) */
  function showId(id) {
    list.textContent = "";
    status.textContent = "Looking up " + id + "…";
    window.WAR_CLAIMS_FIND_CLAIM(root, id).then(function (found) {
      if (search.value.trim().toUpperCase() !== id) return;  /* typed on since */
      if (!found) { status.textContent = "No claim " + id + " in this release."; return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + found.address;
      a.textContent = id;
      li.appendChild(a);
      var where = found.address.indexOf("#") >= 0 ? " (its row on its series' page)" : "";
      li.appendChild(document.createTextNode(": " + (found.says || "a figure") + where));
      list.appendChild(li);
      status.textContent = "1 claim: " + id + ".";
    }, function (err) { status.textContent = "The lookup could not load: " + err.message; });
  }

  /* A word is matched by its stem, so "desertions" finds "deserters" and "killed" finds "kill":
     a few English endings are cut from what is typed, and the rest is looked for as the start of a
     word of the entry. */
  var ENDINGS = ["ations", "ation", "ions", "ion", "ings", "ing", "ers", "er", "ies", "ied", "es", "ed", "s"];
  function stem(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length - e.length >= 4 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }
  function matcher(word) {
    var s = stem(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp("(^|[^a-z0-9])" + s);
  }

  function describe(r) {
    /* [claim_id or "series", metric, claimant, wording, figure, subject, period, status, address, whose] */
    if (r[0] === "series") return " " + r[1] + ", " + r[2] + " (" + r[3] + "; " + r[9] + "; " + r[6] + ")";
    if (r[0] === "metric") return " " + r[1] + ": its page, " + r[10].toLocaleString("en") + " figures. " + r[3];
    return " " + r[1] + ": " + r[3] + (r[4] && r[4] !== r[3] ? " (" + r[4] + ")" : "") + ", " + r[2] + " (" + r[9] + "; " + r[6] + "; " + r[7] + ")";
  }

  function show() {
    var typed = search.value.trim().toUpperCase();
    if (/^C[0-9]{4,}$/.test(typed) && window.WAR_CLAIMS_FIND_CLAIM) return showId(typed);
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean).map(matcher);
    var rows = window.WAR_CLAIMS_SEARCH, found = 0, series = 0, figures = 0, metrics = 0, held = 0;
    list.textContent = "";
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (r[0] === "series") { series++; held += r[10] || 0; } else if (r[0] === "metric") metrics++; else figures++;
      var text = r.join(" ").toLowerCase();
      if (!words.every(function (w) { return w.test(text); })) continue;
      found++;
      if (found > LIMIT) continue;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + (r[8] || "claim/" + r[0] + ".html");
      a.textContent = r[0];  /* a claim ID, or "series" or "metric" */
      li.appendChild(a);
      li.appendChild(document.createTextNode(describe(r)));
      list.appendChild(li);
    }
    var parts = [metrics + " metrics", figures + " figures with a page of their own"];
    if (series) parts.push(series + " series of " + held.toLocaleString("en") + " figures, each found by its claim ID");
    status.textContent = found + " of " + rows.length + " entries match (" + parts.join(", ") + ")"
      + (found > LIMIT ? "; the first " + LIMIT + " are listed." : ".");
  }

  bindToAddress(search, function () {
    load().then(show, function (err) { status.textContent = "Search could not load its data: " + err.message; });
  });
})();
