"""The page template, its CSS and its script (kept in Python so they ship inside the package).

The template is rendered by pyvis' Jinja environment: the two ``include`` lines inline pyvis'
own copy of vis-network 9.1.2.  ``@@…@@`` marks are replaced after rendering (so the script is
never parsed as a template).  The script builds every piece of text with ``textContent``.
"""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{ heading }}</title>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>@@CHAINGRAPH_CSS@@</style>
</head>
<body>
<header id="cg-header">
  <div id="cg-title">{{ heading }}</div>
  <div id="cg-stats"></div>
  <div id="cg-rates"></div>
</header>
<div id="cg-toolbar">
  <div id="cg-search-box">
    <input id="cg-search" type="search" placeholder="搜索企业全称、简称、别名或环节…" autocomplete="off" aria-label="搜索">
    <ul id="cg-results" hidden></ul>
  </div>
  <label>产业链 <select id="cg-chain"></select></label>
  <span id="cg-kinds" class="cg-filter"></span>
  <span id="cg-statuses" class="cg-filter"></span>
  <button id="cg-expand" type="button">展开全部企业</button>
  <button id="cg-physics" type="button" aria-pressed="false">力导向布局：关</button>
  <button id="cg-relayout" type="button">恢复分层布局</button>
  <button id="cg-fit" type="button">适应窗口</button>
</div>
<div id="cg-main">
  <div id="mynetwork"></div>
  <aside id="cg-panel"><div id="cg-details"><p class="cg-hint">点击节点查看详情；双击环节展开/收起企业。</p></div></aside>
  <div id="cg-legend"></div>
