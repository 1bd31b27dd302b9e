// hmip-inspect: keyboard capture on the case page, and htmx's CSRF header. No inline script
// anywhere (the Content-Security-Policy forbids it): this file and htmx.min.js only.
(function () {
  "use strict";
  var KEYS = { y: "yes", n: "no", "-": "-" };
  var focusNext = null;

  function questionForms() { return Array.prototype.slice.call(document.querySelectorAll("form.question")); }

  function firstInput(form) {
    return form.querySelector("input[type=radio]:checked:not([disabled])") ||
      form.querySelector("input:not([type=hidden]):not([disabled]), textarea:not([disabled]), select:not([disabled])");
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!target || !target.matches || !target.matches("form.question input[type=radio]")) return;
    var form = target.closest("form.question");
    var radios = form.querySelectorAll("input[type=radio]");
    var radio = null;
    if (/^[1-9]$/.test(event.key)) {
      radio = radios[Number(event.key) - 1] || null;     // 1, 2, 3...: the answers in order
    } else if (KEYS[event.key.toLowerCase()]) {
      radio = form.querySelector('input[type=radio][value="' + KEYS[event.key.toLowerCase()] + '"]');
    }
    if (!radio) return;
    event.preventDefault();
    var forms = questionForms();
    var index = forms.indexOf(form);
    focusNext = index + 1 < forms.length ? forms[index + 1].id : form.id;
    if (radio.checked) { restoreFocus(); return; }
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function restoreFocus() {
    if (!focusNext) return;
    var form = document.getElementById(focusNext);
    focusNext = null;
    // a question that no longer applies is gone: go to the next one still there
    var forms = questionForms();
    if (!form && forms.length) form = forms[forms.length - 1];
    while (form && form.querySelector("fieldset[disabled]")) {
      var i = forms.indexOf(form);
      form = i + 1 < forms.length ? forms[i + 1] : null;
    }
    var input = form && firstInput(form);
    if (input) input.focus();
  }

  // a save made otherwise (arrow keys, a click): the focus stays on that question
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!focusNext && elt && elt.id && elt.matches && elt.matches("form.question, form.attribute")) {
      focusNext = elt.id;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (focusNext) {
      var form = document.getElementById(focusNext);
      var saved = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
      // a refused save keeps the focus on the question refused
      var refused = document.querySelector("form.question.has-problem");
      if (refused && saved && refused.id === saved.id) focusNext = refused.id;
      restoreFocus();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });
})();
