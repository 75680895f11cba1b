// The screening asset page: live progress while a run is queued or running, and media revealed on request.
"use strict";
(function () {
  var panel = document.querySelector("[data-screening-progress]");
  if (panel && panel.getAttribute("data-live") === "1") {
    var url = panel.getAttribute("data-screening-progress");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          data.stages.forEach(function (stage) {
            var row = panel.querySelector('[data-stage="' + stage.name + '"]');
            if (!row) { return; }
            row.querySelector("[data-stage-progress]").value = stage.progress;
            row.querySelector("[data-stage-status]").textContent = stage.status;
            if (stage.seconds !== null) {
              row.querySelector("[data-stage-seconds]").textContent = stage.seconds.toFixed(2) + " s";
            }
          });
          var status = panel.querySelector("[data-run-status]");
          if (status) { status.textContent = data.status; }
          if (data.live) { window.setTimeout(poll, 1500); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }
  document.querySelectorAll("[data-reveal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var media = button.closest("section").querySelector("[data-blurred]");
      var shown = media.classList.toggle("is-blurred") === false;
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
  });
})();
