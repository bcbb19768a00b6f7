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

  /* the address of id from the site's root, or null when the site has no such claim */
  function addressOf(map, id) {
    if (map.other && Object.prototype.hasOwnProperty.call(map.other, id)) return map.other[id];
    for (var i = 0; i < map.ids.length; i++) {
      var row = map.ids[i], n = 0;
      for (var j = 1; j < row.length; j++) {
        n += row[j];
        if (pad(n) === id) {
          var page = map.pages[row[0]];
          return page.indexOf("claim/") === 0 ? page : page + "#" + id;
        }
      }
    }
    return null;
  }

  window.WAR_CLAIMS_FIND = function (root, id) {
    return load(root).then(function (map) { return addressOf(map, id); });
  };
})();
