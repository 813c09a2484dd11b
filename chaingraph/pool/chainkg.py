"""Candidate pool from the ChainKnowledgeGraph refdata (A-share companies, October 2021).

The refdata (github.com/liuhuanyong/ChainKnowledgeGraph, 刘焕勇, data of 2021-10) states no
licence.  The project's decision (issue #15): ship only a compiled, filtered **table of facts**
derived from it (firm names, stock codes, exchange, product lines with the revenue shares
disclosed in annual reports, the data's date), credited in ``data/README.md`` and the README,
never the raw files.  That table is :data:`SHIPPED_POOL` (``pool/chainkg.ttl``, written by
``python3 -m chaingraph.pool.chainkg SRC``), loaded beside the bundled graph unless the user
built their own: ``chaingraph pool build`` runs :func:`convert` on a local copy and writes
``$CHAINGRAPH_HOME/data/pool/chainkg.ttl``, which then replaces the shipped table.

What :func:`convert` keeps and why (see ``PROVENANCE.md`` of the refdata for the problems):

* only company→product rows whose product maps onto a segment of the chain templates
  (:class:`~chaingraph.pool.matching.TermMatcher`: most specific term wins, head shifts,
  accounting and service lines dropped);
* ``rel_weight`` is the line's revenue share: ``0.001`` is a placeholder (a business-scope
  line) and becomes *share unknown* (``share=None``, ``share_status="placeholder"``), never
  0.001; negative shares and shares above 1 drop the row; duplicated (company, product) rows
  keep the largest share;
* the Shenwan 2021 industry (L1 and L3) of each company; a product line in a chain whose usual
  Shenwan L1 sectors (:data:`CHAIN_SECTORS`) do not include the company's is flagged
  ``stale_suspect`` (likely a line from an earlier business, e.g. a media company's
  汽车塑料零部件) — flagged, not dropped; its evidence gets ``cg:confidence 0.4``;
* the region read from the full name (:func:`~chaingraph.pool.regions.region_of`);
  ``湖南…`` names are Hunan-registered (湘商回归 candidates);
* entity resolution: a company whose full or short name equals (after
  :func:`~chaingraph.lookup.name_key`, so across scripts) a name of a firm already in the
  graph reuses that firm's IRI instead of minting ``company:sc-<code>``.

Evidence: ``cg:quote`` = the normalised JSON line of the refdata file, ``cg:start``/``cg:end``
= character offsets of that line in the decoded file.

Examples
--------
>>> from pathlib import Path
>>> src = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "chainkg"
>>> segs = [{"iri": "seg:pcb", "label": "印制电路板", "chain": "chain:electronic-devices",
...          "terms": ["PCB", "印制电路板"]}]
>>> rows = convert(src, segs)
>>> [(r["code"], r["name"], (r["region"] or {}).get("province")) for r in rows]
[('000665', '旧名传媒', '湖北'), ('002916', '深南电路', None), ('300999', '湘电路板', '湖南')]
>>> [p["stale_suspect"] for p in rows[0]["products"]]
[True]
>>> [(p["product"], p["share"], p["share_status"]) for p in rows[1]["products"]]
[('印制电路板', 0.6, 'stated'), ('PCB样板', None, 'placeholder')]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Callable

from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key
from chaingraph.normalize import normalize
from chaingraph.pool.matching import TermMatcher, is_accounting_line
from chaingraph.pool.regions import PROVINCES, CITIES, REGION_LABELS, region_of
from chaingraph.project import chain_dag, firms, names_of
from chaingraph.store import bundled_files, bundled_root, load_files, select

PLACEHOLDER_WEIGHT = 0.001
STALE_CONFIDENCE = 0.4
STATED_CONFIDENCE = 0.9

FILES = ("company.json", "company_industry.json", "company_product.json", "industry.json")

# Shenwan 2021 L1 codes (2 digits) under which a chain's makers are usually classified.
CHAIN_SECTORS: dict[str, frozenset[str]] = {
    # 电子, 基础化工, 有色金属, 建筑材料, 电力设备, 计算机, 通信, 家用电器, 国防军工, 机械设备
    "electronic-devices": frozenset({"27", "22", "24", "61", "63", "71", "73", "33", "65", "64"}),
    # 机械设备, 汽车, 电力设备, 国防军工, 家用电器, 电子, 钢铁, 基础化工
    "equipment": frozenset({"64", "28", "63", "65", "33", "27", "23", "22"}),
    "electronic-information": frozenset({"27", "71", "73", "63", "33", "65"}),
}

SOURCE_INFO = {
    "title": "ChainKnowledgeGraph 产业链知识图谱（A股上市公司、申万2021行业、主营产品）",
    "creator": "刘焕勇 (liuhuanyong)",
    "publisher": "GitHub: liuhuanyong/ChainKnowledgeGraph (commit 4ea9154, 2021-10-26); company_product rebuilt from SOVLOOKUP/ChainKnowledgeGraph-sql",
    "date": "2021-10",
    "license": "The source repository states no licence. chaingraph ships only a compiled table of facts derived from it (firm names, stock codes, exchange, product lines with disclosed revenue shares, the data's date), never the raw files; candidates must be verified",
    "url": "https://github.com/liuhuanyong/ChainKnowledgeGraph",
}

CG = "https://w3id.org/chaingraph/ns#"
ID = "https://w3id.org/chaingraph/id/"


def six(code: str) -> str:
    """The 6-digit stock code of ``600707.SH`` or ``600707``."""
    return str(code).split(".")[0].strip().zfill(6)


def segments_from_graph(graph) -> list[dict]:
    """Segments of every chain template as ``{iri, label, chain, terms, codes}`` (sorted by IRI)."""
    dag = chain_dag(graph)
    return [
        {"iri": n, "label": d["label"], "chain": d["chain"], "terms": list(d["product_terms"]),
         "process_terms": list(d.get("process_terms", [])), "exclude_terms": list(d.get("exclude_terms", [])),
         "codes": list(d["industry_codes"])}
        for n, d in sorted(dag.nodes(data=True))
    ]


def _read_lines(path: Path):
    """Yield ``(line_no, start, end, text, record)`` for every JSON line (offsets in characters)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChaingraphError(f"refdata file not found: {path}") from None
    pos = 0
    for no, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        start, pos = pos, pos + len(line)
        if not body.strip():
            continue
        try:
            rec = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ChaingraphError(f"{path}:{no}: not a JSON line: {exc.msg}") from None
        yield no, start, start + len(body), body, rec


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_risk_warning(short_name: str) -> bool:
    """True for exchange risk-warning names (``ST``, ``*ST``, ``S*ST``) that are not recruitment targets.

    Examples
    --------
    >>> is_risk_warning("*ST丹邦"), is_risk_warning("ST大集"), is_risk_warning("深南电路")
    (True, True, False)
    """
    return bool(re.match(r"^(S\s*)?\*?\s*ST", (short_name or "").strip(), re.I))


