/* prep serve: the live page around the viewer. Listens to /events (Server-Sent Events),
 * loads each new good diagram into the hidden one of two frames, carries the view, the
 * selection, the goal, the search and the scroll over, then swaps the frames, so the
 * picture changes without a blank moment and without losing the zoom. Shows the
 * connection state, the diagnostics, an error overlay over the dimmed last good diagram,
 * the source at a line, and opens the editor (--editor). Our own code, no framework; text
 * from the model is only ever set with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("live-data").textContent);
  var body = document.body;
  var frames = [document.getElementById("frame-a"), document.getElementById("frame-b")];
  var front = null, frontVersion = 0, loading = 0, server = null;
  var state = data.state, lastVersion = -1;
  var swaps = [], requested = 0, received = 0, loadingInto = null;
  var $ = function (id) { return document.getElementById(id); };

  function W() { return data.words[state.lang] || data.words.en; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  // ---------------------------------------------------------------- connection
  var source = null, retryTimer = null;
  function setConn(what) {
    body.setAttribute("data-conn", what);
    $("conn-text").textContent = W()[what];
  }
  function connect() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    source = new EventSource("/events");
    source.addEventListener("open", function () { setConn("connected"); });
    source.addEventListener("state", function (e) { onState(JSON.parse(e.data)); });
    source.addEventListener("error", function () {
      setConn("reconnecting");
      if (source.readyState === EventSource.CLOSED) {  // the browser gave up: try again
        source.close();
        retryTimer = setTimeout(connect, 1000);
      }
    });
  }

  // ---------------------------------------------------------------- state
  function onState(s) {
    received = performance.timeOrigin + performance.now();
    if (server !== null && s.server !== server) {  // a new server: its versions start again
      frontVersion = 0; loading = 0; lastVersion = -1;
    }
    server = s.server;
    if (s.version < lastVersion) { return; }
    lastVersion = s.version;
    state = s;
    body.setAttribute("data-status", s.status);
    body.setAttribute("data-version", String(s.version));
    document.documentElement.lang = s.lang || "en";
    labels();
    diagnostics();
    overlay();
    if (s.shown > 0 && s.shown !== frontVersion && s.shown !== loading) { load(s.shown); }
  }

  function labels() {
    var w = W();
    setConn(body.getAttribute("data-conn"));
    $("live-status").textContent = fill(w.version, {version: state.version, seconds: state.seconds}) +
      " · " + fill(w.counts, state.summary);
    $("diag-label").textContent = w.diagnostics;
    $("diag-title").textContent = w.diagnostics;
    $("diag-count").textContent = String(state.diagnostics.length);
    $("diag-toggle").classList.toggle("has-errors", state.summary.errors > 0);
    $("export-label").textContent = w.export;
    document.querySelectorAll("a.export").forEach(function (a) {
      var name = a.getAttribute("data-label");
      if (name === "csv" || name === "md") { a.textContent = w[name]; }
      a.classList.toggle("disabled", !(state.shown > 0));
      a.setAttribute("aria-disabled", state.shown > 0 ? "false" : "true");
    });
    $("source-close").textContent = w.close;
    $("overlay-show").textContent = state.editor ? w.open_editor : w.show_line;
  }

  function diagnostics() {
    var list = $("diag-list"), w = W();
    list.textContent = "";
    if (!state.diagnostics.length) { list.appendChild(el("li", "none", w.no_problems)); }
    state.diagnostics.forEach(function (d) {
      var li = el("li", "diagnostic " + d.severity);
      li.tabIndex = 0;
      li.setAttribute("data-code", d.code);
      li.setAttribute("data-line", String(d.line));
      var head = el("div", "head");
      head.appendChild(el("code", "where", d.file + ":" + d.line + ":" + d.column));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("b", "code", d.code));
      head.appendChild(document.createTextNode(" " + d.severity + ": " + d.message));
      li.appendChild(head);
      if (d.excerpt) { li.appendChild(el("pre", "line", d.excerpt)); }  // as `prep check` shows it
      if (d.hint) { li.appendChild(el("div", "hint", w.hint + ": " + d.hint)); }
      var go = function () { openAt(d.file, d.line, d.column); };
      li.addEventListener("click", go);
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
      list.appendChild(li);
    });
    if (state.summary.errors > 0 && state.status !== "ok") { showDiagnostics(true); }
  }
  function showDiagnostics(on) {
    $("diag").hidden = !on;
    $("diag-toggle").setAttribute("aria-expanded", on ? "true" : "false");
  }
  $("diag-toggle").addEventListener("click", function () { showDiagnostics($("diag").hidden); });

  function overlay() {
    var w = W(), box = $("overlay"), stale = state.status !== "ok";
    body.classList.toggle("stale", stale);
    body.classList.toggle("empty", !(state.shown > 0));
    if (!stale && state.shown > 0) { box.hidden = true; return; }
    box.hidden = false;
    $("overlay-title").textContent = state.status === "missing" ? w.missing :
      (state.shown > 0 ? w.error : w.no_diagram);
    $("overlay-message").textContent = state.message || "";
    var at = null;
    state.diagnostics.forEach(function (d) { if (!at && d.line === state.line) { at = d; } });
    var line = $("overlay-line"), show = $("overlay-show");
    if (state.line) {
      line.textContent = fill(w.at_line, {line: state.line}) + (at && at.excerpt ? "\n" + at.excerpt : "");
      line.hidden = false;
      show.hidden = false;
      show.onclick = function () { openAt(state.file, state.line, at ? at.column : 1); };
    } else {
      line.textContent = ""; line.hidden = true; show.hidden = true;
    }
  }

  // ---------------------------------------------------------------- source and editor
  function toast(text) {
    var t = $("toast");
    t.textContent = text; t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.hidden = true; }, 5000);
  }
  function openAt(file, line, column) {
    if (state.editor) {
      fetch("/open", {method: "POST", headers: {"Content-Type": "application/json",
        "X-Prep-Token": data.token}, body: JSON.stringify({file: file, line: line, column: column || 1})})
        .then(function (r) {
          if (!r.ok) { return r.text().then(function (m) { toast(fill(W().editor_failed, {message: m})); }); }
        })
        .catch(function (e) { toast(fill(W().editor_failed, {message: String(e)})); });
    }
    showSource(file, line);
  }
  function showSource(file, line) {
    fetch("/source", {cache: "no-store"}).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var pre = $("source-text"), lines = text.split("\n"), target = null;
        pre.textContent = "";
        lines.forEach(function (l, i) {
          var row = el("span", "row" + (i + 1 === line ? " at" : ""));
          row.appendChild(el("span", "n", String(i + 1)));
          row.appendChild(document.createTextNode(l.replace(/\r$/, "") + "\n"));
          row.setAttribute("data-line", String(i + 1));
          pre.appendChild(row);
          if (i + 1 === line) { target = row; }
        });
        $("source-title").textContent = W().source + " · " + file + ":" + line;
        $("source").hidden = false;
        $("source").setAttribute("data-line", String(line));
        if (target) { target.scrollIntoView({block: "center"}); }
      });
  }
  $("source-close").addEventListener("click", function () { $("source").hidden = true; });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !$("source").hidden) { $("source").hidden = true; return; }
    var t = e.target;
    if (!front || (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA"))) {
      return;
    }
    // Focus is on the live bar (after a click on it): the viewer's keys still work.
    var copy = new KeyboardEvent("keydown", {key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey,
      altKey: e.altKey, shiftKey: e.shiftKey, bubbles: true, cancelable: true});
    front.contentDocument.dispatchEvent(copy);
    if (copy.defaultPrevented) { e.preventDefault(); }
  });

  // ---------------------------------------------------------------- the two frames
  function viewerOf(frame) {
    try { return frame && frame.contentWindow && frame.contentWindow.prepViewer; } catch (e) { return null; }
  }
  function dataOf(frame) {
    var d = frame.contentDocument && frame.contentDocument.getElementById("prep-data");
    return d ? JSON.parse(d.textContent) : null;
  }
  function idToName(frame) {
    var d = dataOf(frame), out = {};
    if (d) { d.deliverables.forEach(function (x) { out[x.id] = x.name; }); }
    return out;
  }
  function nameToId(frame) {
    var d = dataOf(frame), out = {};
    if (d) { d.deliverables.forEach(function (x) { out[x.name.normalize("NFKC")] = x.id; }); }
    return out;
  }
  function same(a, b) {
    return a && b && Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5;
  }
  function load(version) {
    var back = front === frames[0] ? frames[1] : frames[0];
    loading = version;
    requested = performance.timeOrigin + performance.now();
    loadingInto = back;
    back.onload = function () { arrived(back, version); };
    back.src = "/view?v=" + version;
  }
  function arrived(back, version) {
    var loaded = performance.timeOrigin + performance.now();
    var doc = back.contentDocument;
    var meta = doc && doc.querySelector('meta[name="prep-version"]');
    var got = meta ? +meta.getAttribute("content") : 0;
    var viewer = viewerOf(back);
    if (!viewer) { loading = 0; return; }  // not a viewer page (e.g. the build vanished)
    doc.documentElement.classList.add("prep-fitted");  // now lay out the fitted diagram
    back.prepFitted = viewer.view();
    hook(back);
    if (front) { carry(front, back); }
    var hadFocus = document.activeElement === front, previous = front;
    if (loadingInto === back) { loadingInto = null; }
    back.classList.remove("back"); back.classList.add("front");
    if (front) { front.classList.remove("front"); front.classList.add("back"); }
    front = back;
    frontVersion = got || version;
    if (loading === version) { loading = 0; }
    body.setAttribute("data-shown", String(frontVersion));
    var swap = {version: frontVersion, at: performance.timeOrigin + performance.now(), painted: null,
                received: received, requested: requested, loaded: loaded};
    try {  // when the frame's document had arrived and had been parsed (its viewer run)
      var nav = back.contentWindow.performance.getEntriesByType("navigation")[0];
      swap.responded = back.contentWindow.performance.timeOrigin + nav.responseEnd;
      swap.parsed = back.contentWindow.performance.timeOrigin + nav.domInteractive;
    } catch (e) { /* no navigation timing: leave them out */ }
    swaps.push(swap);
    requestAnimationFrame(function () {  // the second frame callback runs after the paint
      requestAnimationFrame(function () {
        swap.painted = performance.timeOrigin + performance.now();
        shown(back);  // then the tables below the picture
        setTimeout(function () { empty(previous); }, 0);
      });
    });
    if (hadFocus || !document.activeElement || document.activeElement === body) { back.focus(); }
    if (state.shown > 0 && state.shown !== frontVersion && state.shown !== loading) { load(state.shown); }
  }
  // The hidden frame's old page is let go of now, not when the next diagram arrives in it.
  function empty(frame) {
    if (!frame || frame === front || frame === loadingInto) { return; }
    var root = frame.contentDocument && frame.contentDocument.documentElement;
    if (root) { root.remove(); }
  }
  // The frame's page keeps its checkpoint tables out of its first layout until shown.
  function shown(frame) {
    var root = frame.contentDocument && frame.contentDocument.documentElement;
    if (root) { root.classList.add("prep-shown"); }
  }
  function carry(from, to) {
    var old = viewerOf(from), next = viewerOf(to);
    if (!old || !next) { return; }
    if (from.contentWindow.scrollX || from.contentWindow.scrollY) { shown(to); }  // to scroll there
    var names = idToName(from), ids = nameToId(to);
    var mapped = function (id) { return id && names[id] ? ids[names[id].normalize("NFKC")] : null; };
    var oldDoc = from.contentDocument, newDoc = to.contentDocument;
    var goal = oldDoc.getElementById("goal"), newGoal = newDoc.getElementById("goal");
    var goalId = goal && goal.value ? mapped(goal.value) : null;
    if (goalId && newGoal) { newGoal.value = goalId; next.select(goalId, true); }
    else { var sel = mapped(old.selected()); if (sel) { next.select(sel); } }
    var search = oldDoc.getElementById("search"), newSearch = newDoc.getElementById("search");
    if (search && newSearch && search.value) {
      newSearch.value = search.value;
      newSearch.dispatchEvent(new Event("input"));
    }
    if (!same(old.view(), from.prepFitted)) { next.setView(old.view()); }
    var slide = old.slide();
    if (slide !== null) {
      var press = function (key) { newDoc.dispatchEvent(new KeyboardEvent("keydown", {key: key, bubbles: true})); };
      press("p");
      for (var i = 0; i < slide; i++) { press("ArrowRight"); }
    }
    to.contentWindow.scrollTo(from.contentWindow.scrollX, from.contentWindow.scrollY);
    var panel = oldDoc.getElementById("panel"), newPanel = newDoc.getElementById("panel");
    if (panel && newPanel) { newPanel.scrollTop = panel.scrollTop; }
  }
  var SRC = /^(.*):(\d+)$/;
  function hook(frame) {
    var doc = frame.contentDocument;  // its style for the panel's file:line comes with it
    doc.addEventListener("click", function (e) {
      var code = e.target.closest && e.target.closest("#panel code");
      var m = code ? SRC.exec(code.textContent) : null;
      if (m) { openAt(m[1], +m[2], 1); }
    });
    doc.addEventListener("dblclick", function (e) {
      var node = e.target.closest && e.target.closest("g.node.deliverable[data-src]");
      var m = node ? SRC.exec(node.getAttribute("data-src")) : null;
      if (m) { openAt(m[1], +m[2], 1); }
    });
  }

  // For tests and the curious.
  window.prepServe = {
    state: function () { return state; },
    shown: function () { return frontVersion; },
    frame: function () { return front; },
    viewer: function () { return viewerOf(front); },
    swaps: function () { return swaps.slice(); }
  };
  labels();
  setConn("connecting");
  onState(state);
  connect();
}());
