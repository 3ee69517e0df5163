// Muscle picker: a filter box over the plan form's muscle checkboxes, grouped by body area.
// Without JavaScript the grouped checkbox list works as it is; this only adds the box, which narrows
// the list as you type (name or alias), opens the areas that match, and says how many match.
// Enter in the box moves to the first match instead of submitting the form.
(function () {
  "use strict";
  var picker = document.querySelector(".muscle-picker");
  if (!picker) return;
  var filter = picker.querySelector("#muscle-filter");
  var status = picker.querySelector("#muscle-filter-status");
  var areas = Array.prototype.slice.call(picker.querySelectorAll(".picker-area"));
  var openAtStart = areas.map(function (area) { return area.open; });
  picker.querySelector(".picker-filter").hidden = false;

  function matches(label, words) {
    var terms = label.dataset.terms;
    return words.every(function (word) { return terms.indexOf(word) !== -1; });
  }

  function apply() {
    var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var total = 0;
    areas.forEach(function (area, i) {
      var shown = 0;
      area.querySelectorAll("label[data-terms]").forEach(function (label) {
        var box = label.querySelector("input");
        var on = !words.length || matches(label, words) || box.checked;
        label.hidden = !on;
        if (on && words.length && !box.checked) shown += 1;
      });
      total += shown;
      area.hidden = words.length > 0 && shown === 0 && !area.querySelector("input:checked");
      area.open = words.length ? shown > 0 : openAtStart[i];
    });
    status.textContent = words.length ? (total === 1 ? "1 muscle matches" : total + " muscles match") : "";
  }

  filter.addEventListener("input", apply);
  filter.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var first = picker.querySelector(".picker-area:not([hidden]) label[data-terms]:not([hidden]) input:not(:checked)");
    if (first) first.focus();
  });
})();
