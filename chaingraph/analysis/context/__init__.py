"""The analysis context: the projections every chain analysis works on, computed once.

:func:`build_context` turns the RDF graph into plain NetworkX graphs and sets, for one focal
park (``scope="park"``) or every park of that park's city (``scope="city"``).  The analysis
functions (:mod:`~chaingraph.analysis.panorama`, :mod:`~chaingraph.analysis.gaps`,
:mod:`~chaingraph.analysis.risk`, :mod:`~chaingraph.analysis.match`,
:mod:`~chaingraph.analysis.referrals`) take the context and return plain data.

Definitions used throughout:

* **local firms** — scope ``park``: firms whose ``cg:park`` is the focal park; scope ``city``:
  firms in any park whose ``cg:city`` is the focal park's city, plus firms located in that city
  (``cg:city``) with no park recorded.
* **a firm's segments** — its ``cg:inSegment`` plus the segments of the products it makes.
  A firm in a sub-segment (``skos:broader``) also counts in every broader segment.
* **chain leader** — tier ``cg:ChainLeader``, or the referrer of a ``cg:LeaderPull`` referral.
* **reported count** of a segment — for each focal park, the largest ``cg:ReportedCount`` stated
  for that (park, segment); summed over the focal parks.

One module per part: :mod:`~chaingraph.analysis.context.model` the :class:`AnalysisContext`
dataclass and its helpers, :mod:`~chaingraph.analysis.context.build` :func:`build_context` and
its steps, :mod:`~chaingraph.analysis.context.example` the tiny graph of the examples.

Examples
--------
>>> ctx = build_context(example_graph(), park="Demo Park")
>>> ctx.park_label, sorted(ctx.firm_label(f) for f in ctx.local_firms)
('示范园', ['冲压乙', '冲压甲', '整机链主'])
>>> [ctx.dag.nodes[s]["label"] for s in segments_in_order(ctx.dag)]
['金属材料', '冲压', '电镀', '整机', '回收']
>>> ctx.segment_firms()["https://w3id.org/chaingraph/id/segment/x-stamping"]
['https://w3id.org/chaingraph/id/company/b', 'https://w3id.org/chaingraph/id/company/c']
"""

from chaingraph.analysis.context.build import SCOPES, build_context, firm_source, graph_facts
from chaingraph.analysis.context.example import EXAMPLE_TTL, example_graph
from chaingraph.analysis.context.model import AnalysisContext, resolve_chain
from chaingraph.project import segments_in_order  # re-exported for convenience

__all__ = ["EXAMPLE_TTL", "SCOPES", "AnalysisContext", "build_context", "example_graph", "firm_source",
           "graph_facts", "resolve_chain", "segments_in_order"]
