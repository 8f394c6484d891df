/* The query page: YASQE (editor) + YASR (results) from the vendored YASGUI bundle.
 *
 * - The named queries are the examples (the server wrote each parameter's value into the text;
 *   the parameter fields above the editor are a plain form, so the URL carries the values).
 * - Results show as a table, a bar chart (a numeric column that is a measure, not an ordinal)
 *   or a timeline (a date or year column) or a map (a column of province IRIs: this server's
 *   /maps/provinces-ERA.svg with those units highlighted) — the extra views are YASR plugins
 *   defined here, drawn with plain HTML and SVG, so nothing is fetched from elsewhere.
 * - The address bar is the permalink: ?example=NAME (+ its parameters) or ?query=TEXT, plus
 *   &view=table|chart|timeline|map|response and &run=1; the language links carry the same.
 * - Nothing reaches the network but this server: autocompletion (Ctrl+Space) offers the
 *   ontology's terms (/api/terms) and the graph's names (/api/search), never prefix.cc or LOV;
 *   YASGUI's localStorage persistence is off (the URL is the state).
 * - An error answer is said in the interface language, and a syntax error's line and column
 *   (from the server's JSON: Oxigraph's position) are marked in the editor.
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
  /* numbers that count places in an order or name things, not quantities: no chart of them */
  var ORDINAL = /(ordinal|rank|position|index|code|^no$|^id$)/i;

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
      return !ORDINAL.test(v) && rows.some(function (r) { return NUMERIC.indexOf(typeOf(r[v])) >= 0; });
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

  /* --- map: the provinces of the first column of province IRIs, on the country map ------ */
  var MAP_ICON = [["path", { d: "M6 1l4 1-1 3 2 3 1 4-3 3-1-3-2-2 1-3-2-3z" }]];
  function provinceSlug(binding) {
    var prefix = config.base + "id/province/";
    return binding && binding.type === "uri" && binding.value.indexOf(prefix) === 0
      ? binding.value.slice(prefix.length) : "";
  }
  function MapPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 2;
    this.label = ui.map || "Map";
    this.hideFromSelection = false;
  }
  MapPlugin.prototype.placeVar = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables) return "";
    var rows = results.getBindings() || [];
    return (results.getVariables() || []).find(function (v) {
      return rows.some(function (r) { return provinceSlug(r[v]); });
    }) || "";
  };
  MapPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!(results && results.getType && results.getType() === "json" && this.placeVar());
  };
  MapPlugin.prototype.getIcon = function () { return icon(MAP_ICON); };
  MapPlugin.prototype.draw = function () {
    var v = this.placeVar();
    var slugs = {};
    (this.yasr.results.getBindings() || []).forEach(function (r) {
      var slug = provinceSlug(r[v]);
      if (slug) slugs[slug] = true;
    });
    /* units formed in 2025 are on the map of 34, the others on the map of 63 */
    var era = Object.keys(slugs).some(function (s) { return /-2025$/.test(s); }) ? "2025" : "2019";
    var box = el("figure", { class: "map query-map" });
    var caption = el("figcaption", {}, "");
    this.yasr.resultsEl.appendChild(box);
    fetch("/maps/provinces-" + era + ".svg?lang=" + config.lang)
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (svgText) {
        box.innerHTML = svgText;  /* this server's own map: titled, every unit a link */
        var shown = [];
        box.querySelectorAll("a[data-unit]").forEach(function (a) {
          if (slugs[a.getAttribute("data-unit")]) {
            a.setAttribute("class", "u on");
            a.parentNode.appendChild(a);  /* drawn last, so that its border shows */
            shown.push(a.querySelector("title").textContent);
          }
        });
        var desc = box.querySelector("desc");
        if (desc) desc.textContent = (ui.map_shown || "") + " " + shown.join(", ");
        caption.textContent = "?" + v + ": " + shown.length + " · " + (ui.map_source || "");
        box.appendChild(caption);
      });
  };

  Yasr.registerPlugin("chart", ChartPlugin);
  Yasr.registerPlugin("timeline", TimelinePlugin);
  Yasr.registerPlugin("map", MapPlugin);

  /* --- autocompletion from this server only -------------------------------------------- */
  var terms = null;  /* the promise of /api/terms: the ontology's classes, properties, individuals */
  function loadTerms() {
    if (!terms) {
      terms = fetch(config.terms, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { classes: [], properties: [], individuals: [], prefixes: {} }; });
    }
    return terms;
  }
  function fold(textValue) {
    return (textValue || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  /* what the token asks for: a full IRI prefix (ctkg:host -> its IRI) or a word ("host", "đăng cai") */
  function wanted(token) {
    return { iri: token.autocompletionString || "", word: fold((token.string || "").replace(/^<|>$/g, "").split(":").pop()) };
  }
  function termMatches(list, token) {
    var want = wanted(token);
    return list.filter(function (t) {
      if (want.iri && t.iri.indexOf(want.iri) === 0) return true;
      if (!want.word) return false;
      return fold(t.curie.split(":").pop()).indexOf(want.word) >= 0 || fold(t.label).indexOf(want.word) >= 0;
    }).map(function (t) { return t.iri; });
  }
  /* a completion as a prefixed name when the query declares (or can declare) its prefix */
  function asName(yasqe, token, iri) {
    var declared = yasqe.getPrefixesFromQuery();
    var best = "", out = "<" + iri + ">";
    Object.keys(declared).forEach(function (p) {
      var ns = declared[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length && iri.length > ns.length &&
          /^[A-Za-z_][\w-]*$/.test(iri.slice(ns.length))) {
        best = ns; out = p + ":" + iri.slice(ns.length);
      }
    });
    return out;
  }
  Yasqe.forkAutocompleter("property", {
    name: "ctkg-property",
    get: function (_y, token) { return loadTerms().then(function (t) { return termMatches(t.properties, token); }); },
    postProcessSuggestion: asName,
  }, false);
  Yasqe.forkAutocompleter("class", {
    name: "ctkg-class",
    get: function (_y, token) {
      return loadTerms().then(function (t) { return termMatches(t.classes.concat(t.individuals), token); });
    },
    postProcessSuggestion: asName,
  }, false);
  Yasqe.forkAutocompleter("prefixes", {
    name: "ctkg-prefixes",
    persistenceId: null,
    get: function () {
      return Promise.resolve(Object.keys(config.prefixes).sort().map(function (p) {
        return p + ": <" + config.prefixes[p] + ">";
      }));
    },
  }, false);
  /* a subject or object: the graph's own things by name, from the site's search index */
  Yasqe.forkAutocompleter("class", {
    name: "ctkg-entity",
    isValidCompletionPosition: function (yasqe) {
      var token = yasqe.getCompleteToken();
      if (!token.string || /^[?$]/.test(token.string) || /^["']/.test(token.string)) return false;
      if (token.state && token.state.possibleCurrent && token.state.possibleCurrent.indexOf("a") >= 0) return false;
      var cursor = yasqe.getDoc().getCursor();
      var previous = yasqe.getPreviousNonWsToken(cursor.line, token);
      if (previous && ["a", "rdf:type"].indexOf(previous.state && previous.state.lastProperty) >= 0) return false;
      return true;
    },
    get: function (_y, token) {
      var word = (token.string || "").replace(/^<|>$/g, "").split(":").pop().replace(/[_-]/g, " ");
      if (word.length < 2) return Promise.resolve([]);
      return fetch("/api/search?limit=15&lang=" + config.lang + "&q=" + encodeURIComponent(word))
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (d) { return d.results.map(function (x) { return x.iri; }); });
    },
    postProcessSuggestion: asName,
  }, false);

  /* --- editor and results ------------------------------------------------------------- */
  var endpoint = new URL(config.endpoint, location.href).href;
  var yasqe = new Yasqe(document.getElementById("yasqe"), {
    persistenceId: null,
    consumeShareLink: null,
    showQueryButton: true,
    resizeable: true,
    editorHeight: "300px",
    autocompleters: ["ctkg-prefixes", "ctkg-property", "ctkg-class", "ctkg-entity", "variables"],
    prefixCcApi: null,
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
  });
  var tableConfig = Object.assign({}, Yasr.plugins.table.defaults.tableConfig);
  if (config.lang === "vi") {
    tableConfig.language = Object.assign({}, tableConfig.language, {
      emptyTable: "Không có dữ liệu",
      info: "Dòng _START_ đến _END_ trong _TOTAL_ dòng",
      infoEmpty: "Không có dòng nào",
      infoFiltered: "(lọc từ _MAX_ dòng)",
      zeroRecords: "Không có dòng nào khớp",
      lengthMenu: "_MENU_ dòng mỗi trang",
      search: "Lọc:",
    });
  }
  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null,
    prefixes: config.prefixes,
    pluginOrder: ["table", "chart", "timeline", "map", "response"],
    defaultPlugin: "table",
    plugins: { table: { staticConfig: { tableConfig: tableConfig }, dynamicConfig: { openIriInNewWindow: false } } },
  });
  yasqe.setValue(config.initialQuery);
  /* the editor's own text field has no label, and its scroll box is not reachable by keys */
  yasqe.getInputField().setAttribute("aria-label", ui.editor_label || "SPARQL");
  yasqe.getInputField().setAttribute("aria-describedby", "editor-hint");
  yasqe.getWrapperElement().querySelectorAll(".CodeMirror-scroll").forEach(function (node) {
    node.setAttribute("tabindex", "0");
  });
  /* Esc leaves the editor (Tab indents inside it); an open completion list takes Esc first */
  yasqe.addKeyMap({ Esc: function () { document.getElementById("run").focus(); } });

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
  var paramsForm = document.getElementById("params");
  function permalink(run, lang) {
    var params = new URLSearchParams();
    var name = currentExample();
    if (name) {
      params.set("example", name);
      if (paramsForm && paramsForm.elements.example.value === name) {
        Array.prototype.forEach.call(paramsForm.querySelectorAll("input[id^=param-]"), function (input) {
          if (input.value) params.set(input.name, input.value);
        });
      }
    } else params.set("query", yasqe.getValue());
    var view = yasr.results ? drawnView() : wantedView;
    if (view) params.set("view", view);
    if (run) params.set("run", "1");
    params.set("lang", lang || config.lang);
    return location.pathname + "?" + params.toString();
  }
  function updateUrl() {
    var run = !!yasr.results || !!shownError;
    var url = permalink(run);
    history.replaceState(null, "", url);
    document.getElementById("permalink").setAttribute("href", url);
    /* a language switch keeps the query being edited, its parameters and its view */
    document.querySelectorAll(".lang-switch a[hreflang]").forEach(function (a) {
      a.setAttribute("href", permalink(run, a.getAttribute("hreflang")));
    });
  }

  function drawnView() {
    return yasr.drawnPlugin || yasr.getSelectedPluginName();
  }

  /* --- errors: said in the interface language, a syntax error's place marked ------------- */
  var errorBox = document.getElementById("query-error");
  var marks = [];
  var shownError = null;
  function clearError() {
    marks.forEach(function (m) { if (m.clear) m.clear(); else yasqe.removeLineClass(m.line, "wrap", "error-line"); });
    marks = [];
    shownError = null;
    errorBox.hidden = true;
    errorBox.textContent = "";
    yasr.rootEl.hidden = false;
  }
  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }
  /* Oxigraph's "expected one of A, B, [_]" made readable: keywords kept, character classes not */
  function expectation(message) {
    if (/Prefix not found/.test(message)) return ui.err_prefix;
    var m = /expected (?:one of )?(.*)$/s.exec(message);
    if (!m) return "";
    var items = m[1].split(/,\s*/).filter(function (x) { return /^[A-Z][A-Z_]*$/.test(x.trim()); });
    if (!items.length || /\[/.test(m[1]) && items.length < 2) return ui.err_unexpected;
    return fill(ui.err_expected, { items: items.slice(0, 12).join(", ") });
  }
  function markAt(line, column) {
    var doc = yasqe.getDoc();
    var l = Math.max(0, Math.min(line - 1, doc.lineCount() - 1));
    var lineText = doc.getLine(l) || "";
    /* the position is where parsing gave up: mark the word there, or the one just before it */
    var ch = Math.max(0, Math.min(column - 1, lineText.length));
    var start = ch, end = ch;
    if (end >= lineText.length || /\s/.test(lineText[end])) {
      while (start > 0 && /\s/.test(lineText[start - 1])) start--;
      end = start;
      while (start > 0 && /\S/.test(lineText[start - 1])) start--;
    } else {
      while (end < lineText.length && /\S/.test(lineText[end])) end++;
    }
    if (start === end) end = Math.min(lineText.length, start + 1);
    yasqe.addLineClass(l, "wrap", "error-line");
    marks.push({ line: l });
    if (start < end) {
      marks.push(doc.markText({ line: l, ch: start }, { line: l, ch: end },
        { className: "error-mark", attributes: { "data-line": String(line), "data-column": String(column) } }));
    }
    yasqe.scrollIntoView({ line: l, ch: start }, 60);
  }
  function showError(error) {
    clearError();
    var body = {};
    try { body = JSON.parse(error.message); } catch (_e) { body = { message: error.message }; }
    var status = body.status || 0;
    var head, detail = "";
    if (status === 400 && body.line) {
      head = fill(ui.err_syntax_at, { line: body.line, column: body.column });
      detail = expectation(body.message || "");
      markAt(body.line, body.column);
    } else if (status === 400) {
      head = /syntax|parse|expected/i.test(body.message || "") ? ui.err_syntax : ui.err_bad;
      detail = expectation(body.message || "");
    } else if (body.timeout_s) {
      head = fill(ui.err_timeout, { seconds: body.timeout_s });
    } else if (status === 503) {
      head = ui.err_busy;
    } else if (status === 403) {
      head = ui.err_forbidden;
    } else if (status === 507) {
      head = ui.err_memory;
    } else if (status === 413) {
      head = ui.err_too_large;
    } else if (!status && /fetch|network/i.test(body.message || "")) {
      head = ui.err_network;
    } else {
      head = ui.err_bad;
    }
    errorBox.appendChild(el("p", { class: "error-head" }, head + (detail ? ": " + detail : "")));
    if (body.message) {
      var more = el("details", { class: "error-raw" });
      more.appendChild(el("summary", {}, ui.err_server_said));
      more.appendChild(el("pre", {}, body.message + (body.request_id ? "\n(request " + body.request_id + ")" : "")));
      errorBox.appendChild(more);
    }
    errorBox.hidden = false;
    yasr.rootEl.hidden = true;
    shownError = body;
  }

  yasqe.on("queryResponse", function (_y, response, duration) {
    if (response instanceof Error) {
      showError(response);
      updateUrl();
      return;
    }
    clearError();
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
  /* choosing an example loads its page: its parameter fields come with it */
  select.addEventListener("change", function () {
    var e = examples[select.value];
    if (!e) return;
    var params = new URLSearchParams({ example: e.name, run: "1", lang: config.lang });
    location.assign(location.pathname + "?" + params.toString());
  });
  document.getElementById("run").addEventListener("click", function () { yasqe.query(); });

  /* --- YASGUI's own words in the interface language -------------------------------------- */
  var WORDS = config.lang === "vi" ? {
    "Run query": "Chạy truy vấn", "Share query": "Chia sẻ truy vấn", "Download result": "Tải kết quả",
    "Download Results": "Tải kết quả", "Show all": "Hiện tất cả", "Simple view": "Xem gọn",
    "Ellipse": "Rút gọn", "Filter query results": "Lọc kết quả", "Table": "Bảng", "Response": "Phản hồi",
    "Page size: ": "Số dòng: ", "All": "Tất cả", "cannot render result": "không hiển thị được kết quả",
    "Press CTRL - <spacebar> to autocomplete": "Nhấn Ctrl + Space để gợi ý",
    "Nothing to autocomplete yet!": "Chưa có gì để gợi ý",
    "Failed fetching suggestions": "Không lấy được gợi ý",
  } : {};
  var PATTERNS = config.lang === "vi" ? [
    [/^Shows (\w+) view$/, function (m) { return "Xem dạng " + (VIEWS_VI[m[1]] || m[1]); }],
    [/^Showing (\d+) to (\d+) of (\d+) (entries|results?)$/, function (m) { return "Dòng " + m[1] + "–" + m[2] + " trong " + m[3]; }],
    [/^(\d+) results? in ([\d.]+) seconds?$/, function (m) { return m[1] + " kết quả trong " + m[2] + " giây"; }],
    [/^(\d+) results?$/, function (m) { return m[1] + " kết quả"; }],
    [/^([\d.]+) seconds?$/, function (m) { return m[1] + " giây"; }],
  ] : [];
  var VIEWS_VI = { Table: "bảng", Response: "phản hồi" };
  VIEWS_VI[ui.chart] = ui.chart; VIEWS_VI[ui.timeline] = ui.timeline; VIEWS_VI[ui.map] = ui.map;
  function say(textValue) {
    var key = textValue.trim();
    if (!key) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, key)) return textValue.replace(key, WORDS[key]);
    for (var i = 0; i < PATTERNS.length; i++) {
      var m = PATTERNS[i][0].exec(key);
      if (m) return textValue.replace(key, PATTERNS[i][1](m));
    }
    return null;
  }
  function translate(root) {
    if (config.lang !== "vi") return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && parent.closest(".CodeMirror-code, table.dataTable tbody, .result-map, pre")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var node, found = [];
    while ((node = walker.nextNode())) found.push(node);
    found.forEach(function (n) { var t = say(n.nodeValue); if (t !== null && t !== n.nodeValue) n.nodeValue = t; });
    root.querySelectorAll("[title], [aria-label], [placeholder]").forEach(function (node) {
      ["title", "aria-label", "placeholder"].forEach(function (attr) {
        var value = node.getAttribute(attr);
        var t = value && say(value);
        if (t !== null && t !== undefined && t !== value) node.setAttribute(attr, t);
      });
    });
  }

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
  var busy = false;
  function tidy(root) {
    if (busy) return;
    busy = true;
    try { localize(root); label(root); translate(root); } finally { busy = false; }
  }
  [yasr.rootEl, yasqe.getWrapperElement().parentNode].forEach(function (root) {
    new MutationObserver(function () { tidy(root); })
      .observe(root, { childList: true, subtree: true, characterData: true });
    tidy(root);
  });

  if (config.initialExample && examples[config.initialExample]) {
    select.value = config.initialExample;
    describe(config.initialExample);
  }
  updateUrl();
  if (config.autorun) yasqe.query();
})();
