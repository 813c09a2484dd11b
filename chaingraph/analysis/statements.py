"""What the sources state about segments, read once per context: the evidence behind statuses.

:func:`segment_statements` reads the ``cg:SegmentStatement`` facts (a source says a segment is
present in a park, has formed a cluster, is led by a firm, is a firm's stated capability, or is
being built or was signed there); :func:`leader_evidence` reads why a firm counts as leading its
field (chain leader, little giant, Fortune 500, a stated market rank, a stated lead);
:func:`host_parks` reads the park a city-wide planning statement is meant for (``cg:hostPark``).

Everything comes back as plain dicts with the evidence (``{source, title, quote, start,
end}``) so a status can quote what it rests on.
"""

from __future__ import annotations

import rdflib

from chaingraph import project
from chaingraph.store.query import select

#: Claims of a cg:SegmentStatement (local name → Chinese word shown to readers).
CLAIMS = {
    "ClaimPresent": "来源称已有",
    "ClaimCluster": "来源称已形成集群",
    "ClaimLeading": "来源称企业领先",
    "ClaimCapability": "企业自有能力",
    "ClaimUnderConstruction": "在建",
    "ClaimSigned": "已签约",
}

#: Firm tiers that make a firm a leader of its field (its segments count as strong).
LEADER_TIERS = {"ChainLeader": "链主企业", "LittleGiant": "专精特新“小巨人”", "Fortune500": "世界500强"}


def _local(iri: str | None) -> str | None:
    return iri.rsplit("#", 1)[-1] if iri else None


def segment_statements(graph: rdflib.Graph) -> list[dict]:
    """Every cg:SegmentStatement: ``{fact, claim (local name), claim_label, segments, park, city,
    firm, evidence, quote, source_title}`` sorted by fact IRI."""
    rows = select(
        graph,
        """SELECT ?fact ?claim ?seg ?park ?city ?firm WHERE { ?fact a cg:SegmentStatement .
             OPTIONAL { ?fact cg:claim ?claim } OPTIONAL { ?fact cg:segment ?seg }
             OPTIONAL { ?fact cg:park ?park } OPTIONAL { ?fact cg:city ?city }
             OPTIONAL { ?fact cg:firm ?firm } }""",
    )
    if not rows:
        return []
    ev = project.evidence_by_subject(graph, ("SegmentStatement",))
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["fact"], r["seg"] or "")):
        st = out.get(r["fact"])
        if st is None:
            evidence = ev.get(r["fact"], [])
            claim = _local(r["claim"])
            st = out[r["fact"]] = {
                "fact": r["fact"],
                "claim": claim,
                "claim_label": CLAIMS.get(claim, claim),
                "segments": [],
                "park": r["park"],
                "city": r["city"],
                "firm": r["firm"],
                "evidence": evidence,
                "quote": evidence[0]["quote"] if evidence else None,
                "source_title": evidence[0]["title"] if evidence else None,
            }
        if r["seg"] and r["seg"] not in st["segments"]:
            st["segments"].append(r["seg"])
    return list(out.values())


