"""Project the RDF graph onto plain Python data and NetworkX graphs.

This is the only package that turns RDF terms into Python data for analysis.  Node ids are
IRI strings; attributes are ``str``/``int``/``float``/``bool``/``list``/``None``.  Labels are
Chinese first, English as fallback, the IRI's last segment last; which of several labels
wins is one rule, :func:`best_labels` (see :mod:`.labels`).

* :func:`chain_dag` — segments of one or all chains, ``feeds`` edges upstream → downstream.
* :func:`firm_graph` — firms, parks and places with ``supply``, ``referral``, ``relocation``,
  ``visit`` and ``located`` edges (a MultiDiGraph: one edge per fact, with its evidence).

Every query here uses standard SPARQL 1.1 only (through :func:`chaingraph.store.select`), so
the same code runs against a remote endpoint.  Modules: :mod:`.labels` (labels, evidence),
:mod:`.chains`, :mod:`.firms`, :mod:`.relations` (relation facts, the firm graph),
:mod:`.places` (parks, places), :mod:`.reports` (counts, shares, planning statements).  A new
projection goes in the module of what it projects.

Examples
--------
>>> from chaingraph.store import load_files, ontology_files
>>> g = load_files(ontology_files())
>>> dag = chain_dag(g, "https://w3id.org/chaingraph/id/chain/electronic-devices")
>>> dag.number_of_nodes() >= 25
True
"""

from chaingraph.lookup import local_name  # noqa: F401  (IRIs' slugs, used beside labels)
from chaingraph.project.chains import chain_dag, chains, segments_in_order
from chaingraph.project.firms import (
    RDF_TYPE,
    SEGMENT_MEMBERS,
    SUMMARY_KEYS,
    chain_leaders,
    count_segment_members,
    firm_names,
    firm_parks,
    firm_reads,
    firm_segments,
    firms,
    firms_in_cities,
    firms_in_parks,
    firms_in_segments,
    names_of,
    segment_members,
)
from chaingraph.project.labels import (
    best_labels,
    evidence_brief,
    evidence_by_subject,
    label_key_sparql,
    label_of,
    labels,
    shown_label,
    values_by_subject,
)
from chaingraph.project.places import parks, place_iris, place_names
from chaingraph.project.relations import EDGE_KINDS, firm_graph, relation_edges
from chaingraph.project.reports import planning_statements, reported_counts, reported_shares

__all__ = [
    "chain_dag", "chains", "segments_in_order",
    "RDF_TYPE", "SEGMENT_MEMBERS", "SUMMARY_KEYS", "chain_leaders", "count_segment_members", "firm_names",
    "firm_parks", "firm_reads", "firm_segments", "firms", "firms_in_cities", "firms_in_parks", "firms_in_segments", "names_of",
    "segment_members",
    "best_labels", "evidence_brief", "evidence_by_subject", "label_key_sparql", "label_of", "labels", "shown_label", "values_by_subject", "local_name",
    "parks", "place_iris", "place_names",
    "EDGE_KINDS", "firm_graph", "relation_edges",
    "planning_statements", "reported_counts", "reported_shares",
]
