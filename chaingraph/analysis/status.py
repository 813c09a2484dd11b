"""Evidence-graded segment status, data coverage, the 配套环节覆盖率, and the Chinese wording.

This is the one module that says what a status means: the CLI tables, ``report``, the HTML map
and the Excel file take the words (:data:`STATUSES`, :data:`STATUS_INFO`, :data:`KIND_INFO`) and
the explanations (:func:`explain_status`, :func:`explain_gap`, :func:`legend`) from here.

Status of a segment for the focal park(s) — the first rule that applies wins:

=============  ==========================================================================
status         rule (evidence it rests on)
=============  ==========================================================================
**薄弱**        present (a rule below 强/具备 holds) **and** a source states a lack or a need
               for it in scope: a ``cg:StatedLack`` planning statement, or a planning
               statement about the focal park itself asking to fill it (a local firm's stated
               need for local supply, e.g. 围绕中钽电子…做好电镀资质文章)
**强**          a local firm in it leads its field (chain leader, 小巨人, Fortune 500, a stated
               market rank, or a ``ClaimLeading`` segment statement) — even if it is the only one
**具备**        a named local firm in it, a reported count for it, or a source states it is
               present: a cluster (``ClaimCluster``), ``ClaimPresent``, a local firm's stated
               capability (``ClaimCapability``); the reason says how many firms are known
**在建/签约**   nothing operating is known, but a project for it is under construction or signed
               in the park (``ClaimUnderConstruction`` / ``ClaimSigned``)
**缺失**        nothing local is known and a source states the lack in scope: a
               ``cg:StatedLack`` or fill-gap (``cg:FillGap``: 引进/补齐…) planning statement about
               the focal park or the whole city; or (rule of completeness) the named firms
               cover at least :data:`COMPLETE_COVERAGE` of a reported whole-population count of
               the park's firms in that chain, so that no named firm means none
**未见记录**    nothing known and nothing stated: the graph cannot tell present from absent
=============  ==========================================================================

At park scope a city-wide statement the plan means for another park (``cg:hostPark``) is shown
as such: it does not make the segment 缺失 (the plan places it elsewhere), and enters gap
priorities at :data:`OTHER_HOST_WEIGHT`.  At city scope every city statement counts fully.

A segment is **present** when its status is 强, 具备 or 薄弱.

**Same activity.**  Two segments of different chain templates declared to name the same activity
(``cg:sameActivityAs``, symmetric; e.g. the city chain's 电子元器件 and 先进电子器件's 电子元件) share
their evidence: the local firms of the equivalent (its sub-segments included) count as firms for
every rule above, and its stated lacks and needs as stated lacks and needs — each labelled with
the segment it comes from (``已知4家（等同环节先进电子器件「电子元件」：锦络电子、…）``,
``same_activity_firms``, ``same_activity`` evidence).  So a lack the graph's own firms contradict
is never claimed; the firms stay out of ``local_firms`` (the graph does not place them in this
chain).  Segments that are only alike (a shared industry code or product word) share nothing;
a statement covering both is pointed out when their statuses differ (``same_statement``).
``cg:includesActivityOf`` (a coarse segment covering a finer one of another chain) is one way:
the finer segment's firms count for the coarse one (labelled 所含环节), not the reverse, and no
lack or need is shared (a part's lack is no lack of the whole).
A segment with no reported count of its own takes the largest reported count of the segments
it is linked to (``same_activity_count``, ``count`` evidence quoted and labelled with the segment
it comes from: ``已知5家（所含环节先进电子器件「显示模组（LCM/TFT模组）」：创鑫隆，来源报道共5家）``).
The largest, never a sum: two linked segments (显示模组 and 触控模组) may count the same firm and no
source says they are disjoint, so the largest is a safe lower bound; a count of its own wins.

配套环节覆盖率 (share of template inputs with a local segment; it was called 本地配套率, but it is
a share of template edges, not of purchasing value): over every ``feeds`` edge ``u → s`` of the
chain whose consumer ``s`` is present, the share whose supplier segment ``u`` is present too::

    rate = |{u → s : s present, u present}| / |{u → s : s present}|

(``None`` when no present segment has an input in the template), shown with the data coverage
(:func:`chain_coverage`) it rests on.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> st = segment_statuses(ctx)
>>> [(ctx.segment_label(s), st[s]["status"]) for s in ctx.chain_segments()]
[('金属材料', '未见记录'), ('冲压', '具备'), ('电镀', '缺失'), ('整机', '强'), ('回收', '未见记录')]
>>> st["https://w3id.org/chaingraph/id/segment/x-plating"]["explanation"]
'缺失：本地未见企业，来源表述其缺乏或需引进：“补齐电镀环节”（示范规划）'
>>> supporting_rate(ctx, "https://w3id.org/chaingraph/id/chain/demo")["rate"]
0.3333
"""

from __future__ import annotations

