/* Shinsa console keyboard shortcuts. Loaded as a static file (no inline scripts, ready for a strict CSP).
   ?      show the shortcut list          g h   go to Home
   /      focus the page's search field   g c   go to Catalog
   The URLs come from data attributes on the #shortcuts dialog, so nothing here knows the routes. */
(function () {
  "use strict";

  var SEQUENCE_TIMEOUT_MS = 1500;
  var dialog = document.getElementById("shortcuts");
  var pendingG = false;
  var pendingTimer = null;

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function openShortcuts() {
    if (dialog && !dialog.open) dialog.showModal();
  }

  function go(name) {
    var url = dialog && dialog.dataset[name + "Url"];
    if (url) window.location.assign(url);
  }

  function focusSearch() {
    // The page's own search (catalog list) wins over the header's.
    var field = document.querySelector("[data-search='page']") || document.querySelector("[data-search]");
    if (!field) return false;
    field.focus();
    if (field.select) field.select();
    return true;
  }

  function clearPending() {
    pendingG = false;
    if (pendingTimer) window.clearTimeout(pendingTimer);
    pendingTimer = null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isTyping(event.target) || (dialog && dialog.open)) return;

    if (pendingG) {
      var key = event.key.toLowerCase();
      clearPending();
      if (key === "h") { event.preventDefault(); go("home"); return; }
      if (key === "c") { event.preventDefault(); go("catalog"); return; }
    }
    if (event.key === "?") { event.preventDefault(); openShortcuts(); return; }
    if (event.key === "/") { if (focusSearch()) event.preventDefault(); return; }
    if (event.key === "g" && !event.shiftKey) {
      pendingG = true;
      pendingTimer = window.setTimeout(clearPending, SEQUENCE_TIMEOUT_MS);
    }
  });

  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.addEventListener("click", openShortcuts);
  });
})();
