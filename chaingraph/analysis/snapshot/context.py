"""The stored context facts (``context.marshal``): the whole-graph reads every context starts from.

:func:`chaingraph.analysis.context.build_context` needs the parks, the chains, the chain DAG,
planning and segment statements, host parks, reported counts and shares and why each leading
firm leads — for every command.  On an embedded build they are computed once and stored beside
it (:func:`context_facts`); elsewhere :func:`compute_context` queries them each time.
"""

from __future__ import annotations

from chaingraph import project
from chaingraph.analysis import statements as stmts
from chaingraph.analysis.snapshot import files
from chaingraph.store import build_of

CONTEXT_FILE = "context.marshal"
CONTEXT_FORMAT = 4  # 2: chain and segment labels by one rule (chaingraph.project.labels); 3: same_activity (cg:sameActivityAs) on DAG nodes; 4: with its relation (cg:includesActivityOf)
LOADED_CONTEXT: dict[str, dict] = {}  # build dir -> stored context facts, for the life of the process
REQUIRED = ("parks", "chains", "dag_nodes", "dag_edges", "planning", "segment_statements",
            "host_parks", "reported_counts", "reported_shares", "leader_evidence")


def compute_context(graph) -> dict:
    """The whole-graph reads :func:`chaingraph.analysis.context.build_context` starts from:
    parks, chains, the chain DAG (nodes and edges in the order :func:`chaingraph.project.chain_dag`
    adds them), planning statements, segment statements, host parks, reported counts and
    shares, and why each leading firm leads (:func:`chaingraph.analysis.statements.leader_evidence`:
    1.4 s of SPARQL at 100k firms, for every command, before this)."""
    dag = project.chain_dag(graph)
    return {
        "format": CONTEXT_FORMAT,
        "parks": project.parks(graph),
        "chains": project.chains(graph),
        "dag_nodes": [(n, dict(d)) for n, d in dag.nodes(data=True)],
        "dag_edges": [(a, b, dict(d)) for a, b, d in dag.edges(data=True)],
        "planning": project.planning_statements(graph),
        "segment_statements": stmts.segment_statements(graph),
        "host_parks": stmts.host_parks(graph),
        "reported_counts": project.reported_counts(graph),
        "reported_shares": project.reported_shares(graph),
        "leader_evidence": stmts.leader_evidence(graph),
    }


def context_facts(graph) -> dict | None:
    """:func:`compute_context` of ``graph``'s build, read from beside the store (computed and
    written first if missing); None when ``graph`` is not an embedded build.  Shared by every
    caller in the process: copy what you keep (:func:`~chaingraph.analysis.snapshot.files.fresh`)."""
    build = build_of(graph)
    if build is None:
        return None
    return files.kept(LOADED_CONTEXT, build, CONTEXT_FILE, CONTEXT_FORMAT, REQUIRED, lambda: compute_context(graph))
