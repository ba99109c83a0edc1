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
