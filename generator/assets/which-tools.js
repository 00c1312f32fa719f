/* "Which tools may I use?": pick a data classification, see the tools approved for it.
   Reads registry.json from the same site (no other host). Values are inserted with
   textContent only, never as HTML. Runs on every page; does nothing without #hb-which. */
(function () {
  "use strict";
  var script = document.currentScript;
  var IN_USE = { approved: "approved", restricted: "approved with restrictions" };

  function start() {
    var root = document.getElementById("hb-which");
    if (!root || !script) return;
    var nojs = document.getElementById("hb-which-nojs"); // shown only where no script runs
    if (nojs) nojs.hidden = true;
    var base = new URL("../", script.src); // assets/ -> the site's root
    var select = document.getElementById("hb-class");
    var count = document.getElementById("hb-which-count");
    var table = document.getElementById("hb-which-table");
    var body = table.querySelector("tbody");
    var wanted = new URLSearchParams(window.location.search).get("data");
    if (wanted) select.value = wanted;

    fetch(new URL("registry.json", base), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (registry) {
        var vendors = {};
        registry.vendors.forEach(function (v) { vendors[v.id] = v.name; });
        function show() {
          var cls = select.value;
          var tools = registry.tools.filter(function (t) {
            return IN_USE.hasOwnProperty(t.status) && t.data_allowed.indexOf(cls) >= 0;
          });
          tools.sort(function (a, b) { return a.name.localeCompare(b.name); });
          body.replaceChildren();
          tools.forEach(function (t) {
            var tr = document.createElement("tr");
            var name = document.createElement("td");
            var a = document.createElement("a");
            a.href = new URL(t.page, base).href;
            a.textContent = t.name;
            name.appendChild(a);
            tr.appendChild(name);
            cellText(tr, vendors[t.vendor] || t.vendor);
            var status = document.createElement("td");
            var badge = document.createElement("span");
            badge.className = "hb-badge hb-status-" + t.status;
            badge.textContent = IN_USE[t.status];
            status.appendChild(badge);
            tr.appendChild(status);
            cellText(tr, t.owner.team);
            cellText(tr, t.data_notes || "");
            body.appendChild(tr);
          });
          table.hidden = tools.length === 0;
          count.textContent = tools.length === 0
            ? "No approved tool may receive " + cls + " data."
            : tools.length + (tools.length === 1 ? " tool is" : " tools are") +
              " approved for " + cls + " data:";
        }
        select.addEventListener("change", show);
        show();
      })
      .catch(function (err) {
        count.textContent = "The registry could not be loaded (" + err.message + ").";
      });
  }

  function cellText(tr, text) {
    var td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
