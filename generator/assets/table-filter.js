/* Filters, sortable columns and a count of matches for the tool registry (table#hb-tools) and
   the vendors index (table#hb-vendors). Runs on every page, also after Material's instant
   navigation; does nothing where neither table is.

   Without JavaScript a table is simply complete: every control is made here. Values are read
   from what the cells show, never from data-* attributes (the site's sanitizer removes them):
   - a filter's values are the elements of class hb-v-<key> (the value is their text) or
     hb-v-<key>-<code> (the value is the code, the text its label), e.g.
     <td class="hb-v-status-pilot">in pilot</td>; values inside one element of class hb-item
     (a vendor's certificate) must match together;
   - a column is sortable when its <th> has the classes hb-col-<key> and hb-sort-<kind>, kind
     being text, number, date (the cell's <time datetime>) or rank (its filter's order).
   The state is in the query string, so a link can be shared:
     ?status=approved&status=pilot&data=confidential&findings=1&sort=-due
   (a repeated key: any of its values; sort=-key: descending). It is written with
   history.replaceState; unknown keys are kept, an unknown sort column ignored.
   A value no row has still counts, so that a shared link never shows more than it says
   (?state=lapsed with no lapsed certificate: "0 of 6 vendors", not every vendor): its list
   offers it, ticked and marked "(no vendors)". A filter with a fixed order always lists every
   value of the order, those no row has marked the same way, with the words the pages use
   (WORDS, where they are not the code itself).

   A filter's list closes on Escape (the focus back on its button), on a click outside it and
   when the keyboard focus leaves it (Tab past its last box): it would cover the table.

   Page and address text is only read (textContent, URLSearchParams) and written as text or
   attributes, never as HTML; a long value is shortened where it is shown.

   Speed: each row's values are read once, and a column's sort keys the first time it is
   sorted. The table then holds the first LIMIT matching rows, in order, and a button below it
   shows the rest: Chromium takes over a second to restyle and lay out 5,000 rows (the browser's
   work, not this script's), and about 50 ms for 100 (benchmarks/bench_filter.py).
   window.hbTableLimit, when a test sets it before this script runs, replaces LIMIT. */