#: Status words, strongest first.
STATUSES = ("强", "具备", "薄弱", "在建/签约", "缺失", "未见记录")
#: Statuses that mean the segment is present locally.
PRESENT = frozenset({"强", "具备", "薄弱"})
#: Statuses that claim a lack (evidenced).
LACKING = frozenset({"缺失"})
NO_RECORD = "未见记录"
BUILDING = "在建/签约"

#: Named firms / reported whole-population count from which "no named firm" means "none".
COMPLETE_COVERAGE = 0.8
#: Weight of a city planning statement meant for another park, at park scope.
OTHER_HOST_WEIGHT = 0.25

STATUS_INFO: dict[str, dict[str, str]] = {
    "强": {
        "zh": "有本地企业且有来源表明其领先（链主、小巨人、500强、市场排名或明确表述），即使仅1家",
        "en": "a local firm in it is stated to lead its field (chain leader, little giant, Fortune 500, a market rank), even if alone",
        "color": "#2e9e5b",
    },
    "具备": {
        "zh": "有具名本地企业、报道数量，或来源称已有/已成集群/企业自有该能力",
        "en": "a named local firm, a reported count, or a source states presence, a cluster or a firm's capability",
        "color": "#4a90d9",
    },
    "薄弱": {
        "zh": "本地已有，但来源明确表述其缺乏、瓶颈或本园企业的配套需求",
        "en": "present, but a source states a lack, a bottleneck or a local firm's need for it",
        "color": "#f0a030",
    },
    "在建/签约": {
        "zh": "尚无投产企业记录，但有在建或已签约项目面向该环节",
        "en": "nothing operating is recorded, but a project for it is under construction or signed",
        "color": "#8e6bbf",
    },
    "缺失": {
        "zh": "本地未见企业，且来源明确表述缺乏或需引进（或数据覆盖完整，可判定为无）",
        "en": "nothing local, and a source states the lack or the need to recruit it (or the data is complete enough)",
        "color": "#d64545",
    },
    "未见记录": {
        "zh": "图谱中既无本地企业也无相关表述：不能判定有无，不是缺失",
        "en": "no local firm and no statement recorded: unknown, not a lack",
        "color": "#9aa3b2",
    },
}

KIND_INFO: dict[str, dict[str, str]] = {
    "断链": {"zh": "来源表明缺失，且本地上下游均已有：链条在此断开", "en": "evidenced lack between present up- and downstream segments"},
    "补链": {"zh": "来源表明缺失，本地有下游需求（或规划要求引进）：补上缺的环节", "en": "evidenced lack with local demand downstream (or a plan to recruit it)"},
    "延链": {"zh": "来源表明缺失，本地仅有上游：向下游延伸", "en": "evidenced lack with only upstream present: extend the chain"},
    "强链": {"zh": "本地已有但薄弱或规划要求做强：龙头环节引上下游配套伙伴，其他环节引同类企业", "en": "present but weak or planned to be strengthened: partners up/downstream for a leading segment, peers otherwise"},
    "未见记录": {"zh": "无记录，先核实再招商，不参与缺口排序", "en": "no record: verify before recruiting; not ranked among the gaps"},
}


def legend() -> list[dict]:
    """``[{status, zh, en, color}]`` in :data:`STATUSES` order (for tables, the map, Excel).

    >>> [x["status"] for x in legend()][:2]
    ['强', '具备']
    """
    return [{"status": s, **STATUS_INFO[s]} for s in STATUSES]


def cite(ev: dict | None) -> str:
    """One piece of evidence as “quote”（source title）; empty when there is none.

    >>> cite({"quote": "补齐电镀环节", "source_title": "示范规划"})
    '“补齐电镀环节”（示范规划）'
    """
    if not ev or not ev.get("quote"):
        return ""
    title = ev.get("source_title") or ev.get("title")
    return f"“{ev['quote']}”" + (f"（{title}）" if title else "")


# ---------------------------------------------------------------- coverage


def chain_coverage(ctx, chain: str, firms_by_segment: dict[str, list[str]] | None = None) -> dict:
    """How much of the park's firms in ``chain`` the graph names.

    Returns ``{chain, chain_label, named (distinct named local firms in the chain's segments),
    reported (the largest reported whole-population count, summed over focal parks, or None),
    reported_population, lower_bounds ([{count, population}] counts of subsets), share
    (named / reported, or None), complete (share >= COMPLETE_COVERAGE), text}``.
    """
    sf = ctx.segment_firms() if firms_by_segment is None else firms_by_segment
    named = {f for s in ctx.chain_segments(chain) for f in sf.get(s, [])}
    counts = ctx.chain_reported_counts(chain)
    whole: dict[str, dict] = {}
    for c in counts:
        if c.get("whole") and (c["park"] not in whole or c["count"] > whole[c["park"]]["count"]):
            whole[c["park"]] = c
    reported = sum(c["count"] for c in whole.values()) if whole else None
    share = round(len(named) / reported, 4) if reported else None
    label = ctx.chains.get(chain, {}).get("label", chain)
    lower = [{"count": c["count"], "population": c["population"]} for c in counts if not c.get("whole")]
    if reported:
        text = f"{label}：具名本地企业{len(named)}家／报道{reported}家（{'、'.join(c['population'] for c in whole.values())}），覆盖约{share:.0%}"
    else:
        extra = "；".join(f"报道{x['population']}{x['count']}家" for x in lower)
        text = f"{label}：具名本地企业{len(named)}家，来源未报道该链企业总数" + (f"（{extra}）" if extra else "")
    return {
        "chain": chain,
        "chain_label": label,
        "named": len(named),
        "reported": reported,
        "reported_population": "、".join(c["population"] for c in whole.values()) or None,
        "lower_bounds": lower,
        "share": share,
        "complete": bool(share is not None and share >= COMPLETE_COVERAGE),
        "text": text,
    }