def convert(
    src_dir,
    segments: list[dict],
    *,
    known: dict[str, list[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Companies of the refdata whose products map onto ``segments``, one row per company.

    Parameters
    ----------
    src_dir : path
        Folder with ``company.json``, ``company_industry.json``, ``company_product.json`` and
        ``industry.json`` (JSON lines, as in ChainKnowledgeGraph).
    segments : list of dict
        ``{iri, label, chain, terms}`` per segment (:func:`segments_from_graph`).
    known : dict, optional
        ``{firm_iri: [names…]}`` of firms already in the graph, for entity resolution.
    progress : callable, optional
        Called as ``progress(done, total)`` with product rows read so far.

    Returns
    -------
    list of dict
        Sorted by code.  Keys: ``code`` (6 digits), ``stock_code`` (``002916.SZ``), ``name``,
        ``full_name`` (or None), ``aliases``, ``iri``, ``resolved`` (True when ``iri`` is an
        existing firm), ``shenwan`` ({l1, l1_code, l3, l3_code} or None), ``region`` (see
        :func:`region_of`, or None), ``products`` (sorted by share, unknown last: {product,
        segments, term, specificity, exact, share, share_status, stale_suspect, line, start,
        end, quote}), ``segments`` (sorted IRIs), ``company_evidence`` ({file, line, start,
        end, quote}), ``dropped`` (counts by reason for this company).
    """
    src = Path(src_dir)
    if not src.is_dir():
        raise ChaingraphError(f"refdata folder not found: {src}", hint="pass the folder holding company_product.json")
    matcher = TermMatcher(segments)
    seg_chain = {s["iri"]: s.get("chain") or "" for s in segments}

    industries = {rec["code"]: rec["name"] for _, _, _, _, rec in _read_lines(src / "industry.json")}
    industry_of: dict[str, dict] = {}
    for no, s, e, body, rec in _read_lines(src / "company_industry.json"):
        code = six(rec["company_code"])
        l3 = str(rec.get("industry_code") or "")
        industry_of.setdefault(code, {
            "l3": rec.get("industry_name"), "l3_code": l3, "l1_code": l3[:2],
            "l1": industries.get(l3[:2] + "0000"), "name": rec.get("company_name"),
            "stock_code": rec["company_code"], "ev": ("company_industry.json", no, s, e, body),
        })

    listing: dict[str, list[dict]] = {}
    for no, s, e, body, rec in _read_lines(src / "company.json"):
        listing.setdefault(six(rec["code"]), []).append({**rec, "ev": ("company.json", no, s, e, body)})

    key_index: dict[str, set[str]] = {}
    for iri, names in (known or {}).items():
        for n in names:
            if n:
                key_index.setdefault(name_key(n), set()).add(iri)

    prod_path = src / "company_product.json"
    lines = list(_read_lines(prod_path))
    total = len(lines)
    best: dict[tuple[str, str], dict] = {}
    dropped: dict[str, dict[str, int]] = {}
    meta: dict[str, dict] = {}
    for i, (no, s, e, body, rec) in enumerate(lines, start=1):
        if progress and (i % 2000 == 0 or i == total):
            progress(i, total)
        code = six(rec["company_code"])
        meta.setdefault(code, {"stock_code": rec["company_code"], "name": rec.get("company_name")})
        product = (rec.get("product_name") or "").strip()
        drops = dropped.setdefault(code, {})
        if not product or is_accounting_line(product):
            drops["accounting"] = drops.get("accounting", 0) + 1
            continue
        try:
            w = float(rec.get("rel_weight"))
        except (TypeError, ValueError):
            w = None
        if w is not None and (w < 0 or w > 1):
            drops["bad_share"] = drops.get("bad_share", 0) + 1
            continue
        m = matcher.match(product)
        if m is None:
            continue
        placeholder = w is None or abs(w - PLACEHOLDER_WEIGHT) < 1e-12
        share = None if placeholder else round(w, 6)
        item = {
            "product": product, "segments": m["segments"], "term": m["term"],
            "specificity": m["specificity"], "exact": m["exact"], "process": m["process"], "share": share,
            "share_status": "placeholder" if placeholder else "stated",
            "line": no, "start": s, "end": e, "quote": normalize(body).text,
        }
        k = (code, name_key(product))
        old = best.get(k)
        if old is not None:
            drops["duplicate"] = drops.get("duplicate", 0) + 1
            if (old["share"] or -1) >= (share or -1):
                continue
        best[k] = item

    by_code: dict[str, list[dict]] = {}
    for (code, _), item in best.items():
        by_code.setdefault(code, []).append(item)

    rows = []
    for code in sorted(by_code):
        ind = industry_of.get(code)
        entries = listing.get(code, [])
        short = (ind or {}).get("name") or meta[code]["name"] or (entries[0]["name"] if entries else code)
        if is_risk_warning(short):  # ST / *ST: under delisting risk warning, not a recruitment target
            continue
        entry = next((x for x in entries if x.get("name") == short), None)
        if entry is None and entries:
            entry = sorted(entries, key=lambda x: str(x.get("time") or ""))[-1]
        full = entry.get("fullname") if entry else None
        aliases = sorted({x["name"] for x in entries if x.get("name") and x["name"] != short})
        l1_code = (ind or {}).get("l1_code")
        products = by_code[code]
        for p in products:
            chains = {_local(seg_chain.get(sg, "")) for sg in p["segments"]}
            sets = [CHAIN_SECTORS[c] for c in chains if c in CHAIN_SECTORS]
            p["stale_suspect"] = bool(l1_code and sets and not any(l1_code in st for st in sets))
        products.sort(key=lambda p: (p["share"] is None, -(p["share"] or 0), p["product"]))
        resolved = set()
        for n in [short, full, *aliases]:
            if n:
                resolved |= key_index.get(name_key(n), set())
        iri = sorted(resolved)[0] if len(resolved) == 1 else ID + "company/sc-" + code
        ev = entry["ev"] if entry else (ind["ev"] if ind else products[0] and ("company_product.json", products[0]["line"], products[0]["start"], products[0]["end"], None))
        stock = meta[code]["stock_code"] if "." in str(meta[code]["stock_code"]) else (ind or {}).get("stock_code")
        rows.append({
            "code": code,
            "stock_code": stock if stock and "." in stock else None,
            "name": short,
            "full_name": full,
            "aliases": aliases,
            "iri": iri,
            "resolved": len(resolved) == 1,
            "ambiguous_matches": sorted(resolved) if len(resolved) > 1 else [],
            "shenwan": {"l1": ind["l1"], "l1_code": l1_code, "l3": ind["l3"], "l3_code": ind["l3_code"]} if ind else None,
            "region": region_of(full),
            "products": products,
            "segments": sorted({sg for p in products for sg in p["segments"]}),
            "company_evidence": {
                "file": ev[0], "line": ev[1], "start": ev[2], "end": ev[3],
                "quote": normalize(ev[4]).text if ev[4] else products[0]["quote"],
            },
            "dropped": dict(sorted(dropped.get(code, {}).items())),
        })
    return rows


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


# ---------------------------------------------------------------- Turtle


def lit(text: str, lang: str | None = "zh") -> str:
    """A Turtle string literal (escaped), with a language tag unless ``lang`` is None."""
    esc = (
        str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{esc}"' + (f"@{lang}" if lang else "")


_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def iri(value: str) -> str:
    """``<value>`` for a full IRI (prefixed names are passed through); a company or segment IRI
    with a plain local name as ``company:…`` / ``seg:…``."""
    for ns, pre in ((ID + "company/", "company:"), (ID + "segment/", "seg:")):
        if value.startswith(ns) and _SAFE_LOCAL.match(value[len(ns):]):
            return pre + value[len(ns):]
    return f"<{value}>" if "://" in value else value


PREFIXES = f"""@prefix cg:      <{CG}> .
@prefix company: <{ID}company/> .
@prefix place:   <{ID}place/> .
@prefix product: <{ID}product/> .
@prefix seg:     <{ID}segment/> .
@prefix src:     <{ID}source/> .
@prefix fact:    <{ID}fact/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def product_slug(name: str) -> str:
    """Stable ASCII slug for a product name: ``p-`` + 10 hex digits of its SHA-1."""
    return "p-" + hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:10]


def place_turtle(region: dict, known_places: set[str], written: set[str], evidence: str) -> list[str]:
    """Turtle for the city/province of ``region`` not yet in the graph or the file."""
    out = []
    prov, pslug = region["province"], region["province_slug"]
    _, pfull, pregions = PROVINCES[prov]
    todo = [(pslug, pfull, prov, None, pregions)]
    if region.get("city_slug") and region["city_slug"] != pslug:
        _, _, cregions = CITIES[region["city"]]
        todo.append((region["city_slug"], region["city"], None, pslug, cregions))
    for slug, label, short, parent, regions in todo:
        full = ID + "place/" + slug
        if full in known_places or full in written:
            continue
        written.add(full)
        parts = [f"place:{slug} a cg:Place ; rdfs:label {lit(label)}"]
        if short and short != label:
            parts.append(f"cg:shortName {lit(short)}")
        if parent:
            parts.append(f"cg:partOf place:{parent}")
        if regions:
            parts.append("cg:inRegion " + " , ".join(f"place:{r}" for r in regions))
        parts.append(f"cg:evidence {evidence}")
        out.append(" ;\n    ".join(parts) + " .\n")
    return out


def write_atomic(path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def pool_turtle(rows: list[dict], *, src_dir=None, known_places: set[str] | None = None, compact: bool = False) -> str:
    """The Turtle text for converted rows (deterministic: no clock, sorted).

    ``compact`` (the table shipped with the package, :data:`SHIPPED_POOL`): no comments, and each
    evidence quotes the product line and its share (``液晶玻璃基板 0.731475``) instead of the whole
    JSON line of the source; offsets still locate that line in the source file.
    """
    known_places = set(known_places or ())
    out = [
        "# Candidate pool: a table of facts compiled from ChainKnowledgeGraph (刘焕勇, A-share\n"
        "# companies, data of 2021-10): firm names, stock codes, product lines with the revenue shares\n"
        "# disclosed in annual reports, mapped onto the chain templates.  Regenerate with\n"
        "# `chaingraph pool build`.  Credit and licence situation: data/README.md.\n"
        "# Revenue shares: cg:revenueShare absent = unknown (placeholder 0.001 in the source: cg:BusinessScope).\n"
        "# cg:confidence 0.4 = product line suspected stale (Shenwan sector unrelated to the chain).\n\n",
        PREFIXES,
        "\n",
    ]
    srcs = {"company.json": "chainkg-company", "company_industry.json": "chainkg-company-industry",
            "company_product.json": "chainkg-company-product"}
    for fname, slug in srcs.items():
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
        out.append(" ;\n    ".join(parts) + " .\n\n")

    def evid(src_slug, start, end, quote, conf=None):
        c = f' ; cg:confidence "{conf}"^^xsd:decimal' if conf is not None else ""
        return f"[ a cg:Evidence ; cg:source src:{src_slug} ; cg:quote {lit(quote)} ; cg:start {start} ; cg:end {end}{c} ]"

    products: dict[str, dict] = {}
    written_places: set[str] = set()
    for r in rows:
        ce = r["company_evidence"]
        if compact:
            ce = {**ce, "quote": " ".join(x for x in (r["name"], r.get("full_name"), r.get("stock_code") or r["code"]) if x)}
        cev = evid(srcs[ce["file"]], ce["start"], ce["end"], ce["quote"])
        if r.get("region"):
            out += place_turtle(r["region"], known_places, written_places, cev)
        firm = iri(r["iri"])
        parts = [f"{firm} a cg:Company"]
        if not r["resolved"]:
            parts.append(f"rdfs:label {lit(r['name'])}")
            if r["full_name"]:
                parts.append(f"cg:fullName {lit(r['full_name'])}")
            if r["region"]:
                parts.append(f"cg:city place:{r['region']['city_slug'] or r['region']['province_slug']}")
            if r["region"] and r["region"]["province"] == "湖南":
                pass  # Hunan-registered: strategic fit reads it from cg:city; 湘商 is not implied
        names = [r["name"], *r["aliases"]] if r["resolved"] else r["aliases"]
        if names:
            parts.append("cg:shortName " + " , ".join(lit(n) for n in names))
        if r["stock_code"]:
            parts.append(f"cg:stockCode {lit(r['stock_code'], None)}")
        parts.append("cg:tier cg:Listed")
        prod_slugs = []
        for p in r["products"]:
            slug = product_slug(p["product"])
            prod_slugs.append(slug)
            entry = products.setdefault(slug, {"label": p["product"], "segments": set(), "ev": None})
            entry["segments"].update(p["segments"])
            if entry["ev"] is None:
                entry["ev"] = evid("chainkg-company-product", p["start"], p["end"], _quote(p, compact))
        parts.append("cg:makes " + " , ".join(f"product:{s}" for s in sorted(set(prod_slugs))))
        parts.append("cg:inSegment " + " , ".join(iri(s) for s in r["segments"]))
        parts.append(f"cg:evidence {cev}")
        out.append(f"# {r['code']} {r['name']}" + (f" (Shenwan {r['shenwan']['l1']}/{r['shenwan']['l3']})" if r.get("shenwan") else "") + "\n")
        out.append(" ;\n    ".join(parts) + " .\n")
        for p, slug in zip(r["products"], prod_slugs):
            for sg in p["segments"]:
                fslug = f"seglink-sc-{r['code']}-{slug}-{_local(sg)}"
                lp = [
                    f"fact:{fslug} a cg:SegmentLink",
                    f"cg:firm {firm}",
                    f"cg:segment {iri(sg)}",
                    # a placeholder share marks a business-scope line: weak evidence
                    "cg:basis " + ("cg:BusinessScope" if p["share"] is None else "cg:StatedProduct"),
                    f"cg:product product:{slug}",
                ]
                if p["share"] is not None:
                    lp.append(f'cg:revenueShare "{p["share"]}"^^xsd:decimal')
                note = f"matched term {p['term']!s}; specificity {p['specificity']}"
                if sg in p.get("process", ()):
                    note += "; process/form match"
                if p["share"] is None:
                    note += "; revenue share unknown (placeholder 0.001 in source)"
                if p["stale_suspect"] and r.get("shenwan"):
                    note += f"; suspected stale line: Shenwan sector {r['shenwan']['l1']}"
                if not compact:
                    lp.append(f"rdfs:comment {lit(note, 'en')}")
                conf = STALE_CONFIDENCE if p["stale_suspect"] else STATED_CONFIDENCE
                lp.append("cg:evidence " + evid("chainkg-company-product", p["start"], p["end"], _quote(p, compact), conf))
                out.append(" ;\n    ".join(lp) + " .\n")
        out.append("\n")
    for slug in sorted(products):
        e = products[slug]
        out.append(
            f"product:{slug} a cg:Product ; rdfs:label {lit(e['label'])} ;\n    cg:inSegment "
            + " , ".join(iri(s) for s in sorted(e["segments"]))
            + f" ;\n    cg:evidence {e['ev']} .\n"
        )
    return "".join(out)


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


def build_pool(graph, src_dir, path, *, progress: Callable[[int, int], None] | None = None,
               compact: bool = False) -> dict:
    """Convert the refdata against ``graph``'s chain templates and firms; write ``path``.

    Returns a summary ``{path, firms, resolved, products, segments: {segment_iri: firms},
    stale_suspect, placeholder_shares, date}``.
    """
    segs = segments_from_graph(graph)
    if not segs:
        raise ChaingraphError("the graph has no chain templates with product terms; nothing to map onto")
    known = {f: names_of(d) for f, d in firms(graph).items() if not f.startswith(ID + "company/sc-")}
    places = {r["p"] for r in select(graph, "SELECT ?p WHERE { ?p a cg:Place }")}
    rows = convert(src_dir, segs, known=known, progress=progress)
    write_pool_turtle(rows, path, src_dir=src_dir, known_places=places, compact=compact)
    per_seg: dict[str, int] = {}
    for r in rows:
        for s in r["segments"]:
            per_seg[s] = per_seg.get(s, 0) + 1
    return {
        "path": str(path),
        "firms": len(rows),
        "resolved": sorted(r["iri"] for r in rows if r["resolved"]),
        "products": sum(len(r["products"]) for r in rows),
        "segments": dict(sorted(per_seg.items())),
        "stale_suspect": sum(1 for r in rows for p in r["products"] if p["stale_suspect"]),
        "placeholder_shares": sum(1 for r in rows for p in r["products"] if p["share"] is None),
        "date": SOURCE_INFO["date"],
    }


SHIPPED_POOL = "pool/chainkg.ttl"
"""The shipped pool, relative to the bundled root (the checkout, or ``chaingraph/bundled``)."""


def main(argv=None) -> int:
    """Regenerate the shipped pool: ``python3 -m chaingraph.pool.chainkg SRC_DIR``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python3 -m chaingraph.pool.chainkg SRC_DIR", file=sys.stderr)
        return 2
    graph = load_files(bundled_files())
    summary = build_pool(graph, args[0], bundled_root() / SHIPPED_POOL, compact=True)
    print(f"wrote {summary['path']}: {summary['firms']} firms, {summary['products']} product lines")
    return 0


__all__ = [
    "convert", "write_pool_turtle", "build_pool", "segments_from_graph", "pool_turtle",
    "write_atomic", "CHAIN_SECTORS", "SOURCE_INFO", "REGION_LABELS",
]

if __name__ == "__main__":
    raise SystemExit(main())
