"""The stored target facts (``target-facts.marshal``): what ``targets`` reads about segment links.

The SegmentLink details of every (firm, segment) — product lines, shares, evidence — and the
places of the candidates, as :func:`chaingraph.analysis.source.query_target_facts` gives them,
stored by segment beside the build: read back out of the store once per build (1.3 s for the
2,338-firm pool) instead of once per command.
"""

from __future__ import annotations

from typing import Iterable

from chaingraph.analysis.snapshot import files
from chaingraph.analysis.snapshot.files import fresh
from chaingraph.analysis.source import query_target_facts
from chaingraph.store import build_of

FACTS_FILE = "target-facts.marshal"
FACTS_FORMAT = 3  # 2: links carry same_line (cg:sameRevenueLineAs); 3: one label per product (project.labels)
LOADED_FACTS: dict[str, dict] = {}  # build dir -> stored target facts, for the life of the process


def compute_facts(graph, facts: dict | None = None) -> dict:
    """:func:`chaingraph.analysis.source.query_target_facts` of the whole graph, stored by segment:
    ``{"links": {segment: [(firm, [link dict…])…]}, "places": {…}, "count": links}`` (from
    ``facts``, that function's answer taken from the parsed files, when given)."""
    if facts is None:
        facts = query_target_facts(graph)
    by_segment: dict[str, list] = {}
    for (f, s), links in facts["links"].items():
        by_segment.setdefault(s, []).append((f, links))
    return {"format": FACTS_FORMAT, "links": by_segment, "places": facts["places"], "count": len(facts["links"])}


def stored_facts(graph, build: str) -> dict:
    """The stored target facts of ``build`` (computed and written first if missing)."""
    return files.kept(LOADED_FACTS, build, FACTS_FILE, FACTS_FORMAT, (), lambda: compute_facts(graph))


def target_facts(graph, segments: Iterable[str] | None = None) -> dict | None:
    """:func:`chaingraph.analysis.targets.target_facts` from the build's stored copy (None when
    ``graph`` is not an embedded build): the SegmentLink details are read back out of the store
    once per build (1.3 s for the 2,338-firm pool) instead of once per command."""
    build = build_of(graph)
    if build is None:
        return None
    facts = stored_facts(graph, build)
    wanted = facts["links"] if segments is None else {s: facts["links"].get(s, ()) for s in set(segments)}
    links = {(f, s): fresh(ds) for s, pairs in wanted.items() for f, ds in pairs}
    return {"links": dict(sorted(links.items())), "places": fresh(facts["places"])}