def park_coverage(ctx) -> dict:
    """Named local firms vs the park's reported firm total (above-scale firms), for headers.

    Returns ``{named, reported, population, text}``; ``reported`` None when no total is stated.
    """
    best: dict[str, dict] = {}
    for c in ctx.reported_counts:
        if c["segment"] or c["chain"] or not (c["population"] or "").count("规模以上"):
            continue
        if c["park"] not in best or (c["year"] or "") > (best[c["park"]]["year"] or ""):
            best[c["park"]] = c
    named = len(ctx.local_firms)
    reported = sum(c["count"] for c in best.values()) if best else None
    if reported:
        pop = "、".join(c["population"] for c in best.values())
        text = f"{ctx.park_label}：图谱具名本地企业{named}家，来源报道{pop}{reported}家"
    else:
        pop, text = None, f"{ctx.park_label}：图谱具名本地企业{named}家，来源未报道企业总数"
    return {"named": named, "reported": reported, "population": pop, "text": text}


# ---------------------------------------------------------------- statuses


def planning_weight(ctx, p: dict) -> tuple[float, str | None]:
    """(weight, note) of a planning statement at the context's scope (see the module docstring)."""
    host = p.get("host_park")
    if ctx.scope == "park" and p.get("scope") == "city" and host and host not in ctx.parks:
        name = ctx.park_info.get(host, {}).get("label", host)
        return OTHER_HOST_WEIGHT, f"全市规划，拟由{name}承接"
    if p.get("scope") == "city":
        return 1.0, "全市规划"
    return 1.0, "本园规划" if p.get("park") in ctx.parks else "规划"


def _ev(kind: str, text: str, item: dict) -> dict:
    return {
        "kind": kind,
        "text": text,
        "quote": item.get("quote"),
        "source_title": item.get("source_title") or item.get("title"),
        "fact": item.get("fact"),
    }


def segment_statuses(ctx, firms_by_segment: dict[str, list[str]] | None = None) -> dict[str, dict]:
    """``{segment: info}`` for every segment in the context (rules in the module docstring).

    ``info`` keys: ``status``, ``reason`` (short Chinese reason), ``explanation`` (a Chinese
    sentence with the quotes it rests on), ``evidence`` (``[{kind, text, quote, source_title,
    fact}]``; kinds ``firm``, ``count``, ``leader``, ``statement``, ``lack``, ``need``,
    ``project``, ``coverage``), ``missing`` (what data would settle it, Chinese),
    ``local_firms`` (IRIs), ``leaders`` (IRIs), ``reported_count``, ``present``,
    ``elsewhere`` (city statements meant for another park, at park scope).

    ``firms_by_segment`` defaults to ``ctx.segment_firms()`` (the local firms).
    """
    sf = ctx.segment_firms() if firms_by_segment is None else firms_by_segment
    closure = ctx.segment_closure(ctx.dag.nodes)
    coverage = {c: chain_coverage(ctx, c, sf) for c in ctx.chains}
    by_seg_stmt = _statements_by_segment(ctx)
    by_seg_plan: dict[str, list[dict]] = {}
    for p in ctx.planning:
        for s in p["segments"]:
            by_seg_plan.setdefault(s, []).append(p)
    counts_by_seg: dict[str, list[dict]] = {}  # the reported counts of the focal parks, with their quotes
    for c in ctx.reported_counts:
        if c["segment"] and c["park"] in ctx.parks:
            counts_by_seg.setdefault(c["segment"], []).append(c)
    gone: dict[str, list[str]] = {}  # what-if: segments whose known firms were taken out
    for f in getattr(ctx, "removed", ()):
        for s in ctx.covered_segments(f):
            gone.setdefault(s, []).append(f)
    out = {}
    for s in sorted(ctx.dag.nodes):
        firms = sf.get(s, [])
        same = _same_activity_firms(ctx, s, firms, sf)
        also = [f for x in same for f in x["firms"]]
        rc = ctx.reported_count(s)
        stmts = [x for t in sorted(closure.get(s, {s})) for x in by_seg_stmt.get(t, [])]
        leaders, evidence = _leaders(ctx, firms + also, stmts)
        presence = [x for x in stmts if x["claim"] in ("ClaimPresent", "ClaimCluster", "ClaimCapability")]
        building = [x for x in stmts if x["claim"] in ("ClaimUnderConstruction", "ClaimSigned")]
        lack, need, elsewhere = _plan_evidence(ctx, by_seg_plan.get(s, []))
        for x in (x for x in same if x["relation"] == "same"):  # a stated lack or need of the same
            # activity, labelled with its segment (a part's lack is no lack of the whole: not shared)
            said = {e["fact"] for e in lack + need + elsewhere}
            more = _plan_evidence(ctx, [p for p in by_seg_plan.get(x["segment"], []) if p["fact"] not in said])
            for mine, theirs in zip((lack, need, elsewhere), more):
                mine += [{**e, "who": f"{_same_where(x)}：", "text": f"{_same_where(x)}：{e['text']}"} for e in theirs]
        counted = [c for t in sorted(closure.get(s, {s})) for c in counts_by_seg.get(t, [])]
        carried = None if rc else _same_activity_count(ctx, same, counts_by_seg)
        evidence += _presence_evidence(ctx, firms, rc, presence, building, counted)
        evidence += [_same_activity_ev(ctx, x) for x in same if x["firms"]]
        if carried:  # after the linked segments' firms, as a segment's own count after its firms
            evidence += carried.pop("evidence")
        left = [f for x in ctx.dag.nodes[s].get("same_activity", ()) for f in gone.get(x["segment"], ())]
        found = {"firms": firms, "also": also, "same": same, "rc": rc, "carried": carried, "leaders": leaders,
                 "presence": presence,
                 "building": building, "lack": lack, "need": need,
                 "gone": list(dict.fromkeys([*gone.get(s, ()), *left])) or None,
                 "coverage": coverage.get(ctx.dag.nodes[s]["chain"])}
        status, reason, missing, more = _decide(ctx, found)
        info = {
            "status": status,
            "reason": reason,
            "evidence": evidence + more + elsewhere,
            "missing": missing,
            "local_firms": list(firms),
            "same_activity_firms": also,
            "leaders": leaders,
            "reported_count": rc,
            "same_activity_count": carried,
            "present": status in PRESENT,
            "elsewhere": elsewhere,
        }
        out[s] = info
    _same_statement(ctx, out)
    for s, info in out.items():
        info["explanation"] = explain_status(info)
        node = ctx.dag.nodes[s]
        info["brief"] = explain_status(info, brief=True, terms=[node["label"], *node.get("product_terms", ())])
    return out


