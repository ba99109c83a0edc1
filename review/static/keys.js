// Keyboard work for reviewers (the keys are listed on the page): on a submission J/K move between
// findings, C confirms, D puts the cursor in the dismissal reason (Enter submits), F goes to the
// final decision, N opens the next pending submission, +/-/0 zoom the current page image; in the
// queue J/K move between rows and Enter or O opens one. Keys are ignored while typing.
(function () {
  "use strict";

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function cursor(items, onMove) {
    var at = -1;
    return {
      get: function () { return at >= 0 ? items[at] : null; },
      set: function (i, scroll) {
        if (!items.length) { return; }
        at = Math.min(Math.max(i, 0), items.length - 1);
        items.forEach(function (el) { el.classList.remove("current"); });
        items[at].classList.add("current");
        onMove(items[at], scroll);
      },
      step: function (d) { this.set(at < 0 ? 0 : at + d, true); }
    };
  }

  function submissionKeys(cards) {
    var cur = cursor(cards, function (card, scroll) {
      if (scroll) {
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "start" });
        history.replaceState(null, "", "#" + card.id);
      }
    });
    var fromHash = cards.findIndex(function (c) { return "#" + c.id === location.hash; });
    if (fromHash >= 0) { cur.set(fromHash, false); }
    return function (key) {
      var card = cur.get();
      if (key === "j") { cur.step(1); return true; }
      if (key === "k") { cur.step(-1); return true; }
      if (key === "f") {
        var final = document.getElementById("final");
        final.scrollIntoView({ block: "start" });
        final.querySelector("input[name=kind]").focus();
        return true;
      }
      if (!card) { return false; }
      if (key === "c") { card.querySelector("form.confirm-form").requestSubmit(); return true; }
      if (key === "d") { card.querySelector("form.dismiss-form input[name=reason]").focus(); return true; }
      var figure = card.querySelector(".page-figure");
      var zoom = { "+": 1.25, "=": 1.25, "-": 0.8, "0": 0 }[key];
      if (figure && figure.zoomBy && zoom !== undefined) { figure.zoomBy(zoom); return true; }
      return false;
    };
  }

  function queueKeys(rows) {
    var cur = cursor(rows, function (row) { row.scrollIntoView({ block: "nearest" }); });
    return function (key) {
      if (key === "j") { cur.step(1); return true; }
      if (key === "k") { cur.step(-1); return true; }
      if ((key === "enter" || key === "o") && cur.get()) {
        location.href = cur.get().querySelector("a[href]").href;
        return true;
      }
      return false;
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cards = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
    var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr")).filter(function (r) {
      return r.querySelector("a[href]");
    });
    var onKey = cards.length || document.getElementById("final") ? submissionKeys(cards) : queueKeys(rows);
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      if (typing(ev.target)) {
        if (ev.key === "Escape") {
          ev.target.blur();
          var current = document.querySelector(".current");
          if (current) { current.focus({ preventScroll: true }); }
        }
        return;
      }
      var key = ev.key.toLowerCase();
      if (key === "n") {
        var next = document.querySelector("[data-key-next]");
        if (next) { location.href = next.href; ev.preventDefault(); }
        return;
      }
      if (onKey(key)) { ev.preventDefault(); }
    });
  });
}());
