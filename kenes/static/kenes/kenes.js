// Kenes page behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // The language switcher submits itself when a language is chosen.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // The navigation folds into a menu button on narrow screens.
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    // Navigation groups: one open at a time; Escape or a click elsewhere closes them.
    var groups = document.querySelectorAll("details[data-nav-group]");
    var closeGroups = function (except) {
      groups.forEach(function (group) { if (group !== except) { group.open = false; } });
    };
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) { closeGroups(group); } });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && group.open) {
          group.open = false;
          group.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("details[data-nav-group]")) { closeGroups(null); }
    });

    // Copy buttons (API token, recovery codes).
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (target && navigator.clipboard) { navigator.clipboard.writeText(target.textContent.trim()); }
      });
    });
  });

  // Buttons that ask before they act; one listener on the document, so a button that htmx swapped in
  // (a run's progress, an agenda) asks as well.
  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // htmx sends Django's CSRF token on every unsafe request.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = document.body.getAttribute("data-csrf-token");
  });
})();
