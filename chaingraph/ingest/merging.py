"""Merge reviewed staging graphs into a graph or the user data folder, without duplicates.

A staging firm that matches a known firm (by a normalised name or trade name) takes that
firm's IRI; fact nodes are re-minted from their roles and blank nodes named by content, so
merging the same staging graph twice adds nothing; statements that would break the SHACL
shapes are left out and reported (:func:`drop_invalid`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from chaingraph.fileio import folder_lock, write_text_atomically
from chaingraph.ingest.names import parse_name, valid_trade
from chaingraph.ingest.staging import FACT_ROLES, remint_facts, rename_node, sha1_hex
from chaingraph.namespaces import CG, FACT, bind_prefixes
from chaingraph.normalize import normalize
from chaingraph.store import parse_file

#: the file of the user data folder that merged articles go to
INGESTED_FILE = "ingested.ttl"

_NAME_PROPS = (RDFS.label, CG.fullName, CG.shortName)


def firm_names(graph: Graph, firm) -> list[str]:
    """All names of a firm in a graph (label, full name, short names), normalised, sorted."""
    return sorted({normalize(str(o)).text for p in _NAME_PROPS for o in graph.objects(firm, p)})


def known_firms(graph: Graph) -> list[tuple[str, list[str]]]:
    """``(iri, names)`` of every ``cg:Company`` in ``graph``: the input ``extract`` links to.

    Examples
    --------
    >>> g = Graph(); _ = g.parse(data='@prefix cg: <https://w3id.org/chaingraph/ns#> . '
    ...     '<urn:x> a cg:Company ; cg:shortName "星河电子"@zh .', format="turtle")
    >>> known_firms(g)
    [('urn:x', ['星河电子'])]
    """
    return [(str(c), firm_names(graph, c)) for c in sorted(set(graph.subjects(RDF.type, CG.Company)))]


def _match(names: Iterable[str], index: dict[str, URIRef], trades: dict[str, URIRef]):
    names = list(names)
    for n in names:
        if n in index:
            return index[n]
    for n in names:
        t = parse_name(n).trade
        if valid_trade(t) and t in trades:
            return trades[t]
    return None


def merge_staging(target: Graph | str | Path, staging: Graph, *, known: Graph | None = None) -> dict:
    """Add a staging graph's facts to a graph or to a user data folder, without duplicates.

    A staging firm that matches a firm of the target (or of ``known``, e.g. the bundled data)
    by a normalised name or trade name is rewritten to that firm's IRI; its names the target
    lacks become ``cg:shortName`` (a firm keeps one ``rdfs:label`` and one ``cg:fullName``).
    Fact nodes are re-minted from their (rewritten) roles, so a fact already merged is not
    added again.

    Parameters
    ----------
    target : rdflib.Graph or path
        A graph (changed in place) or a directory whose ``ingested.ttl`` is read and rewritten
        atomically (temporary file, then ``os.replace``).
    staging : rdflib.Graph
        From :func:`to_staging` (not modified).
    known : rdflib.Graph, optional
        Further firms to link to (not written).

    Returns
    -------
    dict
        ``{"path", "added", "new_firms", "linked_firms", "new_aliases", "skipped"}``; ``skipped``
        lists the staging statements left out because they would break the SHACL shapes
        (:func:`drop_invalid`).
    """
    if isinstance(target, Graph):
        return _merge(target, None, staging, known)
    d = Path(target)
    with folder_lock(d):  # concurrent merges: each reads the file the previous one wrote
        path = d / INGESTED_FILE
        g = Graph()
        if path.exists():
            parse_file(g, path)
            stable_bnodes(g)  # blank nodes merged by an older version
        return _merge(g, path, staging, known)


def _merge(g: Graph, path: Path | None, staging: Graph, known: Graph | None) -> dict:
    bind_prefixes(g)
    pool = Graph()
    pool += g
    if known is not None:
        pool += known
    st = Graph()
    st += staging
    new_firms, linked, new_aliases = _link_firms(st, pool)
    remint_facts(st)
    stable_bnodes(st)
    skipped, left = drop_invalid(st, pool)
    before = len(g)
    for t in st:
        g.add(t)
    added = len(g) - before
    if path is not None and (added or not path.exists()):
        _write_atomic(g, path)
    return {"path": str(path) if path else None, "added": added, "new_firms": new_firms,
            "linked_firms": linked, "new_aliases": new_aliases, "skipped": skipped, "problems_left": left}


def _link_firms(st: Graph, pool: Graph) -> tuple[int, int, int]:
    """Rewrite each staging firm that matches a firm of ``pool`` to that firm's IRI, its names
    the pool lacks becoming short names (in place); ``(new firms, linked firms, new aliases)``."""
    index: dict[str, URIRef] = {}
    trades: dict[str, URIRef] = {}
    for c in sorted(set(pool.subjects(RDF.type, CG.Company))):
        for n in firm_names(pool, c):
            index.setdefault(n, c)
            t = parse_name(n).trade
            if valid_trade(t):
                trades.setdefault(t, c)
    new_firms = linked = new_aliases = 0
    for c in sorted(set(st.subjects(RDF.type, CG.Company))):
        names = firm_names(st, c)
        if (c, RDF.type, CG.Company) in pool:
            tgt = c
        else:
            tgt = _match(names, index, trades)
        if tgt is None:
            new_firms += 1
            continue
        linked += 1
        if tgt != c:
            rename_node(st, c, tgt)
        new_aliases += _names_as_aliases(st, pool, tgt)
    return new_firms, linked, new_aliases


def _names_as_aliases(st: Graph, pool: Graph, tgt: URIRef) -> int:
    """Turn the staging's names of a linked firm into short names (keeping a label or full name
    the pool lacks); the number of names new to the pool."""
    existing = set(firm_names(pool, tgt))
    has_label = any(pool.objects(tgt, RDFS.label))
    has_full = any(pool.objects(tgt, CG.fullName))
    fresh = set()
    for p in _NAME_PROPS:
        for o in list(st.objects(tgt, p)):
            n = normalize(str(o)).text
            keep_prop = (p is RDFS.label and not has_label) or (p is CG.fullName and not has_full)
            if keep_prop:
                continue
            st.remove((tgt, p, o))
            if n not in existing:
                st.add((tgt, CG.shortName, o))
                fresh.add(n)
    return len(fresh)


def stable_bnodes(g: Graph) -> None:
    """Name every blank node by a hash of what it says (innermost first), in place.

    A blank node read from a file is a new node each time, so merging the same staging graph
    twice used to add its evidence nodes twice; named by content, the second merge adds nothing.
    Blank nodes in a cycle keep their blank identity.
    """
    names: dict[BNode, URIRef] = {}
    pending = {n for n in set(g.subjects()) if isinstance(n, BNode)}
    while pending:
        ready = []
        for b in pending:
            outs = list(g.predicate_objects(b))
            if all(not isinstance(o, BNode) or o in names for _, o in outs):
                key = sorted((p.n3(), names.get(o, o).n3()) for p, o in outs)
                ready.append((b, FACT["node-" + sha1_hex(*[f"{p} {o}" for p, o in key])[:16]]))
        if not ready:
            break
        for b, iri in ready:
            names[b] = iri
            pending.discard(b)
    for b, iri in names.items():
        rename_node(g, b, iri)


def drop_invalid(st: Graph, pool: Graph, *, rounds: int = 3) -> tuple[list[dict], list[dict]]:
    """Remove from ``st`` what would break the SHACL shapes once merged; what was removed.

    Validates the staging facts together with what the graph already says about the nodes they
    touch.  A fact (referral, supply, visit, project, segment link, figure …) that violates a
    shape is left out whole (with the links to it); extra values (a second Chinese label, a
    second park) are left out, keeping the graph's own; for a node the graph already has, the
    staging's statements on the violated property are left out.  Firms, sources and places the
    facts rest on are never dropped: their problems are returned as ``left``.  Returns
    ``(skipped, left)``, each ``[{"node", "property", "message"}]``.
    """
    import pyshacl  # start-up: pyshacl and the shapes load only when a merge validates

    from chaingraph.validate import shapes_graph, tbox_graph

    skipped: list[dict] = []
    left: list[dict] = []
    for _ in range(rounds):
        left = []
        conforms, results, _ = pyshacl.validate(_validation_data(st, pool, tbox_graph()), shacl_graph=shapes_graph(),
                                                inference="none", advanced=True, inplace=True, allow_warnings=False)
        if conforms:
            break
        found = False
        subjects = set(st.subjects())
        # pyshacl's result graph comes in a different order each run: handled in a fixed order, the
        # same result is reported (for a fact left out whole, the first of its violations) every time
        for focus, path, component, message in sorted(_results(results), key=lambda t: tuple(map(str, t))):
            if focus not in subjects:
                continue  # not the staging's doing
            entry = {"node": str(focus), "property": str(path) if path else None, "message": message}
            removed = _removals(st, pool, focus, path, component)
            if removed is None:  # a firm, source or place the facts rest on: kept, and reported
                left.append(entry)
                continue
            for t in removed:
                st.remove(t)
            if removed:
                found = True
                skipped.append(entry)
        if not found:
            break
    return sorted(skipped, key=_entry_key), sorted(left, key=_entry_key)


def _entry_key(entry: dict) -> tuple[str, str, str]:
    return entry["node"], entry["property"] or "", entry["message"]


def _results(results: Graph) -> list[tuple]:
    """``(focus, path, component, message)`` of each ``sh:ValidationResult`` (path and
    component ``""`` when absent), the message Chinese first (:func:`~chaingraph.validate.shacl.bilingual`)."""
    from chaingraph.validate.shacl import bilingual  # start-up: as pyshacl, only when a merge validates

    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        component = str(results.value(r, SH.sourceConstraintComponent) or "")
        message = bilingual(results.objects(r, SH.resultMessage)) or f"violates a shape ({component.rsplit('#', 1)[-1]})"
        out.append((results.value(r, SH.focusNode), results.value(r, SH.resultPath) or "", component, message))
    return out


def _validation_data(st: Graph, pool: Graph, tbox: Graph) -> Graph:
    """The staging statements with the ontology and what ``pool`` says about the nodes they
    touch (a blank node object whole, a named object's types)."""
    data = Graph()
    data += tbox
    data += st
    nodes = set(st.subjects()) | {o for o in st.objects() if isinstance(o, (URIRef, BNode))}
    for n in nodes:
        for p, o in pool.predicate_objects(n):
            data.add((n, p, o))
            if isinstance(o, BNode):
                for t in pool.triples((o, None, None)):
                    data.add(t)
            elif isinstance(o, URIRef):
                for t in pool.triples((o, RDF.type, None)):
                    data.add(t)
    return data


def _removals(st: Graph, pool: Graph, focus, path, component: str) -> list | None:
    """The staging statements to leave out for one shape violation at ``focus``; None for a
    firm, source or place the facts rest on (kept, its problem reported)."""
    if isinstance(path, URIRef) and component.endswith(("MaxCountConstraintComponent", "UniqueLangConstraintComponent")):
        # too many values: keep what the graph has, else the first of the staging's per language
        have = {getattr(o, "language", None) for o in pool.objects(focus, path)}
        removed = []
        for o in sorted(st.objects(focus, path), key=lambda x: x.n3()):
            lang = getattr(o, "language", None)
            if (focus, path, o) in pool:
                continue
            if lang in have or component.endswith("MaxCountConstraintComponent") and have:
                removed.append((focus, path, o))
            have.add(lang)
        return removed
    if any((focus, RDF.type, cls) in st for cls in FACT_ROLES):
        # a new fact missing what it needs (a park, a visitor, evidence): left out whole
        return list(st.triples((focus, None, None))) + list(st.triples((None, None, focus)))
    if (focus, None, None) in pool and isinstance(path, URIRef):
        return [t for t in st.triples((focus, path, None)) if t not in pool]
    return None


def _write_atomic(g: Graph, path: Path) -> None:
    write_text_atomically(path, g.serialize(format="turtle"))
