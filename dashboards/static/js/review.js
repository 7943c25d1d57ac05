// The reviewers' pages: keyboard shortcuts, revealing blurred text, evidence toggles and the
// "reason required" check. A file rather than inline script, which the Content-Security-Policy
// forbids; everything it needs is in data-* attributes.
//
// Shortcuts: every element with data-key="x" is clicked when x is pressed (a decision button submits
// the form, a category checkbox toggles, a next/previous link navigates, a reveal button reveals).
// They are ignored while typing in an input, textarea or select, and with Ctrl, Alt or Meta held.
(function () {
  "use strict";

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) >= 0);
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) {
      return;
    }
    var wanted = event.key.length === 1 ? event.key.toLowerCase() : "";
    var target = Array.prototype.find.call(document.querySelectorAll("[data-key]"), function (element) {
      return element.dataset.key === wanted && !element.disabled && !element.closest("fieldset[disabled]");
    });
    if (target) {
      event.preventDefault();
      target.click();
    }
  }

  function reveal(name) {
    document.querySelectorAll("[data-sensitive]").forEach(function (element) {
      if (element.dataset.sensitive === name) {
        element.classList.remove("blurred");
      }
    });
    document.querySelectorAll("[data-reveal]").forEach(function (button) {
      if (button.dataset.reveal === name) {
        button.hidden = true;
      }
    });
  }

  function checkedValues(selector, attribute) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), function (box) {
      return box.checked;
    }).map(function (box) { return box.dataset[attribute]; });
  }

  function updateHighlights() {
    var categories = checkedValues("[data-toggle-category]", "toggleCategory");
    var layers = checkedValues("[data-toggle-layer]", "toggleLayer");
    document.querySelectorAll(".doc-text mark.ev").forEach(function (mark) {
      var shown = mark.dataset.categories.split(" ").some(function (c) { return categories.indexOf(c) >= 0; }) &&
        mark.dataset.layers.split(" ").some(function (l) { return layers.indexOf(l) >= 0; });
      mark.classList.toggle("ev-muted", !shown);
    });
  }

  function needsReason(form, button) {
    if (button.hasAttribute("data-needs-reason")) {
      return true;
    }
    if (button.value !== "confirm" || !form.hasAttribute("data-relabel-needs-reason")) {
      return false;
    }
    return Array.prototype.some.call(form.querySelectorAll("input[name=categories]"), function (box) {
      return box.checked !== box.hasAttribute("data-model-label");
    });
  }

  function onSubmit(event) {
    var form = event.target;
    var button = event.submitter;
    if (form.id !== "decision-form" || !button) {
      return;
    }
    var note = form.querySelector("textarea[name=note]");
    if (needsReason(form, button) && !note.value.trim()) {
      event.preventDefault();
      form.querySelector("[data-reason-message]").hidden = false;
      note.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("keydown", onKey);
    document.addEventListener("submit", onSubmit);
    document.querySelectorAll("[data-reveal]").forEach(function (button) {
      button.addEventListener("click", function () { reveal(button.dataset.reveal); });
    });
    document.querySelectorAll("[data-toggle-category], [data-toggle-layer]").forEach(function (box) {
      box.addEventListener("change", updateHighlights);
    });
  });
})();
