/* prepmodel HTML viewer: pan and zoom, highlight, side panel, search, goal selector and
 * presentation mode for the diagram inlined in the page. Our own code, no framework, no
 * network. Model data comes from the JSON element #prep-data; user
 * text is only ever set with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("prep-data").textContent);
  var W = data.words;
  var svg = document.getElementById("diagram");
  var stage = document.getElementById("stage");
  var panel = document.getElementById("panel");
  var caption = document.getElementById("caption");
  var search = document.getElementById("search");
  var found = document.getElementById("found");
  var goalSelect = document.getElementById("goal");
  if (!svg || !stage) { return; }

  // ---------------------------------------------------------------- the model
  var dels = {};
  var users = {};
  data.deliverables.forEach(function (d) { dels[d.id] = d; users[d.id] = []; });
  data.deliverables.forEach(function (d) {
    d.inputs.forEach(function (i) { if (users[i] && users[i].indexOf(d.id) < 0) { users[i].push(d.id); } });
  });
  function closure(start, next) {
    var seen = {}, stack = [start], out = [];
    while (stack.length) {
      var id = stack.pop();
      (next[id] || []).forEach(function (n) {
        if (!seen[n] && n !== start) { seen[n] = true; out.push(n); stack.push(n); }
      });
    }
    return out;
  }
  var inputsOf = {};
  data.deliverables.forEach(function (d) { inputsOf[d.id] = d.inputs; });
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function nameOf(id) { return dels[id] ? dels[id].name : id; }

  // ---------------------------------------------------------------- the drawing
  var OWNER = /^(d\d+)(?:_c\d+|_r\d+(?:_w|_more)?)?$/;
  var owned = {};   // deliverable id -> every element drawn for it (box, copies, junctions)
  var boxes = {};   // deliverable id -> its deliverable boxes (the box and part copies)
  var loose = [];   // nodes of nobody (the step list): never dimmed
  function titleOf(g) {
    var t = g.querySelector("title");
    return t ? t.textContent.trim() : "";
  }
  svg.querySelectorAll("g.node").forEach(function (g) {
    var m = OWNER.exec(titleOf(g));
    if (!m || !dels[m[1]]) { loose.push(g); return; }
    (owned[m[1]] = owned[m[1]] || []).push(g);
    if (g.classList.contains("deliverable")) {
      (boxes[m[1]] = boxes[m[1]] || []).push(g);
      g.setAttribute("data-id", m[1]);
    }
  });
  var edges = [];
  svg.querySelectorAll("g.edge").forEach(function (g) {
    var ends = titleOf(g).split("->");
    var tail = OWNER.exec(ends[0] || ""), head = OWNER.exec(ends[1] || "");
    edges.push({el: g, tail: tail && tail[1], head: head && head[1]});
  });

  // ---------------------------------------------------------------- pan and zoom
  var base = svg.viewBox.baseVal;
  var whole = {x: base.x, y: base.y, w: base.width, h: base.height};
  var view = {x: whole.x, y: whole.y, w: whole.w, h: whole.h};
  var MAX_SCALE = 8;
  var READABLE = 1.3; // screen px per point: an 11 pt label is 14 px high
  function box() { return stage.getBoundingClientRect(); }
  function scale() { return box().width / view.w; }
  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
      return Math.round(v * 100) / 100;
    }).join(" "));
  }
  function setView(x, y, w) {
    var r = box(), aspect = r.height / Math.max(r.width, 1);
    var minScale = Math.min(r.width / whole.w, r.height / whole.h) / 4;
    var s = Math.min(Math.max(r.width / w, minScale), MAX_SCALE);
    var cx = x + w / 2, cy = y + (w * aspect) / 2;
    view.w = r.width / s; view.h = view.w * aspect;
    view.x = cx - view.w / 2; view.y = cy - view.h / 2;
    apply();
  }
  function frame(b, maxScale) {
    var r = box(), margin = 1.08;
    var w = Math.max(b.w, b.h * r.width / Math.max(r.height, 1)) * margin;
    if (maxScale) { w = Math.max(w, r.width / maxScale); }
    var aspect = r.height / Math.max(r.width, 1);
    setView(b.x + b.w / 2 - w / 2, b.y + b.h / 2 - (w * aspect) / 2, w);
  }
  function fitAll() { frame(whole); }
  function toUser(cx, cy) {
    var p = svg.createSVGPoint();
    p.x = cx; p.y = cy;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoomAt(factor, cx, cy) {
    var p = toUser(cx, cy), r = box();
    var w = view.w / factor;
    var s = Math.min(Math.max(r.width / w, Math.min(r.width / whole.w, r.height / whole.h) / 4),
      MAX_SCALE);
    w = r.width / s;
    var k = w / view.w;
    view.x = p.x - (p.x - view.x) * k; view.y = p.y - (p.y - view.y) * k;
    view.w = w; view.h = w * r.height / Math.max(r.width, 1);
    apply();
  }
  function zoomCenter(factor) {
    var r = box();
    zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
  }
  function pan(dx, dy) { view.x += dx; view.y += dy; apply(); }
  function userBox(elements) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    elements.forEach(function (el) {
      var c = el.getBoundingClientRect();
      if (!c.width && !c.height) { return; }
      var a = toUser(c.left, c.top), b = toUser(c.right, c.bottom);
      x0 = Math.min(x0, a.x); y0 = Math.min(y0, a.y); x1 = Math.max(x1, b.x); y1 = Math.max(y1, b.y);
    });
    return x0 === Infinity ? null : {x: x0, y: y0, w: x1 - x0, h: y1 - y0};
  }
  function centerOn(id) {
    var b = userBox((boxes[id] || []).slice(0, 1));
    if (!b) { return; }
    var r = box(), s = Math.max(scale(), 1);
    var w = r.width / s;
    setView(b.x + b.w / 2 - w / 2, b.y + b.h / 2 - (w * r.height / r.width) / 2, w);
  }

  stage.addEventListener("wheel", function (e) {
    if (panel.contains(e.target)) { return; }
    e.preventDefault();
    var dy = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
    zoomAt(Math.exp(-dy * 0.0015), e.clientX, e.clientY);
  }, {passive: false});
  var drag = null;
  stage.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || panel.contains(e.target)) { return; }
    drag = {x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, target: e.target};
    stage.setPointerCapture(e.pointerId);
  });
  stage.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    drag.moved = true;
    stage.classList.add("dragging");
    var k = view.w / box().width;
    view.x = drag.vx - dx * k; view.y = drag.vy - dy * k;
    apply();
  });
  stage.addEventListener("pointerup", function () {
    if (!drag) { return; }
    var d = drag;
    drag = null;
    stage.classList.remove("dragging");
    if (d.moved) { return; }
    var node = d.target.closest ? d.target.closest("g.node.deliverable") : null;
    if (node && node.getAttribute("data-id")) { select(node.getAttribute("data-id")); }
    else if (!presenting) { clear(); }
  });
  window.addEventListener("resize", function () { setView(view.x, view.y, view.w); });

  // ---------------------------------------------------------------- highlight
  var selected = null;
  function mark(center, up, down) {
    var lit = {}, upSide = {}, downSide = {};
    lit[center] = upSide[center] = downSide[center] = true;
    up.forEach(function (id) { lit[id] = upSide[id] = true; });
    down.forEach(function (id) { lit[id] = downSide[id] = true; });
    svg.classList.add("has-selection");
    Object.keys(owned).forEach(function (id) {
      owned[id].forEach(function (g) {
        g.classList.toggle("lit", !!lit[id]);
        g.classList.toggle("selected", id === center && g.classList.contains("deliverable"));
      });
    });
    loose.forEach(function (g) { g.classList.add("lit"); });
    edges.forEach(function (e) {
      var on = (upSide[e.tail] && upSide[e.head]) || (downSide[e.tail] && downSide[e.head]);
      e.el.classList.toggle("lit", !!on);
    });
  }
  function unmark() {
    svg.classList.remove("has-selection");
    svg.querySelectorAll(".lit, .selected").forEach(function (g) {
      g.classList.remove("lit"); g.classList.remove("selected");
    });
  }
  function select(id, upstreamOnly) {
    if (!dels[id]) { return; }
    selected = id;
    mark(id, closure(id, inputsOf), upstreamOnly ? [] : closure(id, users));
    showPanel(id);
  }
  function clear() {
    selected = null;
    unmark();
    panel.hidden = true;
    if (goalSelect) { goalSelect.value = ""; }
  }

  // ---------------------------------------------------------------- side panel
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === "") { return; }
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function ref(id) {
    var a = el("a", {"class": "ref", "data-ref": id, tabindex: "0"}, [nameOf(id)]);
    a.addEventListener("click", function () { select(id); centerOn(id); });
    a.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); select(id); centerOn(id); }
    });
    return a;
  }
  function refs(ids, sep, optional) {
    var out = el("span", {}, []);
    ids.forEach(function (id, i) {
      if (i) { out.appendChild(document.createTextNode(sep)); }
      var bracket = optional && optional.indexOf(id) >= 0;  // an optional input [X]
      if (bracket) { out.appendChild(document.createTextNode("[")); }
      out.appendChild(ref(id));
      if (bracket) { out.appendChild(document.createTextNode("]")); }
    });
    return out;
  }
  function row(dl, label, value, cls) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", {}, [label]));
    var dd = el("dd", cls ? {"class": cls} : {}, []);
    dd.appendChild(typeof value === "string" ? document.createTextNode(value) : value);
    dl.appendChild(dd);
  }
  function showPanel(id) {
    var d = dels[id];
    panel.textContent = "";
    var close = el("button", {"class": "close", type: "button", title: W.close,
                              "aria-label": W.close}, ["×"]);
    close.addEventListener("click", clear);
    panel.appendChild(close);
    panel.appendChild(el("h2", {}, [d.name]));
    panel.appendChild(el("p", {"class": "kind"}, [W["kind_" + d.kind] || d.kind,
      d.title ? " · " + d.title : ""]));
    var dl = el("dl", {}, []);
    row(dl, W.step, d.step !== null ? String(d.step) : (d.kind === "produced" ? W.no_step : ""),
        "step");
    row(dl, W.phase, d.phase, "phase");
    row(dl, W.owner, d.owner ? d.owner + (d.owner_party ? " (" + d.owner_party + ")" : "") : null,
        "owner");
    row(dl, W.kpi, d.kpi.map(function (k, i) {
      return d.kpi_party[i] ? k + " (" + d.kpi_party[i] + ")" : k;
    }).join(", "), "kpi");
    row(dl, W.note, d.note);
    row(dl, W.url, d.url);
    if (d.routes.length) {
      var ol = el("ul", {"class": "routes"}, []);
      d.routes.forEach(function (r) {
        var facts = [];
        if (r.work) { facts.push(W.work + ": " + r.work); }
        if (r.by.length) { facts.push(W.by + ": " + r.by.join(", ")); }
        if (r.mode_text) { facts.push(W.mode + ": " + r.mode_text); }
        if (r.effort) { facts.push(W.effort + ": " + r.effort); }
        if (r.note) { facts.push(W.note + ": " + r.note); }
        if (r.when && r.when.length) { facts.push(W.when + ": " + r.when.join(", ")); }
        ol.appendChild(el("li", {"class": "route"}, [
          r.id ? el("span", {"class": "route-id"}, [r.id]) : null,
          refs(r.inputs, " + ", r.optional),
          el("div", {"class": "sub"}, [facts.join(" · ")]),
          el("div", {"class": "sub"}, [el("code", {}, [r.src])])]));
      });
      row(dl, W.routes, ol);
    }
    if (d.members.length) { row(dl, W.members, refs(d.members, " + ")); }
    if (d.checkpoint_of.length) {
      var goals = el("span", {"class": "goals"}, []);
      d.checkpoint_of.forEach(function (c, i) {
        if (i) { goals.appendChild(document.createTextNode(", ")); }
        goals.appendChild(ref(c.goal));
        if (c.exit) { goals.appendChild(document.createTextNode(" (" + W.exit + ")")); }
      });
      row(dl, W.checkpoint_of, goals);
    }
    if (d.route_dependent_for.length) { row(dl, W.route_dependent_for, refs(d.route_dependent_for, ", ")); }
    var up = closure(id, inputsOf), down = closure(id, users);
    var byIndex = function (a, b) { return +a.slice(1) - +b.slice(1); };
    if (up.length) {
      row(dl, W.needs, up.length > 20 ? String(up.length)
        : el("span", {}, [refs(up.sort(byIndex), ", "), " (" + up.length + ")"]), "needs");
    }
    if (users[id].length) {
      row(dl, W.needed_by, el("span", {}, [refs(users[id], ", "),
        down.length > users[id].length ? " (" + down.length + ")" : ""]));
    }
    row(dl, W.source, el("code", {}, [d.src]), "src");
    panel.appendChild(dl);
    panel.hidden = false;
  }

  // ---------------------------------------------------------------- search
  function norm(text) { return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var matches = [], matchAt = -1;
  function runSearch() {
    svg.querySelectorAll("g.node.match").forEach(function (g) { g.classList.remove("match"); });
    var q = norm(search.value);
    matches = [];
    matchAt = -1;
    if (!q) { found.textContent = ""; return; }
    data.deliverables.forEach(function (d) {
      if (boxes[d.id] && norm(d.name).indexOf(q) >= 0) { matches.push(d.id); }
    });
    matches.forEach(function (id) { boxes[id].forEach(function (g) { g.classList.add("match"); }); });
    found.textContent = matches.length ? fill(W.matches, {n: matches.length}) : W.no_match;
  }
  if (search) {
    search.addEventListener("input", runSearch);
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && matches.length) {
        matchAt = (matchAt + 1) % matches.length;
        select(matches[matchAt]);
        centerOn(matches[matchAt]);
      } else if (e.key === "Escape") {
        search.value = ""; runSearch(); search.blur();
      }
    });
  }

  // ---------------------------------------------------------------- goal selector
  function chosenGoal() { return goalSelect && goalSelect.value ? goalSelect.value : null; }
  if (goalSelect) {
    goalSelect.addEventListener("change", function () {
      var g = chosenGoal();
      if (g) { select(g, true); goalSelect.value = g; } else { clear(); }
      goalSelect.blur();  // so that p, + and - reach the viewer, not the list
    });
  }

  // ---------------------------------------------------------------- presentation
  var presenting = false, slides = [], slideAt = 0;
  function cluster(phase) {
    var found = null;
    svg.querySelectorAll("g.cluster").forEach(function (g) {
      if (!found && titleOf(g) === "cluster_phase" + phase.index) { found = g; }
    });
    if (!found) {
      svg.querySelectorAll("g.cluster.phase").forEach(function (g) {
        var t = g.querySelector("text");
        if (!found && t && t.textContent.indexOf(phase.name) >= 0) { found = g; }
      });
    }
    return found;
  }
  function buildSlides() {
    var out = [{kind: "all"}];
    var phases = data.phases.filter(function (p) { return cluster(p); });
    phases.forEach(function (p, i) {
      // A phase too big to read on one screen is shown in parts along its long side.
      var b = userBox([cluster(p)]), r = box(), parts = [b];
      if (b) {
        var fit = Math.min(r.width / b.w, r.height / b.h) / 1.08;
        var k = fit < READABLE ? Math.ceil(READABLE / fit) : 1;
        var along = b.w / r.width > b.h / r.height ? "x" : "y";
        parts = [];
        for (var j = 0; j < k; j++) {
          parts.push(along === "x" ? {x: b.x + j * b.w / k, y: b.y, w: b.w / k, h: b.h}
            : {x: b.x, y: b.y + j * b.h / k, w: b.w, h: b.h / k});
        }
      }
      parts.forEach(function (part, j) {
        out.push({kind: "phase", phase: p, n: i + 1, total: phases.length, part: part,
                  j: j + 1, parts: parts.length});
      });
    });
    var goal = chosenGoal(), seen = {}, cps = [];
    data.goals.forEach(function (g) {
      if (goal && g.id !== goal) { return; }
      g.checkpoints.forEach(function (c) {
        if (!seen[c.id] && boxes[c.id]) { seen[c.id] = true; cps.push({c: c, goal: g}); }
      });
    });
    cps.sort(function (a, b) { return a.c.step - b.c.step; });
    cps.forEach(function (x, i) {
      out.push({kind: "checkpoint", id: x.c.id, step: x.c.step, goal: goal ? x.goal : null,
                n: i + 1, total: cps.length});
    });
    return out;
  }
  function setCaption(title, sub) {
    caption.textContent = "";
    caption.appendChild(document.createTextNode(title));
    caption.appendChild(el("small", {}, [sub]));
    caption.hidden = false;
  }
  function nearest(id, to) {
    var list = boxes[id] || [];
    if (list.length < 2 || !to) { return list.slice(0, 1); }
    var best = null, dist = Infinity;
    list.forEach(function (g) {
      var b = userBox([g]);
      if (!b) { return; }
      var d = Math.hypot(b.x + b.w / 2 - to.x - to.w / 2, b.y + b.h / 2 - to.y - to.h / 2);
      if (d < dist) { dist = d; best = g; }
    });
    return best ? [best] : [];
  }
  function show(i) {
    slideAt = Math.max(0, Math.min(i, slides.length - 1));
    var s = slides[slideAt], where = (slideAt + 1) + " / " + slides.length;
    stage.setAttribute("data-slide", String(slideAt));
    if (s.kind === "all") {
      unmark(); selected = null; fitAll();
      setCaption(data.title, W.whole + " · " + where);
    } else if (s.kind === "phase") {
      unmark(); selected = null;
      frame(s.part || userBox([cluster(s.phase)]));
      var part = s.parts > 1 ? " (" + s.j + "/" + s.parts + ")" : "";
      setCaption(fill(W.phase_caption, {n: s.n, total: s.total, name: s.phase.name}) + part, where);
    } else {
      select(s.id);
      var own = (owned[s.id] || []).filter(function (g) {
        return !g.classList.contains("deliverable") || g === boxes[s.id][0];
      });
      var home = userBox(own);
      var parts = own.slice();
      dels[s.id].inputs.forEach(function (i) { parts = parts.concat(nearest(i, home)); });
      frame(userBox(parts), 2.5);
      var sub = s.goal ? fill(W.checkpoint_of_goal, {n: s.n, total: s.total, goal: s.goal.name})
        : s.n + " / " + s.total;
      setCaption(fill(W.checkpoint_caption, {step: s.step, name: nameOf(s.id)}), sub + " · " + where);
    }
  }
  function present(on) {
    presenting = on;
    document.body.classList.toggle("presenting", on);
    if (on) { window.scrollTo(0, 0); slides = buildSlides(); show(0); }
    else {
      caption.hidden = true; stage.removeAttribute("data-slide");
      var goal = chosenGoal();
      clear();
      if (goal) { goalSelect.value = goal; select(goal, true); }
      fitAll();
    }
  }
  var presentButton = document.getElementById("present");
  if (presentButton) { presentButton.addEventListener("click", function () { present(true); }); }
  [["fit", fitAll], ["zoom-in", function () { zoomCenter(1.25); }],
   ["zoom-out", function () { zoomCenter(0.8); }]].forEach(function (pair) {
    var b = document.getElementById(pair[0]);
    if (b) { b.addEventListener("click", pair[1]); }
  });

  // ---------------------------------------------------------------- keys
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var k = e.key, step = view.w * 0.1, handled = true;
    if (presenting && (k === "ArrowRight" || k === "PageDown" || k === " ")) { show(slideAt + 1); }
    else if (presenting && (k === "ArrowLeft" || k === "PageUp")) { show(slideAt - 1); }
    else if (presenting && k === "Home") { show(0); }
    else if (presenting && k === "End") { show(slides.length - 1); }
    else if (k === "p" || k === "P") { present(!presenting); }
    else if (k === "Escape") { if (presenting) { present(false); } else { clear(); } }
    else if (k === "+" || k === "=") { zoomCenter(1.25); }
    else if (k === "-" || k === "_") { zoomCenter(0.8); }
    else if (k === "0") { fitAll(); }
    else if (k === "/") { if (search) { search.focus(); } }
    else if (k === "ArrowLeft") { pan(-step, 0); }
    else if (k === "ArrowRight") { pan(step, 0); }
    else if (k === "ArrowUp") { pan(0, -step); }
    else if (k === "ArrowDown") { pan(0, step); }
    else { handled = false; }
    if (handled) { e.preventDefault(); }
  });

  fitAll();
  // For tests and the curious: the current view and the state of the viewer.
  window.prepViewer = {
    view: function () { return {x: view.x, y: view.y, w: view.w, h: view.h, scale: scale()}; },
    selected: function () { return selected; },
    slide: function () { return presenting ? slideAt : null; },
    slides: function () { return slides.length; },
    select: select, clear: clear, fit: fitAll,
    setView: function (v) { setView(v.x, v.y, v.w); },  // prep serve keeps the view
    zoom: function (s) { zoomCenter(s * view.w / box().width); }
  };
}());