</div>
<div id="cg-hover" hidden></div>
<script type="application/json" id="cg-data">@@CHAINGRAPH_VIEW_JSON@@</script>
<script>var CG_OPTIONS = {{ options }};</script>
<script>@@CHAINGRAPH_JS@@</script>
</body>
</html>
"""

PAGE_CSS = r"""
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font-family: "Noto Sans CJK SC","Microsoft YaHei","PingFang SC","Source Han Sans SC","WenQuanYi Micro Hei","SimHei",sans-serif; color: #1c2833; background: #f4f6f9; }
body { display: flex; flex-direction: column; }
#cg-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 22px; padding: 10px 16px 6px; background: #1f2a3a; color: #fff; }
#cg-title { font-size: 20px; font-weight: 700; letter-spacing: 1px; }
#cg-stats, #cg-rates { font-size: 14px; color: #d6dde8; }
#cg-stats b, #cg-rates b { color: #fff; }
.cg-dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 3px 0 8px; vertical-align: baseline; }
#cg-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 6px 16px; background: #fff; border-bottom: 1px solid #d5dbe3; font-size: 13px; }
#cg-toolbar button, #cg-toolbar select { font: inherit; padding: 3px 9px; border: 1px solid #b8c1cc; border-radius: 4px; background: #f8f9fb; cursor: pointer; }
#cg-toolbar button[aria-pressed="true"] { background: #1f6fb2; color: #fff; border-color: #1f6fb2; }
.cg-filter label { margin-right: 6px; white-space: nowrap; cursor: pointer; }
#cg-search-box { position: relative; }
#cg-search { width: 280px; font: inherit; padding: 4px 8px; border: 1px solid #8a94a6; border-radius: 4px; }
#cg-results { position: absolute; z-index: 20; top: 100%; left: 0; width: 360px; max-height: 320px; overflow: auto; margin: 2px 0 0; padding: 0; list-style: none; background: #fff; border: 1px solid #b8c1cc; box-shadow: 0 4px 14px rgba(0,0,0,.15); }
#cg-results li { padding: 5px 8px; cursor: pointer; border-bottom: 1px solid #eef1f4; }
#cg-results li:hover, #cg-results li.active { background: #eaf2fb; }
#cg-results small { color: #6b7685; margin-left: 6px; }
#cg-main { position: relative; flex: 1; display: flex; min-height: 0; }
#mynetwork { flex: 1; height: 100%; background: #fbfcfd; border: 0; }
#cg-panel { width: 360px; overflow: auto; background: #fff; border-left: 1px solid #d5dbe3; padding: 10px 14px; font-size: 13px; line-height: 1.55; }
#cg-panel h2 { font-size: 18px; margin: 4px 0 6px; word-break: break-all; }
#cg-panel h3 { font-size: 14px; margin: 14px 0 4px; padding-bottom: 2px; border-bottom: 1px solid #e3e7ec; }
#cg-panel dl { display: grid; grid-template-columns: 76px 1fr; gap: 2px 8px; margin: 6px 0; }
#cg-panel dt { color: #6b7685; } #cg-panel dd { margin: 0; word-break: break-all; }
.cg-badge { display: inline-block; padding: 0 7px; margin-right: 6px; border-radius: 9px; font-size: 12px; color: #fff; background: #6b7685; }
.cg-quote { margin: 4px 0 8px; padding: 4px 8px; border-left: 3px solid #c3c9d3; background: #f6f8fa; }
.cg-src { display: block; color: #6b7685; font-size: 12px; }
.cg-cands { margin: 4px 0; padding-left: 20px; }
.cg-cands li { margin-bottom: 8px; }
.cg-link { color: #1f6fb2; cursor: pointer; text-decoration: underline; background: none; border: 0; padding: 0; font: inherit; }
.cg-path { color: #8e44ad; }
.cg-hint { color: #6b7685; }
#cg-panel button.cg-act { margin: 6px 6px 0 0; font: inherit; padding: 2px 9px; border: 1px solid #b8c1cc; border-radius: 4px; background: #f8f9fb; cursor: pointer; }
#cg-legend { position: absolute; left: 10px; bottom: 10px; z-index: 5; background: rgba(255,255,255,.94); border: 1px solid #d5dbe3; border-radius: 6px; padding: 7px 10px; font-size: 12px; line-height: 1.6; max-width: 560px; box-shadow: 0 2px 8px rgba(0,0,0,.08); }
#cg-legend h4 { margin: 0 0 2px; font-size: 12px; color: #444; }
#cg-legend .row { display: flex; flex-wrap: wrap; gap: 2px 12px; margin-bottom: 3px; }
#cg-legend .item { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
#cg-legend label.item { cursor: pointer; }
#cg-hover { position: absolute; z-index: 30; pointer-events: none; max-width: 320px; background: #fff; border: 1px solid #8a94a6; border-radius: 5px; padding: 6px 9px; font-size: 12px; line-height: 1.5; box-shadow: 0 3px 12px rgba(0,0,0,.18); }
#cg-hover .t { font-weight: 700; font-size: 13px; }
div.vis-tooltip { display: none !important; }
"""

PAGE_JS = r"""
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
  function fmt(v) {
    if (v === null || v === undefined || v === "") return "";
    if (typeof v === "boolean") return v ? "是" : "否";
    if (typeof v === "number") return (Math.round(v * 1000) / 1000).toString();
    if (Array.isArray(v)) return v.map(fmt).filter(function (x) { return x; }).join("、");
    if (typeof v === "object") {
      return Object.keys(v).map(function (k) { return k + "：" + fmt(v[k]); }).join("；");
    }
    return String(v);
  }
  function pct(r) { return (r === null || r === undefined) ? "—" : (Math.round(r * 1000) / 10) + "%"; }

  // ---------------------------------------------------------------- data sets
  var VIS_KEYS = ["id", "label", "x", "y", "shape", "size", "color", "font", "borderWidth", "margin",
                  "widthConstraint", "shapeProperties"];
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
  function loadNodes(list) {
    var fresh = list.filter(function (n) { return !nodes.get(n.id); });
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
  function withNeighbours(list) {
    var out = list.slice(), seen = Object.create(null);
    list.forEach(function (n) { seen[n.id] = true; });
    list.forEach(function (n) {
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
    var gone = DATA.nodes.filter(function (n) { return n.home === id && n.lazy; }).map(function (n) { return n.id; });
    var goneSet = Object.create(null);
    gone.forEach(function (x) { goneSet[x] = true; });
    edges.remove(edges.getIds({ filter: function (e) { return goneSet[e.from] || goneSet[e.to]; } }));
    nodes.remove(gone);
  }
  function expandChain(chain) {
    var segs = DATA.nodes.filter(function (n) { return n.kind === "segment" && n.chain === chain; });
    var list = [];
    segs.forEach(function (s) { expanded[s.id] = true; });
    DATA.nodes.forEach(function (n) { if (n.home && expanded[n.home]) list.push(n); });
    return loadNodes(withNeighbours(list));
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

  // ---------------------------------------------------------------- filters
  var filt = { chain: "", kinds: {}, statuses: {}, edgeKinds: {} };
  Object.keys(KIND_LABEL).forEach(function (k) { filt.kinds[k] = true; });
  META.statuses.forEach(function (s) { filt.statuses[s.status] = true; });
  filt.statuses[""] = true;
  Object.keys(EDGE_STYLE).forEach(function (k) { filt.edgeKinds[k] = true; });
  function chainOf(n) {
    if (n.chain) return [n.chain];
    var cs = {};
    (adj[n.id] || []).forEach(function (e) { var o = byId[e.from === n.id ? e.to : e.from]; if (o && o.chain) cs[o.chain] = true; });
    return Object.keys(cs);
  }
  var chainCache = Object.create(null);
  function nodeVisible(item) {
    var n = byId[item.id];
    if (!n) return true;
    if (!filt.kinds[n.kind]) return false;
    if (n.kind === "segment" && !filt.statuses[n.status || ""]) return false;
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

  // ---------------------------------------------------------------- network
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, CG_OPTIONS);

  // ---------------------------------------------------------------- header and legend
  function header() {
    var s = document.getElementById("cg-stats");
    clear(s);
    var c = META.counts, st = META.status_counts;
    s.appendChild(document.createTextNode((META.chain_label ? META.chain_label + " · " : "") + META.scope_label + "口径　环节 "));
    s.appendChild(el("b", c.segment));
    META.statuses.forEach(function (x) {
      var d = el("span", null, "cg-dot"); d.style.background = x.color; s.appendChild(d);
      s.appendChild(document.createTextNode(x.status + " "));
      s.appendChild(el("b", st[x.status]));
    });
    s.appendChild(document.createTextNode("　本地企业 ")); s.appendChild(el("b", META.local_firms));
    s.appendChild(document.createTextNode("　候选目标 ")); s.appendChild(el("b", c.candidate));
    s.appendChild(document.createTextNode("　关系 ")); s.appendChild(el("b", META.total_edges));
    var r = document.getElementById("cg-rates");
    clear(r);
    if (META.rates.length) {
      r.appendChild(document.createTextNode("配套环节覆盖率："));
      META.rates.forEach(function (x, i) {
        if (i) r.appendChild(document.createTextNode("　"));
        r.appendChild(document.createTextNode(x.label + " "));
        r.appendChild(el("b", pct(x.rate)));
      });
    }
  }
  var SVGNS = "http://www.w3.org/2000/svg";
  function lineSample(st) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "34"); svg.setAttribute("height", "10");
    var l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "27"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", st.color); l.setAttribute("stroke-width", String(Math.max(1.5, st.width)));
    if (st.dashes) l.setAttribute("stroke-dasharray", st.dashes.join(" "));
    svg.appendChild(l);
    if (st.arrow) {
      var p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", "M27,1 L33,5 L27,9 Z"); p.setAttribute("fill", st.color);
      svg.appendChild(p);
    }
    return svg;
  }
  var SHAPE_SAMPLE = { chain: "▬", segment: "■", firm: "●", candidate: "◆", external: "○", place: "▲", park: "★" };
  var SHAPE_COLOR = { chain: "#2d3a4f", segment: "#4a90d9", firm: "#34495e", candidate: "#8e44ad", external: "#9aa3b2", place: "#138d75", park: "#c0392b" };
  function legend() {
    var L = document.getElementById("cg-legend");
    clear(L);
    L.appendChild(el("h4", "图例（点击关系类型可显示/隐藏）"));
    var r1 = el("div", null, "row");
    META.statuses.forEach(function (x) {
      var i = el("span", null, "item"); var d = el("span", null, "cg-dot"); d.style.background = x.color; d.style.margin = "0";
      i.appendChild(d); i.appendChild(document.createTextNode("环节·" + x.status)); if (x.meaning) i.title = x.meaning; r1.appendChild(i);
    });
    L.appendChild(r1);
    META.statuses.forEach(function (x) {  // what each status means, in words (#14)
      if (x.meaning) L.appendChild(el("div", x.status + "：" + x.meaning, "cg-hint"));
    });
    var r2 = el("div", null, "row");
    Object.keys(KIND_LABEL).forEach(function (k) {
      if (k === "segment") return;
      var i = el("span", null, "item"); var s = el("span", SHAPE_SAMPLE[k]); s.style.color = SHAPE_COLOR[k];
      i.appendChild(s); i.appendChild(document.createTextNode(KIND_LABEL[k])); r2.appendChild(i);
    });
    L.appendChild(r2);
    var r3 = el("div", null, "row");
    META.edge_styles.forEach(function (st) {
      if (!META.edge_counts[st.kind]) return;
      var i = el("label", null, "item"); var cb = el("input"); cb.type = "checkbox"; cb.checked = true;
      cb.setAttribute("data-edge-kind", st.kind);
      cb.addEventListener("change", function () { filt.edgeKinds[st.kind] = cb.checked; refresh(); });
      i.appendChild(cb); i.appendChild(lineSample(st)); i.appendChild(document.createTextNode(st.label + "（" + META.edge_counts[st.kind] + "）"));
      r3.appendChild(i);
    });
    L.appendChild(r3);
  }

  // ---------------------------------------------------------------- filters UI
  function filtersUI() {
    var sel = document.getElementById("cg-chain");
    var all = el("option", "全部产业链"); all.value = ""; sel.appendChild(all);
    META.chains.forEach(function (c) { var o = el("option", c.label); o.value = c.id; sel.appendChild(o); });
    if (META.chains.length < 2) sel.disabled = true;
    sel.addEventListener("change", function () { filt.chain = sel.value; refresh(); if (filt.chain) fitChain(filt.chain); });
    var K = document.getElementById("cg-kinds");
    K.appendChild(document.createTextNode("节点："));
    Object.keys(KIND_LABEL).forEach(function (k) {
      if (!META.counts[k]) return;
      var lab = el("label"); var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.setAttribute("data-kind", k);
      cb.addEventListener("change", function () { filt.kinds[k] = cb.checked; refresh(); });
      lab.appendChild(cb); lab.appendChild(document.createTextNode(KIND_LABEL[k])); K.appendChild(lab);
    });
    var S = document.getElementById("cg-statuses");
    S.appendChild(document.createTextNode("状态："));
    META.statuses.forEach(function (x) {
      var lab = el("label"); var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.setAttribute("data-status", x.status);
      cb.addEventListener("change", function () { filt.statuses[x.status] = cb.checked; refresh(); });
      var d = el("span", null, "cg-dot"); d.style.background = x.color; d.style.margin = "0 2px";
      lab.appendChild(cb); lab.appendChild(d); lab.appendChild(document.createTextNode(x.status)); S.appendChild(lab);
    });
    var ex = document.getElementById("cg-expand");
    if (!META.collapsed) { ex.textContent = "全部企业已展开"; ex.disabled = true; }
    ex.addEventListener("click", function () { expandAll(); refresh(); ex.textContent = "全部企业已展开"; ex.disabled = true; });
    document.getElementById("cg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
  }
  function fitChain(chain) {
    var ids = nodeView.getIds().filter(function (id) { return byId[id] && byId[id].chain === chain; });
    if (ids.length) network.fit({ nodes: ids, animation: false });
  }

  // ---------------------------------------------------------------- physics toggle
  var physicsBtn = document.getElementById("cg-physics");
  function setPhysics(on) {
    network.setOptions({ physics: { enabled: on } });
    physicsBtn.setAttribute("aria-pressed", on ? "true" : "false");
    physicsBtn.textContent = on ? "力导向布局：开（稳定后自动关闭）" : "力导向布局：关";
    window.cgPhysics = on;
  }
  physicsBtn.addEventListener("click", function () {
    if (window.cgPhysics) { setPhysics(false); return; }
    setPhysics(true);
    network.stabilize(250);
  });
  network.on("stabilized", function () { if (window.cgPhysics) setPhysics(false); });
  document.getElementById("cg-relayout").addEventListener("click", function () {
    setPhysics(false);
    nodes.update(nodes.getIds().map(function (id) { return { id: id, x: byId[id].x, y: byId[id].y }; }));
    network.fit({ animation: false });
  });

  // ---------------------------------------------------------------- hover card
  var hover = document.getElementById("cg-hover");
  function hoverLines(n) {
    var c = n.card || {}, out = [];
    out.push(["类型", KIND_LABEL[n.kind] || n.kind]);
    if (c.park) out.push(["园区", c.park]); else if (c.city) out.push(["城市", c.city]);
    if (c.products && c.products.length) out.push(["产品", c.products.slice(0, 6)]);
    if (n.kind === "segment") {
      out.push(["产业链", c.chain]); out.push(["阶段", c.stage]);
      out.push(["状态", c.status || "未评估"]);
      out.push(["本地企业", (n.firm_count || 0) + " 家"]);
      if (n.candidate_count) out.push(["候选目标", n.candidate_count + " 个"]);
    }
    if (c.score !== undefined && c.score !== null) out.push(["得分", c.score]);
    if (c.segments && c.segments.length) out.push(["环节", c.segments]);
    return out;
  }
  network.on("hoverNode", function (p) {
    var n = byId[p.node]; if (!n) return;
    clear(hover);
    hover.appendChild(el("div", (n.card && n.card.name) || n.label, "t"));
    hoverLines(n).forEach(function (kv) {
      if (fmt(kv[1]) === "") return;
      var d = el("div"); d.appendChild(el("span", kv[0] + "：", "k")); d.appendChild(document.createTextNode(fmt(kv[1]))); hover.appendChild(d);
    });
    var r = container.getBoundingClientRect();
    hover.style.left = Math.min(r.left + p.pointer.DOM.x + 14, window.innerWidth - 330) + "px";
    hover.style.top = (r.top + p.pointer.DOM.y + 14) + "px";
    hover.hidden = false;
  });
  network.on("blurNode", function () { hover.hidden = true; });
  network.on("dragStart", function () { hover.hidden = true; });

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("cg-details");
  function dl(rows) {
    var d = el("dl");
    rows.forEach(function (kv) {
      var v = fmt(kv[1]);
      if (v === "") return;
      d.appendChild(el("dt", kv[0])); d.appendChild(el("dd", v));
    });
    return d;
  }
  function evidenceList(list) {
    var box = el("div");
    (list || []).forEach(function (e) {
      var q = el("div", null, "cg-quote");
      q.appendChild(el("span", e.quote ? "“" + e.quote + "”" : "（无摘录）"));
      var src = "——《" + (e.title || e.source || "") + "》";
      if (e.start !== null && e.start !== undefined) src += " 第 " + e.start + "–" + e.end + " 字";
      q.appendChild(el("span", src, "cg-src"));
      box.appendChild(q);
    });
    return box;
  }
  function linkTo(id, text) {
    var b = el("button", text, "cg-link"); b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function candidateList(cands) {
    var ol = el("ol", null, "cg-cands");
    cands.forEach(function (c) {
      var li = el("li");
      if (byId[c.id]) li.appendChild(linkTo(c.id, c.name)); else li.appendChild(el("b", c.name));
      if (c.score !== null && c.score !== undefined) li.appendChild(document.createTextNode("　得分 " + fmt(c.score)));
      if (c.city) li.appendChild(document.createTextNode("　" + c.city));
      if (c.introducers && c.introducers.length) c.introducers.forEach(function (p) { li.appendChild(el("div", "引荐路径：" + p, "cg-path")); });
      else li.appendChild(el("div", "引荐路径：暂无（需直接对接）", "cg-hint"));
      if (c.components && Object.keys(c.components).length) li.appendChild(el("div", "评分构成：" + fmt(c.components), "cg-hint"));
      if (c.reason) li.appendChild(el("div", fmt(c.reason), "cg-hint"));
      if (c.evidence && c.evidence.length) li.appendChild(evidenceList(c.evidence));
      ol.appendChild(li);
    });
    return ol;
  }
  function relationsList(id) {
    var box = el("div");
    (adj[id] || []).forEach(function (e) {
      if (e.kind === "member" || e.kind === "feeds") return;
      var other = e.from === id ? e.to : e.from;
      var d = el("div");
      d.appendChild(el("span", EDGE_STYLE[e.kind].label + (e.from === id ? " → " : " ← ")));
      d.appendChild(linkTo(other, (byId[other] && byId[other].card.name) || other));
      if (e.card && e.card.year) d.appendChild(document.createTextNode("（" + e.card.year + "）"));
      box.appendChild(d);
    });
    return box;
  }
  function chainNeighbours(id) {
    var up = [], down = [];
    (adj[id] || []).forEach(function (e) {
      if (e.kind !== "feeds") return;
      if (e.to === id) up.push(e.from); else down.push(e.to);
    });
    return [up, down];
  }
  function showDetails(id) {
    var n = byId[id]; if (!n) return;
    var c = n.card || {};
    clear(panel);
    var h = el("h2", c.name || n.label);
    panel.appendChild(h);
    var badges = el("div");
    var kb = el("span", KIND_LABEL[n.kind] || n.kind, "cg-badge"); badges.appendChild(kb);
    if (n.kind === "segment") {
      var sb = el("span", c.status || "未评估", "cg-badge"); sb.style.background = STATUS_COLOR[c.status] || "#9aa3b2"; badges.appendChild(sb);
    }
    if (n.kind === "candidate") kb.style.background = "#8e44ad";
    panel.appendChild(badges);
    panel.appendChild(dl([
      ["英文名", c.name_en], ["全称", c.full_name], ["简称/别名", c.aliases], ["所在园区", c.park], ["所在城市", c.city],
      ["来源地", c.origin], ["产品", c.products], ["所属环节", c.segments], ["层级", c.tiers], ["股票代码", c.stock_code],
      ["湘商回归", c.xiangshang || null], ["产业链", c.chain], ["阶段", c.stage], ["缺口类型", c.gap_kind],
      ["优先级", c.priority], ["需求", c.demand], ["规划", c.planning], ["链主环节", c.leader_expected || null],
      ["本地企业", c.local_firms], ["行业代码", c.industry_codes], ["得分", c.score], ["评分构成", c.components],
      ["环节数", c.segments_count || (n.kind === "chain" ? c.segments : null)]
    ]));
    if (n.kind === "segment") {
      if (c.status_explanation) {  // why this status, on what evidence, what data is missing (#14)
        panel.appendChild(el("h3", "状态依据"));
        panel.appendChild(el("p", c.status_explanation, "cg-hint"));
      }
      var nb = chainNeighbours(id);
      if (nb[0].length || nb[1].length) {
        panel.appendChild(el("h3", "上下游"));
        [["上游：", nb[0]], ["下游：", nb[1]]].forEach(function (p) {
          if (!p[1].length) return;
          var d = el("div", p[0]);
          p[1].forEach(function (o, i) { if (i) d.appendChild(document.createTextNode("、")); d.appendChild(linkTo(o, byId[o].card.name)); });
          panel.appendChild(d);
        });
      }
      if (c.candidates && c.candidates.length) {
        panel.appendChild(el("h3", "候选招引目标（按得分排序）"));
        var cl = candidateList(c.candidates); cl.id = "cg-candidates"; panel.appendChild(cl);
      } else if (c.status === "缺失" || c.status === "薄弱") {
        panel.appendChild(el("h3", "候选招引目标"));
        panel.appendChild(el("p", "暂无候选企业。", "cg-hint"));
      }
      var lazyCount = DATA.nodes.filter(function (x) { return x.home === id && x.lazy; }).length;
      if (lazyCount) {
        var b = el("button", expanded[id] ? "收起本环节企业" : "展开本环节企业（" + lazyCount + "）", "cg-act"); b.type = "button";
        b.addEventListener("click", function () { toggleSegment(id); showDetails(id); });
        panel.appendChild(b);
      }
    }
    if (n.kind === "candidate") {
      if (c.gaps && c.gaps.length) {
        panel.appendChild(el("h3", "可补链缺口"));
        c.gaps.forEach(function (g) { var d = el("div", "第 " + g.rank + " 名 · "); d.appendChild(linkTo(g.segment, g.label)); panel.appendChild(d); });
      }
      panel.appendChild(el("h3", "引荐路径"));
      if (c.introducers && c.introducers.length) c.introducers.forEach(function (p) { panel.appendChild(el("div", p, "cg-path")); });
      else panel.appendChild(el("div", "暂无（需直接对接）", "cg-hint"));
      if (c.introducer_evidence && c.introducer_evidence.length) panel.appendChild(evidenceList(c.introducer_evidence));
    }
    if (n.kind === "chain") {
      var b2 = el("button", "展开整条链的企业", "cg-act"); b2.type = "button";
      b2.addEventListener("click", function () { expandChain(n.chain); refresh(); fitChain(n.chain); });
      panel.appendChild(b2);
    }
    var rel = relationsList(id);
    if (rel.childNodes.length) { panel.appendChild(el("h3", "关系")); panel.appendChild(rel); }
    if (c.evidence && c.evidence.length) { panel.appendChild(el("h3", "证据与来源（" + c.evidence.length + "）")); panel.appendChild(evidenceList(c.evidence)); }
    panel.setAttribute("data-node", id);
  }
  function showEdge(eid) {
    var e = edgeById[eid]; if (!e) return;
    var c = e.card || {};
    clear(panel);
    panel.appendChild(el("h2", c.kind));
    panel.appendChild(dl([["从", c.from], ["到", c.to], ["类型", c.referral_kind], ["年份", c.year], ["排名", c.rank], ["得分", c.score],
                          ["引荐路径", c.introducers && c.introducers.length ? c.introducers.join("；") : null]]));
    if (c.evidence && c.evidence.length) { panel.appendChild(el("h3", "证据与来源")); panel.appendChild(evidenceList(c.evidence)); }
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
    else if (n && n.kind === "chain") { expandChain(n.chain); refresh(); }
  });

  // ---------------------------------------------------------------- select and search
  function select(id) {
    if (!byId[id]) return false;
    ensureLoaded(id);
    var n = byId[id];
    if (!nodeVisible(n)) {  // a filter hides it: clear the filters that do
      filt.chain = ""; document.getElementById("cg-chain").value = "";
      filt.kinds[n.kind] = true; if (n.kind === "segment") filt.statuses[n.status || ""] = true;
      document.querySelectorAll("#cg-toolbar input[type=checkbox]").forEach(function (cb) {
        var k = cb.getAttribute("data-kind"), s = cb.getAttribute("data-status");
        if (k) cb.checked = !!filt.kinds[k]; if (s) cb.checked = !!filt.statuses[s];
      });
      refresh();
    }
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
      if (best < 9) hits.push([best, KIND_RANK[n.kind] || 9, (n.card && n.card.name || "").length, n.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : 1); });
    return hits.slice(0, 12).map(function (h) { return h[3]; });
  }
  var input = document.getElementById("cg-search"), results = document.getElementById("cg-results");
  function showResults(ids) {
    clear(results);
    ids.forEach(function (id, i) {
      var n = byId[id], li = el("li", n.card.name || n.label);
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
      else { clear(panel); panel.appendChild(el("p", "未找到“" + input.value + "”。", "cg-hint")); }
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });

  header(); legend(); filtersUI();
  window.cg = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, data: DATA,
                search: search, select: select, expandSegment: function (id) { var k = expandSegment(id); refresh(); return k; },
                expandAll: function () { var k = expandAll(); refresh(); return k; }, showDetails: showDetails };
  network.once("afterDrawing", function () {
    window.cgTTI = ((window.performance && performance.now) ? performance.now() : 0);
    window.cgBuildMs = window.cgTTI - t0;
    window.cgReady = true;
    document.body.setAttribute("data-ready", "1");
  });
})();
"""
