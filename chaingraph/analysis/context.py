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

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx
import rdflib

from chaingraph import project
from chaingraph.analysis import snapshot
from chaingraph.analysis import statements as stmts
from chaingraph.analysis.snapshot import fresh
from chaingraph.analysis.source import FirmSource
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError, NotFoundError
from chaingraph.lookup import chain_names, park_names, resolve
from chaingraph.namespaces import turtle_prologue
from chaingraph.project import segments_in_order  # noqa: F401  (re-exported for convenience)
from chaingraph.store import build_of, derived

SCOPES = ("park", "city")


def firm_source(graph: rdflib.Graph) -> FirmSource:
    """The firm source for ``graph``: its build's snapshot when it is an embedded store, else SPARQL.

    The snapshot-backed source is kept with the open store (:func:`chaingraph.store.derived`), so
    contexts built on the same open graph share what it has loaded and derived.
    """
    if build_of(graph) is None:
        return FirmSource(graph)
    kept = derived(graph)
    if "firm_source" not in kept:
        kept["firm_source"] = snapshot.SnapshotFirmSource(graph, snapshot.ensure(graph))
    return kept["firm_source"]


@dataclass(frozen=True)
class AnalysisContext:
    """Everything the chain analyses need, as plain Python and NetworkX data.

    Attributes
    ----------
    dag : networkx.DiGraph
        Segments of the chain(s) in scope, ``feeds`` edges upstream → downstream
        (node attributes from :func:`chaingraph.project.chain_dag`).
    firm_graph : networkx.MultiDiGraph
        Firms, parks and places with supply/referral/relocation/visit/located edges
        (projected on first use: gaps and targets do not need it).
    park, park_label : str
        The focal park's IRI and label.
    parks : tuple of str
        Focal park IRIs: the park itself (scope ``park``) or every park of its city (``city``).
    scope : str
        ``"park"`` or ``"city"``.
    chain : str or None
        The chain IRI the context is restricted to, or None for every chain.
    chains : dict
        ``{chain_iri: {label, label_en, granularity}}`` of the chains in ``dag``.
    firms : dict
        ``{firm_iri: attributes}`` of every firm (see :func:`chaingraph.project.firms`;
        projected on first use — :meth:`firm_info` fetches only the firms asked about).
    firm_segments : dict
        ``{firm_iri: [segment_iri, …]}`` own segments (inSegment + product segments) of every
        firm (projected on first use; :meth:`covered_segments` fetches per firm).
    local_firms : frozenset of str
        Firms counted as present locally (see module docstring).
    leaders : frozenset of str
        Chain-leader firms (any park).
    removed : tuple of str
        Firms taken out of ``local_firms`` by :meth:`without` (what-if), sorted.
    reported_counts : list of dict
        ``cg:ReportedCount`` rows of the focal parks (:func:`chaingraph.project.reported_counts`).
    reported_shares : list of dict
        ``cg:ReportedShare`` rows of the focal parks.
    planning : list of dict
        Planning statements (:func:`chaingraph.project.planning_statements`) about the focal
        parks, the whole city or no park in particular; each also carries ``scope``
        (``"park"`` when the statement names a park, else ``"city"``) and ``host_park`` (the
        park a city-wide statement is meant for, ``cg:hostPark``, or None).
    statements : list of dict
        Segment statements (:func:`chaingraph.analysis.statements.segment_statements`) about the
        focal parks, their local firms, or (scope ``city``) the city.
    leader_info : dict
        ``{local firm: [why it leads]}`` (:func:`chaingraph.analysis.statements.leader_evidence`
        of the local firms: the statuses read it for them only).
    city : str or None
        The focal park's city.
    park_info : dict
        ``{park_iri: attributes}`` from :func:`chaingraph.project.parks`.
    focus_chains : tuple of str
        The chains analyses cover by default: ``chain`` when given, else the focal parks'
        leading and characteristic chains (``cg:leadingChain``/``cg:characteristicChain``) that
        have a template, else every chain with a template.
    source : FirmSource
        Where firm data comes from on demand (the graph the context was built from).
    """

    dag: nx.DiGraph
    park: str
    park_label: str
    parks: tuple[str, ...]
    scope: str
    chain: str | None
    chains: dict[str, dict]
    local_firms: frozenset[str]
    source: FirmSource
    leaders: frozenset[str] = frozenset()
    removed: tuple[str, ...] = ()
    reported_counts: list[dict] = field(default_factory=list)
    reported_shares: list[dict] = field(default_factory=list)
    planning: list[dict] = field(default_factory=list)
    park_info: dict[str, dict] = field(default_factory=dict)
    focus_chains: tuple[str, ...] = ()
    statements: list[dict] = field(default_factory=list)
    leader_info: dict[str, list[dict]] = field(default_factory=dict)
    city: str | None = None

    @property
    def firms(self) -> dict[str, dict]:
        return self.source.all_firms()

    @property
    def firm_graph(self) -> nx.MultiDiGraph:
        return self.source.full_graph()

    @property
    def firm_segments(self) -> dict[str, list[str]]:
        return self.source.all_segments()

    def firm_info(self, firms: Iterable[str]) -> dict[str, dict]:
        """Attributes (as in :attr:`firms`) of just these firms, fetched once."""
        return self.source.attrs(firms)

    def outside_firms(self, segments: Iterable[str]) -> dict[str, list[str]]:
        """``{segment: [firm…]}``: firms outside the focal park(s) in each segment or a sub-segment.

        Outside: not local, and not settled in a focal park unless removed by :meth:`without`.
        Only the firms of these segments are fetched (sorted lists).
        """
        segments = sorted(set(segments))
        closure = self.segment_closure(segments)
        by_seg = self.source.in_segments(set().union(*closure.values()) if closure else set())
        firms = {f for fs in by_seg.values() for f in fs} - self.local_firms
        park = self.source.parks_of(firms)
        removed = set(self.removed)
        outside = {f for f in firms if f in park and (park[f] not in self.parks or f in removed)}
        return {s: sorted({f for x in closure[s] for f in by_seg.get(x, []) if f in outside}) for s in segments}

    def outside_counts(self, segments: Iterable[str], *, listed: int = 20) -> dict[str, tuple[int, list[str]]]:
        """``{segment: (number of outside firms, the first ``listed`` of them by IRI)}``.

        The same firms as :meth:`outside_firms` — every firm of the segment or a sub-segment
        that is not local — counted by the firm source (a ``COUNT`` on a server) instead of
        fetched, so a pool of millions is not transferred to count it.
        """
        segments = sorted(set(segments))
        closure = self.segment_closure(segments)
        local = self.segment_firms()
        out = {}
        for s in segments:
            n_local = len(local.get(s, []))
            count, head = self.source.count_members(closure[s], head=listed + n_local if listed else 0)
            out[s] = (count - n_local, [f for f in head if f not in self.local_firms][:listed])
        return out

    def segment_closure(self, segments: Iterable[str]) -> dict[str, set[str]]:
        """``{segment: {it and every narrower segment (skos:broader, transitively)}}``."""
        narrower = self._narrower
        closure: dict[str, set[str]] = {}
        for s in segments:
            seen, todo = set(), [s]
            while todo:
                x = todo.pop()
                if x in seen:
                    continue
                seen.add(x)
                todo += narrower.get(x, [])
            closure[s] = seen
        return closure

    # ------------------------------------------------------------ helpers

    def firm_label(self, firm: str) -> str:
        """Display name of a firm (its IRI's last segment when unknown)."""
        if firm in self.local_firms:  # labels of all local firms in one query, the first time
            self.source.prefetch_labels(self.local_firms, key="local")
        return self.source.label(firm) or project.local_name(firm)

    def segment_label(self, segment: str) -> str:
        """Display name of a segment."""
        return self.dag.nodes[segment]["label"] if segment in self.dag else project.local_name(segment)

    @functools.cached_property
    def _order(self) -> tuple[str, ...]:
        """Every DAG segment upstream → downstream, sorted once (the analyses ask per chain,
        dozens of times per command)."""
        return tuple(segments_in_order(self.dag))

    def chain_segments(self, chain: str | None = None) -> list[str]:
        """Segments of ``chain`` (all in scope when None), upstream → downstream."""
        nodes = self.dag.nodes
        return [s for s in self._order if chain is None or nodes[s]["chain"] == chain]

    def covered_segments(self, firm: str) -> list[str]:
        """A firm's own segments in the DAG plus every broader segment of them (sorted)."""
        out: set[str] = set()
        for s in self.source.segments([firm]).get(firm, []):
            while s and s in self.dag and s not in out:
                out.add(s)
                s = self.dag.nodes[s].get("broader")
        return sorted(out)

    def segment_firms(self, firms: Iterable[str] | None = None) -> dict[str, list[str]]:
        """``{segment: [firm, …]}`` for ``firms`` (default: the local firms), every DAG segment a key.

        A firm counts in its own segments and in every broader segment of them.  The local
        firms' lists are computed once per context (a copy is returned).
        """
        key = ("segment_firms", self.local_firms, frozenset(self.dag.nodes)) if firms is None else None
        if key is not None and key in self.source.cache:
            return {s: list(v) for s, v in self.source.cache[key].items()}
        out: dict[str, list[str]] = {s: [] for s in sorted(self.dag.nodes)}
        firms = sorted(self.local_firms if firms is None else firms)
        self.source.segments(firms)  # one query for all of them
        for f in firms:
            for s in self.covered_segments(f):
                out[s].append(f)
        if key is not None:
            self.source.cache[key] = {s: list(v) for s, v in out.items()}
        return out

    @functools.cached_property
    def _narrower(self) -> dict[str, list[str]]:
        """``{segment: [its direct sub-segments]}`` (skos:broader in the DAG)."""
        narrower: dict[str, list[str]] = {}
        for s, d in self.dag.nodes(data=True):
            if d.get("broader"):
                narrower.setdefault(d["broader"], []).append(s)
        return narrower

    @functools.cached_property
    def _counts_by(self) -> dict[tuple[str, str], list[int]]:
        """``{(segment, park): [count…]}`` of the reported counts."""
        out: dict[tuple[str, str], list[int]] = {}
        for c in self.reported_counts:
            out.setdefault((c["segment"], c["park"]), []).append(c["count"])
        return out

    def reported_count(self, segment: str) -> int | None:
        """Reported number of firms in ``segment`` over the focal parks (None: no count stated).

        Per park: the largest count stated for the segment, or the sum of its sub-segments'
        counts when that is larger; then summed over the focal parks.
        """
        narrower, counts = self._narrower, self._counts_by

        def per_park(seg: str, park: str, seen: frozenset) -> int | None:
            own = counts.get((seg, park), ())
            subs = [per_park(n, park, seen | {seg}) for n in narrower.get(seg, []) if n not in seen]
            subs = [v for v in subs if v is not None]
            if not own and not subs:
                return None
            return max(max(own, default=0), sum(subs))

        values = [per_park(segment, p, frozenset()) for p in self.parks]
        values = [v for v in values if v is not None]
        return sum(values) if values else None

    def chain_reported_counts(self, chain: str) -> list[dict]:
        """Reported counts about the whole ``chain`` (``cg:aboutChain``, no segment)."""
        return [c for c in self.reported_counts if c["chain"] == chain and not c["segment"]]

    def without(self, firms: Iterable[str]) -> "AnalysisContext":
        """A copy in which ``firms`` have left: they are no longer local (what-if)."""
        gone = set(firms)
        unknown = sorted(gone - set(self.source.attrs(gone)))
        if unknown:
            raise ChaingraphError(f"unknown firm IRI(s): {', '.join(unknown)}")
        return dataclasses.replace(
            self,
            local_firms=frozenset(self.local_firms - gone),
            removed=tuple(sorted(set(self.removed) | gone)),
        )


