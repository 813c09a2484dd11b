"""Rank real firms to recruit into each gap, and explain every rank (招商目标).

Candidates are firms outside the focal park(s) (``ctx.local_firms`` excluded, and any firm
whose full name, short name or alias equals a local firm's after
:func:`chaingraph.lookup.name_key`, so across scripts) that sit in a gap segment found by
:func:`chaingraph.analysis.gaps.find_gaps`.

Score
-----
Each component is a value in [0, 1], or **unknown** (no evidence).  An unknown component takes
its documented **neutral prior** (:data:`PRIORS`), so evidence can only lift a firm above the
prior or push it below; a firm with no evidence never outranks one with good evidence::

    score = Σ_c w_c · v_c / Σ_c w_c,   v_c = the value, or PRIORS[c] when unknown   (4 decimals)

``coverage`` = Σ_known w / Σ w shows how much of the score rests on evidence.  The score of a
firm for a segment depends on that firm and segment alone (gap priority is the segment's own
priority, not normalised over the segments listed), so the report, the Excel list and
``targets`` show the same number.  Components:

=================  ==========================================================================
``gap_priority``   the gap's ``priority`` from find_gaps (already in [0, 1]); 0 when the
                   segment is not a gap.  Always known.
``product_fit``    best segment link of the firm: basis (明确产品 1.0, 明确环节 0.8, 群体表述 0.7,
                   行业代码 0.6, 经营范围/占位占比 0.4, 名称推断 0.4) × confidence (0.4 for suspected
                   stale lines) × share (√min(1, share/0.5): 2% → 0.2, 18% → 0.6, 50% → 1; 0.6 when not stated) ×
                   match strength (exact 1.0, the product's head noun 0.8-1.0, a passing mention
                   0.3-0.7; × 0.6 for a process/form match such as 压铸件 for 电机外壳; 0.7 when the
                   product is not named).  A product that contains one of the segment's exclude
                   terms is a look-alike and does not count.  Prior 0.2.
``proximity``      ties to local firms (and the park's own visits) over supply, referral,
                   relocation-origin and visit edges, undirected, up to 3 steps: each tie source
                   at distance d contributes ``0.5**(d-1)``; ``v = 0.5 + 0.5·(1 − Π(1 − c))``.
                   Prior 0.25 (no known tie: not a cold lead for sure, not a warm one either).
``strategic_fit``  graded by :func:`region_grade`: 粤港澳大湾区 / 长三角 / 湘商 1.0, elsewhere in
                   Hunan 0.9, neighbours (粤北, 郴州, 桂东北) 0.8, Guangdong with the city unknown
                   0.6, any other known place 0.2.  Prior 0.4 (place unknown).
``tier``           best tier: 世界500强 1.0, 中国500强/链主 0.9, 小巨人 0.8, 上市 0.7,
                   专精特新 0.6, 高新技术 0.5, 规上 0.3.  Prior 0.3.
``contacted``      1.0 when the focal park already visited the firm, or holds a lead or project
                   with it at stage 已考察 / 已签约 (a warm lead).  Prior 0.0:
                   no record of a visit is not a record of no contact, it just earns nothing.
=================  ==========================================================================

Candidates already in the park's city (the province, for ``scope="city"``) are not new
recruits: they are listed apart as ``local_rows`` (本地企业增资扩产 / 市内协作), scored alike.

Weights: :data:`DEFAULT_WEIGHTS`, overridable per component (``weights=`` or a JSON/TOML file
via :func:`load_weights`); the result echoes the weights used.

Introducers (以商引商): the local firms reached by the shortest tie paths, nearest first, each
with the path and the evidence of every edge.

Only the rows kept are worked out in full: firms are taken best possible score first and tie
paths are searched only while a firm can still enter the top rows (:mod:`.ties`); a segment with
more than :data:`SERVER_RANK_MIN` candidates on a SPARQL store is ranked by the store from score
bounds (:mod:`.bounds`).  Either way the rows and ranks are those of the full ranking.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> res = rank_targets(ctx)
>>> [(r["segment_label"], r["name"], r["score"]) for r in res["rows"]]
[('电镀', '远方电镀', 0.3225), ('金属材料', '邻园金属', 0.3088)]
>>> res["rows"][0]["components"]["proximity"]["known"]
False
"""

from __future__ import annotations

import bisect
import heapq
from functools import lru_cache
from typing import Iterable, Mapping

from chaingraph.analysis import bounds, snapshot
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.source import query_target_facts
from chaingraph.analysis.ties import MAX_DEPTH, TIE_KINDS, TieGraph, from_edges  # noqa: F401  (re-exported)
from chaingraph.analysis.weights import merge_weights, read_weights
from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.namespaces import CG, PLACE
from chaingraph.pool.matching import PROCESS_FACTOR, TermMatcher
from chaingraph.pool.regions import CITIES, NEIGHBOUR_CITIES, PROVINCES, REGION_LABELS, region_of
from chaingraph.project import evidence_by_subject
from chaingraph.store import background_executor, select_in

#: Default weight of each score component (see the module docstring).
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap_priority": 0.25,
    "product_fit": 0.30,
    "proximity": 0.20,
    "strategic_fit": 0.10,
    "tier": 0.10,
    "contacted": 0.05,
}

COMPONENT_LABELS = {
    "gap_priority": "缺口优先级", "product_fit": "产品匹配", "proximity": "关系邻近",
    "strategic_fit": "战略区域", "tier": "企业层级", "contacted": "已接触",
}

BASIS_FACTOR = {str(CG.StatedProduct): 1.0, str(CG.StatedSegment): 0.8, str(CG.StatedForGroup): 0.7,
                str(CG.IndustryCode): 0.6, str(CG.BusinessScope): 0.4, str(CG.InferredFromName): 0.4}
