"""Validate chaingraph Turtle: syntax, SHACL shapes, SPARQL checks and acyclic chains.

Four kinds of problem are reported, in this order:

``syntax``
    a file that cannot be read or parsed (with the parser's line number);
``shacl``
    a result of ``ontology/shapes.ttl`` (pyshacl);
``check``
    a row of an ``ontology/checks/*-violation.rq`` query (rules SHACL cannot express well);
``cycle``
    a cycle of ``cg:feeds`` inside one chain template (networkx).

SHACL runs without inference: the TBox (``ontology/chaingraph.ttl``) is merged into the data
graph, which is enough for subclass-aware ``sh:class``/``sh:targetClass`` (SHACL follows
``rdfs:subClassOf`` triples in the data graph) and keeps validation fast.

Library code: nothing here prints.  ``Report.to_text()`` and ``Report.to_dict()`` render.

The package, one module per step: ``problems`` (Problem, Report), ``rules`` (the TBox, shapes and
checks, cached; the rules' hash), ``locate`` (file and line of a node, short names), ``shacl``,
``checks`` (SPARQL checks and feeds cycles), ``graph`` (a loaded graph), ``record`` (the record of
a clean validation), ``paths`` (files: read, validate together, conflicts with bundled data).

Examples
--------
>>> import rdflib
>>> g = rdflib.Graph().parse(data='''
... @prefix cg: <https://w3id.org/chaingraph/ns#> .
... @prefix seg: <https://w3id.org/chaingraph/id/segment/> .
... seg:a cg:feeds seg:a .
... ''', format="turtle")
>>> [p.kind for p in validate_graph(g, shacl=False).problems]
['check']
"""

from __future__ import annotations

from chaingraph.validate.checks import feeds_cycles, run_checks
from chaingraph.validate.graph import validate_graph
from chaingraph.validate.paths import validate_paths
from chaingraph.validate.problems import KINDS, Problem, Report
from chaingraph.validate.rules import bundled_paths, check_queries, rules_digest, shapes_graph, tbox_graph

__all__ = [
    "KINDS",
    "Problem",
    "Report",
    "bundled_paths",
    "check_queries",
    "feeds_cycles",
    "rules_digest",
    "run_checks",
    "shapes_graph",
    "tbox_graph",
    "validate_graph",
    "validate_paths",
]
