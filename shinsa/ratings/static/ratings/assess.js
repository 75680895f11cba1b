/* Assessment player marks (a static file: no inline script, ready for a strict CSP).
   i  mark in: the player's current time fills the new finding's start (ms)
   o  mark out: fills its end (ms)
   f  marks the evidence frame
   Ignored while typing in a field, while composing with an input method, or with Ctrl/Alt/Meta. */
(function () {
  "use strict";

  var player = document.querySelector("video[data-player]");
  var form = document.querySelector("[data-finding-form]");
  var status = document.querySelector("[data-marks]");
  if (!player || !form) return;

  var FIELDS = { i: "in", o: "out", f: "frame" };

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function clock(ms) {
    var total = Math.floor(ms / 1000);
    var pad = function (n, width) { return String(n).padStart(width, "0"); };
    return pad(Math.floor(total / 3600), 2) + ":" + pad(Math.floor(total / 60) % 60, 2) + ":" +
      pad(total % 60, 2) + "." + pad(ms % 1000, 3);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing || isTyping(event.target)) return;
    var mark = FIELDS[event.key];
    if (!mark) return;
    var field = form.querySelector("[data-mark='" + mark + "']");
    if (!field) return;
    var ms = Math.round(player.currentTime * 1000);
    field.value = String(ms);
    if (status) status.textContent = field.labels && field.labels[0] ? field.labels[0].textContent + " " + clock(ms) : clock(ms);
    event.preventDefault();
  });
})();
