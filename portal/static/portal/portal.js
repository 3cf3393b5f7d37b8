// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // A button that starts slow work (verification) says so and is not pressed twice.
  document.querySelectorAll("button[data-busy]").forEach(function (button) {
    var form = button.form;
    if (!form) return;
    form.addEventListener("submit", function () {
      button.setAttribute("aria-busy", "true");
      button.textContent = button.getAttribute("data-busy");
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
  // Ask before rejecting a job.
  document.querySelectorAll(".decide-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.value === "reject" && !window.confirm("Reject this job?")) {
        event.preventDefault();
      }
    });
  });
})();
