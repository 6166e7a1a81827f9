/* orgnet network page: draws the graph the Python side laid out (positions fixed, physics off). */
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

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  // the picture takes the rest of the window below the header (whose height varies)
  function size() {
    var top = container.getBoundingClientRect().top + window.scrollY;
    var h = Math.max(480, window.innerHeight - top - 8) + "px";
    container.style.height = h;
    var legend = document.getElementById("legend");
    if (legend) { legend.style.maxHeight = h; }
  }
  if (!window.matchMedia || !window.matchMedia("print").matches) { size(); }
  window.addEventListener("resize", size);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

  network.on("beforeDrawing", function (ctx) {
    if (!data.bands || !data.bands.length) { return; }
    var scale = network.getScale();
    var left = network.DOMtoCanvas({x: 0, y: 0}).x;
    var right = network.DOMtoCanvas({x: container.clientWidth, y: 0}).x;
    ctx.save();
    data.bands.forEach(function (b, i) {
      ctx.fillStyle = i % 2 ? "#ffffff" : "#f3f6f8";
      ctx.fillRect(left, b.y0, right - left, b.y1 - b.y0);
      var onScreen = (b.y1 - b.y0) * scale;
      if (onScreen < 12) { return; }  // too thin on screen for a label
      var px = Math.min(15, onScreen - 2);
      ctx.fillStyle = "#85929e";
      ctx.font = "bold " + (px / scale) + "px " + FONT;
      ctx.textBaseline = "top";
      ctx.fillText(b.label, left + 8 / scale, b.y0 + 3 / scale);
    });
    ctx.restore();
  });
  // zoomed out, the node labels are too small to read: the names of the upper levels (the
  // scope and the areas one level down) are drawn at a fixed size on screen instead
  var HEADER_BELOW = 0.55;
  network.on("afterDrawing", function (ctx) {
    var heads = data.headers || [];
    var scale = network.getScale();
    var shown = [];
    if (window.orgnet) { window.orgnet.headersDrawn = shown; }
    if (!heads.length || scale >= HEADER_BELOW) { return; }
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var taken = {};
    heads.forEach(function (h) {
      var px = h.level <= 2 ? 15 : 13;
      ctx.font = "bold " + (px / scale) + "px " + FONT;
      var w = ctx.measureText(h.text).width;
      var row = String(h.y);
      var spans = taken[row] || (taken[row] = []);
      var x0 = h.x - w / 2 - 6 / scale, x1 = h.x + w / 2 + 6 / scale;
      if (spans.some(function (s) { return x0 < s[1] && x1 > s[0]; })) { return; }
      spans.push([x0, x1]);
      shown.push(h.text);
      var y = h.y + 9 / scale;  // under the territory's square
      ctx.lineWidth = 4 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(h.text, h.x, y);
      ctx.fillStyle = h.color || "#1c2833";
      ctx.fillText(h.text, h.x, y);
    });
    ctx.restore();
  });
  // the whole picture, leaving room on the left for the level labels of the bands
  function fitAll() {
    if (!data.nodes.length) { network.fit({animation: false}); return; }
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    data.nodes.forEach(function (n) {  // each node with its size and its label below it
      var r = n.size || 10;
      minX = Math.min(minX, (n.x || 0) - Math.max(r, 50));
      maxX = Math.max(maxX, (n.x || 0) + Math.max(r, 50));
      minY = Math.min(minY, (n.y || 0) - r - 10);
      maxY = Math.max(maxY, (n.y || 0) + r + 40);
    });
    if (data.bands && data.bands.length) { minY = Math.min(minY, data.bands[0].y0); }
    var W = container.clientWidth, H = container.clientHeight;
    var gutter = data.bands && data.bands.length ? Math.min(130, W * 0.15) : 0;
    var scale = Math.min((W - gutter - 10) / (maxX - minX), (H - 10) / (maxY - minY), 1.2);
    network.moveTo({position: {x: (minX + maxX) / 2 - (gutter / 2) / scale,
                               y: (minY + maxY) / 2}, scale: scale, animation: false});
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      var n = nodes.get(p.nodes[0]);
      if (n && n.href) { window.location.href = n.href; }
    }
  });
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    container.style.cursor = n && n.href ? "pointer" : "default";
  });
  network.on("blurNode", function () { container.style.cursor = "default"; });
  // ready once drawn and the fonts are in (labels measured with the final font, page laid out)
  var drawn = new Promise(function (resolve) { network.once("afterDrawing", resolve); });
  var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
  Promise.all([drawn, fonts]).then(function () {
    network.redraw();
    fitAll();
    document.documentElement.setAttribute("data-orgnet-ready", "1");
  });

  var finder = document.getElementById("finder");
  if (finder) {
    finder.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = document.getElementById("find").value.trim();
      var out = document.getElementById("find-result");
      if (!q) { return; }
      var hits = nodes.get({filter: function (n) {
        return String(n.id).indexOf(q) >= 0 || String(n.label || "").replace(/\n/g, "").indexOf(q) >= 0;
      }});
      out.textContent = hits.length ? "找到 " + hits.length + " 个" : "没有找到";
      if (hits.length) {
        network.selectNodes([hits[0].id]);
        network.focus(hits[0].id, {scale: 1.3, animation: false});
      }
    });
  }
  // printing: the whole picture on the sheet
  function forPrint() {
    network.setSize("100%", container.clientHeight + "px");
    network.redraw();
    fitAll();
  }
  window.addEventListener("beforeprint", forPrint);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { container.style.height = ""; forPrint(); } };
    if (printing.addEventListener) { printing.addEventListener("change", onChange); }
    else if (printing.addListener) { printing.addListener(onChange); }
  }
  var reset = document.getElementById("reset-view");
  if (reset) { reset.addEventListener("click", function () { fitAll(); }); }
  window.orgnet = {network: network, nodes: nodes, edges: edges, data: data, fit: fitAll};
}());