def build_context(
    graph: rdflib.Graph,
    *,
    park: str = DEFAULT_PARK,
    scope: str = "park",
    chain: str | None = None,
) -> AnalysisContext:
    """Project ``graph`` once for the chain analyses of one park (or its whole city).

    Parameters
    ----------
    graph : rdflib.Graph
        The knowledge graph (ontology, chain templates and data).
    park : str
        Park name, alias, slug or IRI (fuzzy; default 永州经开区).
    scope : {"park", "city"}
        ``park``: the park's own firms; ``city``: firms of every park in the park's city
        (plus city firms with no park recorded).
    chain : str, optional
        Chain IRI or exact name (label, English label or slug, either script; as
        :func:`resolve_chain`) to restrict the DAG to; default every chain with segments.

    Returns
    -------
    AnalysisContext

    Raises
    ------
    NotFoundError
        When ``park`` or ``chain`` names nothing; the message lists the closest matches.

    Examples
    --------
    >>> g = example_graph()
    >>> build_context(g, park="demo-park", chain="示范链").dag.number_of_nodes()
    5
    >>> build_context(g, park="Nowhere Park")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chaingraph.errors.NotFoundError: unknown park: 'Nowhere Park'
    closest matches: ...
    """
    if scope not in SCOPES:
        raise ChaingraphError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPES)}")
    facts = graph_facts(graph)
    park_info = fresh(facts["parks"])
    if not park_info:
        raise NotFoundError("park", park, [])
    park_iri = resolve(park, park_names(park_info), "park")
    chain_iri = resolve(chain, chain_names(facts["chains"]), "chain", exact=True) if chain else None
    info = park_info[park_iri]
    city = info["city"]
    if scope == "city" and city:
        focal = tuple(sorted(p for p, d in park_info.items() if d["city"] == city))
    else:
        focal = (park_iri,)
    dag = _dag(facts, chain_iri)
    source = firm_source(graph)
    local = _local_firms(graph, source, focal, city if scope == "city" else None)
    focal_set = set(focal)
    return AnalysisContext(
        focus_chains=_focus_chains(park_info, focal, dag, chain_iri),
        dag=dag,
        park=park_iri,
        park_label=info["label"],
        parks=focal,
        scope=scope,
        chain=chain_iri,
        chains=dict(dag.graph.get("chains", {})),
        local_firms=frozenset(local),
        source=source,
        leaders=frozenset(source.leaders()),
        reported_counts=fresh([c for c in facts["reported_counts"] if c["park"] in focal_set]),
        reported_shares=fresh([s for s in facts["reported_shares"] if s["park"] in focal_set]),
        planning=fresh(_planning(facts, park_info, focal_set, city, scope)),
        park_info=park_info,
        statements=fresh(_statements(facts, park_info, focal_set, local, city, scope)),
        leader_info={f: fresh(v) for f, v in facts["leader_evidence"].items() if f in local},
        city=city,
    )


