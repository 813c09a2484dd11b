"""Plain-dict report of one article's extraction (for ``--report`` / ``--format json``)."""

from __future__ import annotations

from chaingraph.ingest.extract import Extraction


def to_report(extraction: Extraction) -> dict:
    """Summarise an extraction as plain data.

    Returns
    -------
    dict
        ``{source, park, firms: [{name, full_name, aliases, in_park, origin, products,
        segments, tiers, confidence}], relations: [{type, source, target, evidence, ...}]}``;
        relation ``source``/``target`` are firm display names (a visit's source is ``park``,
        a relocation's target the place of origin; an investment joins the investing firm to
        the firm it set up).  A firm's project in the park is not a relation: it is listed
        under ``projects`` (``{firm, park, evidence, stage, year, amount, unit}``).

    Examples
    --------
    >>> from chaingraph.ingest.extract import extract
    >>> r = to_report(extract("湖南星河电子科技有限公司从东莞整体回迁。"))
    >>> r["firms"][0]["origin"], r["relations"][0]["type"]
    ('东莞', 'relocation')
    """
    names = {f.key: f.name for f in extraction.firms}
    firms = [
        {
            "name": f.name,
            "full_name": f.full_name,
            "aliases": list(f.aliases),
            "in_park": f.in_park,
            "origin": f.origin,
            "products": [p.name for p in f.products],
            "segments": f.segments,
            "tiers": [t.tier for t in f.tiers],
            "known_iri": f.known_iri,
            "confidence": round(f.confidence, 2),
        }
        for f in extraction.firms
    ]
    relations, projects = [], []
    for r in extraction.relations:
        if r.type == "project":
            d = {"firm": names.get(r.source, r.source), "park": extraction.park,
                 "evidence": {"start": r.evidence.start, "end": r.evidence.end, "quote": r.evidence.quote}}
            for k in ("stage", "year", "amount", "unit"):
                if getattr(r, k) is not None:
                    d[k] = getattr(r, k)
            projects.append(d)
            continue
        d = {
            "type": r.type,
            "source": "park" if r.type == "visit" else names.get(r.source, r.source),
            "target": names.get(r.target, r.target),
            "evidence": {"start": r.evidence.start, "end": r.evidence.end, "quote": r.evidence.quote},
            "confidence": round(r.confidence, 2),
        }
        if r.collective:
            d["collective"] = True
        for k in ("kind", "stage", "place", "note", "year", "amount", "unit"):
            v = getattr(r, k)
            if v is not None:
                d[k] = v
        relations.append(d)
    return {"source": extraction.source, "park": extraction.park, "firms": firms, "relations": relations,
            "projects": projects}
