"""Turtle text written by the pool's converter and imports, and the atomic write of a file.

The refdata converter (:mod:`~chaingraph.pool.chainkg`) and the imports of the user's lists
(:mod:`~chaingraph.pool.csv_import`, :mod:`~chaingraph.pool.enterprise`) write Turtle as text
(deterministic, sorted, fast on 10⁴ firms); the pieces they share are here: escaped literals,
IRIs shortened to a prefixed name where that is safe, places not yet in the graph, segment
links with their products, and one statement per subject.

Examples
--------
>>> lit('他说"好"')
'"他说\\\\"好\\\\""@zh'
>>> iri("https://w3id.org/chaingraph/id/segment/ed-pcb"), iri("cg:Listed")
('seg:ed-pcb', 'cg:Listed')
>>> print(statement(["company:x a cg:Company", 'rdfs:label "甲"@zh']), end="")
company:x a cg:Company ;
    rdfs:label "甲"@zh .
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from chaingraph.fileio import write_text_atomically
from chaingraph.lookup import name_key
from chaingraph.namespaces import BASE, CG as _CG_NS, SCHEMA as _SCHEMA_NS
from chaingraph.pool.regions import PROVINCES, CITIES

CG = str(_CG_NS)
ID = BASE + "id/"
SCHEMA = str(_SCHEMA_NS)

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


def statement(parts: list[str]) -> str:
    """One Turtle statement: a subject's predicate-object parts joined by ``;``, one a line."""
    return " ;\n    ".join(parts) + " .\n"


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
        out.append(statement(parts))
    return out


class Link(NamedTuple):
    """A firm's link to a segment as an import found it (a ``cg:SegmentLink``)."""

    segment: str  # IRI
    basis: str  # local name of the cg:basis, e.g. "StatedProduct"
    product: str | None  # the product name that matched, if any
    detail: str  # what matched (term, code, segment name), kept as the link's comment


def add_product(products: dict, name: str, segments, evidence: str) -> str:
    """Gather product ``name`` (in ``segments``) into ``products`` for :func:`products_turtle`;
    its slug.  The first evidence and spelling met stand for the product."""
    slug = product_slug(name)
    products.setdefault(slug, {"label": name, "segments": set(), "ev": evidence})["segments"].update(segments)
    return slug


def links_turtle(firm: str, fid_slug: str, links: list[Link], ev: str, products: dict) -> tuple[list[str], list[str], list[str]]:
    """Turtle for a firm's segment links, shared by the CSV and the enterprise-export import.

    Returns the firm's own ``cg:makes`` / ``cg:inSegment`` parts, its segments (sorted) and one
    ``cg:SegmentLink`` block per link, all citing ``ev``; products met are gathered into
    ``products`` for :func:`products_turtle`.
    """
    parts: list[str] = []
    prods = sorted({product_slug(k.product) for k in links if k.product})
    for k in links:
        if k.product:
            add_product(products, k.product, (k.segment,), ev)
    if prods:
        parts.append("cg:makes " + " , ".join(f"product:{s}" for s in prods))
    segs = sorted({k.segment for k in links})
    if segs:
        parts.append("cg:inSegment " + " , ".join(iri(s) for s in segs))
    blocks = []
    for k in links:
        fid = f"seglink-{fid_slug}-{k.segment.rsplit('/', 1)[-1]}-{k.basis.lower()}" + (
            f"-{product_slug(k.product)}" if k.product else "")
        lp = [f"fact:{fid} a cg:SegmentLink", f"cg:firm {firm}", f"cg:segment {iri(k.segment)}", f"cg:basis cg:{k.basis}"]
        if k.product:
            lp.append(f"cg:product product:{product_slug(k.product)}")
        lp.append(f"rdfs:comment {lit(f'{k.basis}: {k.detail}', 'en')}")
        lp.append(f"cg:evidence {ev}")
        blocks.append(statement(lp))
    return parts, segs, blocks


def products_turtle(products: dict) -> list[str]:
    """One ``cg:Product`` block per product gathered by :func:`add_product`."""
    return [f"product:{slug} a cg:Product ; rdfs:label {lit(e['label'])} ;\n    cg:inSegment "
            + " , ".join(iri(s) for s in sorted(e["segments"])) + f" ;\n    cg:evidence {e['ev']} .\n"
            for slug, e in sorted(products.items())]


def write_atomic(path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (:func:`chaingraph.fileio.write_text_atomically`)."""
    return write_text_atomically(Path(path), text)


def local_name(value: str) -> str:
    """The last step of an IRI or prefixed name (``seg:ed-pcb`` and ``…/segment/ed-pcb`` → ``ed-pcb``)."""
    return value.rstrip("/#").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
