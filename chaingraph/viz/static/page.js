
(function () {
  "use strict";
  var t0 = (window.performance && performance.now) ? performance.now() : 0;
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var META = DATA.meta;
  var byId = Object.create(null);
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var adj = Object.create(null);
  DATA.edges.forEach(function (e) {
    (adj[e.from] = adj[e.from] || []).push(e);
    (adj[e.to] = adj[e.to] || []).push(e);
  });
  var STATUS_COLOR = {};
  META.statuses.forEach(function (s) { STATUS_COLOR[s.status] = s.color; });
  var EDGE_STYLE = {};
  META.edge_styles.forEach(function (s) { EDGE_STYLE[s.kind] = s; });
  var KIND_LABEL = {};
  META.node_kinds.forEach(function (k) { KIND_LABEL[k.kind] = k.label; });

  // ---------------------------------------------------------------- DOM helpers (text only)
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function num(v, d) { return (v === null || v === undefined) ? "" : Number(v).toFixed(d === undefined ? 2 : d); }
  function pct(r) { return (r === null || r === undefined) ? "未知" : (Math.round(r * 1000) / 10) + "%"; }
  function list(v) { return (v || []).filter(function (x) { return x !== null && x !== undefined && x !== ""; }).join("、"); }

  // ---------------------------------------------------------------- network data sets
  var VIS_KEYS = ["id", "label", "x", "y", "shape", "size", "color", "font", "borderWidth", "margin", "widthConstraint"];
  function visNode(n) {
    var o = {};
    VIS_KEYS.forEach(function (k) { if (n[k] !== undefined && n[k] !== null) o[k] = n[k]; });
    return o;  // no "title": the hover card is our own DOM element
  }
  var EDGE_KEYS = ["id", "from", "to", "color", "dashes", "width", "arrows", "smooth"];
  function visEdge(e) {
    var o = {};
    EDGE_KEYS.forEach(function (k) { if (e[k] !== undefined && e[k] !== null) o[k] = e[k]; });
    return o;
  }
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  function loadNodes(items) {
    var fresh = items.filter(function (n) { return !nodes.get(n.id); });
    if (!fresh.length) return 0;
    nodes.add(fresh.map(visNode));
    var newEdges = [], taken = Object.create(null);
    fresh.forEach(function (n) {
      (adj[n.id] || []).forEach(function (e) {
        if (!taken[e.id] && !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to)) { taken[e.id] = true; newEdges.push(visEdge(e)); }
      });
    });
    if (newEdges.length) edges.add(newEdges);
    return fresh.length;
  }
  // nodes with no segment (places, parks, outside firms) come along with a loaded neighbour
  function withNeighbours(items) {
    var out = items.slice(), seen = Object.create(null);
    items.forEach(function (n) { seen[n.id] = true; });
    items.forEach(function (n) {
      (adj[n.id] || []).forEach(function (e) {
        var o = byId[e.from === n.id ? e.to : e.from];
        if (o && !o.home && o.lazy && !seen[o.id]) { seen[o.id] = true; out.push(o); }
      });
    });
    return out;
  }
  loadNodes(DATA.nodes.filter(function (n) { return !n.lazy; }));
  var expanded = Object.create(null);
  function expandSegment(id) {
    expanded[id] = true;
    return loadNodes(withNeighbours(DATA.nodes.filter(function (n) { return n.home === id; })));
  }
  function collapseSegment(id) {
    delete expanded[id];
    var goneSet = Object.create(null), gone = [];
    DATA.nodes.forEach(function (n) { if (n.home === id && n.lazy) { goneSet[n.id] = true; gone.push(n.id); } });
    edges.remove(edges.getIds({ filter: function (e) { return goneSet[e.from] || goneSet[e.to]; } }));
    nodes.remove(gone);
  }
  function expandAll() {
    DATA.nodes.forEach(function (n) { if (n.kind === "segment") expanded[n.id] = true; });
    return loadNodes(DATA.nodes);
  }
  function ensureLoaded(id) {
    if (nodes.get(id)) return;
    var n = byId[id];
    if (!n) return;
    if (n.home) { expandSegment(n.home); return; }
    var nb = (adj[id] || []).map(function (e) { return byId[e.from === id ? e.to : e.from]; }).filter(function (o) { return o && o.home; });
    if (nb.length) expandSegment(nb[0].home);
    if (!nodes.get(id)) loadNodes([n]);
  }

  // ---------------------------------------------------------------- filters (network)
  var filt = { chain: META.chains.length ? META.chains[0].id : "", kinds: {}, statuses: {}, edgeKinds: {} };
  Object.keys(KIND_LABEL).forEach(function (k) { filt.kinds[k] = true; });
  META.statuses.forEach(function (s) { filt.statuses[s.status] = true; });
  Object.keys(EDGE_STYLE).forEach(function (k) { filt.edgeKinds[k] = true; });
  var chainCache = Object.create(null);
  function chainOf(n) {
    if (n.chain) return [n.chain];
    var cs = {};
    (adj[n.id] || []).forEach(function (e) { var o = byId[e.from === n.id ? e.to : e.from]; if (o && o.chain) cs[o.chain] = true; });
    return Object.keys(cs);
  }
  function nodeVisible(item) {
    var n = byId[item.id];
    if (!n) return true;
    if (!filt.kinds[n.kind]) return false;
    if (n.kind === "segment" && !filt.statuses[n.status]) return false;
    if (filt.chain) {
      var cs = chainCache[n.id] || (chainCache[n.id] = chainOf(n));
      if (cs.indexOf(filt.chain) < 0) return false;
    }
    return true;
  }
  var edgeById = Object.create(null);
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });
  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, { filter: function (item) {
    var e = edgeById[item.id];
    if (e && !filt.edgeKinds[e.kind]) return false;
    var a = nodes.get(item.from), b = nodes.get(item.to);
    return !!(a && b && nodeVisible(a) && nodeVisible(b));
  } });
  function refresh() { nodeView.refresh(); edgeView.refresh(); }

  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, CG_OPTIONS);

  // ---------------------------------------------------------------- header: the chain's counts as the CLI prints them
  function posterOf(chain) {
    for (var i = 0; i < META.poster.length; i++) if (META.poster[i].chain === chain) return META.poster[i];
    return null;
  }
  function header() {
    var s = document.getElementById("cg-stats");
    clear(s);
    var shown = filt.chain ? [posterOf(filt.chain)] : META.poster;
    shown.forEach(function (p, i) {
      if (!p) return;
      if (i) s.appendChild(document.createTextNode("　｜　"));
      var total = 0;
      Object.keys(p.summary).forEach(function (k) { total += p.summary[k]; });
      s.appendChild(document.createTextNode(p.label + "　环节 ")); s.appendChild(el("b", total));
      META.statuses.forEach(function (x) {
        if (p.summary[x.status] === undefined) return;
        var d = el("span", null, "cg-dot"); d.style.background = x.color; s.appendChild(d);
        s.appendChild(document.createTextNode(x.status + " ")); s.appendChild(el("b", p.summary[x.status]));
      });
      s.appendChild(document.createTextNode("　具名本地企业 ")); s.appendChild(el("b", p.local_firm_count));
      s.appendChild(document.createTextNode("　" + p.rate_name + " ")); s.appendChild(el("b", pct(p.rate)));
    });
  }

  // ---------------------------------------------------------------- the poster (全景图谱)
  var poster = document.getElementById("cg-poster");
  var MIN_W = 128, MIN_H = 66, MAX_H = 96, IDEAL_W = 170, IDEAL_H = 84, GAP = 5, STAGE_GAP = 10;
  function segBox(id) {
    var n = byId[id], c = n.card;
    var box = el("div", null, "cg-seg" + (c.broader ? " cg-sub" : ""));
    box.setAttribute("data-id", id);
    box.style.setProperty("--c", STATUS_COLOR[n.status] || "#9aa3b2");
    box.appendChild(el("div", c.name, "cg-seg-name"));
    var st = el("div", null, "cg-seg-st");
    st.appendChild(el("span", n.status, "cg-st"));
    if (c.gap_kind) st.appendChild(el("span", c.gap_kind, "cg-gapkind"));
    if (c.urgent) { var u = el("span", "急" + c.urgent, "cg-urgent"); u.title = "本链最急需补的第 " + c.urgent + " 个缺口"; st.appendChild(u); }
    box.appendChild(st);
    var firms = c.local_firms.map(function (f) { return f.name; });
    var text = firms.length > 3 ? firms.length + " 家本地企业：" + firms.slice(0, 2).join("、") + "…"
             : firms.length ? firms.join("、")
             : c.reported_count ? "报道有 " + c.reported_count + " 家（未列名）" : "暂无本地企业记录";
    var f = el("div", text, "cg-seg-firms" + (firms.length || c.reported_count ? "" : " none"));
    f.title = firms.join("、");
    box.appendChild(f);
    box.addEventListener("click", function () { pick(id); });
    return box;
  }
  function chainBlock(p) {
    var wrap = el("section", null, "cg-chain");
    wrap.setAttribute("data-chain", p.chain);
    var head = el("div", null, "cg-chain-head");
    head.appendChild(el("h2", p.label + " · 产业链全景"));
    var keys = el("span");
    META.statuses.forEach(function (x) {
      if (!p.summary[x.status]) return;
      var k = el("span", null, "cg-key"); var i = el("i"); i.style.background = x.color; if (x.meaning) k.title = x.meaning;
      k.appendChild(i); k.appendChild(document.createTextNode(x.status + " " + p.summary[x.status])); keys.appendChild(k);
    });
    head.appendChild(keys);
    var how = el("button", "状态含义", "cg-link"); how.type = "button"; how.id = "cg-meanings";
    how.addEventListener("click", meaningsCard);
    head.appendChild(how);
    head.appendChild(el("span", "具名本地企业 " + p.local_firm_count + " 家　" + p.rate_name + " " + pct(p.rate) + "　“急N”＝最急需补的缺口　点击环节看依据、企业、关系与候选目标"));
    wrap.appendChild(head);
    var row = el("div", null, "cg-stages");
    p.stages.forEach(function (s) {
      var col = el("div", null, "cg-stage");
      col.setAttribute("data-n", s.segments.length);
      col.appendChild(el("h3", s.stage + "（" + s.segments.length + "）"));
      var grid = el("div", null, "cg-grid");
      s.segments.forEach(function (id) { grid.appendChild(segBox(id)); });
      col.appendChild(grid);
      row.appendChild(col);
    });
    wrap.appendChild(row);
    return wrap;
  }
  function fitPoster() {
    // rows R: the fewest for which every box is at least MIN_W wide; box height fills the rest
    poster.querySelectorAll(".cg-chain").forEach(function (wrap) {
      var cols = wrap.querySelectorAll(".cg-stage"), ns = [];
      cols.forEach(function (c) { ns.push(+c.getAttribute("data-n")); });
      var W = poster.clientWidth - 24 - STAGE_GAP * (ns.length - 1);
      var note = poster.querySelector(".cg-poster-note");
      var head = wrap.querySelector(".cg-chain-head").offsetHeight + 28 + (note ? note.offsetHeight + 6 : 0);
      var H = (META.poster.length > 1 && !filt.chain ? Math.max(poster.clientHeight, 600) : poster.clientHeight) - head - 16;
      // rows R: boxes at least MIN_W wide and MIN_H high, as close to IDEAL_W x IDEAL_H as the window allows
      var maxN = Math.max.apply(null, ns.concat([1])), R = maxN, best = -1, C, w, h, k;
      for (var r = 1; r <= maxN; r++) {
        C = 0; ns.forEach(function (n) { C += Math.ceil(n / r); });
        w = (W - GAP * (C - ns.length)) / C;
        h = Math.min(MAX_H, (H - GAP * (r - 1)) / r);
        var fit = Math.min(w / IDEAL_W, h / IDEAL_H);
        if (w >= MIN_W && h >= MIN_H && fit > best + 1e-9) { best = fit; R = r; }
      }
      C = 0; ns.forEach(function (n) { C += Math.ceil(n / R); });
      w = Math.max(MIN_W, Math.floor((W - GAP * (C - ns.length)) / C));
      h = Math.max(MIN_H, Math.min(MAX_H, Math.floor((H - GAP * (R - 1)) / R)));
      cols.forEach(function (c, i) {
        k = Math.ceil(ns[i] / R);
        var g = c.querySelector(".cg-grid");
        g.style.gridTemplateRows = "repeat(" + Math.min(R, ns[i]) + ", " + h + "px)";
        g.style.gridTemplateColumns = "repeat(" + k + ", " + w + "px)";
        c.style.width = (k * w + (k - 1) * GAP) + "px";
      });
    });
  }
  function drawPoster() {
    clear(poster);
    META.poster.forEach(function (p) { if (!filt.chain || p.chain === filt.chain) poster.appendChild(chainBlock(p)); });
    var cov = META.poster.filter(function (p) { return !filt.chain || p.chain === filt.chain; }).map(function (p) { return p.coverage; }).filter(Boolean);
    poster.appendChild(el("p", "颜色为环节状态（依据见卡片）；虚线边框为子环节；“未见记录”指图谱里既无企业也无来源表述，不等于缺失。" + (cov.length ? "数据覆盖：" + cov.join("；") : ""), "cg-poster-note"));
    fitPoster();
  }
  function markPoster(id) {
    poster.querySelectorAll(".cg-seg").forEach(function (b) { b.classList.remove("cg-on", "cg-up", "cg-down"); });
    if (!id) return;
    (adj[id] || []).forEach(function (e) {
      if (e.kind !== "feeds") return;
      var other = e.to === id ? e.from : e.to, b = poster.querySelector('.cg-seg[data-id="' + CSS.escape(other) + '"]');
      if (b) b.classList.add(e.to === id ? "cg-up" : "cg-down");
    });
    var me = poster.querySelector('.cg-seg[data-id="' + CSS.escape(id) + '"]');
    if (me) me.classList.add("cg-on");
  }

  // ---------------------------------------------------------------- export: SVG and PNG of the poster
  var SVGNS = "http://www.w3.org/2000/svg";
  function posterSVG() {
    if (window.cgView !== "poster") showView("poster");
    var base = poster.getBoundingClientRect(), W = poster.scrollWidth, H = poster.scrollHeight;
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("xmlns", SVGNS); svg.setAttribute("width", W); svg.setAttribute("height", H);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("font-family", getComputedStyle(document.body).fontFamily);
    function add(tag, attrs, text) {
      var e = document.createElementNS(SVGNS, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e); return e;
    }
    function at(node) { var r = node.getBoundingClientRect(); return { x: r.left - base.left + poster.scrollLeft, y: r.top - base.top + poster.scrollTop, w: r.width, h: r.height }; }
    add("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" });
    add("text", { x: 12, y: 22, "font-size": 18, "font-weight": 700, fill: "#1c2833" }, META.title);
    poster.querySelectorAll(".cg-chain-head h2, .cg-stage h3").forEach(function (h) {
      var r = at(h);
      if (h.tagName === "H3") add("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 4, fill: "#3c4a60" });
      add("text", { x: r.x + (h.tagName === "H3" ? 8 : 0), y: r.y + r.h - 5, "font-size": h.tagName === "H3" ? 14 : 18, "font-weight": 700,
                    fill: h.tagName === "H3" ? "#ffffff" : "#1c2833" }, h.textContent);
    });
    poster.querySelectorAll(".cg-seg").forEach(function (b) {
      var r = at(b), n = byId[b.getAttribute("data-id")], col = STATUS_COLOR[n.status] || "#9aa3b2";
      add("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 4, fill: "#ffffff", stroke: "#d5dbe3" });
      add("rect", { x: r.x, y: r.y, width: 5, height: r.h, fill: col });
      var name = b.querySelector(".cg-seg-name"), st = b.querySelector(".cg-seg-st"), fi = b.querySelector(".cg-seg-firms");
      var rn = at(name);
      add("text", { x: r.x + 9, y: rn.y + 15, "font-size": 14, "font-weight": 700, fill: "#1c2833", textLength: Math.min(rn.w, name.textContent.length * 14) , lengthAdjust: "spacingAndGlyphs" }, name.textContent);
      var rs = at(st);
      add("text", { x: r.x + 9, y: rs.y + 13, "font-size": 12, fill: col, "font-weight": 700 }, st.textContent);
      var rf = at(fi);
      add("text", { x: r.x + 9, y: rf.y + 13, "font-size": 12, fill: "#34495e" }, fi.textContent);
    });
    return new XMLSerializer().serializeToString(svg);
  }
  function posterPNG() {
    var text = posterSVG(), W = poster.scrollWidth, H = poster.scrollHeight;
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () {
        var cv = document.createElement("canvas"); cv.width = W * 2; cv.height = H * 2;
        var g = cv.getContext("2d"); g.scale(2, 2); g.drawImage(img, 0, 0);
        resolve(cv.toDataURL("image/png"));
      };
      img.onerror = function () { reject(new Error("SVG 图片无法绘制")); };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }
  function download(name, href) {
    var a = el("a"); a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function fileBase() { var p = filt.chain ? posterOf(filt.chain) : null; return (p ? p.label : META.park) + "-全景图谱"; }
  document.getElementById("cg-print").addEventListener("click", function () { window.print(); });
  document.getElementById("cg-svg").addEventListener("click", function () {
    showView("poster");
    var url = URL.createObjectURL(new Blob([posterSVG()], { type: "image/svg+xml" }));
    download(fileBase() + ".svg", url); setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  document.getElementById("cg-png").addEventListener("click", function () {
    showView("poster");
    posterPNG().then(function (u) { download(fileBase() + ".png", u); });
  });

  // ---------------------------------------------------------------- views, chain choice, legend
  function showView(v) {
    document.body.classList.toggle("cg-network", v === "network");
    document.getElementById("cg-tab-poster").setAttribute("aria-selected", v === "poster" ? "true" : "false");
    document.getElementById("cg-tab-network").setAttribute("aria-selected", v === "network" ? "true" : "false");
    document.getElementById("cg-netctl").hidden = v !== "network";
    window.cgView = v;
    if (v === "network") { network.redraw(); if (filt.chain) fitChain(filt.chain); else network.fit({ animation: false }); }
  }
  document.getElementById("cg-tab-poster").addEventListener("click", function () { showView("poster"); });
  document.getElementById("cg-tab-network").addEventListener("click", function () { showView("network"); });
  function fitChain(chain) {
    var ids = nodeView.getIds().filter(function (id) { return byId[id] && byId[id].chain === chain; });
    if (ids.length) network.fit({ nodes: ids, animation: false });
  }
  function lineSample(st) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "34"); svg.setAttribute("height", "10");
    var l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "27"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", st.color); l.setAttribute("stroke-width", String(Math.max(1.5, st.width)));
    if (st.dashes) l.setAttribute("stroke-dasharray", st.dashes.join(" "));
    svg.appendChild(l);
    if (st.arrow) { var p = document.createElementNS(SVGNS, "path"); p.setAttribute("d", "M27,1 L33,5 L27,9 Z"); p.setAttribute("fill", st.color); svg.appendChild(p); }
    return svg;
  }
  var SHAPE_SAMPLE = { chain: "▬", segment: "■", firm: "●", candidate: "◆", external: "○", place: "▲", park: "★" };
  var SHAPE_COLOR = { chain: "#2d3a4f", segment: "#4a90d9", firm: "#34495e", candidate: "#8e44ad", external: "#9aa3b2", place: "#138d75", park: "#c0392b" };
  function checkbox(attr, value, onChange) {
    var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.setAttribute(attr, value);
    cb.addEventListener("change", function () { onChange(cb.checked); refresh(); });
    return cb;
  }
  function legend() {
    var L = document.getElementById("cg-legend");
    clear(L);
    var r1 = el("div", null, "row");
    r1.appendChild(el("b", "环节状态"));
    META.statuses.forEach(function (x) {
      var i = el("label", null, "item"); var d = el("span", null, "cg-dot"); d.style.background = x.color; d.style.margin = "0";
      i.appendChild(checkbox("data-status", x.status, function (on) { filt.statuses[x.status] = on; }));
      i.appendChild(d); i.appendChild(document.createTextNode(x.status)); if (x.meaning) i.title = x.meaning; r1.appendChild(i);
    });
    r1.appendChild(el("b", "　节点"));
    Object.keys(KIND_LABEL).forEach(function (k) {
      if (!META.counts[k]) return;
      var i = el("label", null, "item"); var s = el("span", SHAPE_SAMPLE[k]); s.style.color = SHAPE_COLOR[k];
      i.appendChild(checkbox("data-kind", k, function (on) { filt.kinds[k] = on; }));
      i.appendChild(s); i.appendChild(document.createTextNode(KIND_LABEL[k] + "（" + META.counts[k] + "）")); r1.appendChild(i);
    });
    L.appendChild(r1);
    var r3 = el("div", null, "row");
    r3.appendChild(el("b", "关系"));
    META.edge_styles.forEach(function (st) {
      if (!META.edge_counts[st.kind]) return;
      var i = el("label", null, "item");
      i.appendChild(checkbox("data-edge-kind", st.kind, function (on) { filt.edgeKinds[st.kind] = on; }));
      i.appendChild(lineSample(st)); i.appendChild(document.createTextNode(st.label + "（" + META.edge_counts[st.kind] + "）"));
      r3.appendChild(i);
    });
    L.appendChild(r3);
  }
  function chainUI() {
    var sel = document.getElementById("cg-chain");
    META.chains.forEach(function (c) { var o = el("option", c.label); o.value = c.id; sel.appendChild(o); });
    if (META.chains.length > 1) { var all = el("option", "全部产业链"); all.value = ""; sel.appendChild(all); }
    sel.value = filt.chain;
    sel.disabled = META.chains.length < 2;
    sel.addEventListener("change", function () {
      filt.chain = sel.value; refresh(); header(); drawPoster();
      if (window.cgView === "network") { if (filt.chain) fitChain(filt.chain); else network.fit({ animation: false }); }
    });
    var ex = document.getElementById("cg-expand");
    if (!META.collapsed) { ex.textContent = "全部企业已展开"; ex.disabled = true; }
    ex.addEventListener("click", function () { expandAll(); refresh(); ex.textContent = "全部企业已展开"; ex.disabled = true; });
    document.getElementById("cg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
  }

  // ---------------------------------------------------------------- hover card (network)
  var hover = document.getElementById("cg-hover");
  function hoverLines(n) {
    var c = n.card || {}, out = [["类型", KIND_LABEL[n.kind]]];
    if (n.kind === "segment") {
      out.push(["状态", n.status + "（" + c.status_reason + "）"]);
      out.push(["本地企业", (n.firm_count || 0) + " 家"]);
      if (c.gap_kind) out.push(["缺口", c.gap_kind + "，优先级 " + num(c.priority)]);
    } else {
      if (c.park) out.push(["园区", c.park]); else if (c.city) out.push(["城市", c.city]);
      if (c.products && c.products.length) out.push(["产品", list(c.products.slice(0, 6))]);
      if (c.score !== undefined && c.score !== null) out.push(["得分", num(c.score)]);
    }
    return out;
  }
  network.on("hoverNode", function (p) {
    var n = byId[p.node]; if (!n) return;
    clear(hover);
    hover.appendChild(el("div", n.card.name, "t"));
    hoverLines(n).forEach(function (kv) {
      if (!kv[1]) return;
      var d = el("div"); d.appendChild(el("span", kv[0] + "：")); d.appendChild(document.createTextNode(kv[1])); hover.appendChild(d);
    });
    var r = container.getBoundingClientRect();
    hover.style.left = Math.min(r.left + p.pointer.DOM.x + 14, window.innerWidth - 330) + "px";
    hover.style.top = (r.top + p.pointer.DOM.y + 14) + "px";
    hover.hidden = false;
  });
  network.on("blurNode", function () { hover.hidden = true; });
  network.on("dragStart", function () { hover.hidden = true; });

  // ---------------------------------------------------------------- cards (drawer)
  var panelBox = document.getElementById("cg-panel");
  var panel = document.getElementById("cg-details");
  document.getElementById("cg-close").addEventListener("click", function () { panelBox.hidden = true; markPoster(null); });
  function open() { clear(panel); panelBox.hidden = false; panelBox.scrollTop = 0; }
  function dl(rows) {
    var d = el("dl");
    rows.forEach(function (kv) {
      var v = kv[1];
      if (v === null || v === undefined || v === "" || v === false) return;
      d.appendChild(el("dt", kv[0]));
      var dd = el("dd"); if (v.nodeType) dd.appendChild(v); else dd.textContent = String(v);
      d.appendChild(dd);
    });
    return d;
  }
  function evidenceList(items, none) {
    var box = el("div");
    (items || []).forEach(function (e) {
      var q = el("div", null, "cg-quote");
      q.appendChild(el("span", e.quote ? "“" + e.quote + "”" : "（来源未摘录原句）"));
      if (e.title) q.appendChild(el("span", "——《" + e.title + "》", "cg-src"));
      box.appendChild(q);
    });
    if (!(items || []).length && none) box.appendChild(el("p", none, "cg-hint"));
    return box;
  }
  function linkTo(id, text) {
    if (!byId[id]) return el("span", text);
    var b = el("button", text, "cg-link"); b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function links(items) {
    var span = el("span");
    items.forEach(function (x, i) { if (i) span.appendChild(document.createTextNode("、")); span.appendChild(linkTo(x.id, x.name)); });
    return items.length ? span : null;
  }
  function scoreLines(c) {
    var box = el("div");
    (c.components || []).forEach(function (x) {
      var t = x.label + "：" + (x.known ? num(x.value) + (x.note ? "（" + x.note + "）" : "") : "未知（图谱中无相关记录，不计入得分）");
      box.appendChild(el("div", t, "cg-hint"));
    });
    return box;
  }
  function candidateItem(c) {
    var li = el("li");
    li.appendChild(byId[c.id] ? linkTo(c.id, c.name) : el("b", c.name));
    li.appendChild(document.createTextNode("　得分 " + num(c.score) + (c.coverage !== null && c.coverage !== undefined ? "（依据覆盖 " + pct(c.coverage) + "）" : "")));
    if (c.city) li.appendChild(document.createTextNode("　" + c.city));
    if (c.introducers.length) c.introducers.forEach(function (p) { li.appendChild(el("div", "引荐路径：" + p.path, "cg-path")); });
    else li.appendChild(el("div", "引荐人：暂无（图谱中没有本地企业与它的关系记录，需直接对接）", "cg-hint"));
    li.appendChild(scoreLines(c));
    c.introducers.forEach(function (p) { if (p.evidence.length) li.appendChild(evidenceList(p.evidence)); });
    return li;
  }
  function candidateList(card) {
    var box = el("div"), shown = META.targets, all = card.candidates;
    var ol = el("ol", null, "cg-cands"); ol.id = "cg-candidates";
    all.slice(0, shown).forEach(function (c) { ol.appendChild(candidateItem(c)); });
    box.appendChild(ol);
    if (all.length > shown) {
      var more = el("button", "再显示 " + (all.length - shown) + " 家候选", "cg-act"); more.type = "button";
      more.addEventListener("click", function () { all.slice(shown).forEach(function (c) { ol.appendChild(candidateItem(c)); }); more.remove(); });
      box.appendChild(more);
    }
    if (card.candidates_total > all.length)
      box.appendChild(el("p", "共 " + card.candidates_total + " 家候选，此处列前 " + all.length + " 家；完整名单见 targets.xlsx，或运行 chaingraph targets --segment " + card.name, "cg-hint"));
    return box;
  }
  function relationsList(ids) {
    var box = el("div");
    ids.forEach(function (id) {
      (adj[id] || []).forEach(function (e) {
        if (e.kind === "member" || e.kind === "feeds" || e.kind === "target") return;
        var d = el("div");
        d.appendChild(linkTo(e.from, byId[e.from].card.name));
        d.appendChild(document.createTextNode(" —" + EDGE_STYLE[e.kind].label.replace(/（.*）/, "") + (e.card.referral_kind ? "·" + e.card.referral_kind : "") + "→ "));
        d.appendChild(linkTo(e.to, byId[e.to].card.name));
        if (e.card.year) d.appendChild(document.createTextNode("（" + e.card.year + "）"));
        box.appendChild(d);
        if (e.card.evidence.length) box.appendChild(evidenceList(e.card.evidence.slice(0, 1)));
      });
    });
    return box;
  }
  function badge(text, color) { var b = el("span", text, "cg-badge"); if (color) b.style.background = color; return b; }
  function segmentCard(id) {
    var n = byId[id], c = n.card;
    var badges = el("div");
    badges.appendChild(badge(c.chain + " · " + c.stage));
    badges.appendChild(badge(n.status, STATUS_COLOR[n.status]));
    if (c.gap_kind) badges.appendChild(badge(c.gap_kind, "#8b1e1e"));
    panel.appendChild(badges);
    panel.appendChild(el("p", c.status_explanation, "cg-explain"));
    if (c.gap_kind) {
      panel.appendChild(el("p", "缺口：" + c.gap_kind + "，优先级 " + num(c.priority) + (c.urgent ? "（本链第 " + c.urgent + " 急）" : "") + "。" + (c.explanation || ""), "cg-explain"));
      var parts = el("details"); parts.appendChild(el("summary", "优先级怎么算"));
      c.priority_parts.forEach(function (x) { parts.appendChild(el("div", x.label + "：" + num(x.value) + "（权重 " + x.weight + "）", "cg-hint")); });
      panel.appendChild(parts);
    }
    var up = [], down = [];
    (adj[id] || []).forEach(function (e) {
      if (e.kind !== "feeds") return;
      if (e.to === id) up.push({ id: e.from, name: byId[e.from].card.name }); else down.push({ id: e.to, name: byId[e.to].card.name });
    });
    panel.appendChild(dl([
      ["本地企业", links(c.local_firms) || (c.reported_count ? null : "暂无记录")],
      ["报道数量", c.reported_count ? "来源报道本地有 " + c.reported_count + " 家" : null],
      ["链主企业", list(c.leaders) || (c.leader_expected ? "本环节应有链主，图谱中暂无" : null)],
      ["上级环节", c.broader], ["上游环节", links(up)], ["下游环节", links(down)],
      ["下游本地企业（模板推断的需求）", list(c.demand)], ["产品关键词", list(c.products.slice(0, 10))]
    ]));
    if (c.candidates.length) {
      panel.appendChild(el("h3", "候选招引目标（按得分排序）"));
      if (META.candidate_note) panel.appendChild(el("p", META.candidate_note, "cg-hint"));
      panel.appendChild(candidateList(c));
    }
    else if (c.gap_kind) {
      panel.appendChild(el("h3", "候选招引目标"));
      panel.appendChild(el("p", "暂无候选：图谱与候选池里没有这一环节的园区外企业记录（没有记录不等于没有企业，可扩充候选池）。", "cg-hint"));
    }
    var rel = relationsList(c.local_firms.map(function (f) { return f.id; }));
    if (rel.childNodes.length) { panel.appendChild(el("h3", "本环节企业的关系")); panel.appendChild(rel); }
    if (c.planning.length) { panel.appendChild(el("h3", "规划表述（" + c.planning.length + "）")); panel.appendChild(evidenceList(c.planning)); }
    if (window.cgView === "network") {
      var lazyCount = DATA.nodes.filter(function (x) { return x.home === id && x.lazy; }).length;
      if (lazyCount) {
        var b = el("button", expanded[id] ? "收起本环节企业" : "展开本环节企业（" + lazyCount + "）", "cg-act"); b.type = "button";
        b.addEventListener("click", function () { toggleSegment(id); showDetails(id); });
        panel.appendChild(b);
      }
    }
  }
  function firmCard(id) {
    var n = byId[id], c = n.card;
    var badges = el("div"); badges.appendChild(badge(KIND_LABEL[n.kind], n.kind === "candidate" ? "#8e44ad" : null));
    panel.appendChild(badges);
    panel.appendChild(dl([
      ["全称", c.full_name], ["别名", list(c.aliases)], ["所在园区", c.park], ["所在城市", c.city], ["来源地", c.origin],
      ["产品", list(c.products)], ["所属环节", list(c.segments)], ["层级", list(c.tiers)], ["股票代码", c.stock_code],
      ["湘商回归", c.xiangshang ? "是" : null]
    ]));
    if (n.kind === "candidate") {
      panel.appendChild(el("h3", "推荐理由与评分（得分 " + num(c.score) + "）"));
      if (c.gaps && c.gaps.length) c.gaps.forEach(function (g) { var d = el("div", "可补缺口：第 " + g.rank + " 名 · "); d.appendChild(linkTo(g.segment, g.label)); panel.appendChild(d); });
      panel.appendChild(scoreLines(c));
      panel.appendChild(el("h3", "引荐路径"));
      if (c.introducers && c.introducers.length) c.introducers.forEach(function (p) { panel.appendChild(el("div", p.path, "cg-path")); panel.appendChild(evidenceList(p.evidence)); });
      else panel.appendChild(el("p", "暂无引荐人：图谱中没有本地企业与它的关系记录（需直接对接）。", "cg-hint"));
    }
    var rel = relationsList([id]);
    if (rel.childNodes.length) { panel.appendChild(el("h3", "关系")); panel.appendChild(rel); }
    panel.appendChild(el("h3", "证据与来源"));
    panel.appendChild(evidenceList(c.evidence, "图谱中没有这家企业的原文摘录。"));
  }
  function meaningsCard() {
    open();
    panel.appendChild(el("h2", "图例：环节状态的含义"));
    META.statuses.forEach(function (x) {
      var d = el("p", null, "cg-explain"); d.appendChild(badge(x.status, x.color));
      d.appendChild(document.createTextNode(x.meaning || "")); panel.appendChild(d);
    });
    panel.appendChild(el("p", "“急N”：本链按优先级最急需补的第 N 个缺口；缺口类型：断链、补链、延链、强链。虚线边框：子环节。", "cg-hint"));
    panel.setAttribute("data-node", "");
  }
  function showDetails(id) {
    var n = byId[id]; if (!n) return;
    open();
    panel.appendChild(el("h2", n.card.name));
    if (n.kind === "segment") segmentCard(id);
    else if (n.kind === "chain") {
      panel.appendChild(el("p", n.card.segments_count + " 个环节，具名本地企业 " + n.card.local_firm_count + " 家。", "cg-explain"));
    } else firmCard(id);
    panel.setAttribute("data-node", id);
    panel.removeAttribute("data-edge");
  }
  function showEdge(eid) {
    var e = edgeById[eid]; if (!e) return;
    var c = e.card;
    open();
    panel.appendChild(el("h2", c.kind));
    panel.appendChild(dl([["从", c.from], ["到", c.to], ["类型", c.referral_kind], ["年份", c.year], ["排名", c.rank], ["得分", num(c.score)]]));
    if (c.evidence) { panel.appendChild(el("h3", "证据与来源")); panel.appendChild(evidenceList(c.evidence, "这条关系没有原文摘录。")); }
    panel.setAttribute("data-edge", eid);
  }
  function toggleSegment(id) {
    if (expanded[id]) collapseSegment(id); else expandSegment(id);
    refresh();
  }
  network.on("click", function (p) {
    hover.hidden = true;
    if (p.nodes.length) showDetails(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
  network.on("doubleClick", function (p) {
    if (!p.nodes.length) return;
    var n = byId[p.nodes[0]];
    if (n && n.kind === "segment") { toggleSegment(n.id); showDetails(n.id); }
  });

  // ---------------------------------------------------------------- select and search
  function pick(id) { markPoster(id); showDetails(id); window.cgFocused = id; }
  function select(id) {
    var n = byId[id];
    if (!n) return false;
    if (window.cgView === "poster" && n.kind === "segment") {
      if (filt.chain && n.chain !== filt.chain) { filt.chain = n.chain; document.getElementById("cg-chain").value = n.chain; refresh(); header(); drawPoster(); }
      pick(id); return true;
    }
    ensureLoaded(id);
    if (!nodeVisible(n)) {  // a filter hides it: clear the filters that do
      filt.chain = ""; document.getElementById("cg-chain").value = "";
      filt.kinds[n.kind] = true; if (n.kind === "segment") filt.statuses[n.status] = true;
      document.querySelectorAll("#cg-legend input[type=checkbox]").forEach(function (cb) {
        var k = cb.getAttribute("data-kind"), s = cb.getAttribute("data-status");
        if (k) cb.checked = !!filt.kinds[k]; if (s) cb.checked = !!filt.statuses[s];
      });
      refresh(); header(); drawPoster();
    }
    if (window.cgView !== "network" && n.kind !== "segment") { markPoster(n.home); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showDetails(id);
    window.cgFocused = id;
    return true;
  }
  function norm(s) { return String(s || "").normalize("NFKC").replace(/\s+/g, "").toLowerCase(); }
  var KIND_RANK = { firm: 0, candidate: 1, external: 2, segment: 3, chain: 4, park: 5, place: 6 };
  function search(q) {
    var k = norm(q);
    if (!k) return [];
    var hits = [];
    DATA.nodes.forEach(function (n) {
      var best = 9;
      (n.search || []).forEach(function (s) {
        var r = s === k ? 0 : s.indexOf(k) === 0 ? 1 : s.indexOf(k) >= 0 ? 2 : 9;
        if (r < best) best = r;
      });
      if (best < 9) hits.push([best, KIND_RANK[n.kind] || 9, (n.card.name || "").length, n.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : 1); });
    return hits.slice(0, 12).map(function (h) { return h[3]; });
  }
  var input = document.getElementById("cg-search"), results = document.getElementById("cg-results");
  function showResults(ids) {
    clear(results);
    ids.forEach(function (id, i) {
      var n = byId[id], li = el("li", n.card.name);
      if (i === 0) li.className = "active";
      li.appendChild(el("small", KIND_LABEL[n.kind] + (n.card.full_name && n.card.full_name !== n.card.name ? " · " + n.card.full_name : "")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); results.hidden = true; select(id); });
      results.appendChild(li);
    });
    results.hidden = !ids.length;
  }
  input.addEventListener("input", function () { showResults(search(input.value)); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var ids = search(input.value);
      results.hidden = true;
      if (ids.length) select(ids[0]);
      else { open(); panel.appendChild(el("p", "未找到“" + input.value + "”。", "cg-hint")); }
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });

  header(); legend(); chainUI(); drawPoster(); showView("poster");
  refresh();
  window.addEventListener("resize", fitPoster);
  window.cg = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, data: DATA,
                search: search, select: select, showView: showView, posterSVG: posterSVG, posterPNG: posterPNG,
                expandSegment: function (id) { var k = expandSegment(id); refresh(); return k; },
                expandAll: function () { var k = expandAll(); refresh(); return k; }, showDetails: showDetails, showEdge: showEdge };
  window.cgBuildMs = ((window.performance && performance.now) ? performance.now() : 0) - t0;
  window.cgReady = true;
  document.body.setAttribute("data-ready", "1");
})();