#: Neutral prior of each component: the value it takes while unknown (see the module docstring).
PRIORS: dict[str, float] = {
    "gap_priority": 0.0, "product_fit": 0.2, "proximity": 0.25, "strategic_fit": 0.4, "tier": 0.3, "contacted": 0.0,
}
#: Region grades of strategic fit (:func:`region_grade`).
GRADE_TARGET, GRADE_HUNAN, GRADE_NEIGHBOUR, GRADE_GUANGDONG, GRADE_OTHER = 1.0, 0.9, 0.8, 0.6, 0.2
SHARE_UNSTATED = 0.6
STRENGTH_UNNAMED = 0.7
WEAK_FIT = 0.3
"""A product fit below this rests on weak evidence (a business-scope line, a placeholder share,
a passing mention or a tiny share): shown as such."""
TIER_SCORE = {str(CG.Fortune500): 1.0, str(CG.China500): 0.9, str(CG.ChainLeader): 0.9, str(CG.LittleGiant): 0.8,
              str(CG.Listed): 0.7, str(CG.SpecializedSME): 0.6, str(CG.HighTech): 0.5, str(CG.AboveScale): 0.3}
GROUP_RECRUIT = "新引进"
GROUP_LOCAL = "本地企业增资扩产 / 市内协作"
SERVER_RANK_MIN = 5000
"""A segment with more candidates than this, on a SPARQL store (not the embedded snapshot), is
ranked by the store (:mod:`chaingraph.analysis.bounds`): only the firms that can reach the top
rows are transferred.  ``excluded_local`` then lists the name matches met on the way, and a
segment's ``candidates`` counts them before the name and region filters."""
#: Regions the plan targets for relocation (沿海产业转移).
TARGET_REGIONS = (PLACE + "gba", PLACE + "yrd")
HUNAN = PLACE + "hunan"
SHARE_FULL = 0.5