def leader_evidence(graph: rdflib.Graph) -> dict[str, list[dict]]:
    """``{firm: [{kind, text, quote, source_title}]}``: why each leading firm leads its field.

    A firm leads when it holds a tier of :data:`LEADER_TIERS`, is a provincial 专精特新 firm whose
    tier evidence says 小巨人, brought firms in as a chain leader (cg:LeaderPull), or has a stated
    market rank (cg:MarketRank figure about the firm).  Segment statements with
    ``ClaimLeading`` are added by the status rules (they name the segment).
    """
    out: dict[str, list[dict]] = {}

    def add(firm, kind, text, ev):
        e = ev[0] if ev else {}
        out.setdefault(firm, []).append(
            {"kind": kind, "text": text, "quote": e.get("quote"), "source_title": e.get("title"), "source": e.get("source")}
        )

    tiers = select(
        graph,
        """SELECT ?f ?tier ?e ?quote ?src ?title WHERE { ?f a cg:Company ; cg:tier ?tier .
             VALUES ?tier { cg:ChainLeader cg:LittleGiant cg:Fortune500 cg:SpecializedSME }
             OPTIONAL { ?f cg:evidence ?e . ?e cg:supportsProperty cg:tier ; cg:quote ?quote ; cg:source ?src .
                        OPTIONAL { ?src <http://purl.org/dc/terms/title> ?title } } }""",
    )
    seen = set()
    for r in sorted(tiers, key=lambda r: (r["f"], r["tier"], r["quote"] or "")):
        name = _local(r["tier"])
        quote = r["quote"] or ""
        if name == "SpecializedSME":
            if "小巨人" not in quote:
                continue
            text = "专精特新“小巨人”（省级）"
        else:
            text = LEADER_TIERS[name]
        if (r["f"], text) in seen:
            continue
        seen.add((r["f"], text))
        add(r["f"], "tier", text, [{"quote": r["quote"], "title": r["title"], "source": r["src"]}] if r["quote"] else [])
    pulls = select(
        graph,
        """SELECT ?f ?r WHERE { ?r a cg:Referral ; cg:referrer ?f ; cg:referralKind cg:LeaderPull }""",
    )
    by_firm: dict[str, list[str]] = {}
    for r in pulls:
        by_firm.setdefault(r["f"], []).append(r["r"])
    shown = {f: sorted(facts)[0] for f, facts in by_firm.items() if (f, "链主企业") not in seen}
    if shown:  # evidence of the one referral quoted per firm, not of every referral in the graph
        ev = project.evidence_by_subject(graph, ("Referral",), subjects=shown.values())
        for f, fact in sorted(shown.items()):
            add(f, "leader_pull", f"链主带动：引进{len(by_firm[f])}家企业", ev.get(fact, []))
    ranks = select(
        graph,
        """SELECT ?fig ?f ?value ?unit WHERE { ?fig a cg:Figure ; cg:about ?f ; cg:metric cg:MarketRank ; cg:value ?value .
             ?f a cg:Company . OPTIONAL { ?fig cg:unit ?unit } }""",
    )
    if ranks:
        ev = project.evidence_by_subject(graph, ("Figure",), subjects=[r["fig"] for r in ranks])
        for r in sorted(ranks, key=lambda r: r["fig"]):
            unit = r["unit"] or "位"
            where = unit[unit.find("（") + 1:unit.find("）")] if "（" in unit else ""
            add(r["f"], "market_rank", f"市场排名{where}第{int(float(r['value']))}", ev.get(r["fig"], []))
    return out


def host_parks(graph: rdflib.Graph) -> dict[str, tuple[str, set[str]]]:
    """``{planning statement: (park, {quotes supporting the host park})}`` for statements with a
    ``cg:hostPark`` (the park meant to host it); the quotes are not the statement's own words."""
    rows = select(
        graph,
        """SELECT ?fact ?park ?quote WHERE { ?fact a cg:PlanningStatement ; cg:hostPark ?park .
             OPTIONAL { ?fact cg:evidence ?e . ?e cg:supportsProperty cg:hostPark ; cg:quote ?quote } }""",
    )
    out: dict[str, tuple[str, set[str]]] = {}
    for r in rows:
        _, quotes = out.setdefault(r["fact"], (r["park"], set()))
        if r["quote"]:
            quotes.add(r["quote"])
    return out


def without_host_evidence(statement: dict, host: tuple[str, set[str]] | None) -> dict:
    """The planning statement with ``host_park`` set and its own evidence only (not the host's)."""
    if not host:
        return dict(statement, host_park=None)
    park, quotes = host
    evidence = [e for e in statement["evidence"] if e["quote"] not in quotes] or statement["evidence"]
    return dict(statement, host_park=park, evidence=evidence,
                quote=evidence[0]["quote"], source_title=evidence[0]["title"])
