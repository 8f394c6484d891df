/* Search suggestions as you type (every input[data-suggest]), from /api/search.
 *
 * ARIA 1.2 combobox: the input owns a listbox; ↑/↓ move through the suggestions, Enter opens the
 * chosen one (or, with none chosen, submits the form to /search), Esc closes the list. The count
 * is announced in a polite live region. Without JavaScript the form still goes to /search.
 */
(function () {
  "use strict";
  var config = JSON.parse((document.getElementById("site-config") || {}).textContent || "{}");
  var lang = config.lang || document.documentElement.lang || "vi";
  var ui = config.ui || {};
  var counter = 0;

  function setup(input) {
    var id = "suggest-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var holder = input.parentNode;
    holder.classList.add("suggest-holder");
    holder.appendChild(list);
    holder.appendChild(status);
    var results = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, n) { item.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && items[i]) input.setAttribute("aria-activedescendant", items[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function draw(found, text) {
      results = found;
      list.textContent = "";
      found.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "s-label";
        name.textContent = r.label;
        li.appendChild(name);
        if (r.types && r.types.length) {
          var type = document.createElement("span");
          type.className = "s-type";
          type.textContent = r.types.map(function (t) { return t.label; }).join(", ");
          li.appendChild(type);
        }
        if (r.matched && r.matched !== r.label) {
          var also = document.createElement("span");
          also.className = "s-also";
          also.textContent = r.matched;
          li.appendChild(also);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { location.href = r.href; });
        list.appendChild(li);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = found.length + " · " + (ui.results || "");
      } else {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        status.textContent = text ? (ui.none || "") : "";
      }
      highlight(-1);
    }
    function ask() {
      var text = input.value.trim();
      if (!text) { draw([], ""); return; }
      var mine = ++latest;
      fetch("/api/search?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text),
        { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { if (mine === latest) draw(body.results || [], text); })
        .catch(function () { /* suggestions are optional; the form still works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp" && results.length) {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        location.href = results[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  function start() { document.querySelectorAll("input[data-suggest]").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
