/* orgnet network page: draws the graph the Python side laid out (positions fixed, physics off).

   Layers (组织链 chain, 共驻共建 ties, 责任回流 routes, 成员/群众组织 mass) are switched on and off,
   只看问题 shows the entities with findings and their immediate neighbours only, and an
   aggregated page colours its circles by one of the three questions. What is chosen is kept in
   the address (#layers=chain,ties&view=problems&color=weak_ties&finding=3), so a link opens
   the same view. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("orgnet-graph").textContent);
  if (typeof vis === "undefined") {
    document.getElementById("network").textContent =
      "无法加载网络图程序 lib/vis-network.min.js：请把本页面与同一文件夹中的 lib 文件夹放在一起再打开。";
    return;
  }
  var Q = data.questions || {};
  var FONT = getComputedStyle(document.body).fontFamily || "sans-serif";
  var MIN_PX = 12;  // no label is drawn smaller than this on screen
  var LAYERS = ["chain", "ties", "routes", "mass"];
  var MODES = ["coverage", "weak_ties", "backflow"];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function tip(t) {
    var box = el("div", "tip");
    var head = el("div", "tip-title", t.t);
    if (t.k) { head.appendChild(el("span", "tip-kind", t.k)); }
    box.appendChild(head);
    if (t.f && t.f.length) {
      var table = el("table");
      t.f.forEach(function (f) {
        var tr = el("tr");
        tr.appendChild(el("td", "", f[0]));
        tr.appendChild(el("td", "", f[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
    }
    if (t.p && t.p.length) {
      var ul = el("ul");
      t.p.forEach(function (p) {
        var q = Q[p[0]] || {zh: p[0], color: "#888"};
        var li = el("li");
        var dot = el("span", "dot");
        dot.style.background = q.color;
        li.appendChild(dot);
        li.appendChild(el("b", "", "【" + q.zh + (p[1] ? "·" + p[1] : "") + "】" + p[2] + "："));
        li.appendChild(document.createTextNode(p[3]));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (t.more) { box.appendChild(el("div", "", "……另有 " + t.more + " 条")); }
    }
    if (t.n) { box.appendChild(el("div", "names", "党员：" + t.n)); }
    if (t.link) { box.appendChild(el("div", "link", t.link)); }
    return box;
  }
  data.nodes.forEach(function (n) { if (n.tip) { n.title = tip(n.tip); } });
  data.edges.forEach(function (e) { if (e.tip) { e.title = tip(e.tip); } });
  function withFont(o) {
    if (o && o.font) { o.font.face = FONT; }
    return o;
  }
  var options = data.options;
  withFont(options.nodes);
  withFont(options.edges);
  // a label smaller than MIN_PX on screen is not drawn at all (vis draws it from threshold-1)
  options.nodes.scaling = {label: {enabled: false, drawThreshold: MIN_PX + 1}};
  options.edges.scaling = {label: {enabled: false, drawThreshold: MIN_PX + 1}};

  // -- state kept in the address -------------------------------------------------------------
  var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  var state = {
    layers: {},
    problems: params.get("view") === "problems",
    color: MODES.indexOf(params.get("color")) >= 0 ? params.get("color") : "coverage",
    finding: params.has("finding") ? Number(params.get("finding")) : null
  };
  var given = params.has("layers") ? params.get("layers").split(",") : LAYERS;
  LAYERS.forEach(function (l) { state.layers[l] = given.indexOf(l) >= 0; });
  function saveState() {
    var p = new URLSearchParams();
    var on = LAYERS.filter(function (l) { return state.layers[l]; });
    if (on.length !== LAYERS.length) { p.set("layers", on.join(",")); }
    if (state.problems) { p.set("view", "problems"); }
    if (data.aggregated && state.color !== "coverage") { p.set("color", state.color); }
    if (state.finding !== null && !isNaN(state.finding)) { p.set("finding", String(state.finding)); }
    var hash = p.toString();
    var url = window.location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    try { window.history.replaceState(null, "", url); } catch (err) { /* file:// in some browsers */ }
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var byNode = {};  // node -> ids of its neighbours (any edge)
  data.edges.forEach(function (e) {
    (byNode[e.from] = byNode[e.from] || []).push(e.to);
    (byNode[e.to] = byNode[e.to] || []).push(e.from);
  });
  var container = document.getElementById("network");
  // the picture takes the rest of the window below the header (whose height varies)
  function size() {
    var top = container.getBoundingClientRect().top + window.scrollY;
    var h = Math.max(420, window.innerHeight - top - 8) + "px";
    container.style.height = h;
    var side = document.getElementById("side");
    if (side) { side.style.maxHeight = h; }
  }
  if (!window.matchMedia || !window.matchMedia("print").matches) { size(); }
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

  // -- what is shown ------------------------------------------------------------------------
  function problemSet() {
    var keep = {};
    data.nodes.forEach(function (n) {
      if (n.problem || (n.f && n.f.length)) {
        keep[n.id] = true;
        (byNode[n.id] || []).forEach(function (m) { keep[m] = true; });
      }
    });
    return keep;
  }
  var mustShow = {};  // edges of the finding chosen in the side list
  function apply() {
    var keep = state.problems ? problemSet() : null;
    nodes.update(data.nodes.map(function (n) {
      var hidden = (n.layer && !state.layers[n.layer]) || (keep !== null && !keep[n.id]);
      var out = {id: n.id, hidden: !!hidden};
      if (data.aggregated && n.colors) {
        var c = n.colors[state.color];
        out.color = {background: c, border: n.color.border,
                     highlight: {background: c, border: n.color.border},
                     hover: {background: c, border: n.color.border}};
        out.label = n.label.split("\n").slice(0, -2).join("\n") + "\n" + n.values[state.color] +
          "\n" + n.label.split("\n").slice(-1)[0];
      }
      return out;
    }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: !!(e.layer && !state.layers[e.layer] && !mustShow[e.id])};
    }));
    document.querySelectorAll("[data-layer]").forEach(function (box) {
      box.checked = !!state.layers[box.getAttribute("data-layer")];
    });
    var pv = document.getElementById("only-problems");
    if (pv) { pv.checked = state.problems; }
    document.querySelectorAll("[data-color]").forEach(function (r) {
      r.checked = r.getAttribute("data-color") === state.color;
    });
    document.querySelectorAll("[data-legend-mode]").forEach(function (li) {
      li.hidden = li.getAttribute("data-legend-mode") !== state.color;
    });
    saveState();
  }

  // -- drawing: bands, and names where the nodes' own labels would be too small --------------
  network.on("beforeDrawing", function (ctx) {
    if (!data.bands || !data.bands.length) { return; }
    var scale = network.getScale();
    var left = network.DOMtoCanvas({x: 0, y: 0}).x;
    var right = network.DOMtoCanvas({x: container.clientWidth, y: 0}).x;
    ctx.save();
    data.bands.forEach(function (b, i) {
      ctx.fillStyle = i % 2 ? "#ffffff" : "#f3f6f8";
      ctx.fillRect(left, b.y0, right - left, b.y1 - b.y0);
      if ((b.y1 - b.y0) * scale < 18) { return; }  // too thin on screen for a label
      ctx.fillStyle = "#85929e";
      ctx.font = "bold " + (13 / scale) + "px " + FONT;
      ctx.textBaseline = "top";
      ctx.fillText(b.label, left + 8 / scale, b.y0 + 3 / scale);
    });
    ctx.restore();
  });
  var nodeFont = (options.nodes.font && options.nodes.font.size) || 12;
  network.on("afterDrawing", function (ctx) {
    var heads = data.headers || [];
    var scale = network.getScale();
    var shown = [];
    if (window.orgnet) { window.orgnet.headersDrawn = shown; }
    if (!heads.length) { return; }
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var taken = [];
    heads.forEach(function (h) {
      var node = h.id ? network.body.nodes[h.id] : null;
      if (node && node.options.hidden) { return; }
      var size = node && node.options.font ? node.options.font.size : nodeFont;
      if (size * scale >= MIN_PX) { return; }  // the node's own label is drawn, and readable
      var px = h.level <= 2 ? 15 : h.level <= 4 ? 13 : 12;
      ctx.font = "bold " + (px / scale) + "px " + FONT;
      var w = ctx.measureText(h.text).width;
      var x0 = h.x - w / 2 - 4 / scale, x1 = h.x + w / 2 + 4 / scale;
      var y0 = h.y + 9 / scale, y1 = y0 + (px + 4) / scale;
      if (taken.some(function (s) { return x0 < s[1] && x1 > s[0] && y0 < s[3] && y1 > s[2]; })) {
        return;  // fewer names rather than names on top of each other
      }
      taken.push([x0, x1, y0, y1]);
      shown.push(h.text);
      ctx.lineWidth = 4 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(h.text, h.x, y0);
      ctx.fillStyle = h.color || "#1c2833";
      ctx.fillText(h.text, h.x, y0);
    });
    ctx.restore();
  });

  // -- fitting -------------------------------------------------------------------------------
  function visibleData() {
    return data.nodes.filter(function (n) {
      var b = network.body.nodes[n.id];
      return !b || !b.options.hidden;
    });
  }
  function bounds(list) {
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    list.forEach(function (n) {  // each node with its size and room for its label below it
      var r = n.size || 10;
      var lines = String(n.label || "").split("\n").length;
      minX = Math.min(minX, (n.x || 0) - Math.max(r, 40));
      maxX = Math.max(maxX, (n.x || 0) + Math.max(r, 40));
      minY = Math.min(minY, (n.y || 0) - r - 10);
      maxY = Math.max(maxY, (n.y || 0) + r + 8 + 17 * Math.max(1, lines));
    });
    return {minX: minX, maxX: maxX, minY: minY, maxY: maxY};
  }
  // the given nodes (default: all shown), leaving room on the left for the bands' labels
  var AGG_PX = 14;  // an aggregated page's labels, on screen
  function fitAll(list) {
    list = list || visibleData();
    if (!list.length) { network.fit({animation: false}); return; }
    var W = container.clientWidth, H = container.clientHeight;
    var gutter = data.bands && data.bands.length ? Math.min(120, W * 0.14) : 0;
    var scale, x, y;
    if (data.aggregated) {  // labels keep their size on screen: room for them in pixels
      var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      var chars = 4, lines = 1;
      list.forEach(function (n) {
        var r = n.size || 10;
        minX = Math.min(minX, n.x - r); maxX = Math.max(maxX, n.x + r);
        minY = Math.min(minY, n.y - r); maxY = Math.max(maxY, n.y + r);
        String(n.label || "").split("\n").forEach(function (l) { chars = Math.max(chars, l.length); });
        lines = Math.max(lines, String(n.label || "").split("\n").length);
      });
      var padX = chars * AGG_PX * 0.5 + 8, padY = lines * (AGG_PX + 4) + 12;
      scale = Math.min((W - gutter - 2 * padX) / Math.max(1, maxX - minX),
                       (H - padY - 16) / Math.max(1, maxY - minY), 1);
      x = (minX + maxX) / 2 - (gutter / 2) / scale;
      y = (minY + maxY) / 2 + (padY / 2 - 8) / scale;
    } else {
      var b = bounds(list);
      scale = Math.min((W - gutter - 16) / (b.maxX - b.minX), (H - 16) / (b.maxY - b.minY),
                       list.length < 4 ? 1.2 : 1.6);
      x = (b.minX + b.maxX) / 2 - (gutter / 2) / scale;
      y = (b.minY + b.maxY) / 2;
    }
    network.moveTo({position: {x: x, y: y}, scale: scale, animation: false});
    adaptFonts();
  }
  // an aggregated page is laid out here, for the window it is shown in: one row per level,
  // the areas in as many columns as their labels (at AGG_PX on screen) leave room for
  function relayout() {
    if (!data.aggregated || !data.nodes.length) { return; }
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = AGG_PX + "px " + FONT;
    var widest = 0, lines = 1, biggest = 10;
    data.nodes.forEach(function (n) {
      String(n.label || "").split("\n").concat(n.values ? [n.values.weak_ties, n.values.backflow] : [])
        .forEach(function (l) { widest = Math.max(widest, ctx.measureText(l).width); });
      lines = Math.max(lines, String(n.label || "").split("\n").length);
      biggest = Math.max(biggest, n.size || 10);
    });
    var W = container.clientWidth, H = container.clientHeight;
    var gutter = Math.min(120, W * 0.14);
    var cellW = Math.max(2 * biggest + 16, widest + 28);
    var cellH = 2 * biggest + lines * (AGG_PX + 4) + 28;
    var levels = {};
    data.nodes.forEach(function (n) { (levels[n.level] = levels[n.level] || []).push(n); });
    var labels = {};
    (data.bands || []).forEach(function (b) {
      var m = /第(\d)级/.exec(b.label);
      if (m) { labels[m[1]] = b.label; }
    });
    var bands = [], y = 0, cols0 = Math.max(1, Math.floor((W - gutter - 20) / cellW));
    Object.keys(levels).map(Number).sort().forEach(function (lv) {
      var row = levels[lv].slice().sort(function (a, b) { return a.y - b.y || a.x - b.x; });
      var cols = Math.min(row.length, cols0);
      var top = y;
      row.forEach(function (n, i) {
        var inRow = Math.min(cols, row.length - Math.floor(i / cols) * cols);
        n.x = ((i % cols) - (inRow - 1) / 2) * cellW;
        n.y = top + biggest + 24 + Math.floor(i / cols) * cellH;
      });
      y = top + Math.ceil(row.length / cols) * cellH + 8;
      bands.push({y0: top, y1: y, label: labels[lv] || ""});
    });
    data.bands = bands;
    nodes.update(data.nodes.map(function (n) { return {id: n.id, x: n.x, y: n.y}; }));
  }
  // a detailed picture narrower than the window (a community's page) is spread sideways
  // to the window's shape, so that neighbours' names have room beside each other
  function stretch() {
    if (data.aggregated || !data.nodes.length) { return; }
    var b = bounds(data.nodes);
    var W = container.clientWidth, H = container.clientHeight;
    var gutter = data.bands && data.bands.length ? Math.min(120, W * 0.14) : 0;
    var want = (W - gutter) / H, have = (b.maxX - b.minX) / (b.maxY - b.minY);
    var kx = Math.min(MAX_SPREAD, want / have), ky = Math.min(MAX_SPREAD, have / want);
    if (kx > 1.05) {  // narrower than the window: wider apart
      var mid = (b.minX + b.maxX) / 2;
      data.nodes.forEach(function (n) { n.x = mid + (n.x - mid) * kx; });
      (data.headers || []).forEach(function (h) { h.x = mid + (h.x - mid) * kx; });
    } else if (ky > 1.05) {  // wider than the window (a street at 800 px): the levels taller
      var y0 = Math.min(b.minY, data.bands && data.bands.length ? data.bands[0].y0 : b.minY);
      var sy = function (y) { return y0 + (y - y0) * ky; };
      data.nodes.forEach(function (n) { n.y = sy(n.y); });
      (data.headers || []).forEach(function (h) { h.y = sy(h.y); });
      (data.bands || []).forEach(function (band) { band.y0 = sy(band.y0); band.y1 = sy(band.y1); });
    } else { return; }
    nodes.update(data.nodes.map(function (n) { return {id: n.id, x: n.x, y: n.y}; }));
  }
  var MAX_SPREAD = 2.2;
  // an aggregated page names every circle: its labels keep one size on screen when zoomed
  var fontScale = null;
  function adaptFonts() {
    if (!data.aggregated) { return; }
    var scale = network.getScale();
    if (fontScale !== null && Math.abs(scale - fontScale) < 1e-6) { return; }
    fontScale = scale;
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, font: {size: AGG_PX / scale, background: "rgba(255,255,255,0.85)"}};
    }));
  }
  network.on("zoom", adaptFonts);

  // -- the controls -------------------------------------------------------------------------
  document.querySelectorAll("[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      state.layers[box.getAttribute("data-layer")] = box.checked;
      apply();
    });
  });
  var only = document.getElementById("only-problems");
  if (only) {
    only.addEventListener("change", function () {
      state.problems = only.checked;
      apply();
      fitAll();
    });
  }
  document.querySelectorAll("[data-color]").forEach(function (r) {
    r.addEventListener("change", function () {
      if (r.checked) { state.color = r.getAttribute("data-color"); apply(); }
    });
  });
  // the side panel (legend, list of findings) folds into buttons on narrow screens
  document.querySelectorAll("[data-open]").forEach(function (b) {
    b.addEventListener("click", function () {
      var which = b.getAttribute("data-open");
      var side = document.getElementById("side");
      var open = side.getAttribute("data-open") === which;
      side.setAttribute("data-open", open ? "" : which);
      document.querySelectorAll("[data-open]").forEach(function (o) {
        o.setAttribute("aria-expanded", String(!open && o === b));
      });
    });
  });
  document.querySelectorAll("[data-tab]").forEach(function (b) {
    b.addEventListener("click", function () {
      document.getElementById("side").setAttribute("data-tab", b.getAttribute("data-tab"));
    });
  });

  // a finding of the side list: focus its entity, draw its path
  function selectFinding(i) {
    var row = (data.findings || []).filter(function (r) { return r.i === i; })[0];
    mustShow = {};
    state.finding = row ? i : null;
    document.querySelectorAll("#finding-list button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-i")) === i));
    });
    if (!row) { apply(); network.unselectAll(); return; }
    (row.e || []).forEach(function (id) { mustShow[id] = true; });
    var ids = (row.n || []).slice();
    (row.e || []).forEach(function (id) {
      var e = edges.get(id);
      if (e) { ids.push(e.from, e.to); }
    });
    ids = ids.filter(function (id, k) { return ids.indexOf(id) === k && network.body.nodes[id]; });
    if (state.problems) {
      var keep = problemSet();
      if (ids.some(function (id) { return !keep[id]; })) { state.problems = false; }
    }
    apply();
    network.setSelection({nodes: ids, edges: row.e || []}, {unselectAll: true, highlightEdges: false});
    if (ids.length) {
      fitAll(ids.map(function (id) { return nodes.get(id); }));
      if (network.getScale() > 1.4) { network.moveTo({scale: 1.4, animation: false}); }
    }
  }
  document.querySelectorAll("#finding-list button").forEach(function (b) {
    b.addEventListener("click", function () { selectFinding(Number(b.getAttribute("data-i"))); });
  });

  network.on("click", function (p) {
    if (p.nodes.length) {
      var n = nodes.get(p.nodes[0]);
      if (n && n.href) { window.location.href = n.href + (data.aggregated && state.color !== "coverage" ? "#color=" + state.color : ""); }
    }
  });
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    container.style.cursor = n && n.href ? "pointer" : "default";
  });
  network.on("blurNode", function () { container.style.cursor = "default"; });

  apply();
  // ready once drawn and the fonts are in (labels measured with the final font, page laid out)
  var drawn = new Promise(function (resolve) { network.once("afterDrawing", resolve); });
  var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
  Promise.all([drawn, fonts]).then(function () {
    size();
    network.setSize("100%", container.style.height);
    network.redraw();
    relayout();
    stretch();
    if (state.finding !== null && !isNaN(state.finding)) { selectFinding(state.finding); }
    else { fitAll(); }
    network.redraw();
    document.documentElement.setAttribute("data-orgnet-ready", "1");
  });
  window.addEventListener("resize", function () {
    if (before || (printMedia && printMedia.matches)) { return; }
    size();
    if (data.aggregated) { relayout(); fitAll(); }
  });

  var finder = document.getElementById("finder");
  if (finder) {
    finder.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = document.getElementById("find").value.trim();
      var out = document.getElementById("find-result");
      if (!q) { return; }
      var hits = nodes.get({filter: function (n) {
        return !n.hidden && (String(n.id).indexOf(q) >= 0 ||
          String(n.label || "").replace(/\n/g, "").indexOf(q) >= 0);
      }});
      out.textContent = hits.length ? "找到 " + hits.length + " 个" : "没有找到";
      if (hits.length) {
        network.selectNodes([hits[0].id]);
        network.focus(hits[0].id, {scale: 1.3, animation: false});
      }
    });
  }
  // printing: the view on screen, on the sheet (the same part of the picture, scaled)
  var before = null;
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  var onScreen = null;  // the part of the picture last seen on screen (canvas coordinates)
  network.on("afterDrawing", function () {
    if (before || (printMedia && printMedia.matches)) { return; }
    var W = container.clientWidth, H = container.clientHeight;
    onScreen = {a: network.DOMtoCanvas({x: 0, y: 0}), z: network.DOMtoCanvas({x: W, y: H})};
  });
  function forPrint() {
    if (before || !onScreen) { return; }
    var a = onScreen.a, z = onScreen.z;
    before = {a: a, z: z, height: container.style.height};
    container.style.height = "";
    network.setSize("100%", container.clientHeight + "px");
    var w = container.clientWidth, h = container.clientHeight;
    var scale = Math.min(w / (z.x - a.x), h / (z.y - a.y));
    network.moveTo({position: {x: (a.x + z.x) / 2, y: (a.y + z.y) / 2}, scale: scale,
                    animation: false});
    network.redraw();
  }
  function afterPrint() {
    if (!before) { return; }
    var a = before.a, z = before.z;
    container.style.height = before.height;
    before = null;
    network.setSize("100%", container.style.height);
    var scale = Math.min(container.clientWidth / (z.x - a.x), container.clientHeight / (z.y - a.y));
    network.moveTo({position: {x: (a.x + z.x) / 2, y: (a.y + z.y) / 2}, scale: scale,
                    animation: false});
  }
  window.addEventListener("beforeprint", forPrint);
  window.addEventListener("afterprint", afterPrint);
  if (printMedia && printMedia.addEventListener) {
    printMedia.addEventListener("change", function (e) { if (e.matches) { forPrint(); } else { afterPrint(); } });
  }
  var reset = document.getElementById("reset-view");
  if (reset) { reset.addEventListener("click", function () { fitAll(); }); }
  window.orgnet = {network: network, nodes: nodes, edges: edges, data: data, fit: fitAll,
                   state: state, apply: apply, problemSet: problemSet, selectFinding: selectFinding,
                   forPrint: forPrint, afterPrint: afterPrint};
}());