def graph_facts(graph: rdflib.Graph) -> dict:
    """The whole-graph reads a context starts from (:func:`chaingraph.analysis.snapshot.compute_context`):
    from the build's stored copy on an embedded store (shared: copy what you keep), else queried."""
    stored = snapshot.context_facts(graph)
    return stored if stored is not None else snapshot.compute_context(graph)


def _dag(facts: dict, chain: str | None) -> nx.DiGraph:
    """:func:`chaingraph.project.chain_dag` (``chain``: that chain's segments only) rebuilt from
    the stored nodes and edges, in the order it adds them."""
    dag = nx.DiGraph()
    dag.add_nodes_from((n, fresh(d)) for n, d in facts["dag_nodes"] if chain is None or d["chain"] == chain)
    dag.add_edges_from((a, b, fresh(d)) for a, b, d in facts["dag_edges"] if a in dag and b in dag)
    chain_info = fresh(facts["chains"])
    dag.graph["chains"] = {c: chain_info[c] for c in sorted({d["chain"] for _, d in dag.nodes(data=True)}) if c in chain_info}
    return dag


def _local_firms(graph, source: FirmSource, focal: tuple[str, ...], city: str | None) -> set[str]:
    """Firms settled in a focal park (each firm keeps its smallest park, as in project.firms),
    plus, when ``city`` is given (city scope), the city's firms with no park recorded."""
    local = {f for f, p in source.firms_in_parks(focal).items() if p in focal}
    if city:
        city_firms = project.firms_in_cities(graph, [city], without_park=True)
        if city_firms:  # the smallest city counts, as in project.firms
            local |= {f for f, d in source.attrs(city_firms).items() if d.get("city") == city}
    return local


