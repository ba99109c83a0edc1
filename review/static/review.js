// Progressive enhancement only: every action works without this file.
// Hovering a field row or a box flashes the matching evidence box.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".finding").forEach(function (card) {
    var boxes = card.querySelectorAll(".box");
    card.querySelectorAll(".fields tbody tr").forEach(function (row) {
      row.addEventListener("mouseenter", function () { boxes.forEach(function (b) { b.classList.add("pulse"); }); });
      row.addEventListener("mouseleave", function () { boxes.forEach(function (b) { b.classList.remove("pulse"); }); });
    });
  });
});

// A page image that cannot be shown (file moved or changed) gives way to a plain placeholder.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".page-frame img").forEach(function (img) {
    function fail() {
      var svg = img.parentNode.querySelector("svg.overlay");
      img.parentNode.classList.add("missing");
      img.remove();
      if (svg) { svg.classList.remove("overlay"); svg.classList.add("placeholder", "unavailable"); }
    }
    if (img.complete && img.naturalWidth === 0) { fail(); } else { img.addEventListener("error", fail); }
  });
});
