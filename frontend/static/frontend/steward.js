/* Feedback on forms, as a static file because the Content-Security-Policy allows no inline script.

   <form data-confirm="…">  (or data-confirm on the submit button): asks first; Cancel sends nothing.
                               With data-confirm-field="result" data-confirm-value="referred" it asks only when
                               that field holds that value.
   <form data-busy>          : on submit the button is disabled and shows a spinner, so a long action (calculate,
                               submit, approve, sign) is not sent twice and the person sees that it is running.
*/
(function () {
  "use strict";

  var BUSY = "stewardBusy";

  function submitterOf(event, form) {
    return event.submitter || form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
  }

  function showBusy(form, button) {
    form.setAttribute("aria-busy", "true");
    if (!button) return;
    // Disabled one tick later: a button disabled during the submit event would drop its name=value pair.
    window.setTimeout(function () {
      button.disabled = true;
      if (!button.querySelector(".spinner-border")) {
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm";
        spinner.setAttribute("aria-hidden", "true");
        spinner.setAttribute("data-steward-spinner", "");
        button.insertBefore(spinner, button.firstChild);
      }
      var status = form.querySelector("[data-steward-status]");
      if (!status) {
        status = document.createElement("span");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("data-steward-status", "");
        form.appendChild(status);
      }
      status.textContent = document.documentElement.lang === "en" ? "Working…" : "正在处理…";
    }, 0);
  }

  function reset(form) {
    delete form.dataset[BUSY];
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-steward-spinner]").forEach(function (spinner) {
      var button = spinner.parentNode;
      spinner.remove();
      button.disabled = false;
    });
    document.querySelectorAll("button[form='" + form.id + "'] [data-steward-spinner]").forEach(function (spinner) {
      var button = spinner.parentNode;
      spinner.remove();
      button.disabled = false;
    });
    form.querySelectorAll("[data-steward-status]").forEach(function (status) { status.remove(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var button = submitterOf(event, form);
    if (form.dataset[BUSY]) {  // already sent: a second click must not send it again
      event.preventDefault();
      return;
    }
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    var field = form.getAttribute("data-confirm-field");
    if (field && form.elements[field] && form.elements[field].value !== form.getAttribute("data-confirm-value")) {
      question = null;  // asks only for the irreversible choice (e.g. result = 移交执法)
    }
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-busy") || (button && button.hasAttribute("data-busy"))) {
      form.dataset[BUSY] = "1";
      showBusy(form, button);
    }
  });

  // Back/forward cache: a page shown again must not keep a disabled button.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[aria-busy=true]").forEach(reset);
  });
})();
