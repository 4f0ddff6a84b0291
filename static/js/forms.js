/* Forms (issue 17): the GOV.UK error summary takes focus after a failed submit and its links
   move focus to the field in trouble; follow-up questions show only when they apply.
   A static file, as the CSP allows no inline script; without it every question shows. */
(function () {
  "use strict";

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) {
      return fieldset.querySelector("legend");
    }
    return document.querySelector('label[for="' + input.id + '"]') || input;
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      // Show the question with its label or legend, as GOV.UK does, not just the box.
      labelFor(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  /* A follow-up question names the answer it follows: data-show-if="assignment=hand". Its
     block stays visible while it has an error, so a message is never hidden. */
  function controlValues(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (control) {
      if ((control.type === "radio" || control.type === "checkbox") && !control.checked) { return; }
      values.push(control.value);
    });
    return values;
  }

  function applyShowIf(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (input) {
      var rule = input.getAttribute("data-show-if").split("=");
      var wanted = rule[1] === "*" ? null : rule[1].split("|");
      var values = controlValues(form, rule[0]).filter(function (value) { return value !== ""; });
      var applies = wanted ? values.some(function (v) { return wanted.indexOf(v) !== -1; }) : values.length > 0;
      var block = input.closest(".field-group, .mb-3") || input;
      var hasError = block.querySelector(".field-error-message") !== null;
      block.hidden = !applies && !hasError;
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-show-if]")) { return; }
    applyShowIf(form);
    form.addEventListener("change", function () { applyShowIf(form); });
  });
})();