def _planning(facts: dict, park_info: dict, focal: set[str], city: str | None, scope: str) -> list[dict]:
    """Planning statements about the focal parks, no park in particular, or (city scope) a
    park of the city; each with ``scope`` and its host park's evidence left out."""
    hosts = facts["host_parks"]
    return [
        dict(stmts.without_host_evidence(p, hosts.get(p["fact"])), scope="city" if p["park"] is None else "park")
        for p in facts["planning"]
        if p["park"] is None or p["park"] in focal
        or (city and park_info.get(p["park"], {}).get("city") == city and scope == "city")
    ]


def _statements(facts: dict, park_info: dict, focal: set[str], local: set[str], city: str | None,
                scope: str) -> list[dict]:
    """Segment statements about the focal parks, their local firms, or (city scope) the city."""
    return [
        s for s in facts["segment_statements"]
        if (s["park"] in focal) or (s["firm"] is not None and s["firm"] in local)
        or (scope == "city" and city and (s["city"] == city or park_info.get(s["park"], {}).get("city") == city))
    ]


def _focus_chains(park_info: dict, focal: tuple[str, ...], dag: nx.DiGraph, chain: str | None) -> tuple[str, ...]:
    """``chain`` when given, else the focal parks' leading and characteristic chains that have
    a template, else every chain in the DAG."""
    if chain:
        return (chain,)
    in_dag = set(dag.graph.get("chains", {}))
    assigned = {c for p in focal for c in park_info[p]["leading_chains"] + park_info[p]["characteristic_chains"]}
    return tuple(sorted(assigned & in_dag)) or tuple(sorted(in_dag))