def _same_activity_firms(ctx, s: str, own: list[str], sf: dict[str, list[str]]) -> list[dict]:
    """The segments declared to name the same activity as ``s`` (``cg:sameActivityAs``, the
    node's ``same_activity``), each ``{segment, label, chain_label, firms}``: their local firms
    not already in ``own``.  An equivalent outside the context's DAG (a context restricted to one
    chain) is looked up through the local firms' own segments."""
    out, seen = [], set(own)
    for x in ctx.dag.nodes[s].get("same_activity", ()):
        t = x["segment"]
        if t in ctx.dag:
            theirs = sf.get(t, [])
        else:
            covers = set(x["covers"])
            owned = ctx.source.segments(sorted(ctx.local_firms))
            theirs = sorted(f for f in ctx.local_firms if covers.intersection(owned.get(f, ())))
        firms = [f for f in theirs if f not in seen]
        seen.update(firms)
        out.append({"segment": t, "label": x["label"], "chain_label": x["chain_label"], "firms": firms,
                    "relation": x["relation"]})
    return out


def _same_activity_count(ctx, same: list[dict], counts_by_seg: dict[str, list[dict]]) -> dict | None:
    """The reported count carried over from the linked segments ``same`` (:func:`_same_activity_firms`)
    of a segment that has no count of its own: the largest of their counts (a lower bound: two
    linked segments may count the same firm, so counts are never summed), as ``{count, segment,
    label, chain_label, relation, evidence}`` (``evidence``: its ``count`` evidence, quoted and
    labelled with the segment it comes from), or None when no linked segment has a count."""
    best = None
    for x in same:
        t, covers = x["segment"], x.get("covers") or [x["segment"]]
        if t in ctx.dag:
            n = ctx.reported_count(t)
        else:  # outside a one-chain context: its own counts and its sub-segments', the largest
            n = max((v for u in covers if (v := ctx.reported_count(u)) is not None), default=None)
        if n and (best is None or n > best[0]):
            best = (n, x, [c for u in covers for c in counts_by_seg.get(u, [])])
    if best is None:
        return None
    n, x, counted = best
    where = _same_where(x)
    evidence = [_ev("count", f"来源报道{where}{c['count']}家", {**(c.get("evidence") or [{}])[0], "fact": c["fact"]})
                for c in counted] or [_plain_ev("count", f"来源报道{where}{n}家")]
    for e in evidence:
        e.update(segment=x["segment"], segment_label=x["label"], chain_label=x["chain_label"], relation=x["relation"])
    return {"count": n, "segment": x["segment"], "label": x["label"], "chain_label": x["chain_label"],
            "relation": x["relation"], "evidence": evidence}


