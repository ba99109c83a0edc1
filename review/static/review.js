// Progressive enhancement only: every action works without this file.
// A field row and its boxes share a data-key: clicking the row lights its box on the page (and
// scrolls to it), hovering a box lights its row. Page images zoom (buttons, Ctrl+wheel) and pan
// (drag) over the stored full-resolution image.
(function () {
  "use strict";

  function scopeOf(el) { return el.closest(".finding, .page-view") || document; }
  function withKey(scope, selector, key) {
    return Array.prototype.filter.call(scope.querySelectorAll(selector), function (el) {
      return key && el.getAttribute("data-key") === key;
    });
  }

  function activate(row) {
    var scope = scopeOf(row);
    var key = row.getAttribute("data-key");
    scope.querySelectorAll("rect.box.active").forEach(function (b) { b.classList.remove("active"); });
    scope.querySelectorAll("tr.selected").forEach(function (r) { r.classList.remove("selected"); });
    row.classList.add("selected");
    var boxes = withKey(scope, "rect.box", key);
    boxes.forEach(function (b) { b.classList.add("active"); });
    if (boxes.length) { boxes[0].scrollIntoView({ block: "center", inline: "center" }); }
  }

  function linkRowsAndBoxes() {
    document.querySelectorAll("tr[data-key]").forEach(function (row) {
      var key = row.getAttribute("data-key");
      row.addEventListener("click", function () { activate(row); });
      row.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); activate(row); }
      });
      row.addEventListener("mouseenter", function () {
        withKey(scopeOf(row), "rect.box", key).forEach(function (b) { b.classList.add("pulse"); });
      });
      row.addEventListener("mouseleave", function () {
        withKey(scopeOf(row), "rect.box", key).forEach(function (b) { b.classList.remove("pulse"); });
      });
    });
    document.querySelectorAll("rect.box[data-key]").forEach(function (box) {
      var key = box.getAttribute("data-key");
      box.addEventListener("mouseenter", function () {
        withKey(scopeOf(box), "tr[data-key]", key).forEach(function (r) { r.classList.add("lit"); });
      });
      box.addEventListener("mouseleave", function () {
        withKey(scopeOf(box), "tr[data-key]", key).forEach(function (r) { r.classList.remove("lit"); });
      });
    });
  }

  var STEP = 1.25;
  var MAX_ZOOM = 8;

  function zoomable(figure) {
    var viewport = figure.querySelector(".page-viewport");
    var frame = figure.querySelector(".page-frame");
    var img = frame && frame.querySelector("img");
    var bar = figure.querySelector(".zoom-bar");
    if (!viewport || !img || !bar) { return; }
    var zoom = 1;
    bar.hidden = false;

    function label() {
      var natural = img.naturalWidth || frame.clientWidth;
      bar.querySelector(".zoom-level").textContent = Math.round(100 * frame.clientWidth / natural) + "%";
    }
    function zoomTo(next, cx, cy) {
      next = Math.min(Math.max(next, 1), MAX_ZOOM);
      var x = cx === undefined ? viewport.clientWidth / 2 : cx;
      var y = cy === undefined ? viewport.clientHeight / 2 : cy;
      var fx = (viewport.scrollLeft + x) / frame.clientWidth;
      var fy = (viewport.scrollTop + y) / frame.clientHeight;
      zoom = next;
      frame.style.width = (zoom * 100) + "%";
      viewport.classList.toggle("zoomed", zoom > 1);
      viewport.scrollLeft = fx * frame.clientWidth - x;
      viewport.scrollTop = fy * frame.clientHeight - y;
      label();
    }
    bar.addEventListener("click", function (ev) {
      var how = ev.target.getAttribute && ev.target.getAttribute("data-zoom");
      if (how === "in") { zoomTo(zoom * STEP); }
      if (how === "out") { zoomTo(zoom / STEP); }
      if (how === "fit") { zoomTo(1); }
      if (how === "full") { zoomTo(img.naturalWidth / viewport.clientWidth); }
    });
    viewport.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey) { return; }
      ev.preventDefault();
      var r = viewport.getBoundingClientRect();
      zoomTo(ev.deltaY < 0 ? zoom * STEP : zoom / STEP, ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    var drag = null;
    viewport.addEventListener("pointerdown", function (ev) {
      if (zoom <= 1 || ev.button !== 0) { return; }
      drag = { x: ev.clientX, y: ev.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
      viewport.setPointerCapture(ev.pointerId);
      viewport.classList.add("panning");
    });
    viewport.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      viewport.scrollLeft = drag.left - (ev.clientX - drag.x);
      viewport.scrollTop = drag.top - (ev.clientY - drag.y);
    });
    function stop() { drag = null; viewport.classList.remove("panning"); }
    viewport.addEventListener("pointerup", stop);
    viewport.addEventListener("pointercancel", stop);
    if (img.complete) { label(); } else { img.addEventListener("load", label); }
    figure.zoomBy = function (factor) { zoomTo(factor === 0 ? 1 : zoom * factor); };
  }

  // A page image that cannot be shown (file moved or changed) gives way to a plain placeholder.
  function placeholders() {
    document.querySelectorAll(".page-frame img").forEach(function (img) {
      function fail() {
        var svg = img.parentNode.querySelector("svg.overlay");
        var bar = img.closest(".page-figure").querySelector(".zoom-bar");
        img.parentNode.classList.add("missing");
        img.remove();
        if (bar) { bar.hidden = true; }
        if (svg) { svg.classList.remove("overlay"); svg.classList.add("placeholder", "unavailable"); }
      }
      if (img.complete && img.naturalWidth === 0) { fail(); } else { img.addEventListener("error", fail); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    linkRowsAndBoxes();
    document.querySelectorAll(".page-figure").forEach(zoomable);
    placeholders();
  });
}());
