"""The Turtle of the candidate pool converted from the ChainKnowledgeGraph refdata
(:func:`chaingraph.pool.chainkg.convert` rows): one ``cg:Source`` per refdata file, per company
its places, the firm and one ``cg:SegmentLink`` per product line and segment, then the products.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from chaingraph.pool.turtle import PREFIXES, add_product, iri, lit, local_name, place_turtle, products_turtle, statement, write_atomic

STALE_CONFIDENCE = 0.4
STATED_CONFIDENCE = 0.9

SOURCE_INFO = {
    "title": "ChainKnowledgeGraph 产业链知识图谱（A股上市公司、申万2021行业、主营产品）",
    "creator": "刘焕勇 (liuhuanyong)",
    "publisher": "GitHub: liuhuanyong/ChainKnowledgeGraph (commit 4ea9154, 2021-10-26); company_product rebuilt from SOVLOOKUP/ChainKnowledgeGraph-sql",
    "date": "2021-10",
    "license": "The source repository states no licence. chaingraph ships only a compiled table of facts derived from it (firm names, stock codes, exchange, product lines with disclosed revenue shares, the data's date), never the raw files; candidates must be verified",
    "url": "https://github.com/liuhuanyong/ChainKnowledgeGraph",
}

#: refdata file -> slug of its cg:Source in the pool
SOURCE_SLUGS = {"company.json": "chainkg-company", "company_industry.json": "chainkg-company-industry",
                "company_product.json": "chainkg-company-product"}


POOL_HEADER = (
    "# Candidate pool: a table of facts compiled from ChainKnowledgeGraph (刘焕勇, A-share\n"
    "# companies, data of 2021-10): firm names, stock codes, product lines with the revenue shares\n"
    "# disclosed in annual reports, mapped onto the chain templates.  Regenerate with\n"
    "# `chaingraph pool build`.  Credit and licence situation: data/README.md.\n"
    "# Revenue shares: cg:revenueShare absent = unknown (placeholder 0.001 in the source: cg:BusinessScope).\n"
    "# cg:confidence 0.4 = product line suspected stale (Shenwan sector unrelated to the chain).\n"
    "# cg:sameRevenueLineAs = other names the firm reports with the same share (the share is not this product's alone).\n"
    "# cg:EquipmentForSegment = an equipment maker's line that names equipment for the segment's activity (weak).\n\n"
)


def pool_turtle(rows: list[dict], *, src_dir=None, known_places: set[str] | None = None, compact: bool = False) -> str:
    """The Turtle text for converted rows (deterministic: no clock, sorted).

    ``compact`` (the table shipped with the package, :data:`SHIPPED_POOL`): no comments, and each
    evidence quotes the product line and its share (``液晶玻璃基板 0.731475``) instead of the whole
    JSON line of the source; offsets still locate that line in the source file.
    """
    known_places = set(known_places or ())
    out = [POOL_HEADER, PREFIXES, "\n"]
    out += [statement(_source_parts(fname, slug, src_dir)) + "\n" for fname, slug in SOURCE_SLUGS.items()]
    products: dict[str, dict] = {}
    written_places: set[str] = set()
    for r in rows:
        ce = r["company_evidence"]
        if compact:
            ce = {**ce, "quote": " ".join(x for x in (r["name"], r.get("full_name"), r.get("stock_code") or r["code"]) if x)}
        cev = _evidence(SOURCE_SLUGS[ce["file"]], ce["start"], ce["end"], ce["quote"])
        if r.get("region"):
            out += place_turtle(r["region"], known_places, written_places, cev)
        out += _company_turtle(r, cev, products, compact)
    out += products_turtle(products)
    return "".join(out)


def _source_parts(fname: str, slug: str, src_dir) -> list[str]:
    """The ``cg:Source`` of one refdata file (with its SHA-256 when ``src_dir`` holds it)."""
    parts = [
        f"src:{slug} a cg:Source",
        f"rdfs:label {lit(SOURCE_INFO['title'] + ' — ' + fname)}",
        f"dcterms:title {lit(SOURCE_INFO['title'] + ' — ' + fname)}",
        f"dcterms:creator {lit(SOURCE_INFO['creator'])}",
        f"dcterms:publisher {lit(SOURCE_INFO['publisher'], None)}",
        f"dcterms:source <{SOURCE_INFO['url']}>",
        f"rdfs:comment {lit('License: ' + SOURCE_INFO['license'], 'en')}",
        f'cg:date "{SOURCE_INFO["date"]}"^^xsd:gYearMonth',
        f"cg:fileName {lit(fname, None)}",
        "cg:script \"simplified\"",
    ]
    if src_dir is not None and (Path(src_dir) / fname).is_file():
        parts.append(f'cg:sha256 "{_sha256(Path(src_dir) / fname)}"')
    return parts


def _evidence(src_slug: str, start: int, end: int, quote: str, conf: float | None = None) -> str:
    c = f' ; cg:confidence "{conf}"^^xsd:decimal' if conf is not None else ""
    return f"[ a cg:Evidence ; cg:source src:{src_slug} ; cg:quote {lit(quote)} ; cg:start {start} ; cg:end {end}{c} ]"


def _company_turtle(r: dict, cev: str, products: dict, compact: bool) -> list[str]:
    """The company's statement (after a comment naming it), its segment links, a blank line;
    its products go into ``products``."""
    firm = iri(r["iri"])
    parts = [f"{firm} a cg:Company"]
    if not r["resolved"]:
        parts.append(f"rdfs:label {lit(r['name'])}")
        if r["full_name"]:
            parts.append(f"cg:fullName {lit(r['full_name'])}")
        if r["region"]:  # Hunan-registered firms too: strategic fit reads cg:city; 湘商 is not implied
            parts.append(f"cg:city place:{r['region']['city_slug'] or r['region']['province_slug']}")
    names = [r["name"], *r["aliases"]] if r["resolved"] else r["aliases"]
    if names:
        parts.append("cg:shortName " + " , ".join(lit(n) for n in names))
    if r["stock_code"]:
        parts.append(f"cg:stockCode {lit(r['stock_code'], None)}")
    parts.append("cg:tier cg:Listed")
    slugs = [add_product(products, p["product"], p["segments"],
                         _evidence("chainkg-company-product", p["start"], p["end"], _quote(p, compact)))
             for p in r["products"]]
    parts.append("cg:makes " + " , ".join(f"product:{s}" for s in sorted(set(slugs))))
    parts.append("cg:inSegment " + " , ".join(iri(s) for s in r["segments"]))
    parts.append(f"cg:evidence {cev}")
    shenwan = f" (Shenwan {r['shenwan']['l1']}/{r['shenwan']['l3']})" if r.get("shenwan") else ""
    out = [f"# {r['code']} {r['name']}{shenwan}\n", statement(parts)]
    out += [_link_turtle(r, p, slug, sg, firm, compact) for p, slug in zip(r["products"], slugs) for sg in p["segments"]]
    out.append("\n")
    return out


def _link_turtle(r: dict, p: dict, slug: str, sg: str, firm: str, compact: bool) -> str:
    """The ``cg:SegmentLink`` of company row ``r``'s product line ``p`` to segment ``sg``."""
    lp = [
        f"fact:seglink-sc-{r['code']}-{slug}-{local_name(sg)} a cg:SegmentLink",
        f"cg:firm {firm}",
        f"cg:segment {iri(sg)}",
        # equipment for the segment's activity, or a placeholder share (a business-scope line): weak evidence
        "cg:basis " + ("cg:EquipmentForSegment" if sg in p.get("equipment_for", {})
                       else "cg:BusinessScope" if p["share"] is None else "cg:StatedProduct"),
        f"cg:product product:{slug}",
    ]
    if p["share"] is not None:
        lp.append(f'cg:revenueShare "{p["share"]}"^^xsd:decimal')
    twins = p.get("same_line", {}).get(sg, [])
    if twins:
        lp.append("cg:sameRevenueLineAs " + " , ".join(lit(n) for n in twins))
    note = f"matched term {p['term']!s}; specificity {p['specificity']}"
    if sg in p.get("process", ()):
        note += "; process/form match"
    if p["share"] is None:
        note += "; revenue share unknown (placeholder 0.001 in source)"
    if twins:
        note += "; the same share is reported for " + "、".join(twins) + " (one revenue line, two names)"
    if sg in p.get("equipment_for", {}) and r.get("shenwan"):
        note += f"; equipment for the segment's activity: Shenwan {r['shenwan']['l3']}, named " + "、".join(p["equipment_for"][sg])
    if p.get("stale_reason") and r.get("shenwan"):
        note += (f"; suspected stale line: renamed firm (formerly {'、'.join(r['aliases'])}) whose current line"
                 f" {p['stale_reason']} fits its Shenwan {r['shenwan']['l3']}")
    elif p["stale_suspect"] and r.get("shenwan"):
        note += f"; suspected stale line: Shenwan sector {r['shenwan']['l1']}"
    if not compact:
        lp.append(f"rdfs:comment {lit(note, 'en')}")
    conf = STALE_CONFIDENCE if p["stale_suspect"] else STATED_CONFIDENCE
    lp.append("cg:evidence " + _evidence("chainkg-company-product", p["start"], p["end"], _quote(p, compact), conf))
    return statement(lp)


def _quote(p: dict, compact: bool) -> str:
    if not compact:
        return p["quote"]
    return p["product"] + " " + (str(p["share"]) if p["share"] is not None else "0.001")


def write_pool_turtle(rows: list[dict], path, *, src_dir=None, known_places: set[str] | None = None,
                      compact: bool = False) -> Path:
    """Write converted ``rows`` as Turtle to ``path`` atomically (temp file + ``os.replace``).

    ``known_places`` are place IRIs already in the graph (not redefined).  Returns the path.
    """
    return write_atomic(path, pool_turtle(rows, src_dir=src_dir, known_places=known_places, compact=compact))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
