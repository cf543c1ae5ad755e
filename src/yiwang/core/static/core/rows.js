// Repeatable rows of a Django formset (a group of an application form: family members, shareholders …).
// Markup: <fieldset data-rows data-max="N"> holding the formset's management form, a [data-rows-list]
// of rows, a <template data-rows-template> with the empty row (its names hold __prefix__) and a
// [data-rows-add] button. Adding a row copies the template with the next number and raises TOTAL_FORMS;
// the button is disabled at the maximum. Without JavaScript the rows drawn by the server are the rows.
(function () {
  "use strict";
  function total(set) {
    return set.querySelector('input[name$="-TOTAL_FORMS"]');
  }
  function refresh(set) {
    var button = set.querySelector("[data-rows-add]");
    var max = parseInt(set.getAttribute("data-max") || "0", 10);
    if (button && max) button.disabled = parseInt(total(set).value, 10) >= max;
  }
  function add(set) {
    var count = total(set);
    var n = parseInt(count.value, 10);
    var template = set.querySelector("template[data-rows-template]");
    var html = template.innerHTML.replace(/__prefix__/g, String(n)).replace(/__number__/g, String(n + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var list = set.querySelector("[data-rows-list]");
    while (holder.firstChild) list.appendChild(holder.firstChild);
    count.value = String(n + 1);
    refresh(set);
    var first = list.lastElementChild && list.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-rows-add]") : null;
    if (!button) return;
    var set = button.closest("[data-rows]");
    if (set) add(set);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(refresh);
  });
})();