def _same_where(x: dict) -> str:
    kind = "等同环节" if x["relation"] == "same" else "所含环节"
    return f"{kind}{x['chain_label']}「{x['label']}」"


def _same_activity_ev(ctx, x: dict) -> dict:
    """``same_activity`` evidence: the local firms of an equivalent segment, labelled as such."""
    n = len(x["firms"])
    names = "、".join(ctx.firm_label(f) for f in x["firms"][:6]) + ("等" if n > 6 else "")
    return {**_plain_ev("same_activity", f"图谱有{_same_where(x)}的本地企业{n}家：{names}"),
            "segment": x["segment"], "segment_label": x["label"], "chain_label": x["chain_label"],
            "firms": list(x["firms"]), "relation": x["relation"]}


def excerpt(quote: str, terms=(), width: int = 30) -> str:
    """``quote`` cut to about ``width`` characters for a table cell, showing the part that names
    the segment (the longest piece, two characters or more, of one of ``terms``) when the start
    does not (the first of ``terms`` with such a piece decides): a plan listing 光电显示 at its
    end is not cut before it.

    >>> excerpt("实施电子信息产业承接专项，重点承接智能化仪器仪表、新型电子元器件、光电显示、半导体照明等产业", ["显示面板"])
    '…接智能化仪器仪表、新型电子元器件、光电显示、半导体照明等产业'
    >>> excerpt("电镀件、铸造件、模具等环节缺乏", ["电镀"])
    '电镀件、铸造件、模具等环节缺乏'
    """
    if len(quote) <= width:
        return quote
    best = None  # (length, -position) of the first term found (the segment's name first): its
    for t in terms:  # longest piece, the earliest of equals
        for n in range(len(t), 1, -1):
            hits = [(n, -quote.find(t[i:i + n])) for i in range(len(t) - n + 1) if t[i:i + n] in quote]
            if hits:
                best = max(hits)
                break
        if best:
            break
    end = -best[1] + best[0] if best else 0
    if end <= width:
        return quote[:width] + "…"
    stop = len(quote) if len(quote) - end <= 12 else end + 8  # to the end when little is left
    return "…" + quote[max(0, stop - width):stop] + ("…" if stop < len(quote) else "")


def _basis(ctx, info: dict, *, brief: bool = False) -> str:
    """What the graph holds for a segment, in the words that tell two statuses apart."""
    firms = info["local_firms"]
    if firms:
        names = "、".join(ctx.firm_label(f) for f in firms[:3]) + ("等" if len(firms) > 3 else "")
        return f"有{names}" if brief else f"图谱有本地企业{len(firms)}家：{names}"
    also = [e for e in info["evidence"] if e["kind"] == "same_activity"]
    if also:  # present through an equivalent segment only: say through which
        firms = [f for e in also for f in e["firms"]]
        names = "、".join(ctx.firm_label(f) for f in firms[:3]) + ("等" if len(firms) > 3 else "")
        where = "、".join(_same_where({**e, "label": e["segment_label"]}) for e in also)
        return f"{'等同' if also[0]['relation'] == 'same' else '所含'}环节有{names}" if brief else f"图谱有{where}的本地企业{len(firms)}家：{names}"
    if info["reported_count"]:
        return f"来源报道本地企业{info['reported_count']}家"
    if info.get("same_activity_count"):
        x = info["same_activity_count"]
        return f"来源报道{_same_where(x)}{x['count']}家"
    if info["present"]:
        return "来源表述已有"
    if info["status"] == BUILDING:
        return "有在建或已签约项目"
    return "未见本地企业" if brief else "图谱未见本地企业"


def same_activity(dag, a: str, b: str) -> bool:
    """Whether segments ``a`` and ``b`` (of two chain templates) name the same activity: they
    share a GB/T 4754 industry code or a product word (电镀 in 先进装备制造 and 电镀及表面处理
    in 先进电子器件: 3360)."""
    na, nb = dag.nodes[a], dag.nodes[b]
    return bool(set(na["industry_codes"]) & set(nb["industry_codes"])
                or set(na["product_terms"]) & set(nb["product_terms"]))


