// Body map: every region shape is a checkbox (mouse, touch, Tab + Space/Enter).
// The shapes mirror the no-JavaScript checkbox list below them, which is what the form submits,
// so the selection always ends up in the URL and the page can be shared, bookmarked and printed.
(function () {
  "use strict";
  var form = document.querySelector(".locate-form");
  if (!form) return;
  var shown = form.querySelector(".selected-now");

  function key(shape) {
    return shape.dataset.region + (shape.dataset.side ? ":" + shape.dataset.side : "");
  }
  function box(k) {
    return form.querySelector('input[name="region"][value="' + k + '"]');
  }
  function refresh() {
    var names = [];
    form.querySelectorAll(".bodymap .region").forEach(function (shape) {
      var input = box(key(shape));
      var on = !!(input && input.checked);
      shape.setAttribute("aria-checked", on ? "true" : "false");
      shape.classList.toggle("selected", on);
      if (on) names.push(shape.getAttribute("aria-label"));
    });
    shown.textContent = names.length ? "Selected: " + names.join(", ") : "Nothing selected yet.";
  }
  function toggle(shape) {
    var input = box(key(shape));
    if (input) input.checked = !input.checked;
    refresh();
  }
  form.querySelectorAll(".bodymap .region").forEach(function (shape) {
    shape.addEventListener("click", function () { toggle(shape); });
    shape.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle(shape);
      }
    });
  });
  form.addEventListener("change", refresh);
  refresh();
})();
