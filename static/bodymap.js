// The selection map (templates/_bodymap.html). Every shape big enough to be a target becomes a checkbox
// (mouse, touch, Tab + Space or Enter); it mirrors the checkbox list folded below the map, which is what the
// form submits, so the choice always ends up in the URL (/locate?region=ID:side) and can be shared.
// Buttons switch between the whole body and the detail views; on a narrow screen, between front and back.
// The panel beside the map lists what is chosen, each with a button to remove it; on a phone the panel is a
// bar at the bottom of the screen, and its list opens upwards from the bar's "Your places" button.
(function () {
  "use strict";
  var form = document.querySelector(".locate-form");
  if (!form) return;
  var area = form.querySelector(".map-area");
  var tip = form.querySelector(".map-tip");
  var status = form.querySelector(".selected-now");
  var list = form.querySelector(".chosen");
  var submit = form.querySelector(".show-muscles");
  var panel = form.querySelector(".map-panel");
  var toggleList = form.querySelector(".panel-toggle");
  var shapes = Array.prototype.slice.call(form.querySelectorAll(".map-figure .region"));
  var targets = shapes.filter(function (s) { return !s.classList.contains("small"); });

  function box(key) {
    return form.querySelector('input[name="region"][value="' + key + '"]');
  }
  function groupOf(element) {
    return element.closest(".map-group");
  }
  function groupTitle(group) {
    return form.querySelector('.map-tab[data-group="' + group.dataset.group + '"]').textContent.trim();
  }
  // Where a shape too small to be a target here can be chosen: the first view that offers it.
  function offeredIn(key) {
    return targets.filter(function (s) { return s.dataset.key === key; })[0] || null;
  }

  function refresh() {
    shapes.forEach(function (shape) {
      var input = box(shape.dataset.key);
      var on = !!(input && input.checked);
      shape.classList.toggle("selected", on);
      if (!shape.classList.contains("small")) shape.setAttribute("aria-checked", on ? "true" : "false");
    });
    list.textContent = "";
    var ticked = form.querySelectorAll('input[name="region"]:checked');
    ticked.forEach(function (input) {
      var shape = shapes.filter(function (s) { return s.dataset.key === input.value; })[0];
      var name = shape ? shape.dataset.label : input.parentNode.textContent.trim();
      var item = document.createElement("li");
      var remove = document.createElement("button");
      item.appendChild(document.createTextNode(name + " "));
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + name);
      remove.dataset.key = input.value;
      item.appendChild(remove);
      list.appendChild(item);
    });
    status.textContent = ticked.length === 0 ? "Nothing chosen yet."
      : ticked.length === 1 ? "1 place chosen." : ticked.length + " places chosen.";
    toggleList.textContent = "Your places (" + ticked.length + ")";
  }
  function toggle(key) {
    var input = box(key);
    if (input) input.checked = !input.checked;
    refresh();
  }

  function showTip(shape) {
    var text = shape.dataset.label;
    if (shape.classList.contains("small")) {
      var there = offeredIn(shape.dataset.key);
      text += there ? ": choose it in “" + groupTitle(groupOf(there)) + "”" : ": choose it in the list below";
    }
    tip.textContent = text;
    tip.hidden = false;
    var rect = shape.getBoundingClientRect(), frame = area.getBoundingClientRect();
    var half = tip.offsetWidth / 2;  // keep the whole label inside the map
    var middle = Math.min(Math.max(rect.left + rect.width / 2 - frame.left, half), frame.width - half);
    tip.style.left = Math.round(middle) + "px";
    tip.style.top = Math.round(rect.top - frame.top) + "px";
  }
  function hideTip() {
    tip.hidden = true;
  }

  function showGroup(id) {
    form.querySelectorAll(".map-group").forEach(function (group) {
      group.hidden = group.dataset.group !== id;
    });
    form.querySelectorAll(".map-tab").forEach(function (tab) {
      tab.setAttribute("aria-pressed", tab.dataset.group === id ? "true" : "false");
    });
    hideTip();
  }
  function showView(group, view) {
    group.querySelectorAll(".map-view").forEach(function (figure) {
      figure.classList.toggle("shown", figure.dataset.view === view);
    });
    group.querySelectorAll(".map-flip button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
    });
  }

  targets.forEach(function (shape) {
    shape.setAttribute("role", "checkbox");
    shape.setAttribute("tabindex", "0");
    shape.setAttribute("aria-label", shape.dataset.label);
    shape.addEventListener("click", function () { toggle(shape.dataset.key); showTip(shape); });
    shape.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle(shape.dataset.key);
      }
    });
    shape.addEventListener("focus", function () { showTip(shape); });
    shape.addEventListener("blur", hideTip);
  });
  shapes.forEach(function (shape) {
    shape.addEventListener("pointerenter", function () { showTip(shape); });
    shape.addEventListener("pointerleave", hideTip);
  });
  // A click on a shape too small to choose here opens the view where it can be chosen.
  shapes.filter(function (s) { return s.classList.contains("small"); }).forEach(function (shape) {
    shape.addEventListener("click", function () {
      var there = offeredIn(shape.dataset.key);
      if (!there) return;
      var group = groupOf(there);
      showGroup(group.dataset.group);
      showView(group, there.closest(".map-view").dataset.view);
      group.scrollIntoView({block: "nearest"});
      there.focus();
    });
  });
  form.querySelectorAll(".map-tab").forEach(function (tab) {
    tab.addEventListener("click", function () { showGroup(tab.dataset.group); });
  });
  form.querySelectorAll(".map-flip button").forEach(function (button) {
    button.addEventListener("click", function () { showView(groupOf(button), button.dataset.view); });
  });
  list.addEventListener("click", function (event) {
    var remove = event.target.closest("button.remove");
    if (!remove) return;
    var buttons = Array.prototype.slice.call(list.querySelectorAll("button.remove"));
    var index = buttons.indexOf(remove);
    toggle(remove.dataset.key);
    var left = list.querySelectorAll("button.remove");
    (left[Math.min(index, left.length - 1)] || submit).focus();
  });
  toggleList.addEventListener("click", function () {
    var open = toggleList.getAttribute("aria-expanded") !== "true";
    toggleList.setAttribute("aria-expanded", open ? "true" : "false");
    panel.classList.toggle("open", open);
  });
  form.addEventListener("change", refresh);
  refresh();
})();