def _same_statement(ctx, out: dict[str, dict]) -> None:
    """Point a status resting on a stated lack or need to the segments of other chains that the
    same statement covers, that name the same activity (:func:`same_activity`) and have another
    status, saying what made the difference: the city plan's “电镀件、铸造件、模具等环节缺乏”
    covers 电镀 in 先进装备制造, 缺失 with no local firm known, and 电镀及表面处理 in 先进电子器件,
    薄弱 because 锦络电子 plates there.  Adds ``same_statement`` evidence (``segment``,
    ``segment_label``, ``chain_label``, ``other_status``, ``brief`` beside the usual keys)."""
    covered: dict[str, list[str]] = {}
    for p in ctx.planning:
        if p.get("fact"):
            covered.setdefault(p["fact"], []).extend(t for t in p["segments"] if t in out)
    for s, info in out.items():
        chain = ctx.dag.nodes[s]["chain"]
        seen = set()
        for e in list(info["evidence"]):
            if e["kind"] not in ("lack", "need") or not e.get("fact"):
                continue
            for t in covered.get(e["fact"], ()):
                other = out[t]
                if (t in seen or ctx.dag.nodes[t]["chain"] == chain or other["status"] == info["status"]
                        or not same_activity(ctx.dag, s, t)):
                    continue
                seen.add(t)
                where = f"{ctx.chains.get(ctx.dag.nodes[t]['chain'], {}).get('label', '')}「{ctx.segment_label(t)}」"
                text = (f"同一表述也涵盖{where}，该环节为{other['status']}，因{_basis(ctx, other)}；"
                        f"本环节{_basis(ctx, info)}，故为{info['status']}")
                info["evidence"].append({
                    **_ev("same_statement", text, e), "segment": t, "segment_label": ctx.segment_label(t),
                    "chain_label": ctx.chains.get(ctx.dag.nodes[t]["chain"], {}).get("label"),
                    "other_status": other["status"],
                    "brief": f"同一表述下{where}为{other['status']}（{_basis(ctx, other, brief=True)}）"})


def _statements_by_segment(ctx) -> dict[str, list[dict]]:
    """The context's segment statements by segment (those about a firm: local firms only)."""
    out: dict[str, list[dict]] = {}
    for st in ctx.statements:
        if st["firm"] and st["firm"] not in ctx.local_firms:
            continue
        for s in st["segments"]:
            out.setdefault(s, []).append(st)
    return out


def _leaders(ctx, firms: list[str], stmts: list[dict]) -> tuple[list[str], list[dict]]:
    """(leading firms, their ``leader`` evidence): leaders among ``firms`` (tier, leader pull,
    market rank: ``ctx.leader_info``), then firms a ``ClaimLeading`` statement names."""
    evidence: list[dict] = []
    leaders = [f for f in firms if f in ctx.leaders or f in ctx.leader_info]
    for f in leaders:
        for why in ctx.leader_info.get(f) or [{"text": "链主企业"}]:
            evidence.append(_ev("leader", f"{ctx.firm_label(f)}：{why['text']}", why))
    for st in stmts:
        if st["claim"] == "ClaimLeading" and st["firm"] and st["firm"] not in leaders:
            leaders.append(st["firm"])
            evidence.append(_ev("leader", f"{ctx.firm_label(st['firm'])}：{st['claim_label']}", st))
    return leaders, evidence


