"""SHACL: ``ontology/shapes.ttl`` run with pyshacl, each result as a located :class:`Problem`."""

from __future__ import annotations

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from chaingraph.validate.locate import Locator, focus_text, prefixes_graph, short
from chaingraph.validate.problems import Problem
from chaingraph.validate.rules import shapes_graph

_CGSH = "https://w3id.org/chaingraph/shapes#"


def path_text(path, results: rdflib.Graph, ns_graph: rdflib.Graph) -> str | None:
    """A SHACL result path as text: ``cg:x``, ``^cg:x``, ``a|b``, ``a/b``."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return short(path, ns_graph)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (path_text(inverse, results, ns_graph) or "?")
    alternative = results.value(path, SH.alternativePath)
    if alternative is not None:
        items = rdflib.collection.Collection(results, alternative)
        return "|".join(path_text(i, results, ns_graph) or "?" for i in items)
    if (path, RDF.first, None) in results:
        items = rdflib.collection.Collection(results, path)
        return "/".join(path_text(i, results, ns_graph) or "?" for i in items)
    return "<complex path>"


def bilingual(messages) -> str:
    """A shape's message for a Chinese reader, ``zh / en``: the Chinese one, then the English one
    (a message in another language stands in for it); one per language, the first in sorted
    order if a shape has several.  ``validate`` and ``merge`` both show messages this way.

    Examples
    --------
    >>> bilingual([Literal("A firm needs a label.", lang="en"), Literal("企业需要名称。", lang="zh")])
    '企业需要名称。 / A firm needs a label.'
    >>> bilingual([Literal("企业需要名称。", lang="zh-Hans")])
    '企业需要名称。'
    >>> bilingual([])
    ''
    """
    messages = [m for m in messages if isinstance(m, Literal)]
    zh = sorted(str(m) for m in messages if (m.language or "").lower().startswith("zh"))
    en = sorted(str(m) for m in messages if m.language == "en")
    rest = sorted(str(m) for m in messages if m.language != "en" and not (m.language or "").lower().startswith("zh"))
    return " / ".join(zh[:1] + (en[:1] or rest[:1]))


def plain(o):
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (Oxigraph returns the explicit form,
    which rdflib does not equate with the plain one, so ``sh:in ( "coarse" )`` would fail)."""
    if isinstance(o, Literal) and o.datatype == XSD.string:
        return Literal(str(o))
    return o


def shacl_problems(data: rdflib.Graph, locator: Locator | None) -> list[Problem]:
    """Run the shapes on ``data`` (a private in-memory graph that already holds the TBox).

    pyshacl's own ``ont_graph`` mixing copies only class/property axioms, not vocabulary
    individuals such as ``cg:HighTech a cg:Tier``, so the caller merges the whole TBox and
    validation runs in place (no clone) without inference.
    """
    import pyshacl  # start-up: a slow import, only when SHACL actually runs

    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=False,
        abort_on_first=False,
    )
    if conforms:
        return []
    ns_graph = prefixes_graph()
    ns_graph.bind("cgsh", _CGSH)
    return [_result_problem(results, result, data, locator, ns_graph)
            for result in results.subjects(RDF.type, SH.ValidationResult)]


def _result_problem(results: rdflib.Graph, result, data: rdflib.Graph, locator: Locator | None,
                    ns_graph: rdflib.Graph) -> Problem:
    """One ``sh:ValidationResult`` as a problem: its message (and offending value), the focus
    node located in the files, the path, and the shape that fired."""
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    component = results.value(result, SH.sourceConstraintComponent)
    messages = list(results.objects(result, SH.resultMessage))
    message = bilingual(messages) or f"{short(component, ns_graph)} violated"
    value = results.value(result, SH.value)
    if value is not None and not isinstance(value, BNode):
        shown = short(value, ns_graph) if isinstance(value, URIRef) else value.n3(ns_graph.namespace_manager)
        message += f" (value: {shown})"
    file, line = locator.locate(focus, data) if locator else (None, None)
    return Problem(
        kind="shacl",
        file=file,
        line=line,
        focus=focus_text(focus, data, ns_graph),
        path=path_text(results.value(result, SH.resultPath), results, ns_graph),
        message=message,
        rule=short(shape, ns_graph) if isinstance(shape, URIRef) else short(component, ns_graph),
    )
