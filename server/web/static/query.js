/* The query page: YASQE (editor) + YASR (results) from the vendored YASGUI bundle.
 *
 * - The named queries are the examples (the server wrote each parameter's value into the text).
 * - Results show as a table, a bar chart (numeric results: indicators) or a timeline (results
 *   with dates or years: editions, posts) — the two extra views are YASR plugins defined here,
 *   drawn with plain HTML, so nothing is fetched from elsewhere.
 * - The address bar is the permalink: ?example=NAME (an unedited example) or ?query=TEXT,
 *   plus &view=table|chart|timeline|response and &run=1; opening it restores the same state.
 * - Nothing reaches the network but /sparql: prefix.cc and LOV autocompletion are off, and
 *   YASGUI's localStorage persistence is off (the URL is the state).
 * - IRIs under the graph's base link to this server (/id/…), not to the base's host.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var ui = config.ui;
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"];
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"];

  function localHref(iri) {
    if (iri && iri.indexOf(config.base) === 0) {
      var rest = iri.slice(config.base.length);
      if (/^(id|graph)\//.test(rest) || /^ontology([#/]|$)/.test(rest)) return "/" + rest;
    }
    return iri;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function typeOf(binding) {
    return binding && binding.datatype && binding.datatype.indexOf(XSD) === 0
      ? binding.datatype.slice(XSD.length) : "";
  }
  function shortIri(iri) {
    var best = "", out = iri;
    Object.keys(config.prefixes).forEach(function (p) {
      var ns = config.prefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length && iri.length > ns.length) {
        best = ns; out = p + ":" + iri.slice(ns.length);
      }
    });
    return out;
  }
  function text(binding) {
    if (!binding) return "";
    return binding.type === "uri" ? shortIri(binding.value) : binding.value;
  }
  /* variables whose value differs between rows (constant columns say nothing per row) */
  function varying(vars, rows) {
    return vars.filter(function (v) {
      var seen = {};
      rows.forEach(function (r) { seen[r[v] ? r[v].value : ""] = true; });
      return Object.keys(seen).length > 1;
    });
  }
  function isLabel(v, rows) {
    return rows.some(function (r) { return r[v] && r[v].type !== "uri" && !typeOf(r[v]); });
  }
  var SVG = "http://www.w3.org/2000/svg";
  /* a small SVG icon (YASR shows icons alone on narrow screens); shapes: [tag, attrs] */
  function icon(shapes) {
    var wrap = document.createElement("div");
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "15");
    svg.setAttribute("height", "15");
    svg.setAttribute("aria-hidden", "true");
    shapes.forEach(function (shape) {
      var node = document.createElementNS(SVG, shape[0]);
      Object.keys(shape[1]).forEach(function (k) { node.setAttribute(k, shape[1][k]); });
      node.setAttribute("fill", "currentColor");
      svg.appendChild(node);
    });
    wrap.appendChild(svg);
    return wrap;
  }
  var CHART_ICON = [["rect", { x: 1, y: 2, width: 9, height: 3 }], ["rect", { x: 1, y: 7, width: 14, height: 3 }],
    ["rect", { x: 1, y: 12, width: 6, height: 3 }]];
  var TIMELINE_ICON = [["rect", { x: 3, y: 1, width: 2, height: 14 }], ["circle", { cx: 4, cy: 3, r: 2.5 }],
    ["circle", { cx: 4, cy: 8, r: 2.5 }], ["circle", { cx: 4, cy: 13, r: 2.5 }],
    ["rect", { x: 8, y: 2, width: 7, height: 2 }], ["rect", { x: 8, y: 7, width: 5, height: 2 }],
    ["rect", { x: 8, y: 12, width: 6, height: 2 }]];

  /* --- bar chart: one bar per row, for the first numeric variable ---------------------- */
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 4;
    this.label = ui.chart || "Chart";
    this.hideFromSelection = false;
  }
  ChartPlugin.prototype.numericVar = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables) return null;
    var rows = results.getBindings() || [];
    var vars = results.getVariables() || [];
    return vars.find(function (v) {
      return rows.some(function (r) { return NUMERIC.indexOf(typeOf(r[v])) >= 0; });
    }) || null;
  };
  ChartPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!(results && results.getType && results.getType() === "json" &&
      (results.getBindings() || []).length && this.numericVar());
  };
  ChartPlugin.prototype.getIcon = function () { return icon(CHART_ICON); };
  ChartPlugin.prototype.draw = function () {
    var results = this.yasr.results;
    var rows = results.getBindings();
    var vars = results.getVariables();
    var valueVar = this.numericVar();
    var labelVars = varying(vars, rows).filter(function (v) {
      return v !== valueVar && isLabel(v, rows);
    });
    if (!labelVars.length) {
      labelVars = vars.filter(function (v) { return v !== valueVar; }).slice(0, 1);
    }
    var constant = vars.filter(function (v) {
      return v !== valueVar && isLabel(v, rows) && labelVars.indexOf(v) < 0 && rows[0][v];
    });
    var unitVar = constant.find(function (v) { return /unit/i.test(v); });
    var measureVar = constant.find(function (v) { return /measure/i.test(v); });
    var linkVar = vars.find(function (v) {
      return v !== valueVar && rows.every(function (r) { return r[v] && r[v].type === "uri"; }) &&
        varying([v], rows).length;
    });
    var values = rows.map(function (r) { return r[valueVar] ? parseFloat(r[valueVar].value) : NaN; });
    var max = Math.max.apply(null, values.filter(isFinite).map(Math.abs).concat([0])) || 1;
    var box = el("figure", { class: "bars", "aria-label": valueVar });
    var title = valueVar + (measureVar ? " · " + rows[0][measureVar].value : "") +
      (unitVar ? " (" + rows[0][unitVar].value + ")" : "");
    box.appendChild(el("div", { class: "bar-title" }, title));
    rows.forEach(function (r, i) {
      var row = el("div", { class: "bar-row" });
      var labelText = labelVars.map(function (v) { return text(r[v]); }).filter(Boolean).join(" · ");
      var label = el("div", { class: "bar-label" });
      if (linkVar) {
        var a = el("a", { href: localHref(r[linkVar].value) }, labelText);
        label.appendChild(a);
      } else {
        label.textContent = labelText;
      }
      var track = el("div", { class: "bar-track" });
      var v = values[i];
      var bar = el("div", { class: "bar" + (v < 0 ? " neg" : "") });
      bar.style.width = (isFinite(v) ? Math.abs(v) / max * 85 : 0) + "%";
      track.appendChild(bar);
      track.appendChild(el("span", { class: "bar-value" }, isFinite(v) ? String(r[valueVar].value) : "—"));
      row.appendChild(label);
      row.appendChild(track);
      box.appendChild(row);
    });
    this.yasr.resultsEl.appendChild(box);
  };

  /* --- timeline: rows in date order, dated by a date (else a year) variable ----------- */
  function TimelinePlugin(yasr) {
    this.yasr = yasr;
    this.priority = 3;
    this.label = ui.timeline || "Timeline";
    this.hideFromSelection = false;
  }
  TimelinePlugin.prototype.dateVars = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables) return [];
    var rows = results.getBindings() || [];
    return (results.getVariables() || []).filter(function (v) {
      return rows.some(function (r) { return DATES.indexOf(typeOf(r[v])) >= 0; });
    });
  };
  TimelinePlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!(results && results.getType && results.getType() === "json" &&
      (results.getBindings() || []).length && this.dateVars().length);
  };
  TimelinePlugin.prototype.getIcon = function () { return icon(TIMELINE_ICON); };
  TimelinePlugin.prototype.draw = function () {
    var results = this.yasr.results;
    var rows = results.getBindings().slice();
    var vars = results.getVariables();
    var dateVars = this.dateVars();
    /* the most precise date a row has: a full date before a year */
    function when(r) {
      var best = "";
      dateVars.forEach(function (v) {
        if (r[v] && r[v].value.length > best.length) best = r[v].value;
      });
      return best;
    }
    var labels = vars.filter(function (v) { return isLabel(v, rows) && dateVars.indexOf(v) < 0; });
    var titleVar = labels[0];
    var details = varying(labels.slice(1), rows);
    var linkVar = vars.find(function (v) {
      return rows.every(function (r) { return r[v] && r[v].type === "uri"; }) && varying([v], rows).length;
    });
    rows.sort(function (a, b) { return when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0; });
    var list = el("ol", { class: "tl" });
    rows.forEach(function (r) {
      var status = vars.find(function (v) { return /status$/i.test(v) && r[v]; });
      var designated = status && /designated$/.test(r[status].value);
      var item = el("li", { class: designated ? "designated" : "held" });
      item.appendChild(el("time", { class: "tl-date", datetime: when(r) }, when(r) || "?"));
      var title = titleVar && r[titleVar] ? r[titleVar].value : (linkVar ? text(r[linkVar]) : "");
      if (linkVar && r[linkVar]) item.appendChild(el("a", { href: localHref(r[linkVar].value) }, title));
      else item.appendChild(el("span", {}, title));
      var more = el("div", { class: "tl-details" });
      details.forEach(function (v) {
        if (r[v]) more.appendChild(el("span", { "data-var": v }, r[v].value));
      });
      item.appendChild(more);
      list.appendChild(item);
    });
    this.yasr.resultsEl.appendChild(list);
  };

  Yasr.registerPlugin("chart", ChartPlugin);
  Yasr.registerPlugin("timeline", TimelinePlugin);

  /* --- editor and results ------------------------------------------------------------- */
  var endpoint = new URL(config.endpoint, location.href).href;
  var yasqe = new Yasqe(document.getElementById("yasqe"), {
    persistenceId: null,
    consumeShareLink: null,
    showQueryButton: true,
    resizeable: true,
    editorHeight: "300px",
    autocompleters: ["prefixes", "variables"],
    prefixCcApi: null,
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
  });
  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null,
    prefixes: config.prefixes,
    pluginOrder: ["table", "chart", "timeline", "response"],
    defaultPlugin: "table",
    plugins: { table: { dynamicConfig: { openIriInNewWindow: false } } },
  });
  yasqe.setValue(config.initialQuery);
  /* the editor's own text field has no label, and its scroll box is not reachable by keys */
  yasqe.getInputField().setAttribute("aria-label", ui.editor_label || "SPARQL");
  yasqe.getWrapperElement().querySelectorAll(".CodeMirror-scroll").forEach(function (node) {
    node.setAttribute("tabindex", "0");
  });

  var examples = {};
  config.examples.forEach(function (e) { examples[e.name] = e; });
  var select = document.getElementById("examples");
  var description = document.getElementById("example-description");
  var wantedView = config.initialView || (examples[config.initialExample] || {}).view || "table";

  function currentExample() {
    var value = yasqe.getValue();
    return Object.keys(examples).find(function (n) { return examples[n].sparql === value; }) || "";
  }
  function describe(name) {
    var e = examples[name];
    description.textContent = e ? (e.description[config.lang] || e.description.en || "") : "";
  }
  function permalink(run) {
    var params = new URLSearchParams();
    var name = currentExample();
    if (name) params.set("example", name);
    else params.set("query", yasqe.getValue());
    var view = yasr.results ? drawnView() : wantedView;
    if (view) params.set("view", view);
    if (run) params.set("run", "1");
    if (config.lang) params.set("lang", config.lang);
    return location.pathname + "?" + params.toString();
  }
  function updateUrl() {
    var url = permalink(!!yasr.results);
    history.replaceState(null, "", url);
    document.getElementById("permalink").setAttribute("href", url);
  }

  function drawnView() {
    return yasr.drawnPlugin || yasr.getSelectedPluginName();
  }
  yasqe.on("queryResponse", function (_y, response, duration) {
    /* choose the view before the results draw (YASR falls back to a view that can show them);
       selecting it afterwards would race YASR's asynchronous table drawing */
    if (wantedView && yasr.config.plugins[wantedView]) yasr.selectedPlugin = wantedView;
    yasr.setResponse(response, duration);
    updateUrl();
  });
  yasr.on("drawn", function () {
    wantedView = drawnView();
    updateUrl();
  });
  yasqe.on("change", function () {
    var name = currentExample();
    if (name) select.value = name;
    updateUrl();
  });
  select.addEventListener("change", function () {
    var e = examples[select.value];
    if (!e) return;
    wantedView = e.view;
    yasqe.setValue(e.sparql);
    describe(e.name);
    yasqe.query();
  });
  document.getElementById("run").addEventListener("click", function () { yasqe.query(); });

  /* what YASR draws without a name for assistive technology */
  function label(root) {
    root.querySelectorAll("select.tableSizer:not([aria-label])").forEach(function (node) {
      node.setAttribute("aria-label", ui.rows_per_page || "Rows per page");
    });
    root.querySelectorAll("th").forEach(function (th) {
      if (!th.textContent.trim() && !th.querySelector(".sr-only")) {
        th.appendChild(el("span", { class: "sr-only" }, "#"));
      }
    });
  }

  /* links in results: IRIs under the base open on this server */
  function localize(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var target = localHref(a.getAttribute("href"));
      if (target !== a.getAttribute("href")) {
        a.setAttribute("href", target);
        a.removeAttribute("target");
      }
    });
  }
  new MutationObserver(function () { localize(yasr.rootEl); label(yasr.rootEl); })
    .observe(yasr.rootEl, { childList: true, subtree: true });

  if (config.initialExample && examples[config.initialExample]) {
    select.value = config.initialExample;
    describe(config.initialExample);
  }
  updateUrl();
  if (config.autorun) yasqe.query();
})();
