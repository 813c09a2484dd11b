"""The analysis context itself: :class:`AnalysisContext` and what it answers about its firms and segments.

A context is made by :func:`chaingraph.analysis.context.build.build_context`; this module holds the
frozen dataclass, its helpers (labels, segment order, closures, counts, what-if copies) and
:func:`resolve_chain`, which finds a chain among a context's chains by name.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from chaingraph import project
from chaingraph.analysis.source import FirmSource
from chaingraph.errors import ChaingraphError
from chaingraph.lookup import chain_names, resolve
from chaingraph.project import segments_in_order


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



def resolve_chain(ctx: AnalysisContext, chain: str) -> str:
    """The IRI of a chain in ``ctx`` named by IRI, label, English label or slug.

    Only an exact name (either script, any width or case) is taken: a near name such as
    新能源汽车 is never silently replaced by another chain (新能源); it raises
    :class:`~chaingraph.errors.NotFoundError` listing the closest chain names instead.

    Examples
    --------
    >>> from chaingraph.analysis.context import build_context, example_graph
    >>> resolve_chain(build_context(example_graph(), park="示范园"), "demo")
    'https://w3id.org/chaingraph/id/chain/demo'
    """
    return resolve(chain, chain_names(ctx.chains), "chain", exact=True)