RULES = {
    "formula": "得分 = Σ 权重×分项值 / Σ 权重（各分项在0到1之间，保留4位小数）。score = Σ w·v / Σ w",
    "unknown": "没有证据的分项取中性先验值（产品匹配0.2、关系邻近0.25、战略区域0.4、企业层级0.3、已接触0），证据只能把企业从先验值往上抬或往下压；证据覆盖 = 有证据分项的权重 / 总权重。",
    "gap_priority": "该环节的缺口优先级（find_gaps，0到1，不在名单间再归一化）；非缺口为0。",
    "product_fit": "依据（明确产品1.0、明确环节0.8、群体表述0.7、行业代码0.6、经营范围或占位占比0.4、名称推断0.4）× 可信度（疑似历史业务0.4）× 营收占比（√min(1,占比/50%)：2%→0.2、18%→0.6、50%及以上→1；未披露0.6）× 匹配强度（完全一致1.0、产品中心词0.8-1.0、顺带提及0.3-0.7；仅靠工艺/形态词如“压铸件”对“电机外壳”再×0.6）。含排除词的相似产品（如“镀锌板”之于电镀）不计。低于0.3为弱证据。先验0.2。",
    "proximity": "与本地企业或园区的关系（供应、引荐、迁出地、拜访），3步以内；距离d的每个来源贡献0.5^(d-1)；值 = 0.5 + 0.5×(1 − Π(1 − c))。无已知关系取先验0.25。",
    "strategic_fit": "粤港澳大湾区、长三角、湘商1.0；湖南省内其他地区0.9；邻近地区（粤北、郴州、桂东北）0.8；广东但城市未知0.6；其他已知地区0.2；地点未知取先验0.4。地点取自工商地址、企业全称或用户名单。",
    "tier": "世界500强1.0、中国500强/链主0.9、专精特新小巨人0.8、上市0.7、专精特新0.6、高新技术0.5、规上0.3；未知取先验0.3。",
    "contacted": "园区已拜访、已考察或已签约（热线索）1.0；没有记录取0（不表示没有接触过）。",
    "local": "已在本市（city范围时为本省）的企业不算新引进对象，单列为“本地企业增资扩产 / 市内协作”。",
}


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default weights updated with ``weights``; unknown keys or negative values raise.

    Examples
    --------
    >>> resolve_weights({"tier": 0})["tier"]
    0.0
    """
    return merge_weights(DEFAULT_WEIGHTS, weights)


def load_weights(path) -> dict[str, float]:
    """Read weights from a JSON object or a TOML table (``key = number`` lines), checked
    (:func:`~chaingraph.analysis.weights.read_weights`)."""
    return resolve_weights(read_weights(path))


# ---------------------------------------------------------------- facts from the RDF graph


def target_facts(graph, segments: Iterable[str] | None = None) -> dict:
    """Segment-link details and place hierarchy that the firm graph does not carry.

    Returns ``{"links": {(firm, segment): [{product, share, basis, confidence}]},
    "places": {place: {label, ancestors: [...], regions: [...]}}}``.  ``segments`` restricts
    the links to those segments.  An embedded build answers from its analysis snapshot
    (:func:`chaingraph.analysis.snapshot.target_facts`, made once per build by
    :func:`~chaingraph.analysis.source.query_target_facts`); other graphs are queried.
    """
    stored = snapshot.target_facts(graph, segments)
    return stored if stored is not None else query_target_facts(graph, segments)


# ---------------------------------------------------------------- components


def _product_fit(firm: dict, links: list[dict], matcher, segment: str | None = None) -> tuple[float | None, list[dict]]:
    """Best product fit of one (firm, segment) and the products behind it (see the module docstring).

    Each product shown carries ``share``, ``strength`` (match strength, ``None`` when the
    product is not named or its name has no term of the segment), ``form`` (matched through a
    process/form word only), ``weak`` (business-scope line, placeholder share or fit below
    :data:`WEAK_FIT`) and ``fit``.  Look-alikes (an exclude term of the segment in the name)
    are dropped.
    """
    best, shown = None, []

    def strength_of(product):
        if not product or matcher is None:
            return None, False, False
        if segment is not None and segment in matcher.excluded(product):
            return None, False, True
        m = matcher.match(product)
        if not m:
            return None, False, False
        form = bool(m["process"])
        return m["strength"] * (PROCESS_FACTOR if form else 1.0), form, False

    for ln in links:
        strength, form, excluded = strength_of(ln.get("product"))
        if excluded:
            continue
        share = ln.get("share")
        conf = ln.get("confidence") if ln.get("confidence") is not None else 1.0
        share_term = min(1.0, max(0.0, share) / SHARE_FULL) ** 0.5 if share is not None else SHARE_UNSTATED
        v = BASIS_FACTOR.get(ln.get("basis"), 0.5) * conf * share_term * (strength if strength is not None else STRENGTH_UNNAMED)
        scope_line = ln.get("basis") == str(CG.BusinessScope)
        shown.append({"product": ln.get("product"), "share": share, "specificity": strength, "strength": strength,
                      "form": form, "business_scope": scope_line, "weak": scope_line or v < WEAK_FIT,
                      "stale_suspect": conf < 0.5, "fit": round(v, 4)})
        best = v if best is None else max(best, v)
    if best is None and matcher is not None:
        for p in firm.get("products", []):
            strength, form, excluded = strength_of(p)
            if strength is None:
                continue
            v = BASIS_FACTOR[str(CG.StatedProduct)] * SHARE_UNSTATED * strength
            shown.append({"product": p, "share": None, "specificity": strength, "strength": strength, "form": form,
                          "business_scope": False, "weak": v < WEAK_FIT, "stale_suspect": False, "fit": round(v, 4)})
            best = v if best is None else max(best, v)
    shown.sort(key=lambda x: (-x["fit"], x["product"] or ""))
    return best, shown


def _tie_graph(ctx, removed_edges: Iterable = ()) -> TieGraph:
    """Undirected tie graph: fact edges plus ``city`` edges firm—place (relocation-origin ties).

    Built from the relation facts alone (no evidence, no firm attributes: evidence is fetched
    for the paths shown, :func:`_fill_evidence`).  Edges are added in the order of the firm
    graph's edge iteration (source firms by IRI, then visiting parks), so searches find the same
    route whichever way the facts were fetched.  Kept on the firm source (shared by the contexts
    of one open store) for the same local firms and removed edges.
    """
    skip = frozenset(removed_edges)
    key = ("ties", skip, ctx.local_firms)
    cached = ctx.source.cache.get(key)
    if cached is not None:
        return cached
    if skip:
        g = from_edges([e for e in ctx.source.relation_edges() if e["fact"] not in skip])
    else:
        g = ctx.source.tie_graph()
    origins = ctx.source.relocation_origins(skip)
    if origins:
        rows = select_in(ctx.source.graph, "SELECT ?f ?c WHERE { ?f cg:city ?c . ?f a ?t FILTER(?t = cg:Company) }", "c", origins)
        city: dict[str, str] = {}
        for r in rows:  # a firm's city is its smallest, as in project.firms
            if r["f"] not in city or r["c"] < city[r["f"]]:
                city[r["f"]] = r["c"]
        for f in sorted(city):
            if city[f] in origins and f not in ctx.local_firms:
                g.add_edge(f, city[f], {"kind": "city", "fact": None, "evidence": [], "year": None, "src": f, "dst": city[f]})
    for old in [k for k in ctx.source.cache if k[0] == "ties"]:  # one tie graph at a time
        del ctx.source.cache[old]
    ctx.source.cache[key] = g
    return g


def _fill_evidence(ctx, tg: TieGraph, steps: set[tuple[str, str]]) -> None:
    """Attach evidence to the edges shown on path steps ``(a, b)`` (one query for all of them)."""
    shown = [d for a, b in steps for d in tg.edge_data(a, b)]
    todo = {d["fact"] for d in shown if d["fact"] and d.get("evidence") is None}
    if not todo:
        return
    ev = evidence_by_subject(ctx.source.graph, subjects=todo)
    for d in shown:
        if d["fact"] in todo:
            d["evidence"] = ev.get(d["fact"], [])


def _path_edges(tg: TieGraph, path: list[str], label) -> list[dict]:
    out = []
    for a, b in zip(path, path[1:]):
        d = tg.edge(a, b)
        out.append({
            "from": a, "from_label": label(a), "to": b, "to_label": label(b), "kind": d["kind"],
            "direction": f"{label(d['src'])} → {label(d['dst'])}", "fact": d["fact"],
            "evidence": [{k: e.get(k) for k in ("source", "title", "quote", "start", "end")} for e in (d.get("evidence") or [])],
        })
    return out


def _ties_shown(tg: TieGraph, firm: str, local: frozenset, park_search: dict, label) -> tuple[list[tuple], str | None]:
    """The 3 nearest local firms and every focal park within reach of ``firm``, with paths.

    Returns ``([(distance, label, iri, path from it to firm)…], proximity note)``; local firms
    nearest first (then by label), then the parks.  The note counts the local firms reached.
    """
    found = tg.search(firm, sources=local, want=3)
    near = sorted((d, label(x), x) for d, x in found.reached)
    ties = [(d, lab_, x, found.path(x)) for d, lab_, x in near[:3]]
    for p, ps in park_search.items():
        d = ps.distance(firm)
        if d is not None and d > 0:
            ties.append((d, label(p), p, list(reversed(ps.path(firm)))))
    if not ties:
        return [], None
    nearest = min(t[0] for t in ties)
    if found.complete:
        return ties, f"{len(near)} local firm(s), nearest {nearest} step(s)"
    return ties, f"at least {len(near)} local firm(s) within {found.depth} step(s), nearest {nearest} step(s)"


def _place_regions(place: str | None, places: dict) -> tuple[set[str], bool]:
    """(place + ancestors + regions, known?) for a place IRI, using the graph or the slug tables."""
    if not place:
        return set(), False
    info = places.get(place)
    out = {place} | _slug_regions(place)
    if info:
        out |= set(info["ancestors"]) | set(info["regions"])
    return out, True


@lru_cache(maxsize=4096)
def _slug_regions(place: str) -> frozenset[str]:
    """Provinces and regions of a place IRI whose slug is a city or province of the built-in tables."""
    out: set[str] = set()
    slug = place[len(PLACE):] if place.startswith(PLACE) else ""
    for _, (cs, prov, regs) in CITIES.items():
        if cs == slug:
            ps, _, pregs = PROVINCES[prov]
            out |= {PLACE + ps, *(PLACE + r for r in regs), *(PLACE + r for r in pregs)}
    for _, (ps, _, pregs) in PROVINCES.items():
        if ps == slug:
            out |= {PLACE + r for r in pregs}
    return frozenset(out)


def _firm_regions(firm: dict, places: dict) -> tuple[set[str], bool]:
    """(place IRIs, regions and ancestors of the firm's place, known?): its ``cg:city`` (from a
    registered address or the user's list), else the place read from its full name."""
    regs, known = _place_regions(firm.get("city"), places)
    if not known and firm.get("full_name"):
        r = region_of(firm["full_name"])
        if r:
            known = True
            regs = {PLACE + r["province_slug"], *(PLACE + x for x in r["regions"])}
            if r["city_slug"]:
                regs.add(PLACE + r["city_slug"])
    return regs, known


def region_grade(regs: set[str], known: bool, xiangshang: bool = False) -> tuple[float | None, list[str]]:
    """Strategic-fit grade of a place (its IRI, ancestors and regions) and the reasons, in Chinese.

    粤港澳大湾区 / 长三角 / 湘商 1.0; elsewhere in Hunan 0.9; neighbours 粤北, 郴州, 桂东北
    (:data:`chaingraph.pool.regions.NEIGHBOUR_CITIES`) 0.8; Guangdong with the city unknown 0.6
    (whether it is in the Greater Bay Area is not known); any other known place 0.2; ``None``
    when the place is unknown (the prior applies).  A Guangdong firm is in the GBA when its city is.

    Examples
    --------
    >>> region_grade({PLACE + "shenzhen", PLACE + "guangdong", PLACE + "gba"}, True)
    (1.0, ['粤港澳大湾区'])
    >>> region_grade({PLACE + "guangdong"}, True)
    (0.6, ['广东（城市未知，是否在大湾区待核实）'])
    >>> region_grade({PLACE + "guilin", PLACE + "guangxi"}, True)
    (0.8, ['邻近地区（桂东北）'])
    >>> region_grade(set(), False)
    (None, [])
    """
    why, grade = [], None
    if xiangshang:
        why.append("湘商")
        grade = GRADE_TARGET
    names = {PLACE + "gba": "粤港澳大湾区", PLACE + "yrd": "长三角"}
    for r in TARGET_REGIONS:
        if r in regs:
            why.append(names[r])
            grade = GRADE_TARGET
    if grade is not None:
        return grade, why
    near = sorted({NEIGHBOUR_CITIES[p[len(PLACE):]] for p in regs if p.startswith(PLACE) and p[len(PLACE):] in NEIGHBOUR_CITIES})
    if HUNAN in regs:
        return GRADE_HUNAN, ["湖南省内（湘商回归/省内转移）"] + [f"邻近地区（{n}）" for n in near]
    if near:
        return GRADE_NEIGHBOUR, [f"邻近地区（{n}）" for n in near]
    if PLACE + "guangdong" in regs and not any(p != PLACE + "guangdong" and p.startswith(PLACE) and p[len(PLACE):] not in ("gba", "yrd") for p in regs):
        return GRADE_GUANGDONG, ["广东（城市未知，是否在大湾区待核实）"]
    if known:
        return GRADE_OTHER, []
    return None, []


def _strategic(firm: dict, places: dict) -> tuple[float | None, list[str]]:
    regs, known = _firm_regions(firm, places)
    return region_grade(regs, known, bool(firm.get("xiangshang")))


def _good_places(places: dict) -> set[str]:
    """Place IRIs whose firms may get a strategic fit above :data:`GRADE_OTHER` (the store's
    bound counts them at 1.0): target regions, Hunan, neighbours, Guangdong, and every place in them."""
    cands = set(places) | {HUNAN, *TARGET_REGIONS} | {PLACE + cs for cs, _, _ in CITIES.values()} | {PLACE + ps for ps, _, _ in PROVINCES.values()}
    return {p for p in cands if (region_grade(*_place_regions(p, places))[0] or 0) > GRADE_OTHER}


def _score(components: dict[str, dict]) -> tuple[float, float]:
    """(score, coverage): unknown components count at their prior (:data:`PRIORS`)."""
    total_w = sum(c["weight"] for c in components.values())
    if total_w <= 0:
        return 0.0, 0.0
    known_w = sum(c["weight"] for c in components.values() if c["known"])
    s = sum(c["weight"] * (c["value"] if c["known"] else c.get("prior", 0.0)) for c in components.values()) / total_w
    return round(s, 4), round(known_w / total_w, 4)


# ---------------------------------------------------------------- ranking


def warm_leads(ctx) -> dict[str, list[str]]:
    """``{firm: [reasons]}``: firms a focal park has a recruitment lead or project with at stage
    已考察 (``cg:Visited``) or 已签约 (``cg:Signed``) — warm leads, like the park's visits."""
    rows = select_in(ctx.source.graph, """SELECT ?f ?st WHERE { #VALUES
        ?x cg:firm ?f ; cg:park ?p ; cg:leadStage ?st FILTER(?st IN (cg:Visited, cg:Signed)) }""", "p", sorted(ctx.parks))
    out: dict[str, list[str]] = {}
    for r in rows:
        why = "园区已签约" if r["st"].endswith("Signed") else "园区已考察"
        if why not in out.setdefault(r["f"], []):
            out[r["f"]].append(why)
    return {f: sorted(v) for f, v in out.items()}


def local_name_index(ctx) -> dict[str, str]:
    """``{name_key: local_firm}`` for every name of every local firm."""
    out: dict[str, str] = {}
    keys = ctx.source.name_keys(ctx.local_firms)
    for f in sorted(ctx.local_firms):
        for k in keys.get(f, []):
            out.setdefault(k, f)
    return out


def _matches_region(firm: dict, wanted: set[str], places: dict) -> bool:
    return bool(_firm_regions(firm, places)[0] & wanted)


def home_area(ctx, places: dict) -> str | None:
    """The place whose firms are local, not new recruits: the focal park's city (scope ``park``)
    or that city's province (scope ``city``); ``None`` when the park's city is not recorded."""
    city = (ctx.park_info.get(ctx.park) or {}).get("city")
    if not city:
        return None
    if ctx.scope != "city":
        return city
    regs, _ = _place_regions(city, places)
    provinces = sorted(p for p in regs if p != city and p not in TARGET_REGIONS and p.startswith(PLACE)
                       and (places.get(p, {}).get("ancestors") == [] or p == HUNAN))
    return HUNAN if HUNAN in regs else (provinces[0] if provinces else city)


def resolve_regions(names: Iterable[str], places: dict) -> set[str]:
    """Place IRIs for region names (粤港澳大湾区, 大湾区, 长三角, 湖南, 深圳, slugs or IRIs)."""
    out = set()
    for n in names:
        k = name_key(n)
        hit = None
        if n.startswith("http"):
            hit = n
        for slug, lab_ in REGION_LABELS.items():
            if k in (name_key(lab_), slug) or (slug == "gba" and k == "大湾区"):
                hit = PLACE + slug
        for short, (ps, full, _) in PROVINCES.items():
            if k in (name_key(short), name_key(full), ps):
                hit = PLACE + ps
        for short, (cs, _, _) in CITIES.items():
            if k in (name_key(short), name_key(short + "市"), cs):
                hit = PLACE + cs
        for p, info in places.items():
            if name_key(info["label"]) == k:
                hit = p
        if hit is None:
            raise ChaingraphError(f"unknown region {n!r}; try 粤港澳大湾区, 长三角, a province (湖南) or a city (深圳)")
        out.add(hit)
    return out


def rank_targets(
    ctx,
    *,
    chain: str | None = None,
    segment: str | None = None,
    top: int = 10,
    regions: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    gaps: list[dict] | None = None,
    facts: dict | None = None,
    removed_edges: Iterable = (),
) -> dict:
    """Rank candidate firms for each gap segment and explain each rank.

    Parameters
    ----------
    ctx : AnalysisContext
        From :func:`chaingraph.analysis.context.build_context`.
    chain : str, optional
        Chain IRI to restrict to.
    segment : str, optional
        Segment IRI: rank only for this segment (ranked even when it is not a gap).
    top : int
        Candidates kept per segment (``0`` = all).
    regions : iterable of str
        Keep only candidates in these places/regions (names or IRIs, see :func:`resolve_regions`).
    weights : mapping, optional
        Component weights (missing keys keep :data:`DEFAULT_WEIGHTS`).
    gaps : list of dict, optional
        Precomputed :func:`~chaingraph.analysis.gaps.find_gaps` rows (default: computed).
    facts : dict, optional
        :func:`target_facts` of the RDF graph (revenue shares, place hierarchy); without it
        product fit uses product names only and places use the built-in region tables.
    removed_edges : iterable
        Firm-graph edge keys (fact IRIs) to ignore (for backtests).

    Returns
    -------
    dict
        ``{"rows", "segments", "empty", "excluded_local", "weights", "rules", "params"}``.
        ``rows`` (by chain, gap priority, segment, rank): ``rank``, ``segment``,
        ``segment_label``, ``chain``, ``chain_label``, ``gap_kind``, ``gap_status``, ``firm``,
        ``name``, ``full_name``, ``stock_code``, ``city``, ``tiers``, ``products`` (matched,
        with share/specificity), ``score``, ``coverage``, ``components`` ({name: {value,
        known, weight, note}}), ``introducers`` (local firms with paths and edge evidence),
        ``why`` (one line).  ``empty``: segments with no candidate, with a ``message``.
    """
    w = resolve_weights(weights)
    facts = facts or {"links": {}, "places": {}}
    places = facts.get("places", {})
    wanted = resolve_regions(regions, places) if regions else set()  # a bad region fails before any work
    if gaps is None:
        only = None if segment is None else [segment]
        gaps = find_gaps(ctx, chain=chain, candidates_listed=0, segments=only, unrecorded=True)  # priorities only; 未见记录 segments ranked too, labelled (#14)
    gap_by_seg = {g["segment"]: g for g in gaps}
    if segment is not None:
        if segment not in ctx.dag:
            raise ChaingraphError(f"segment not in the chain templates: {segment}")
        segs = [segment]
    else:
        segs = [g["segment"] for g in gaps if g["segment"] in ctx.dag]
    if chain is not None:
        segs = [s for s in segs if ctx.dag.nodes[s]["chain"] == chain]
    # 强链 of a segment a leading local firm holds (find_gaps' ``recruit`` mode "partners"):
    # recruit its suppliers and customers, not its competitors (only when no segment was asked for)
    partners_for: dict[str, dict] = {}
    if segment is None:
        local_by_seg = ctx.segment_firms()
        for s in list(segs):
            g = gap_by_seg.get(s)
            recruit = (g or {}).get("recruit") or {}
            if recruit.get("mode") != "partners":
                continue
            segs.remove(s)
            held = sorted(local_by_seg.get(s, []), key=lambda f: (f not in ctx.leaders, f))
            up = set(ctx.dag.predecessors(s))
            for n in recruit.get("segments", []):
                if n not in ctx.dag:
                    continue
                partners_for.setdefault(n, {"for": s, "role": "上游配套" if n in up else "下游客户", "leaders": held})
                if n not in segs and (chain is None or ctx.dag.nodes[n]["chain"] == chain):
                    segs.append(n)
                    gap_by_seg.setdefault(n, {**g, "segment": n, "partner_of": s})

    # candidates: firms outside the focal park(s) in the segments ranked (fetched for those only;
    # a segment with more than SERVER_RANK_MIN of them on a store is ranked there, see bounds.py)
    counts = {} if ctx.source.in_memory else ctx.outside_counts(segs, listed=0)
    on_store = {s for s in segs if s in counts and counts[s][0] > SERVER_RANK_MIN}
    by_seg = ctx.outside_firms([s for s in segs if s not in on_store])
    local_keys = local_name_index(ctx)
    focal = set(ctx.parks)
    excluded_local: list[dict] = []
    info: dict[str, dict] = {}
    verdict: dict[str, bool] = {}
    home = home_area(ctx, places)
    in_home: set[str] = set()  # firms already in the city (province): 本地企业增资扩产 / 市内协作

    def admit(firms: Iterable[str]) -> list[str]:
        """The candidates among ``firms`` (sorted; summaries kept in ``info``): a firm, not local,
        not a local firm under another name, and in the regions asked for."""
        firms = set(firms) - ctx.local_firms
        todo = sorted(f for f in firms if f not in verdict)
        if todo:
            info.update(ctx.source.summaries(todo))  # what scoring reads; the rows shown get every attribute
            keys = ctx.source.name_keys(todo)
            for f in todo:
                d = info.get(f)
                hit = d is not None and next((local_keys[k] for k in keys.get(f, []) if k in local_keys), None)
                if hit:
                    excluded_local.append({"firm": f, "name": d.get("label"), "local_firm": hit, "local_name": ctx.firm_label(hit)})
                verdict[f] = d is not None and not hit and (not wanted or _matches_region(d, wanted, places))
                if verdict[f] and home and home in _firm_regions(d, places)[0]:
                    verdict[f] = False
                    in_home.add(f)
        return [f for f in sorted(firms) if verdict.get(f)]

    kept_candidates = set(admit({f for fs in by_seg.values() for f in fs}))

    def gap_value(s: str) -> float:  # the segment's own priority: one score definition everywhere
        g = gap_by_seg.get(s)
        return min(1.0, max(0.0, float(g.get("priority") or 0.0))) if g else 0.0

    # the store starts ranking its segments now (one at a time, in the background on a server)
    # while the tie graph and the firms with ties are fetched
    executor = background_executor(ctx.source.graph) if on_store else None
    store_pages = {}
    good = _good_places(places) if on_store else set()
    for s in (s for s in segs if s in on_store):
        store_pages[s] = bounds.ranked_members(ctx.source.graph, ctx.segment_closure([s])[s], executor=executor,
                                               gap_priority=round(gap_value(s), 4), weights=w,
                                               tier_scores=TIER_SCORE, good_places=good, priors=PRIORS,
                                               other_grade=GRADE_OTHER)
    try:
        tg = _tie_graph(ctx, removed_edges)
        sources = set(ctx.local_firms) | focal
        visited = ctx.source.visited_by(focal)
        warm = warm_leads(ctx)  # stated visits, 考察 and 签约 of the focal parks
        visited = visited | set(warm)
        flags = tg.mark(sources)
        ctx.source.prefetch_labels(focal)
        label = ctx.firm_label
        park_search = {p: tg.search(p) for p in sorted(focal)}  # park ties: one search per focal park

        firm_parts: dict[str, tuple] = {}
        proximity: dict[str, float | None] = {}
        rows, seg_summary, empty, local_rows, weak_only = [], [], [], [], []
        for s in segs:
            node = ctx.dag.nodes[s]
            matcher = TermMatcher([{"iri": s, "terms": node.get("product_terms", []),
                                    "process_terms": node.get("process_terms", []),
                                    "exclude_terms": node.get("exclude_terms", [])}])
            g = gap_by_seg.get(s)
            gp = gap_value(s)
            if s in on_store:  # firms with ties, visits or links are scored here; the store bounds the rest
                closure = ctx.segment_closure([s])[s]
                linked = {f for f, s_ in facts.get("links", {}) if s_ == s}
                own = ctx.source.segments(set(tg.nodes) | visited | linked)  # the few with ties, visits, links
                special = set(admit(f for f, ss in own.items() if closure.intersection(ss)))
                in_seg = sorted(special)
                n_candidates = counts[s][0]
            else:
                in_seg = [f for f in by_seg.get(s, []) if f in kept_candidates]
                n_candidates = len(in_seg)

            def make_row(f: str, prox: float | None, d: dict | None = None) -> dict:
                d = d or info[f]
                if f not in firm_parts:
                    strat, why_region = _strategic(d, places)
                    tiers = [TIER_SCORE[t] for t in d.get("tier_iris", []) if t in TIER_SCORE]
                    firm_parts[f] = (strat, why_region, max(tiers) if tiers else None)
                strat, why_region, tier = firm_parts[f]
                fit, prods = _product_fit(d, facts.get("links", {}).get((f, s), []), matcher, s)
                comps = {
                    "gap_priority": (gp, True, f"{g['kind']} 优先级 {g.get('priority')}" if g else "非缺口环节"),
                    "product_fit": (fit, fit is not None, "；".join(product_text(p) for p in prods[:3]) or "没有产品证据"),
                    "proximity": (prox, prox is not None, "没有已知关系"),  # note filled for the rows shown
                    "strategic_fit": (strat, strat is not None, "、".join(why_region) or ("地点已知，非目标地区" if strat is not None else "地点未知")),
                    "tier": (tier, tier is not None, "、".join(d.get("tiers", [])) or "层级未知"),
                    "contacted": (1.0 if f in visited else None, f in visited,
                                  "、".join(warm.get(f, ["园区已拜访"])) if f in visited else "无拜访、考察或签约记录"),
                }
                components = {
                    k: {"value": round(v, 4) if v is not None else None, "known": known, "weight": w[k], "note": note,
                        "label": COMPONENT_LABELS[k], "prior": PRIORS[k]}
                    for k, (v, known, note) in comps.items()
                }
                score, coverage = _score(components)
                return {
                    "segment": s, "segment_label": node["label"], "chain": node["chain"],
                    "chain_label": node.get("chain_label"), "gap_kind": g["kind"] if g else None,
                    "gap_status": g.get("status") if g else None,
                    "gap_explanation": g.get("status_explanation") if g else None,
                    "gap_recruit": g.get("recruit") if g else None,
                    "firm": f, "name": d["label"], "full_name": d.get("full_name"), "stock_code": d.get("stock_code"),
                    "city": d.get("city_label") or _place_text(d, places), "tiers": d.get("tiers", []), "products": prods,
                    "weak_evidence": not prods or all(p["weak"] for p in prods),
                    "score": score, "coverage": coverage, "components": components,
                    "introducers": None, "park_ties": None, "why": None,  # filled for the rows shown
                }

            def rank_key(r: dict) -> tuple:
                return (-r["score"], -r["coverage"], r["name"], r["firm"])

            # Proximity is the one costly component (a search per firm).  Rank by the best key each
            # firm could reach (proximity unknown, or 1.0) and search only while a firm can still
            # enter the top rows: the rows kept, and their ranks, are those of the full ranking.
            bounded = []
            for f in in_seg:
                r0 = make_row(f, None)
                best = dict(r0, components={**r0["components"], "proximity": {**r0["components"]["proximity"], "value": 1.0, "known": True}})
                best["score"], best["coverage"] = _score(best["components"])
                bounded.append((min(rank_key(r0), rank_key(best)), f, r0))
            bounded.sort(key=lambda x: x[0])
            stream = bounded
            if s in on_store:
                def from_store(s=s, special=special):
                    for page in store_pages[s]:
                        admitted = set(admit(r["f"] for r in page if r["f"] not in special))
                        for r in page:
                            if r["f"] in admitted:
                                yield (-r["ub"], -r["cov"], r["label"], r["f"]), r["f"], make_row(r["f"], None)
                stream = heapq.merge(bounded, from_store(), key=lambda x: x[0])
            seg_rows, keys = [], []
            for bound, f, r0 in stream:
                if top and len(keys) >= top and bound > keys[top - 1]:
                    break
                if f not in proximity:
                    proximity[f] = tg.proximity(f, flags)
                r = r0 if proximity[f] is None else make_row(f, proximity[f])
                k = rank_key(r)
                at = bisect.bisect(keys, k)
                keys.insert(at, k)
                seg_rows.insert(at, r)
            for i, r in enumerate(seg_rows, start=1):
                r["rank"] = i
            kept = seg_rows if not top else seg_rows[:top]

            def finish(kept: list[dict]) -> list[dict]:
                full = ctx.firm_info(r["firm"] for r in kept)
                kept = [dict(make_row(r["firm"], proximity[r["firm"]], full[r["firm"]]), rank=r["rank"]) for r in kept]
                # introducers, park ties, paths and their evidence only for the rows shown
                shown = {r["firm"]: _ties_shown(tg, r["firm"], ctx.local_firms, park_search, label) for r in kept}
                _fill_evidence(ctx, tg, {(a, b) for ties, _ in shown.values() for _, _, _, p in ties for a, b in zip(p, p[1:])})
                for r in kept:
                    ties, note = shown[r["firm"]]
                    if note:
                        r["components"]["proximity"]["note"] = note
                    paths = [{"firm": x, "label": lab_, "distance": d_, "path": _path_edges(tg, p, label)} for d_, lab_, x, p in ties]
                    introducers = [p for p in paths if p["firm"] in ctx.local_firms]
                    r["introducers"] = introducers
                    r["park_ties"] = [p for p in paths if p["firm"] in focal]
                    r["why"] = _why(r, introducers)
                return kept

            kept = finish(kept)
            partner = partners_for.get(s)
            for r in kept:
                r["group"] = GROUP_RECRUIT
                if partner:
                    lead = "、".join(label(f) for f in partner["leaders"])
                    r["strengthens"] = {"segment": partner["for"], "label": ctx.dag.nodes[partner["for"]]["label"],
                                        "role": partner["role"], "leaders": partner["leaders"]}
                    r["why"] = (f"强链「{ctx.dag.nodes[partner['for']]['label']}」：为" + (f"龙头{lead}" if lead else "本地龙头")
                                + f"引进{partner['role']}；" + r["why"])
            # firms already in the city (province): their own group, scored alike
            home_rows = []
            for f in sorted(f for f in (by_seg.get(s, []) if s not in on_store else ()) if f in in_home):
                if f not in proximity:
                    proximity[f] = tg.proximity(f, flags)
                home_rows.append(make_row(f, proximity[f]))
            home_rows.sort(key=rank_key)
            for i, r in enumerate(home_rows, start=1):
                r["rank"] = i
            home_label = places.get(home, {}).get("label") if home else None
            for r in finish(home_rows if not top else home_rows[:top]):
                r["group"] = GROUP_LOCAL
                r["why"] = f"已在{home_label or '本地'}：{GROUP_LOCAL}对象，不算新引进；" + r["why"]
                local_rows.append(r)
            seg_summary.append({"segment": s, "label": node["label"], "chain": node["chain"],
                                "chain_label": node.get("chain_label"), "priority": g.get("priority") if g else None,
                                "kind": g["kind"] if g else None, "candidates": n_candidates,
                                "local_candidates": len(home_rows),
                                "only_weak": bool(kept) and all(r["weak_evidence"] for r in kept)})
            if not n_candidates:
                empty.append({"segment": s, "label": node["label"], "chain": node["chain"], "chain_label": node.get("chain_label"),
                              "message": f"候选库中没有「{node['label']}」环节的企业。"
                                         f"补充候选：`chaingraph import 名单.xlsx`（企业信息平台导出的名单）或 `chaingraph pool build`。"})
            elif seg_summary[-1]["only_weak"]:
                weak_only.append({"segment": s, "label": node["label"], "chain": node["chain"], "chain_label": node.get("chain_label"),
                              "message": f"候选库中没有以「{node['label']}」为主业的企业：所列{len(kept)}家仅有弱证据"
                                         "（经营范围、占位占比、顺带提及或极小营收占比），须核实。"
                                         f"补充候选：`chaingraph import 名单.xlsx`（企业信息平台导出的名单）。"})
            rows += kept
        order = {s["segment"]: (s["chain_label"] or "", -(s["priority"] or 0), s["segment"]) for s in seg_summary}
        rows.sort(key=lambda r: (order[r["segment"]], r["rank"]))
        local_rows.sort(key=lambda r: (order[r["segment"]], r["rank"]))
        seg_summary.sort(key=lambda s: order[s["segment"]])
        return {
            "rows": rows,
            "local_rows": local_rows,
            "segments": seg_summary,
            "empty": empty,
            "weak_only": weak_only,
            "partners_instead": [{"segment": v["for"], "label": ctx.dag.nodes[v["for"]]["label"], "leaders": v["leaders"],
                                  "leader_labels": [ctx.firm_label(f) for f in v["leaders"]],
                                  "partner_segments": sorted(n for n, x in partners_for.items() if x["for"] == v["for"])}
                                 for v in {x["for"]: x for x in partners_for.values()}.values()],
            "excluded_local": sorted(excluded_local, key=lambda x: x["firm"]),
            "weights": w,
            "rules": dict(RULES),
            "params": {"park": ctx.park, "parks": list(ctx.parks), "scope": ctx.scope, "chain": chain,
                       "segment": segment, "top": top, "regions": sorted(wanted), "home_area": home,
                       "home_label": places.get(home, {}).get("label") if home else None},
        }
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def product_text(p: dict) -> str:
    """``压铸件 98%`` / ``电镀 占比未知（经营范围，弱证据）``: one product line for people."""
    t = (p["product"] or "未注明产品") + (f" {p['share']:.0%}" if p["share"] is not None else " 占比未知")
    tags = [x for x, on in (("经营范围", p.get("business_scope")), ("仅工艺/形态匹配", p.get("form")),
                            ("疑似历史业务", p.get("stale_suspect")), ("弱证据", p.get("weak"))) if on]
    return t + (f"（{'，'.join(tags)}）" if tags else "")


def _place_text(firm: dict, places: dict) -> str | None:
    """The firm's place as people say it, from its full name when no place is recorded."""
    r = region_of(firm.get("full_name")) if firm.get("full_name") else None
    if not r:
        return None
    return r["city"] if r["city"] and r["city"] != r["province"] else (r["province"] + ("（城市未知）" if not r["city"] else ""))


def _why(row: dict, introducers: list[dict]) -> str:
    """推荐理由: one line in plain Chinese — what it makes, why it fits, who can introduce us,
    what is unknown."""
    c = row["components"]
    prods = row.get("products") or []
    parts = []
    strong = [p for p in prods if not p["weak"]]
    if strong:
        parts.append("主营" + "、".join(product_text(p) for p in strong[:2]))
    elif prods:
        parts.append("仅有弱证据：" + "、".join(product_text(p) for p in prods[:2]))
    else:
        parts.append("没有产品证据")
    if row.get("gap_kind"):
        parts.append(f"可补「{row['segment_label']}」{row['gap_kind']}")
    region = c["strategic_fit"]
    if region["known"]:
        parts.append(region["note"] if region["value"] > GRADE_OTHER else f"位于{row.get('city') or '非目标地区'}")
    if introducers:
        parts.append("可请" + "、".join(i["label"] for i in introducers[:2]) + "引荐")
    if c["contacted"]["known"]:
        parts.append(f"{c['contacted']['note']}（热线索）")
    unknown = [c[k]["label"] for k in ("strategic_fit", "proximity", "tier") if not c[k]["known"]]
    unknown_txt = {"战略区域": "所在地", "关系邻近": "与本地企业的关系", "企业层级": "企业层级"}
    if unknown:
        parts.append("未知：" + "、".join(unknown_txt.get(u, u) for u in unknown))
    return "；".join(parts)
