/* Review console pages (docs/console.md, "Review console"). Static file, strict-CSP ready.
   My queues: n next item · a next appeal. Item page: 1–5 action · c clause · t territories · w note ·
   d decide · e escalate · s skip · R release · Ctrl+Enter submits the form being typed in · Esc leaves
   a field. Mark in/out on the player adds a range to the evidence; heartbeat every minute. */
(function () {
  "use strict";
  var HEARTBEAT_MS = 60000;
  function $(selector) { return document.querySelector(selector); }
  function isTyping(t) {
    return Boolean(t && t.closest && t.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }
  function submit(form) { if (form) { if (form.requestSubmit) form.requestSubmit(); else form.submit(); } }
  function focus(el) { if (el) { el.focus(); if (el.select && el.tagName === "INPUT" && el.type === "text") el.select(); } }
  function token() { var t = $("[name=csrfmiddlewaretoken]"); return t ? t.value : ""; }

  var decision = $("[data-decision-form]"), appeal = $("[data-appeal-form]");
  var KEYS = {
    n: function () { submit($("[data-next-form]")); },
    a: function () { var b = $("[data-next-appeal]"); if (b) b.click(); },
    c: function () { focus($("[data-clause]")); },
    t: function () { focus($("[data-territories] input")); },
    w: function () { focus($("[data-note]")); },
    d: function () { submit(appeal || decision); },
    e: function () { focus($("[data-escalate-reason]")); },
    s: function () { focus($("[data-skip-reason]")); },
    R: function () { submit($("[data-release-form]")); }
  };
  document.addEventListener("keydown", function (e) {
    if (e.isComposing || e.defaultPrevented) return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.form) { e.preventDefault(); submit(e.target.form); return; }
    if (e.key === "Escape" && isTyping(e.target)) { e.target.blur(); return; }
    if (e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target) || $("dialog[open]")) return;
    if (/^[1-9]$/.test(e.key)) {
      var radio = $("[data-action-key='" + e.key + "']") || $("[data-outcome-key='" + e.key + "']");
      if (radio) { e.preventDefault(); radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
      return;
    }
    var run = KEYS[e.key];
    if (run) { e.preventDefault(); run(); }
  });

  // Clause: show the selected clause's policy text; the escalation cites it too.
  var clause = $("[data-clause]");
  function showClause() {
    var id = clause ? clause.value : "";
    document.querySelectorAll("[data-clause-text]").forEach(function (el) { el.hidden = el.dataset.clauseText !== id; });
    var esc = $("[data-escalate-clause]");
    if (esc && id) esc.value = id;
  }
  if (clause) { clause.addEventListener("change", showClause); showClause(); }

  // Marks: each complete in/out range is appended to the evidence ranges field.
  var ranges = $("[data-ranges]");
  document.addEventListener("shinsa:player-mark", function (e) {
    var r = e.detail.range, p = window.ShinsaPlayer && window.ShinsaPlayer.active();
    if (!r || !ranges || !p) return;
    var text = window.ShinsaPlayer.clock(r.start) + "–" + window.ShinsaPlayer.clock(r.end);
    var parts = ranges.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    if (parts.indexOf(text) < 0) parts.push(text);
    ranges.value = parts.join(", ");
    p.marks["in"] = null; p.marks.out = null; p.drawRange();
  });

  // Subtitle cues seek the player.
  document.addEventListener("click", function (e) {
    var cue = e.target.closest("[data-seek]");
    var p = window.ShinsaPlayer && window.ShinsaPlayer.active();
    if (cue && p) p.seek(Number(cue.dataset.seek));
    var art = e.target.closest("[data-artwork-reveal]");
    if (art) { art.closest("[data-artwork]").classList.remove("artwork--treated"); art.remove(); }
  });

  // Exposure: the endpoint says when the daily budget is reached; suggest a break.
  document.addEventListener("shinsa:player-exposure", function (e) {
    var result = e.detail.result, banner = $("[data-break-banner]");
    if (result && result.budget_reached && banner) banner.hidden = false;
  });

  // Heartbeat: keep the claim's lease while the page is open.
  var beat = $("[data-heartbeat-url]");
  if (beat) {
    window.setInterval(function () {
      fetch(beat.dataset.heartbeatUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token() } });
    }, HEARTBEAT_MS);
  }
})();
