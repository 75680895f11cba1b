/* The labeling console's answer panel (docs/labeling.md). Uses the one player (shinsa/player.js) for
   marks and frame steps; keeps the labeler's own marks, autosaves them, submits. Strict-CSP ready.
   Keys (outside fields, no Ctrl/Alt/Meta): 1–9 add the marked range (or the selected cue text, or the
   answer) with that label; Backspace removes the last mark. */
(function () {
  "use strict";
  var root = document.querySelector("[data-labeling]");
  if (!root) return;
  var config = JSON.parse(root.dataset.config || "{}"), d = root.dataset;
  var labels = config.labels || [], classes = config.classes || [];
  var list = root.querySelector("[data-label-list]"), status = root.querySelector("[data-label-status]");
  var submitForm = root.querySelector("[data-submit-form]");
  var token = submitForm.querySelector("[name=csrfmiddlewaretoken]").value;
  var timer = null, pending = null, version = 0;

  function player() { return window.ShinsaPlayer ? window.ShinsaPlayer.active() : null; }
  function clock(ms) { return window.ShinsaPlayer ? window.ShinsaPlayer.clock(ms) : String(ms); }
  function nameOf(id) { for (var i = 0; i < classes.length; i++) if (classes[i].id === id) return classes[i].name; return id; }
  function say(text) { status.textContent = text; }

  function describe(mark) {
    if (mark.start_ms !== undefined && mark.start_ms !== null) return clock(mark.start_ms) + "–" + clock(mark.end_ms);
    if (mark.cue_index !== undefined && mark.cue_index !== null) {
      var cue = (config.cues || [])[mark.cue_index];
      return "#" + (mark.cue_index + 1) + " “" + (cue ? cue.text.slice(mark.text_start, mark.text_end) : "") + "”";
    }
    return "";
  }
  function button(text, onClick, label) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "button button--quiet"; b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }
  function nudge(mark, edge, frames) {
    var p = player();
    if (!p) return;
    var key = edge === "start" ? "start_ms" : "end_ms", k = p.frameAt(mark[key]) + frames;
    var value = p.frameStart(Math.max(0, k));
    if (edge === "start" && value >= mark.end_ms) return;
    if (edge === "end" && value <= mark.start_ms) return;
    mark[key] = value;
    changed();
  }
  function render() {
    list.textContent = "";
    if (!labels.length) { var li = document.createElement("li"); li.className = "empty-state"; li.textContent = d.textNone; list.appendChild(li); return; }
    labels.forEach(function (mark, index) {
      var li = document.createElement("li");
      li.dataset.labelItem = mark.label;
      var text = document.createElement("span");
      text.textContent = nameOf(mark.label) + " " + describe(mark);
      li.appendChild(text);
      if (mark.start_ms !== undefined && mark.start_ms !== null && config.kind === "segments") {
        li.appendChild(button("◀", function () { nudge(mark, "start", -1); }, d.textStart + " −1"));
        li.appendChild(button("▶", function () { nudge(mark, "start", 1); }, d.textStart + " +1"));
        li.appendChild(button("◀", function () { nudge(mark, "end", -1); }, d.textEnd + " −1"));
        li.appendChild(button("▶", function () { nudge(mark, "end", 1); }, d.textEnd + " +1"));
      }
      li.appendChild(button(d.textRemove, function () { labels.splice(index, 1); changed(); }));
      list.appendChild(li);
    });
  }
  function save() {
    timer = null;
    var mine = ++version;
    say(d.textSaving);
    pending = fetch(config.autosaveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ labels: labels })
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { say(d.textFailed + ": " + (res.body.errors || []).join(" ")); return false; }
        if (mine === version) { labels = res.body.labels; render(); say(d.textSaved); root.dataset.saved = String(labels.length); }
        return true;
      })
      .catch(function () { say(d.textFailed); return false; });
    return pending;
  }
  function changed() { render(); if (timer) window.clearTimeout(timer); timer = window.setTimeout(save, 400); }

  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    var range = sel.getRangeAt(0), cue = range.startContainer.parentElement && range.startContainer.parentElement.closest("[data-cue]");
    if (!cue || !cue.contains(range.endContainer)) return null;
    var a = Math.min(range.startOffset, range.endOffset), b = Math.max(range.startOffset, range.endOffset);
    if (range.startContainer !== range.endContainer) b = cue.textContent.length;
    return b > a ? { cue_index: Number(cue.dataset.cue), text_start: a, text_end: b } : null;
  }
  function add(id) {
    var p = player();
    if (config.kind === "classification") { labels = [{ label: id }]; changed(); return; }
    if (config.kind === "cue_spans") {
      var span = selectedSpan();
      if (!span) { say(d.textNeedText); return; }
      labels.push({ label: id, cue_index: span.cue_index, text_start: span.text_start, text_end: span.text_end });
      window.getSelection().removeAllRanges();
      changed(); return;
    }
    if (config.kind === "frame_boxes") {
      if (!p || p.marks.frame === null) { say(d.textNeedRange); return; }
      labels.push({ label: id, frame_ms: p.marks.frame, box: [0, 0, 1, 1] });
      changed(); return;
    }
    var r = p ? p.range() : null;
    if (!r) { say(d.textNeedRange); return; }
    labels.push({ label: id, start_ms: r.start, end_ms: r.end });
    p.clearMarks();
    changed();
  }

  var cues = root.querySelector("[data-label-cues]");
  (config.cues || []).forEach(function (cue) {
    var p = document.createElement("p");
    p.className = "label-cue";
    var time = document.createElement("span"); time.className = "secondary"; time.textContent = clock(cue.start_ms) + " ";
    var text = document.createElement("span"); text.dataset.cue = String(cue.index); text.textContent = cue.text;
    p.appendChild(time); p.appendChild(text); cues.appendChild(p);
  });
  root.querySelectorAll("[data-label-class]").forEach(function (b) {
    b.addEventListener("click", function () { add(b.dataset.labelClass); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    if (/^[1-9]$/.test(e.key) && classes[Number(e.key) - 1]) { e.preventDefault(); add(classes[Number(e.key) - 1].id); }
    else if (e.key === "Backspace" && labels.length) { e.preventDefault(); labels.pop(); changed(); }
  });
  submitForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (timer) { window.clearTimeout(timer); save(); }
    (pending || Promise.resolve(true)).then(function (ok) { if (ok !== false) submitForm.submit(); });
  });
  // Autosave also extends the claim's lease (10 minutes): keep it while the page is open.
  window.setInterval(function () { if (!timer && !document.hidden) save(); }, 4 * 60 * 1000);
  render();
})();
