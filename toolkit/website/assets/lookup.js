/* Finds the page of a claim ID: claim/lookup.js (the site's map of every claim to its page,
   written by website/series_site.py) is loaded on first use. A series figure is a row of its
   series' page for its year (its ID an anchor there); a figure with a quote has a page of its own. */
(function () {
  "use strict";
  var loading = null;

  function load(root) {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      if (window.WAR_CLAIMS_LOOKUP) return resolve(window.WAR_CLAIMS_LOOKUP);
      var s = document.createElement("script");
      s.src = root + "claim/lookup.js";
      s.onload = function () { resolve(window.WAR_CLAIMS_LOOKUP); };
      s.onerror = function () { reject(new Error("could not load claim/lookup.js")); };
      document.head.appendChild(s);
    });
    return loading;
  }

  function pad(n) {
    var text = String(n);
    while (text.length < 4) text = "0" + text;
    return "C" + text;
  }

  /* {address, says} of id (its address from the site's root, and what it says in a few words),
     or null when the site has no such claim */
  function find(map, id) {
    var says = map.says || [], pageSays = map.page_says || [];
    if (map.other && Object.prototype.hasOwnProperty.call(map.other, id)) {
      return { address: map.other[id], says: (map.other_says || {})[id] || "" };
    }
    var k = 0;
    for (var i = 0; i < map.ids.length; i++) {
      var row = map.ids[i], n = 0;
      for (var j = 1; j < row.length; j++, k++) {
        n += row[j];
        if (pad(n) === id) {
          var page = map.pages[row[0]];
          var own = page.indexOf("claim/") === 0;
          var about = [says[k] || "", pageSays[row[0]] || ""].filter(Boolean).join(" · ");
          return { address: own ? page : page + "#" + id, says: about };
        }
      }
    }
    return null;
  }

  /* the address of id, or null (claim/?id= and the 404 page need only that) */
  window.WAR_CLAIMS_FIND = function (root, id) {
    return load(root).then(function (map) { var found = find(map, id); return found && found.address; });
  };
  /* the address and what the claim says, for the search */
  window.WAR_CLAIMS_FIND_CLAIM = function (root, id) {
    return load(root).then(function (map) { return find(map, id); });
  };
})();