def _plan_evidence(ctx, plans: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(lack, need, elsewhere) evidence from the planning statements naming a segment: a stated
    lack or a city/other plan to recruit it, the park's own plan to fill it, a city statement
    meant for another park."""
    lack, need, elsewhere = [], [], []
    for p in plans:
        weight, note = planning_weight(ctx, p)
        intent = (p["intent"] or "").rsplit("#", 1)[-1]
        if intent not in ("StatedLack", "FillGap"):
            continue
        if weight < 1.0:
            elsewhere.append(_ev("elsewhere", f"{note}：{p['topic']}", p))
        elif intent == "StatedLack":
            lack.append(_ev("lack", f"{note}表述缺乏：{p['topic']}", p))
        elif p.get("scope") == "park":
            need.append(_ev("need", f"{note}要求补齐：{p['topic']}", p))
        else:
            lack.append(_ev("lack", f"{note}要求引进：{p['topic']}", p))
    return lack, need, elsewhere


def _plain_ev(kind: str, text: str) -> dict:
    return {"kind": kind, "text": text, "quote": None, "source_title": None, "fact": None}


def _presence_evidence(ctx, firms: list[str], rc: int | None, presence: list[dict], building: list[dict],
                       counted: list[dict] = ()) -> list[dict]:
    """Evidence that something is there: named firms, reported counts (each with its quote),
    statements of presence and projects under construction or signed."""
    evidence = []
    n = len(firms)
    if n:
        names = "、".join(ctx.firm_label(f) for f in firms[:6]) + ("等" if n > 6 else "")
        evidence.append(_plain_ev("firm", f"本地具名企业{n}家：{names}"))
    for c in counted:
        ev = (c.get("evidence") or [{}])[0]
        evidence.append(_ev("count", f"来源报道{c['population'] or '本地该环节企业'}{c['count']}家",
                            {"quote": ev.get("quote"), "title": ev.get("title"), "fact": c["fact"]}))
    if rc and not counted:
        evidence.append(_plain_ev("count", f"来源报道本地该环节企业{rc}家"))
    for x in presence + building:
        who = f"{ctx.firm_label(x['firm'])}：" if x["firm"] else ""
        evidence.append({**_ev("statement" if x in presence else "project", f"{who}{x['claim_label']}", x),
                         "who": who or None})
    return evidence


def _decide(ctx, found: dict) -> tuple[str, str, str, list[dict]]:
    """(status, reason, missing data, evidence the rule adds): the first rule of the module
    docstring that holds for what was ``found`` about a segment."""
    firms, rc, leaders, presence = found["firms"], found["rc"], found["leaders"], found["presence"]
    lack, need = found["lack"], found["need"]
    also = found.get("also") or []  # local firms of the segments declared the same activity
    carried = found.get("carried")  # a linked segment's reported count (only when none of its own)
    present = bool(firms or also or rc or carried or presence or leaders)
    size = max(len(firms) + len(also), rc or (carried or {}).get("count") or 0)
    known = f"已知{size}家" if size else "无具名企业"
    if firms:  # the named firms the status rests on (a reported count names none)
        names = "、".join(ctx.firm_label(f) for f in firms[:3]) + ("等" if len(firms) > 3 else "")
        known = f"已知{size}家（{names}）" if size == len(firms) else f"已知{size}家（含具名{names}）"
    counted_at = (carried or {}).get("segment")
    if also:  # named as the equivalent segment's firms, never as this segment's own
        where = "；".join(f"{_same_where(x)}：" + "、".join(ctx.firm_label(f) for f in x["firms"][:3])
                         + ("等" if len(x["firms"]) > 3 else "")
                         + (f"，来源报道共{carried['count']}家" if x["segment"] == counted_at else "")
                         for x in found["same"] if x["firms"])
        mine = "、".join(ctx.firm_label(f) for f in firms[:3]) + ("等" if len(firms) > 3 else "")
        known = f"已知{size}家（" + (f"本环节{mine}；" if firms else "") + f"{where}）"
    if carried and not any(x["firms"] and x["segment"] == counted_at for x in found["same"]):
        said = f"来源报道{_same_where(carried)}{carried['count']}家"  # where the count comes from
        known = f"{known[:-1]}；{said}）" if known.endswith("）") else f"{known}（{said}）"
    weak_lack = [e for e in lack if e["kind"] == "lack" and e["text"].find("缺乏") >= 0]
    if present and (need or weak_lack):
        return "薄弱", f"本地已有，{known}，但来源表述缺乏或配套需求", "", need + weak_lack
    if leaders:
        names = "、".join(ctx.firm_label(f) for f in leaders)
        if also and set(leaders) & set(also):
            return "强", f"含领先企业：{names}，{known}", "", []
        return "强", f"含领先企业：{names}" + (f"（已知{size}家）" if size > 1 else "（仅此1家亦计为强）"), "", []
    if present:
        if size >= 2:
            return "具备", known, "", []
        if size == 1:
            return "具备", f"{known}，数据未覆盖全部企业，深度未知", "该环节本地企业的完整名单", []
        said = "、".join(dict.fromkeys(x["claim_label"] for x in presence))
        return "具备", "来源表述已有：" + said, "该环节的具名企业", []
    if found["building"]:
        said = "、".join(dict.fromkeys(x["claim_label"] for x in found["building"]))
        return BUILDING, "有在建或已签约项目：" + said, "项目投产情况", []
    if found["gone"]:
        reason = f"假设{'、'.join(ctx.firm_label(f) for f in found['gone'])}迁出后，本地无已知企业"
        return "缺失", reason, "", [_plain_ev("scenario", reason), *lack, *need]
    if lack or need:
        return "缺失", "来源表述缺乏或需引进", "", lack + need
    cov = found["coverage"]
    if cov and cov["complete"]:
        return "缺失", f"数据覆盖完整（{cov['text']}），本地无具名企业即判定为无", "", [_plain_ev("coverage", cov["text"])]
    return NO_RECORD, "本地未见企业，亦无来源表述缺乏", "园区该环节企业名单或规划表述", []


_CITE_ORDER = {"lack": 0, "need": 0, "statement": 1, "project": 1, "count": 1, "leader": 2, "elsewhere": 3}


def status_fields(info: dict) -> dict:
    """The status keys every segment row carries (gaps, panorama), from one
    :func:`segment_statuses` entry."""
    return {
        "status": info["status"],
        "status_reason": info["reason"],
        "status_explanation": info["explanation"],
        "status_brief": info["brief"],
        "status_evidence": info["evidence"],
        "missing_data": info["missing"],
    }


def explain_status(info: dict, *, brief: bool = False, terms=()) -> str:
    """One Chinese sentence: the status, why, the quotes it rests on, and what data is missing.

    ``brief``: only the first quote, shortened to 30 characters, without source titles (table
    cells); the full sentence is in JSON, CSV, the map and Excel.

    >>> explain_status({"status": "未见记录", "reason": "本地未见企业，亦无来源表述缺乏", "evidence": [], "missing": "园区该环节企业名单"})
    '未见记录：本地未见企业，亦无来源表述缺乏；缺少数据：园区该环节企业名单'
    """
    status = info["status"]
    if status == "缺失" and any(e["kind"] in ("lack", "need") for e in info["evidence"]):
        head = "本地未见企业，来源表述其缺乏或需引进"
    else:
        head = info["reason"]
    parts = [f"{status}：{head}"]
    # a 强 status rests on its leaders: their evidence first
    order = dict(_CITE_ORDER, leader=-1) if status == "强" else _CITE_ORDER
    quoted = sorted((e for e in info["evidence"] if e["kind"] in order), key=lambda e: order[e["kind"]])
    cites = []
    for e in quoted[:1 if brief else 4]:
        c = cite(e)
        if brief and c:
            q = e["quote"]
            c = f"“{excerpt(q, terms)}”"
        if e["kind"] == "elsewhere":  # the note (全市规划，拟由…承接), after whose segment it is
            who = e.get("who") or ""
            cites.append(f"{who}{e['text'][len(who):].split('：')[0]}{c}")
        elif e["kind"] in ("leader", "count") and c:
            cites.append(f"{e['text']}{c}")
        elif e.get("who") and c:  # a firm's own capability or project: say whose
            cites.append(f"{e['who'].rstrip('：')}{c}")
        elif c:
            cites.append(c)
    if cites:
        parts[0] += "：" + "；".join(cites)
    parts += [e["brief" if brief else "text"] for e in info["evidence"] if e["kind"] == "same_statement"]
    if info.get("missing"):
        parts.append(f"缺少数据：{info['missing']}")
    return "；".join(parts)


def explain_gap(row: dict) -> str:
    """The Chinese explanation of a gap row (:func:`chaingraph.analysis.gaps.find_gaps`)."""
    parts = [f"{row['kind']}（{KIND_INFO.get(row['kind'], {}).get('zh', '')}）", row.get("status_explanation") or row["status_reason"]]
    if row.get("demand"):
        need = "、".join(f"{d['label']}（{d['segment_label']}）" for d in row["demand"][:6])
        more = f"等{len(row['demand'])}家" if len(row["demand"]) > 6 else ""
        parts.append(f"下游本地企业（按链条模板推断的需求，非来源表述）：{need}{more}")
    elif row.get("downstream_present"):
        parts.append(f"下游已有：{'、'.join(row['downstream_present'])}")
    if row.get("upstream_present") and row["kind"] in ("断链", "延链"):
        parts.append(f"上游已有：{'、'.join(row['upstream_present'])}")
    recruit = row.get("recruit") or {}
    if recruit.get("text"):
        parts.append(recruit["text"])
    if row.get("candidates_available"):
        parts.append(f"图谱中园区外候选{row['candidates_available']}家")
    if row.get("planning"):
        parts.append(f"规划提及{len(row['planning'])}处")
    return "；".join(p for p in parts if p)


# ---------------------------------------------------------------- 配套环节覆盖率

RATE_NAME = "配套环节覆盖率"
RATE_DEFINITION = "本地已有环节的模板上游投入中，本地也已有的比例（按模板环节边计，不是按采购金额计）"


def supporting_rate(ctx, chain: str, statuses: dict[str, dict] | None = None) -> dict:
    """配套环节覆盖率 of ``chain`` (definition in the module docstring).

    Returns ``{chain, chain_label, name, definition, present_segments, inputs, local_inputs,
    rate, missing_inputs, coverage}``; ``rate`` is rounded to 4 decimals, ``missing_inputs``
    lists ``{segment, label, needed_by, status}`` for inputs of present segments that are not
    present, sorted; ``coverage`` is :func:`chain_coverage` (how far to trust the rate).
    """
    st = segment_statuses(ctx) if statuses is None else statuses
    segs = [s for s in ctx.chain_segments(chain)]
    present = {s for s in segs if st[s]["present"]}
    inputs = local = 0
    missing: dict[str, set[str]] = {}
    for s in segs:
        if s not in present:
            continue
        for u in ctx.dag.predecessors(s):
            if ctx.dag.nodes[u]["chain"] != chain:
                continue
            inputs += 1
            if u in present:
                local += 1
            else:
                missing.setdefault(u, set()).add(ctx.segment_label(s))
    return {
        "chain": chain,
        "chain_label": ctx.chains.get(chain, {}).get("label", chain),
        "name": RATE_NAME,
        "definition": RATE_DEFINITION,
        "present_segments": len(present),
        "inputs": inputs,
        "local_inputs": local,
        "rate": round(local / inputs, 4) if inputs else None,
        "missing_inputs": [
            {"segment": u, "label": ctx.segment_label(u), "needed_by": sorted(v), "status": st[u]["status"]}
            for u, v in sorted(missing.items())
        ],
        "coverage": chain_coverage(ctx, chain),
    }


def rate_text(sr: dict) -> str:
    """``先进电子器件 配套环节覆盖率 19.2%（5/26条模板投入边；具名本地企业8家／报道79家…）``."""
    pct = "—" if sr["rate"] is None else f"{sr['rate'] * 100:.1f}%"
    cov = sr.get("coverage") or {}
    tail = ""
    if cov:
        tail = f"；具名本地企业{cov['named']}家" + (f"／报道{cov['reported']}家" if cov.get("reported") else "，企业总数未报道")
    return f"{sr['chain_label']} {RATE_NAME} {pct}（{sr['local_inputs']}/{sr['inputs']}条模板投入边{tail}）"
