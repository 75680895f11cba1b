/* Shinsa's one media player and timeline (docs/console.md, "Player"). Static file, strict-CSP ready.
   Keys (outside fields, no Ctrl/Alt/Meta): k play/pause · , . frame back/forward · [ ] previous/next
   hit · j l 5 s back/forward · i o mark in/out · f mark frame · x clear marks · v reveal a step ·
   V treat again · m sound. API: ShinsaPlayer.get(idOrElement), ShinsaPlayer.active(). Events on the
   root (bubbling): shinsa:player-ready, shinsa:player-media, shinsa:player-mark, shinsa:player-reveal, shinsa:player-exposure. */
(function () {
  "use strict";
  var players = [], current = null, FLUSH_MS = 15000;

  function clock(ms) {
    ms = Math.max(0, Math.round(ms));
    var s = Math.floor(ms / 1000), p = function (n, w) { return String(n).padStart(w, "0"); };
    return p(Math.floor(s / 3600), 2) + ":" + p(Math.floor(s / 60) % 60, 2) + ":" + p(s % 60, 2) + "." + p(ms % 1000, 3);
  }
  function vttTime(text) {
    var parts = text.trim().split(":").map(parseFloat), s = 0;
    parts.forEach(function (v) { s = s * 60 + v; });
    return Math.round(s * 1000);
  }
  function isTyping(t) {
    return Boolean(t && t.closest && t.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function Player(root) {
    var self = this;
    this.root = root;
    this.config = JSON.parse(root.dataset.config || "{}");
    this.video = root.querySelector("[data-player-video]");
    this.bar = root.querySelector("[data-player-timeline]");
    this.head = root.querySelector("[data-player-head]");
    this.rangeEl = root.querySelector("[data-player-range]");
    this.thumb = root.querySelector("[data-player-thumb]");
    this.marks = { "in": null, out: null, frame: null };
    this.cues = [];
    var tl = this.config.timeline || {};
    this.times = tl.times || [];
    this.rate = tl.rate ? tl.rate[0] / tl.rate[1] : 0;
    this.start = tl.start || 0;
    this.frames = tl.frames || 0;
    this.duration = tl.duration || 0;
    var w = this.config.wellness || {};
    this.steps = w.steps || 0;
    this.step = 0;
    this.viewed = 0;
    this.since = null;
    this.applyTreatment();
    this.drawMarkers();
    if (this.config.spriteVtt) this.loadSprite();
    var v = this.video;
    if (v) {
      v.autoplay = false;
      v.addEventListener("timeupdate", function () { self.drawHead(); });
      v.addEventListener("seeked", function () { self.drawHead(); });
      v.addEventListener("loadedmetadata", function () {
        if (!self.duration && isFinite(v.duration)) self.duration = Math.round(v.duration * 1000);
        self.drawMarkers(); self.mediaReady();
      });
      v.addEventListener("error", function () { self.mediaReady(); });
      v.addEventListener("playing", function () { self.since = performance.now(); });
      ["pause", "ended"].forEach(function (n) { v.addEventListener(n, function () { self.stopClock(); self.flush(); }); });
      if (v.readyState >= 1) this.mediaReady();
    }
    // Ready as soon as the controls, timeline and keys work (the probed timeline needs no metadata);
    // the video's own metadata arrives after (mediaReady).
    this.ready();
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { self.stopClock(); self.flush(true); } else if (v && !v.paused) self.since = performance.now();
    });
    window.addEventListener("pagehide", function () { self.stopClock(); self.flush(true); });
    window.setInterval(function () { if (self.since !== null) { self.stopClock(); self.since = performance.now(); self.flush(); } }, FLUSH_MS);
    root.addEventListener("click", function (e) {
      var b = e.target.closest("[data-player-do]");
      if (b) { current = self; self[b.dataset.playerDo](); }
    });
    root.addEventListener("focusin", function () { current = self; });
    if (this.bar) {
      this.bar.addEventListener("click", function (e) { self.seek(self.at(e)); });
      this.bar.addEventListener("mousemove", function (e) { self.preview(self.at(e), e.offsetX); });
      this.bar.addEventListener("mouseleave", function () { if (self.thumb) self.thumb.hidden = true; });
      this.bar.addEventListener("keydown", function (e) {
        var d = { ArrowLeft: -1000, ArrowRight: 1000, Home: -Infinity, End: Infinity }[e.key];
        if (d === undefined) return;
        e.preventDefault();
        self.seek(Math.min(self.duration, Math.max(0, self.now() + d)));
        self.preview(self.now(), self.duration ? self.bar.clientWidth * self.now() / self.duration : 0);
      });
    }
  }

  Player.prototype = {
    emit: function (name, detail) {
      this.root.dispatchEvent(new CustomEvent("shinsa:player-" + name, { bubbles: true, detail: detail }));
    },
    ready: function () {
      if (this.root.dataset.ready) return;
      this.root.dataset.ready = "1";
      this.emit("ready", { player: this });
    },
    mediaReady: function () {
      if (this.root.dataset.media) return;
      this.root.dataset.media = "1";
      this.emit("media", { player: this });
    },
    now: function () { return this.video ? Math.round(this.video.currentTime * 1000) : 0; },
    status: function (text) { var s = this.root.querySelector("[data-player-status]"); if (s) s.textContent = text; },
    play: function () { if (this.video) return this.video.play().catch(function () {}); },
    pause: function () { if (this.video) this.video.pause(); },
    toggle: function () { if (this.video) { if (this.video.paused) this.play(); else this.pause(); } },
    seek: function (ms) {
      if (!this.video || !isFinite(ms)) return;
      this.video.currentTime = Math.max(0, ms) / 1000;
      this.drawHead(ms);
    },
    // Frame k's start time (ms), from the probed times, else the exact rate.
    frameStart: function (k) {
      if (this.times.length) return this.times[Math.max(0, Math.min(k, this.times.length - 1))];
      return this.rate ? this.start + Math.floor(k * 1000 / this.rate) : k * 40;
    },
    frameAt: function (ms) {
      if (this.times.length) {
        var lo = 0, hi = this.times.length - 1;
        while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (this.times[mid] <= ms) lo = mid; else hi = mid - 1; }
        return lo;
      }
      var r = this.rate || 25;
      return Math.max(0, Math.floor((ms - this.start + 0.5) * r / 1000 + 1e-6));
    },
    stepFrame: function (n) {
      this.pause();
      var k = Math.max(0, this.frameAt(this.now()) + n);
      if (this.frames) k = Math.min(k, this.frames - 1);
      // Seek a little into the frame so rounding never shows the previous one.
      var at = this.frameStart(k), next = this.frameStart(k + 1);
      this.seek(at + Math.min(1, Math.max(0, (next - at) / 2)));
    },
    prevFrame: function () { this.stepFrame(-1); },
    nextFrame: function () { this.stepFrame(1); },
    jump: function (d) { this.seek(this.now() + d); },
    nextHit: function () {
      var t = this.now() + 1, hits = this.config.hits || [];
      for (var i = 0; i < hits.length; i++) if (hits[i].start > t) { this.seek(hits[i].start); this.status(hits[i].label); return hits[i]; }
      return null;
    },
    prevHit: function () {
      var t = this.now() - 250, hits = this.config.hits || [];
      for (var i = hits.length - 1; i >= 0; i--) if (hits[i].start < t) { this.seek(hits[i].start); this.status(hits[i].label); return hits[i]; }
      return null;
    },
    mark: function (which) {
      // Marks snap to the start of the frame on screen; an out mark on the in frame takes the next one.
      var k = this.frameAt(this.now()), at = this.frameStart(k);
      if (which === "out" && this.marks["in"] !== null && at <= this.marks["in"]) at = Math.max(this.frameStart(k + 1), this.marks["in"] + 1);
      this.marks[which] = at;
      this.fill();
    },
    markIn: function () { this.mark("in"); },
    markOut: function () { this.mark("out"); },
    markFrame: function () { this.mark("frame"); },
    clearMarks: function () { this.marks = { "in": null, out: null, frame: null }; this.fill(); },
    range: function () {
      var m = this.marks;
      return m["in"] !== null && m.out !== null && m.out > m["in"] ? { start: m["in"], end: m.out } : null;
    },
    fill: function () {
      var d = this.root.dataset, m = this.marks, form = this.config.form ? document.querySelector(this.config.form) : null, parts = [];
      ["in", "out", "frame"].forEach(function (name) {
        var field = form && form.querySelector("[data-mark='" + name + "']");
        if (field) field.value = m[name] === null ? "" : String(m[name]);
        if (m[name] !== null) parts.push(d["text" + name[0].toUpperCase() + name.slice(1)] + " " + clock(m[name]));
      });
      this.status(parts.join(" · "));
      this.drawRange();
      this.emit("mark", { "in": m["in"], out: m.out, frame: m.frame, range: this.range() });
    },
    applyTreatment: function () {
      var w = this.config.wellness || {}, n = this.steps, s = this.step, v = this.video;
      if (!v) return;
      var filters = [], px = s === 0 ? 24 : s >= n - 1 ? 0 : Math.round(24 * (n - 1 - s) / (n - 1));
      // Blur fades first; greyscale goes at the last step; sound stays off until then.
      if (w.blur && s < n && px) filters.push("blur(" + px + "px)");
      if (w.greyscale && s < n) filters.push("grayscale(1)");
      v.style.filter = filters.join(" ");
      if (w.mute && s < n) v.muted = true;
      this.root.dataset.revealStep = String(s);
      var veil = this.root.querySelector("[data-player-veil]");
      if (veil) veil.hidden = s > 0;
    },
    reveal: function () {
      if (this.step >= this.steps) return;
      this.step += 1;
      this.applyTreatment();
      var d = this.root.dataset;
      this.status(this.step >= this.steps ? d.textRevealed : d.textStep + " " + this.step + "/" + this.steps);
      this.emit("reveal", { step: this.step, steps: this.steps });
    },
    treat: function () { this.step = 0; this.applyTreatment(); this.emit("reveal", { step: 0, steps: this.steps }); },
    toggleSound: function () {
      if (!this.video || (this.config.wellness.mute && this.step < this.steps)) return;
      this.video.muted = !this.video.muted;
    },
    stopClock: function () {
      if (this.since === null) return;
      this.viewed += performance.now() - this.since;
      this.since = null;
    },
    // POST viewing time (graphic media only) to the exposure endpoint, which calls do_record_exposure.
    flush: function (leaving) {
      var ms = Math.round(this.viewed), url = this.config.exposureUrl, self = this;
      if (!url || ms < 250) return;
      this.viewed = 0;
      var token = this.root.querySelector("[name=csrfmiddlewaretoken]");
      var body = new URLSearchParams({ viewed_ms: String(ms) });
      fetch(url, { method: "POST", body: body, keepalive: Boolean(leaving), credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { self.emit("exposure", { viewedMs: ms, result: data }); })
        .catch(function () {});
    },
    pct: function (ms) { return this.duration ? Math.min(100, Math.max(0, 100 * ms / this.duration)) : 0; },
    at: function (e) { return this.duration * e.offsetX / Math.max(1, this.bar.clientWidth); },
    drawHead: function (ms) {
      ms = ms === undefined ? this.now() : ms;
      if (this.head) this.head.style.left = this.pct(ms) + "%";
      var t = this.root.querySelector("[data-player-time]"), f = this.root.querySelector("[data-player-frameno]");
      if (t) t.textContent = clock(ms);
      if (f && (this.rate || this.times.length)) f.textContent = "#" + this.frameAt(ms);
      if (this.bar) { this.bar.setAttribute("aria-valuenow", String(ms)); this.bar.setAttribute("aria-valuetext", clock(ms)); }
    },
    drawRange: function () {
      var r = this.range(), el = this.rangeEl;
      if (!el) return;
      el.hidden = !r;
      if (r) { el.style.left = this.pct(r.start) + "%"; el.style.width = (this.pct(r.end) - this.pct(r.start)) + "%"; }
    },
    drawMarkers: function () {
      var bar = this.bar, self = this;
      if (!bar) return;
      bar.querySelectorAll(".player__hit, .player__cut").forEach(function (el) { el.remove(); });
      ((this.config.timeline || {}).cuts || []).forEach(function (ms) {
        var el = document.createElement("span");
        el.className = "player__cut"; el.style.left = self.pct(ms) + "%"; el.title = clock(ms);
        bar.appendChild(el);
      });
      (this.config.hits || []).forEach(function (h) {
        var el = document.createElement("span");
        el.className = "player__hit player__hit--" + h.kind; el.style.left = self.pct(h.start) + "%";
        if (h.end) el.style.width = Math.max(0.4, self.pct(h.end) - self.pct(h.start)) + "%";
        el.title = clock(h.start) + " " + (h.label || "");
        bar.appendChild(el);
      });
      this.drawHead(); this.drawRange();
    },
    loadSprite: function () {
      var self = this;
      fetch(this.config.spriteVtt, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (text) {
        text.split(/\r?\n\r?\n/).forEach(function (block) {
          var lines = block.trim().split(/\r?\n/), i = lines.findIndex(function (l) { return l.indexOf("-->") > 0; });
          if (i < 0 || !lines[i + 1]) return;
          var span = lines[i].split("-->"), xywh = (lines[i + 1].split("#xywh=")[1] || "").split(",").map(Number);
          if (xywh.length === 4) self.cues.push({ start: vttTime(span[0]), end: vttTime(span[1].trim().split(" ")[0]), xywh: xywh });
        });
      }).catch(function () {});
    },
    preview: function (ms, x) {
      var cue = null, th = this.thumb;
      for (var i = 0; i < this.cues.length; i++) if (this.cues[i].start <= ms && ms < this.cues[i].end) { cue = this.cues[i]; break; }
      if (!th || !cue) return;
      th.hidden = false;
      th.style.backgroundImage = "url('" + this.config.sprite + "')";
      th.style.backgroundPosition = -cue.xywh[0] + "px " + -cue.xywh[1] + "px";
      th.style.width = cue.xywh[2] + "px"; th.style.height = cue.xywh[3] + "px";
      th.style.left = Math.max(0, x - cue.xywh[2] / 2) + "px";
      if (this.steps && this.step < this.steps) th.classList.add("player__thumb--treated"); else th.classList.remove("player__thumb--treated");
    }
  };

  var KEYS = {
    k: "toggle", ",": "prevFrame", ".": "nextFrame", "[": "prevHit", "]": "nextHit", i: "markIn", o: "markOut",
    f: "markFrame", x: "clearMarks", v: "reveal", V: "treat", m: "toggleSound",
    j: function (p) { p.jump(-5000); }, l: function (p) { p.jump(5000); }
  };
  document.addEventListener("keydown", function (e) {
    if (!current || e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || isTyping(e.target)) return;
    var dialog = document.querySelector("dialog[open]");
    if (dialog) return;
    var action = KEYS[e.key];
    if (!action) return;
    e.preventDefault();
    if (typeof action === "function") action(current); else current[action]();
  });

  function init(root) {
    if (root.shinsaPlayer) return root.shinsaPlayer;
    var p = new Player(root);
    root.shinsaPlayer = p;
    players.push(p);
    if (!current) current = p;
    return p;
  }
  window.ShinsaPlayer = {
    get: function (ref) {
      var root = typeof ref === "string" ? document.getElementById(ref) : ref;
      return root ? init(root) : null;
    },
    active: function () { return current; },
    all: function () { return players.slice(); },
    clock: clock
  };
  document.querySelectorAll("[data-player-root]").forEach(init);
})();
