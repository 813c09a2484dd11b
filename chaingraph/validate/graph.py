"""Validate a loaded graph: SHACL, SPARQL checks and feeds cycles together."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF

from chaingraph.namespaces import CG
from chaingraph.validate.checks import check_problems, cycle_problems
from chaingraph.validate.locate import Locator
from chaingraph.validate.problems import Problem, Report, make_report
from chaingraph.validate.rules import tbox_graph
from chaingraph.validate.shacl import plain, shacl_problems


def has_tbox(graph: rdflib.Graph) -> bool:
    """Whether ``graph`` already holds the ontology TBox (SHACL needs its class axioms)."""
    return (CG.Company, RDF.type, OWL.Class) in graph


def all_problems(graph: rdflib.Graph, locator: Locator | None, *, shacl: bool, checks: bool,
                 cycles: bool) -> list[Problem]:
    """The problems of a private in-memory ``graph`` (SHACL runs in place), located by ``locator``."""
    problems: list[Problem] = []
    if shacl:
        problems += shacl_problems(graph, locator)
    if checks:
        problems += check_problems(graph, locator, graph)
    if cycles:
        problems += cycle_problems(graph, locator)
    return problems


def validate_graph(
    graph: rdflib.Graph, *, shacl: bool = True, checks: bool = True, cycles: bool = True
) -> Report:
    """Validate an already loaded graph (SHACL, SPARQL checks, feeds cycles).

    SHACL runs on an in-memory copy with the TBox added when the graph lacks it (so any
    store works, and ``graph`` is never modified); checks and cycles run on ``graph`` itself.
    Problems carry no file or line.
    """
    problems: list[Problem] = []
    if shacl:
        data = rdflib.Graph()
        for s, p, o in graph:
            data.add((s, p, plain(o)))
        if not has_tbox(data):
            data += tbox_graph()
        problems += shacl_problems(data, None)
    if checks:
        problems += check_problems(graph, None, graph)
    if cycles:
        problems += cycle_problems(graph, None)
    return make_report(problems, [])
