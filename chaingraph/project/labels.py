"""Labels and multi-valued properties: the pieces every projection shares.

Which label is shown (:func:`best_labels`, the one rule every projection and the store-side
ranking use): a subject may hold several ``rdfs:label`` values of one language when they come
from different files (the bundled graph and a user's import, or a SPARQL server's other data);
the store keeps no record of which file a triple came from and returns rows in its own order,
so the choice must not depend on that order.  For the Chinese display name the language tags
rank ``zh`` first, then ``zh-Hans``/``zh-CN``/``zh-SG`` (simplified), then other ``zh-*``
(``zh-Hant``, ``zh-TW`` …), then an untagged literal; for English ``en`` before ``en-*``; any
other language ``xx`` before ``xx-*``.  Among labels of the same rank the first in Unicode
code-point order wins (Python's ``str`` order, and SPARQL's string order on Oxigraph).  The
display label is the Chinese one, else the English one, else the IRI's last segment
(:func:`label_of`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import rdflib

from chaingraph.lookup import local_name
from chaingraph.namespaces import CG
from chaingraph.store import select, select_in

_SIMPLIFIED = ("zh-hans", "zh-cn", "zh-sg", "zh-my")


def label_rank(lang: str | None) -> tuple[str, int]:
    """(display language, rank within it: lower wins) of a label's language tag.

    >>> [label_rank(t) for t in ("zh", "zh-Hans", "zh-Hant", "", None, "en", "en-GB", "ja")]
    [('zh', 0), ('zh', 1), ('zh', 2), ('zh', 3), ('zh', 3), ('en', 0), ('en', 1), ('ja', 0)]
    """
    tag = (lang or "").lower()
    if not tag:
        return "zh", 3
    primary = tag.split("-")[0]
    if primary == "zh":
        if tag == "zh":
            return "zh", 0
        return "zh", 1 if tag.startswith(_SIMPLIFIED) else 2
    return primary, 0 if tag == primary else 1


def best_labels(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """``{display language: label}`` chosen from ``(text, language tag)`` pairs by the rule of
    the module text, whatever order the pairs come in.

    >>> best_labels([("骏捷智能科技", ""), ("骏捷", "zh"), ("骏捷智能", "zh"), ("Junjie", "en")])
    {'en': 'Junjie', 'zh': '骏捷'}
    """
    best: dict[str, tuple[int, str]] = {}
    for text, lang in pairs:
        if text is None:
            continue
        group, rank = label_rank(lang)
        key = (rank, str(text))
        if group not in best or key < best[group]:
            best[group] = key
    return {g: best[g][1] for g in sorted(best)}


def label_key_sparql(label: str) -> str:
    """A SPARQL expression over the label variable ``label`` (e.g. ``"?l"``) whose ``MIN`` over a
    subject's labels is the rank digit of :func:`label_of`'s choice followed by that label: Chinese
    tags 0–3 as :func:`label_rank`, English 4–5, any other language ``"9"`` (not shown: the IRI).
    The store-side ranking (``analysis.targets.bounds``) sorts by it, so it names firms as the
    Python side does."""
    lang = f"LCASE(LANG({label}))"
    simplified = " || ".join(f'STRSTARTS({lang}, "{t}")' for t in _SIMPLIFIED)
    return (f'IF({lang} = "zh", CONCAT("0", STR({label})), '
            f'IF({simplified}, CONCAT("1", STR({label})), '
            f'IF(STRSTARTS({lang}, "zh-"), CONCAT("2", STR({label})), '
            f'IF({lang} = "", CONCAT("3", STR({label})), '
            f'IF({lang} = "en", CONCAT("4", STR({label})), '
            f'IF(STRSTARTS({lang}, "en-"), CONCAT("5", STR({label})), "9"))))))')


def labels(graph: rdflib.Graph, subjects: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """``{iri: {"zh": …, "en": …}}`` for every subject with an rdfs:label (:func:`best_labels`
    of each subject's labels: the same answer whatever order the store returns them in).

    ``subjects`` restricts the answer (and the query, through a ``VALUES`` list) to those IRIs,
    so labelling a few firms does not fetch the labels of a whole candidate pool.
    """
    query = "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l }"
    rows = select(graph, query) if subjects is None else select_in(graph, query, "s", subjects)
    return labels_from_rows(rows)


def labels_from_rows(rows: Iterable[dict]) -> dict[str, dict[str, str]]:
    """:func:`labels` of the rows of its query (``s``, ``l``, ``lang``)."""
    found: dict[str, list] = defaultdict(list)
    for r in rows:
        found[r["s"]].append((r["l"], r["lang"]))
    return {s: best_labels(v) for s, v in found.items()}


def shown_label(labels_by_lang: dict[str, str] | None) -> str | None:
    """The label shown from :func:`best_labels`' answer: Chinese, else English, else the first
    other language in tag order; None without a label."""
    labels_by_lang = labels_by_lang or {}
    return labels_by_lang.get("zh") or labels_by_lang.get("en") or next(iter(labels_by_lang.values()), None)


def label_of(labels_by_lang: dict[str, str] | None, iri: str) -> str:
    """Chinese label, else English, else the IRI's local name."""
    labels_by_lang = labels_by_lang or {}
    return labels_by_lang.get("zh") or labels_by_lang.get("en") or local_name(iri)


def values_by_subject(graph, query: str) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in select(graph, query):
        if r["v"] not in out[r["s"]]:
            out[r["s"]].append(r["v"])
    return out


def evidence_by_subject(graph: rdflib.Graph, classes: Iterable[str] | None = None, *,
                        subjects: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """``{subject_iri: [{source, title, quote, start, end, confidence}]}`` sorted by source, start.

    ``classes`` (``cg:`` local names such as ``"Referral"``) restricts the subjects to
    instances of those classes, so a large candidate pool's evidence is not fetched when only
    relation facts are needed.  ``subjects`` restricts to those IRIs (a ``VALUES`` list).
    """
    restrict = ""
    if classes is not None and subjects is None:
        restrict = "VALUES ?cls { " + " ".join(CG[c].n3() for c in classes) + " } ?s a ?cls ."
    elif classes is not None:  # bound subjects: test each one's type (a class VALUES list made
        # Oxigraph scan every instance of the class: 9.4 s instead of 0.9 s for 5k of 100k referrals)
        restrict = "?s a ?cls FILTER(?cls IN (" + ", ".join(CG[c].n3() for c in classes) + ")) ."
    run = (lambda q: select(graph, q)) if subjects is None else (lambda q: select_in(graph, q, "s", subjects))
    rows = run(
        f"""SELECT ?s ?src ?title ?file ?quote ?start ?end ?conf WHERE {{ {restrict}
             ?s cg:evidence ?e . ?e cg:source ?src .
             OPTIONAL {{ ?e cg:quote ?quote }} OPTIONAL {{ ?e cg:start ?start }} OPTIONAL {{ ?e cg:end ?end }}
             OPTIONAL {{ ?e cg:confidence ?conf }}
             OPTIONAL {{ ?src dcterms:title ?title }} OPTIONAL {{ ?src cg:fileName ?file }} }}""",
    )
    out: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for r in rows:
        key = (r["s"], r["src"], r["start"], r["end"], r["quote"])
        if key in seen:
            continue
        seen.add(key)
        out[r["s"]].append(
            {
                "source": r["src"],
                "title": r["title"] or r["file"] or local_name(r["src"]),
                "quote": r["quote"],
                "start": r["start"],
                "end": r["end"],
                "confidence": r["conf"],
            }
        )
    for v in out.values():
        v.sort(key=lambda e: (e["source"], e["start"] if e["start"] is not None else -1, e["quote"] or ""))
    return dict(out)


def evidence_brief(ev: dict[str, list[dict]], subject: str) -> list[dict]:
    return [{"source": e["source"], "title": e["title"], "quote": e["quote"]} for e in ev.get(subject, [])]