# ---------------------------------------------------------------- a tiny graph for examples

EXAMPLE_TTL = turtle_prologue() + """

cg:Upstream cg:order 1 ; rdfs:label "上游"@zh .
cg:Midstream cg:order 2 ; rdfs:label "中游"@zh .
cg:Downstream cg:order 3 ; rdfs:label "下游"@zh .
cg:LeaderPull rdfs:label "链主带动"@zh .
cg:PeerReferral rdfs:label "以商引商"@zh .
cg:FillGap rdfs:label "补链"@zh .

chain:demo a cg:IndustryChain ; rdfs:label "示范链"@zh , "Demo chain"@en .
seg:x-metal a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Upstream ; rdfs:label "金属材料"@zh ;
    cg:feeds seg:x-stamping .
seg:x-stamping a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Midstream ; rdfs:label "冲压"@zh ;
    cg:feeds seg:x-plating , seg:x-assembly .
seg:x-plating a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Midstream ; rdfs:label "电镀"@zh ;
    cg:feeds seg:x-assembly .
seg:x-assembly a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Downstream ; rdfs:label "整机"@zh ;
    cg:leaderExpected true ; cg:feeds seg:x-recycling .
seg:x-recycling a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Downstream ; rdfs:label "回收"@zh .

place:demo-city a cg:Place ; rdfs:label "示范市"@zh .
place:far-city a cg:Place ; rdfs:label "远方市"@zh .
park:demo-park a cg:Park ; rdfs:label "示范园"@zh , "Demo Park"@en ; cg:city place:demo-city ;
    cg:leadingChain chain:demo .
park:next-park a cg:Park ; rdfs:label "邻园"@zh ; cg:city place:demo-city .

company:a a cg:Company ; rdfs:label "整机链主"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-assembly .
company:b a cg:Company ; rdfs:label "冲压甲"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-stamping .
company:c a cg:Company ; rdfs:label "冲压乙"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-stamping .
company:d a cg:Company ; rdfs:label "远方电镀"@zh ; cg:city place:far-city ; cg:inSegment seg:x-plating .
company:e a cg:Company ; rdfs:label "邻园金属"@zh ; cg:park park:next-park ; cg:inSegment seg:x-metal .

fact:r-a-b a cg:Referral ; cg:referrer company:a ; cg:referee company:b ; cg:referralKind cg:LeaderPull .
fact:r-b-c a cg:Referral ; cg:referrer company:b ; cg:referee company:c ; cg:referralKind cg:PeerReferral .

src:p a cg:Source ; dcterms:title "示范规划" .
fact:plan-plating a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:segment seg:x-plating ;
    cg:topic "电镀" ; cg:evidence [ a cg:Evidence ; cg:source src:p ; cg:quote "补齐电镀环节" ] .
fact:share a cg:ReportedShare ; cg:park park:demo-park ; cg:metric cg:ReferralShareMetric ;
    cg:share 0.5 ; cg:population "引荐落户项目占比" .
"""


def example_graph() -> rdflib.Graph:
    """A tiny demo chain and park for docstring examples and tests.

    Chain 示范链: 金属材料 (upstream) → 冲压 → 电镀 → 整机 (leader expected) → 回收, and
    冲压 → 整机.  示范园 has 整机链主 (整机), who brought 冲压甲, who referred 冲压乙 (both 冲压).
    远方电镀 (电镀) is in another city; 邻园金属 (金属材料) in the neighbouring park 邻园.
    A plan names 电镀 (补链).
    """
    g = rdflib.Graph()
    g.parse(data=EXAMPLE_TTL, format="turtle")
    return g


def resolve_chain(ctx: AnalysisContext, chain: str) -> str:
    """The IRI of a chain in ``ctx`` named by IRI, label, English label or slug.

    Only an exact name (either script, any width or case) is taken: a near name such as
    新能源汽车 is never silently replaced by another chain (新能源); it raises
    :class:`~chaingraph.errors.NotFoundError` listing the closest chain names instead.

    Examples
    --------
    >>> resolve_chain(build_context(example_graph(), park="示范园"), "demo")
    'https://w3id.org/chaingraph/id/chain/demo'
    """
    return resolve(chain, chain_names(ctx.chains), "chain", exact=True)
