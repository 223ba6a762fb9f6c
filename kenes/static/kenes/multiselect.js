// Progressive enhancement of the fields of a form (no inline scripts: the Content-Security-Policy forbids them).
// Without JavaScript every field is the plain control it is rendered as, and the server ignores what it hides.
//
// <select multiple data-multiselect>: a filter box above the list hides the options that do not hold every
//   word typed (in the short name shown or in the full name of the title); a click picks or drops an option
//   without Ctrl; a line under the list names what is picked, also when the filter hides it.
// [data-show-when='{"field": ["value", ...], ...}']: the field (its .field wrapper) shows only while every
//   named field of its form has one of the listed values.
(function () {
  "use strict";

  function words(text) {
    return (text || "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }

  function enhanceMultiselect(select) {
    var label = select.getAttribute("data-filter-label") || "";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "multiselect-filter";
    filter.placeholder = label;
    filter.setAttribute("aria-label", label);
    if (select.id) { filter.id = select.id + "-filter"; filter.setAttribute("aria-controls", select.id); }
    select.parentNode.insertBefore(filter, select);

    var picked = document.createElement("p");
    picked.className = "multiselect-picked muted";
    picked.setAttribute("aria-live", "polite");
    if (select.id) { picked.id = select.id + "-picked"; }
    select.parentNode.insertBefore(picked, select.nextSibling);

    function showPicked() {
      var names = Array.prototype.filter.call(select.options, function (option) { return option.selected; })
        .map(function (option) { return option.textContent.trim(); });
      picked.textContent = names.length ? (select.getAttribute("data-picked-label") || "") + ": " + names.join("; ") : "";
    }

    filter.addEventListener("input", function () {
      var wanted = words(filter.value);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = (option.textContent + " " + (option.title || "")).toLocaleLowerCase();
        option.hidden = !wanted.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
    // Enter in the filter must not send the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    select.addEventListener("mousedown", function (event) {
      var option = event.target;
      if (!option || option.tagName !== "OPTION" || option.disabled) { return; }
      event.preventDefault();
      option.selected = !option.selected;
      select.focus();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", showPicked);

    var field = select.closest(".field");
    var help = field && field.querySelector(".helptext");
    if (help && select.getAttribute("data-help")) { help.textContent = select.getAttribute("data-help"); }
    showPicked();
  }

  function applyConditions(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (element) {
      var conditions;
      try { conditions = JSON.parse(element.getAttribute("data-show-when")); } catch (error) { return; }
      var show = Object.keys(conditions).every(function (name) {
        var control = form.elements.namedItem(name);
        return !control || conditions[name].indexOf(control.value) !== -1;
      });
      (element.closest(".field") || element).hidden = !show;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[multiple][data-multiselect]").forEach(enhanceMultiselect);
    var forms = [];
    document.querySelectorAll("[data-show-when]").forEach(function (element) {
      if (element.form && forms.indexOf(element.form) === -1) { forms.push(element.form); }
    });
    forms.forEach(function (form) {
      applyConditions(form);
      form.addEventListener("change", function () { applyConditions(form); });
    });
  });
})();
