/* Review console pages (docs/console.md, "Review console"). Static file, strict-CSP ready.
   My queues: n next item · a next appeal. Item page: 1–5 action · c clause · t territories · w note ·
   d decide · e escalate · s skip · R release · u subtitle cues (arrows move) · p pick the focused cue as
   evidence · Ctrl+Enter submits the form being typed in · Esc leaves a field. Mark in/out on the player adds a range to the evidence; heartbeat every minute. Next item
   swaps the item page in without a new document (one request: the claim answers with the page). */
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

  var KEYS = {
    n: function () { submit($("[data-next-form]")); },
    a: function () { var b = $("[data-next-appeal]"); if (b) b.click(); },
    c: function () { focus($("[data-clause]")); },
    t: function () { focus($("[data-territories] input")); },
    w: function () { focus($("[data-note]")); },
    d: function () { submit($("[data-appeal-form]") || $("[data-decision-form]")); },
    e: function () { focus($("[data-escalate-reason]")); },
    s: function () { focus($("[data-skip-reason]")); },
    R: function () { submit($("[data-release-form]")); },
    u: function () { focusCueAtPlayhead(); },
    p: function (target) {
      if (target && target.matches && target.matches("[data-cue]")) toggleCue(target); else focusCueAtPlayhead();
    }
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
    if (e.target.matches && e.target.matches("[data-cue]") && CUE_MOVES[e.key]) {
      e.preventDefault(); CUE_MOVES[e.key](e.target); return;
    }
    var run = KEYS[e.key];
    if (run) { e.preventDefault(); run(e.target); }
  });

  // Subtitle cues as evidence: u goes to the cue at the playhead, arrows move (up/down in a language,
  // left/right to the other language at the same time), p adds the focused cue to the decision's
  // evidence list or, picked already, removes it. The list holds the form's hidden "cue" fields.
  function columnOf(button) { return button.closest("[data-cue-column]"); }
  function cuesIn(column) { return column ? Array.prototype.slice.call(column.querySelectorAll("[data-cue]")) : []; }
  function nearest(column, ms) {
    var found = null;
    cuesIn(column).forEach(function (b) { if (!found || Number(b.dataset.seek) <= ms) found = b; });
    return found;
  }
  function focusCueAtPlayhead() {
    var p = window.ShinsaPlayer && window.ShinsaPlayer.active();
    var cue = nearest($("[data-cue-column]"), p ? p.now() : 0);
    if (cue) { cue.focus(); cue.scrollIntoView({ block: "nearest" }); }
  }
  function step(button, by) {
    var cues = cuesIn(columnOf(button)), next = cues[cues.indexOf(button) + by];
    if (next) { next.focus(); next.scrollIntoView({ block: "nearest" }); }
  }
  function otherColumn(button, by) {
    var columns = Array.prototype.slice.call(document.querySelectorAll("[data-cue-column]"));
    var cue = nearest(columns[columns.indexOf(columnOf(button)) + by], Number(button.dataset.seek));
    if (cue) { cue.focus(); cue.scrollIntoView({ block: "nearest" }); }
  }
  var CUE_MOVES = {
    ArrowDown: function (b) { step(b, 1); }, ArrowUp: function (b) { step(b, -1); },
    ArrowRight: function (b) { otherColumn(b, 1); }, ArrowLeft: function (b) { otherColumn(b, -1); }
  };
  function pickedInput(value) {
    var found = null;
    document.querySelectorAll("[data-cue-list] input[name=cue]").forEach(function (i) { if (i.value === value) found = i; });
    return found;
  }
  function showPicked(value, on) {
    document.querySelectorAll("[data-cue]").forEach(function (b) {
      if (b.dataset.cue !== value) return;
      b.classList.toggle("cue--picked", on);
      b.querySelector("[data-cue-picked]").hidden = !on;
    });
    var list = $("[data-cue-list]"), none = $("[data-cue-none]");
    if (list && none) none.hidden = list.children.length > 0;
  }
  function unpick(value) {
    var input = pickedInput(value);
    if (input) input.closest("[data-cue-item]").remove();
    showPicked(value, false);
  }
  function toggleCue(button) {
    var value = button.dataset.cue, list = $("[data-cue-list]"), template = $("[data-cue-template]");
    if (!list || !template) return;
    if (pickedInput(value)) { unpick(value); return; }
    var item = template.content.querySelector("[data-cue-item]").cloneNode(true);
    item.querySelector("input[name=cue]").value = value;
    item.querySelector("[data-cue-item-label]").textContent = button.dataset.cueLabel;
    item.querySelector("[data-cue-item-text]").textContent = button.dataset.cueText;
    list.appendChild(item);
    showPicked(value, true);
  }
  document.addEventListener("click", function (e) {
    var remove = e.target.closest("[data-cue-remove]");
    if (!remove) return;
    var item = remove.closest("[data-cue-item]"), next = item.nextElementSibling || item.previousElementSibling;
    unpick(item.querySelector("input[name=cue]").value);
    focus(next ? next.querySelector("[data-cue-remove]") : $("[data-cue]"));
  });

  // Clause: show the selected clause's policy text; the escalation cites it too.
  function showClause() {
    var clause = $("[data-clause]"), id = clause ? clause.value : "";
    document.querySelectorAll("[data-clause-text]").forEach(function (el) { el.hidden = el.dataset.clauseText !== id; });
    var esc = $("[data-escalate-clause]");
    if (esc && id) esc.value = id;
  }
  document.addEventListener("change", function (e) { if (e.target.matches("[data-clause]")) showClause(); });

  // Marks: each complete in/out range is appended to the evidence ranges field.
  document.addEventListener("shinsa:player-mark", function (e) {
    var r = e.detail.range, p = window.ShinsaPlayer && window.ShinsaPlayer.active(), ranges = $("[data-ranges]");
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

  // Heartbeat: keep the claim's lease while the item is open.
  var heartbeat = null;
  function keepLease() {
    var beat = $("[data-heartbeat-url]");
    if (heartbeat) window.clearInterval(heartbeat);
    heartbeat = beat ? window.setInterval(function () {
      fetch(beat.dataset.heartbeatUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token() } });
    }, HEARTBEAT_MS) : null;
  }

  // What an item page needs once its content is in the document (on load, and after a swap).
  function setUp() {
    showClause();
    document.querySelectorAll("[data-cue-list] input[name=cue]").forEach(function (i) { showPicked(i.value, true); });
    keepLease();
    document.querySelectorAll("[data-player-root]").forEach(function (root) {
      if (window.ShinsaPlayer) window.ShinsaPlayer.get(root);
    });
  }

  // Next item without a new document: the server claims and answers with the item page itself
  // (X-Shinsa-Swap carries its URL); its <main> replaces this one and the address becomes the item's.
  // One request per press: a press while one is on its way claims nothing more. Anything else than
  // an item page (nothing left: a redirect with a message) is shown by a normal page load.
  var SWAP = "X-Shinsa-Swap", swapping = false, shown = window.location.pathname;
  function showItem(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html"), main = doc.getElementById("main");
    var here = document.getElementById("main");
    if (!main || !here) { window.location.assign(url); return; }
    history.pushState({ swapped: true }, "", url);
    shown = window.location.pathname;
    document.title = doc.title;
    here.replaceChildren.apply(here, Array.prototype.slice.call(document.adoptNode(main).childNodes));
    window.scrollTo(0, 0);
    here.focus({ preventScroll: true });
    setUp();
  }
  function swapNext(form) {
    if (swapping) return;
    swapping = true;
    var headers = { "X-CSRFToken": token() };
    headers[SWAP] = "1";
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual", headers: headers })
      .then(function (r) {
        if (r.type === "opaqueredirect") { window.location.assign(window.location.pathname); return null; }
        var url = r.headers.get(SWAP);
        if (!r.ok || !url) { form.submit(); return null; }  // the server's own answer, as without script
        return r.text().then(function (html) { showItem(html, url); });
      })
      .catch(function () { window.location.reload(); })
      .then(function () { swapping = false; });
  }
  if (window.fetch && window.DOMParser && history.pushState) {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form.matches("[data-swap]") || e.defaultPrevented) return;
      e.preventDefault();
      swapNext(form);
    });
    // Back from a swapped item: show the page its address names.
    window.addEventListener("popstate", function () { if (window.location.pathname !== shown) window.location.reload(); });
  }

  setUp();
})();