(function () {
  "use strict";

  var TABLES = {
    "hb-tools": {
      noun: ["tool", "tools"],
      filters: [
        { key: "status", label: "Status", order: ["proposed", "sandbox", "pilot", "approved",
          "restricted", "deprecated", "offboarded", "rejected"] },
        { key: "vendor", label: "Vendor" },
        { key: "team", label: "Owner team" },
        { key: "data", label: "Data allowed", order: ["public", "internal", "confidential",
          "personal", "restricted"] },
        { key: "act", label: "EU AI Act", order: ["prohibited", "high-risk", "limited",
          "minimal", "none"] },
        { key: "findings", label: "Has findings", has: true }
      ]
    },
    "hb-vendors": {
      noun: ["vendor", "vendors"],
      filters: [
        { key: "type", label: "Certificate type", order: ["soc2-type1", "soc2-type2",
          "iso27001", "iso27701", "iso42001", "other"] },
        { key: "state", label: "Certificate state", order: ["current", "expiring-soon",
          "lapsed"] }
      ]
    }
  };
  // labels of codes that are not their own label (generator/render.py STATUS_WORDS,
  // generator/model.py CERT_NAMES, the templates), for values of an order no row shows
  var WORDS = {
    status: { sandbox: "in sandbox", pilot: "in pilot", restricted: "approved with restrictions" },
    act: { none: "not classified" },
    type: { "soc2-type1": "SOC 2 Type I", "soc2-type2": "SOC 2 Type II",
      iso27001: "ISO/IEC 27001", iso27701: "ISO/IEC 27701", iso42001: "ISO/IEC 42001" },
    state: { "expiring-soon": "expiring soon" }
  };
  var VALUE = /^hb-v-([a-z]+)(?:-(.+))?$/;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var done = new WeakSet(); // the tables already made filterable
  var LIMIT = 100; // rows shown at most until the reader asks for all
  var LONG = 60; // characters of a value shown at most

  function short(text) {
    return text.length > LONG ? text.slice(0, LONG - 1) + "…" : text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function classValue(node, prefix) {
    for (var i = 0; i < node.classList.length; i++) {
      if (node.classList[i].indexOf(prefix) === 0) return node.classList[i].slice(prefix.length);
    }
    return null;
  }

  // -- what each row holds ------------------------------------------------------------------

  function readRows(body, byKey) {
    return Array.prototype.map.call(body.rows, function (tr, index) {
      var row = { tr: tr, index: index, values: {}, items: [], keys: {} };
      var items = new Map();
      tr.querySelectorAll('[class*="hb-v-"]').forEach(function (node) {
        node.classList.forEach(function (name) {
          var m = VALUE.exec(name);
          var filter = m && byKey[m[1]];
          if (!filter) return;
          var label = node.textContent.trim();
          var code = m[2] || label;
          if (!filter.options.has(code)) filter.options.set(code, label);
          var item = node.closest(".hb-item");
          var bag = row.values;
          if (item && tr.contains(item)) {
            filter.inItems = true;
            bag = items.get(item);
            if (!bag) {
              bag = {};
              items.set(item, bag);
              row.items.push(bag);
            }
          }
          (bag[filter.key] = bag[filter.key] || []).push(code);
        });
      });
      return row;
    });
  }

  function passes(filter, codes) {
    if (!codes) return false;
    for (var i = 0; i < codes.length; i++) {
      if (filter.has ? Number(codes[i]) > 0 : filter.chosen.has(codes[i])) return true;
    }
    return false;
  }

  function matches(row, own, shared) {
    for (var i = 0; i < own.length; i++) {
      if (!passes(own[i], row.values[own[i].key])) return false;
    }
    if (shared.length === 0) return true;
    return row.items.some(function (item) {
      return shared.every(function (f) { return passes(f, item[f.key]); });
    });
  }

  // -- sort keys: null sorts last either way ------------------------------------------------

  var SORTS = {
    text: function (cell) {
      var text = cell.textContent.trim();
      return text === "" || text === "—" ? null : text;
    },
    number: function (cell) {
      var n = parseFloat(cell.textContent);
      return isNaN(n) ? null : n;
    },
    date: function (cell) {
      var time = cell.querySelector("time[datetime]");
      return time ? time.getAttribute("datetime") : null;
    },
    rank: function (cell, column) {
      var node = cell.querySelector('[class*="hb-v-' + column.key + '-"]');
      var code = node ? classValue(node, "hb-v-" + column.key + "-") : null;
      if (code === null && cell.className) code = classValue(cell, "hb-v-" + column.key + "-");
      if (code === null) return null;
      var order = column.order || [];
      var at = order.indexOf(code);
      return at >= 0 ? at : order.length;
    }
  };

  function compareKeys(a, b) { // numbers, or ISO dates
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // -- one table ----------------------------------------------------------------------------

  function enhance(table, config) {
    if (done.has(table)) return;
    done.add(table); // not a class: Material styles only tables without one
    var body = table.tBodies[0];
    var filters = config.filters.map(function (f) {
      return { key: f.key, label: f.label, has: !!f.has, order: f.order || [],
        options: new Map(), none: new Set(), chosen: new Set(), inItems: false };
    });
    var byKey = {};
    filters.forEach(function (f) { byKey[f.key] = f; });
    var rows = readRows(body, byKey); // each filter's options: the codes the rows show
    var ordered = rows; // all rows, in the current order
    var sort = { key: null, desc: false };
    var columns = {};
    var limit = Number(window.hbTableLimit) || LIMIT;
    var showAll = false;

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = classValue(th, "hb-col-");
      var kind = classValue(th, "hb-sort-");
      if (!key || !SORTS.hasOwnProperty(kind)) return;
      var button = el("button", "hb-sort");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      var icon = el("span", "hb-sort-icon");
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      th.appendChild(button);
      columns[key] = { key: key, kind: kind, th: th, icon: icon, index: th.cellIndex,
        order: byKey[key] ? byKey[key].order : null };
      button.addEventListener("click", function () {
        sort = { key: key, desc: sort.key === key && !sort.desc };
        sortRows();
        render();
        write();
      });
    });

    read();
    filters.forEach(function (f) { // the order's codes and the address's that no row has
      var words = WORDS[f.key] || {};
      f.order.forEach(function (code) { offer(f, code, words[code] || code); });
      if (!f.has) f.chosen.forEach(function (code) { offer(f, code, code); });
    });

    // the controls, before the table (or the scrolling box Material wraps it in)
    var box = el("div", "hb-filters");
    var bar = el("div", "hb-filter-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Filter the " + config.noun[1]);
    var count = el("p", "hb-filter-count");
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    // a button, not a link: Material's instant navigation would follow a link to this page
    var reset = el("button", "hb-filter-reset", "Clear filters");
    reset.type = "button";
    filters.forEach(function (f) {
      if (f.has) {
        var label = el("label", "hb-filter-has");
        f.input = el("input");
        f.input.type = "checkbox";
        f.input.name = f.key;
        f.input.checked = f.chosen.has("1");
        f.input.addEventListener("change", changed);
        label.append(f.input, " " + f.label);
        bar.appendChild(label);
      } else if (f.options.size > 0) {
        bar.appendChild(menu(f));
      }
    });
    bar.appendChild(reset);
    box.append(bar, count);
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(box, anchor);
    var more = el("button", "hb-filter-more md-button");
    more.type = "button";
    more.hidden = true;
    anchor.parentNode.insertBefore(more, anchor.nextSibling);
    more.addEventListener("click", function () {
      var next = body.rows.length; // the first row not shown yet takes the focus
      showAll = true;
      render();
      var link = body.rows[next] && body.rows[next].querySelector("a");
      if (link) link.focus();
    });

    reset.addEventListener("click", function () {
      filters.forEach(function (f) {
        if (f.input) f.input.checked = false;
        (f.boxes || []).forEach(function (b) { b.checked = false; });
      });
      changed();
    });

    if (sort.key) sortRows(); else markSorted();
    filterRows();

    function offer(f, code, label) { // a value no row has
      if (f.options.has(code)) return;
      f.options.set(code, label);
      f.none.add(code);
    }

    function menu(f) {
      var wrap = el("div", "hb-filter hb-filter-" + f.key);
      var toggle = el("button", "hb-filter-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "false");
      f.summary = el("span", "hb-filter-picked");
      toggle.append(f.label + ": ", f.summary);
      var panel = el("div", "hb-filter-options");
      panel.setAttribute("role", "group");
      panel.setAttribute("aria-label", f.label);
      panel.hidden = true;
      // the filter's own order first (status in lifecycle order), then by label
      var rank = function (code) {
        var at = f.order.indexOf(code);
        return at < 0 ? f.order.length : at;
      };
      var none = " (no " + config.noun[1] + ")"; // after a value no row has
      var codes = Array.from(f.options.keys()).sort(function (a, b) {
        return rank(a) - rank(b) || collator.compare(f.options.get(a), f.options.get(b));
      });
      f.boxes = codes.map(function (code) {
        var label = el("label");
        var input = el("input");
        input.type = "checkbox";
        input.name = f.key;
        input.value = code;
        input.checked = f.chosen.has(code);
        input.addEventListener("change", changed);
        var text = f.options.get(code);
        label.append(input, " " + short(text));
        if (text.length > LONG) label.title = text;
        if (f.none.has(code)) label.append(el("span", "hb-filter-none", none));
        panel.appendChild(label);
        return input;
      });
      toggle.addEventListener("click", function () { open(wrap, panel.hidden); });
      wrap.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !panel.hidden) {
          toggle.focus(); // first: a hidden box would lose the focus to the page
          open(wrap, false);
        }
      });
      // Tab out of the list closes it; no relatedTarget: a click, which the document's handler
      // judges (a click on a label's text inside the list blurs its box too)
      wrap.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !wrap.contains(event.relatedTarget)) open(wrap, false);
      });
      wrap.append(toggle, panel);
      summarize(f);
      return wrap;
    }

    function summarize(f) {
      var picked = f.boxes.filter(function (b) { return b.checked; });
      f.summary.textContent = picked.length === 0 ? "any"
        : picked.length <= 2 ? picked.map(function (b) { return short(f.options.get(b.value)); })
          .join(", ")
        : picked.length + " chosen";
    }

    function changed() {
      collect();
      showAll = false;
      filterRows();
      write();
    }

    function collect() { // the controls -> each filter's chosen codes
      filters.forEach(function (f) {
        f.chosen = new Set((f.boxes || []).filter(function (b) { return b.checked; })
          .map(function (b) { return b.value; }));
        if (f.input && f.input.checked) f.chosen.add("1");
        if (f.summary) summarize(f);
      });
    }

    function filterRows() {
      var active = filters.filter(function (f) { return f.chosen.size > 0; });
      var own = active.filter(function (f) { return !f.inItems; });
      var shared = active.filter(function (f) { return f.inItems; });
      rows.forEach(function (row) { row.match = matches(row, own, shared); });
      reset.hidden = active.length === 0;
      render();
    }

    function sortRows() {
      var column = columns[sort.key];
      var sign = sort.desc ? -1 : 1;
      if (!column) {
        ordered = rows;
      } else {
        keys(column);
        ordered = rows.slice().sort(function (x, y) {
          var a = x.keys[column.key], b = y.keys[column.key];
          if (a === null || b === null) return (a === null) - (b === null) || x.index - y.index;
          return sign * compareKeys(a, b) || x.index - y.index;
        });
      }
      markSorted();
    }

    function keys(column) { // each row's key for the column, once; text as its rank
      if (column.ready) return;
      column.ready = true;
      rows.forEach(function (row) {
        row.keys[column.key] = SORTS[column.kind](row.tr.cells[column.index], column);
      });
      if (column.kind !== "text") return;
      var texts = Array.from(new Set(rows.map(function (row) { return row.keys[column.key]; })))
        .filter(function (text) { return text !== null; })
        .sort(collator.compare); // locale-aware ("Tool 9" before "Tool 10"), once
      var rank = new Map(texts.map(function (text, i) { return [text, i]; }));
      rows.forEach(function (row) {
        var text = row.keys[column.key];
        if (text !== null) row.keys[column.key] = rank.get(text);
      });
    }

    function render() { // the table holds the matching rows, in order, up to the limit
      var matching = ordered.filter(function (row) { return row.match; });
      var shown = showAll ? matching : matching.slice(0, limit);
      var fragment = document.createDocumentFragment();
      shown.forEach(function (row) { fragment.appendChild(row.tr); });
      body.replaceChildren(fragment);
      var noun = config.noun[rows.length === 1 ? 0 : 1];
      count.textContent = matching.length + " of " + rows.length + " " + noun +
        (shown.length < matching.length ? ", the first " + shown.length + " shown" : "");
      more.hidden = shown.length === matching.length;
      more.textContent = "Show all " + matching.length +
        (matching.length < rows.length ? " matching " : " ") + noun;
    }

    function markSorted() {
      Object.keys(columns).forEach(function (key) {
        var c = columns[key];
        if (key === sort.key) {
          c.th.setAttribute("aria-sort", sort.desc ? "descending" : "ascending");
          c.icon.textContent = sort.desc ? " ▼" : " ▲";
        } else {
          c.th.removeAttribute("aria-sort");
          c.icon.textContent = " ↕";
        }
      });
    }

    function read() { // the address -> each filter's chosen codes, whether a row has them or not
      var params = new URLSearchParams(window.location.search);
      filters.forEach(function (f) {
        var wanted = params.getAll(f.key).map(function (v) { return v.trim(); });
        f.chosen = new Set(wanted.filter(function (v) { return f.has ? v === "1" : v !== ""; }));
      });
      var by = params.get("sort") || "";
      var key = by.replace(/^-/, "");
      if (columns.hasOwnProperty(key)) sort = { key: key, desc: by.charAt(0) === "-" };
    }

    function write() {
      var params = new URLSearchParams(window.location.search);
      filters.forEach(function (f) { params.delete(f.key); });
      params.delete("sort");
      filters.forEach(function (f) {
        f.chosen.forEach(function (code) { params.append(f.key, code); });
      });
      if (sort.key) params.append("sort", (sort.desc ? "-" : "") + sort.key);
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function open(wrap, show) {
    document.querySelectorAll(".hb-filter").forEach(function (other) {
      var on = other === wrap && show;
      other.querySelector(".hb-filter-toggle").setAttribute("aria-expanded", String(on));
      other.querySelector(".hb-filter-options").hidden = !on;
    });
  }

  // a click outside an open filter's list closes it
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".hb-filter")) open(null, false);
  });

  function start() {
    Object.keys(TABLES).forEach(function (id) {
      var table = document.getElementById(id);
      if (table && table.tBodies.length && table.tHead) enhance(table, TABLES[id]);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start); // Material: each page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
