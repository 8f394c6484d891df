/* ctkg pages: highlight the quote a link points at (#ev-…) and the evidence card it opens. */
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".q.hit, .card.hit").forEach(function (el) { el.classList.remove("hit"); });
  }
  function mark(id, scroll) {
    var marks = document.querySelectorAll('.q[data-ev~="' + CSS.escape(id) + '"]');
    marks.forEach(function (m) { m.classList.add("hit"); });
    var card = document.getElementById("card-" + id);
    if (card) {
      card.classList.add("hit");
      var box = card.closest("details");
      if (box) box.open = true;
    }
    if (scroll) {
      var side = card && card.closest(".article-side");
      if (side && getComputedStyle(side).position === "sticky") {
        side.scrollTop += card.getBoundingClientRect().top - side.getBoundingClientRect().top - 8;
      }
      if (marks.length) marks[0].scrollIntoView({ block: "center" });
    }
  }
  function onHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    clear();
    if (hash.indexOf("ev-") === 0) mark(hash, true);
    else if (hash.indexOf("card-ev-") === 0) mark(hash.slice(5), false);
  }
  /* on a phone the evidence cards (one per quote, over a hundred) start folded below the text;
     following a highlighted quote opens them at its card */
  var box = document.getElementById("evidence-box");
  if (box && window.matchMedia("(max-width: 759px)").matches && location.hash.indexOf("#card-") !== 0) {
    box.open = false;
  }
  window.addEventListener("hashchange", onHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onHash);
  else onHash();
})();
