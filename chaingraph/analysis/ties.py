"""The undirected tie graph behind ``proximity`` and the introducer paths of :mod:`targets`.

Nodes are firms, parks and places (IRIs, numbered in insertion order); two nodes are tied when
a supply, referral, relocation or visit fact (or a relocation-origin ``city`` link) joins them.
Neighbours keep the order in which their first edge was added, so breadth-first search and the
paths it finds are the same on every run.

The structure is a plain adjacency list because ranking a segment asks one question per
candidate — which local firms lie within three steps — and in a province graph with hub firms
(chain leaders with thousands of supply ties) three steps reach most of the graph.
:meth:`TieGraph.proximity` therefore stops as soon as the answer is settled to the four decimals
the score keeps, and :meth:`TieGraph.search` explores only the layers that hold the nearest
introducers.

Examples
--------
>>> tg = TieGraph()
>>> for i, (a, b) in enumerate([("c", "x"), ("x", "l1"), ("x", "l2"), ("l2", "l3")]):
...     tg.add_edge(a, b, {"kind": "supply", "fact": f"f{i}", "src": a, "dst": b})
>>> tg.proximity("c", {"l1", "l2", "l3"})     # two sources at 2 steps, one at 3
0.9062
>>> found = tg.search("c", sources={"l1", "l2", "l3"}, want=2)
>>> found.reached, found.depth
([(2, 'l1'), (2, 'l2')], 2)
>>> tg.search("c").path("l3")
['l3', 'l2', 'x', 'c']
"""

from __future__ import annotations

from array import array
from typing import Iterable

MAX_DEPTH = 3
TIE_KINDS = ("supply", "referral", "relocation", "visit", "city")
#: How a path step reads to staff: the tie that leads to the next node ("东莞（迁出地）": the
#: firm before it moved from 东莞; "捷荣技术（同城）": a firm in that city).
TIE_WORDS = {"supply": "供应", "referral": "引荐", "relocation": "迁出地", "visit": "拜访", "city": "同城"}
_SETTLED = 2e-5
"""Once Π(1 − c) is below this, ``0.5 + 0.5·(1 − Π)`` ≥ 0.99999, which rounds to 1.0 at 4
decimals whatever else is reached (more sources only make Π smaller)."""


class TieGraph:
    """Undirected multigraph as adjacency lists over node numbers (see the module docstring).

    Built edge by edge (:meth:`add_edge`), or from a packed form (:meth:`packed`, the analysis
    snapshot's) whose fact edges are read only for the node pairs a path shows.
    """

    def __init__(self) -> None:
        self.nodes: list[str] = []
        self.ids: dict[str, int] = {}
        self.adj = []
        self._edges: dict[tuple[int, int], list[dict]] = {}
        self._packed = None  # (incident edge pointers, incident edge indices, edge reader)

    @classmethod
    def packed(cls, nodes: list[str], adj_ptr, adj_idx, inc_ptr, inc_idx, edge_at) -> "TieGraph":
        """A tie graph over compressed adjacency arrays (CSR: ``ptr[u]:ptr[u+1]`` slices ``idx``).

        ``inc_*`` list each node's fact edges by number; ``edge_at(k)`` returns edge ``k``'s
        data dict (kind, fact, src, dst, evidence, year).
        """
        g = cls()
        g.nodes = list(nodes)
        g.ids = {n: i for i, n in enumerate(g.nodes)}
        g.adj = _PackedAdjacency(adj_ptr, adj_idx)
        g._packed = (inc_ptr, inc_idx, edge_at)
        return g

    def _id(self, node: str) -> int:
        i = self.ids.get(node)
        if i is None:
            i = self.ids[node] = len(self.nodes)
            self.nodes.append(node)
            self.adj.append([])
        return i

    def add_edge(self, a: str, b: str, data: dict) -> None:
        """Add one fact edge ``a — b`` (``data``: kind, fact, src, dst, evidence, year)."""
        i, j = self._id(a), self._id(b)
        key = (i, j) if i <= j else (j, i)
        facts = self._edges.get(key)
        if facts is None:
            facts = self._edges[key] = []
            if self._packed is None or j not in self.adj[i]:
                self._link(i, j)
                if i != j:
                    self._link(j, i)
        facts.append(data)

    def _link(self, i: int, j: int) -> None:
        if isinstance(self.adj, list):
            self.adj[i].append(j)
        else:
            self.adj.link(i, j)

    def __contains__(self, node: str) -> bool:
        return node in self.ids

    def edges(self) -> Iterable[tuple[str, str, dict]]:
        """Every fact edge as ``(a, b, data)``."""
        if self._packed is not None:
            inc_ptr, inc_idx, edge_at = self._packed
            for k in sorted(set(inc_idx)):
                d = edge_at(k)
                yield d["src"], d["dst"], d
        for (i, j), facts in self._edges.items():
            for d in facts:
                yield self.nodes[i], self.nodes[j], d

    def edge_data(self, a: str, b: str) -> list[dict]:
        """The fact edges between ``a`` and ``b`` (either direction)."""
        i, j = self.ids[a], self.ids[b]
        key = (i, j) if i <= j else (j, i)
        if self._packed is None:
            return self._edges[key]
        cached = self._edges.get(("packed", key))
        if cached is None:
            inc_ptr, inc_idx, edge_at = self._packed
            cached = []
            if i < len(inc_ptr) - 1:
                for k in inc_idx[inc_ptr[i]:inc_ptr[i + 1]]:
                    d = edge_at(k)
                    if {d["src"], d["dst"]} == {a, b}:
                        cached.append(d)
            self._edges[("packed", key)] = cached
        return cached + self._edges.get(key, [])

    def edge(self, a: str, b: str) -> dict:
        """The edge a path step shows: by tie kind order, then fact IRI."""
        return min(self.edge_data(a, b), key=lambda d: (TIE_KINDS.index(d["kind"]), d["fact"] or ""))

    def mark(self, nodes: Iterable[str]) -> bytearray:
        """A flag per node number: 1 for the ``nodes`` given (for :meth:`proximity`)."""
        flags = bytearray(len(self.nodes))
        for n in nodes:
            i = self.ids.get(n)
            if i is not None:
                flags[i] = 1
        return flags

    # ------------------------------------------------------------------ search

    def proximity(self, start: str, sources) -> float | None:
        """``0.5 + 0.5·(1 − Π(1 − 0.5**(d−1)))`` over the ``sources`` within :data:`MAX_DEPTH` steps
        of ``start`` (``d`` ≥ 1 their distance), rounded to 4 decimals; None when none is reached.

        ``sources``: IRIs, or the flags of :meth:`mark` (faster when asked for many starts).
        Stops early once the value is settled (a source next door, or enough sources further out).
        """
        s = self.ids.get(start)
        if s is None:
            return None
        flags = sources if isinstance(sources, bytearray) else self.mark(sources)
        adj = self.adj
        seen = {s}
        frontier = [s]
        prod, found = 1.0, False
        for depth in range(1, MAX_DEPTH + 1):
            factor = 1.0 - 0.5 ** (depth - 1)
            last = depth == MAX_DEPTH
            nxt: list[int] = []
            for u in frontier:
                for v in adj[u]:
                    if v in seen:
                        continue
                    seen.add(v)
                    if not last:
                        nxt.append(v)
                    if flags[v]:
                        found = True
                        prod *= factor
                        if prod < _SETTLED:
                            return 1.0
            frontier = nxt
        return round(0.5 + 0.5 * (1.0 - prod), 4) if found else None

    def search(self, start: str, *, sources: set[str] | None = None, want: int | None = None,
               cutoff: int = MAX_DEPTH) -> "Search":
        """Breadth-first search from ``start`` up to ``cutoff`` steps, by whole layers.

        With ``sources`` and ``want``: stop after the layer in which ``want`` sources have been
        reached (the nearest ones are then all known, ties at the same distance included).
        """
        found = Search(self, start)
        s = self.ids.get(start)
        if s is None:
            return found
        nodes, adj, parent, dist = self.nodes, self.adj, found.parent, found.dist
        parent[s], dist[s] = s, 0
        frontier = [s]
        for depth in range(1, cutoff + 1):
            nxt: list[int] = []
            for u in frontier:
                for v in adj[u]:
                    if v not in parent:
                        parent[v], dist[v] = u, depth
                        nxt.append(v)
                        if sources is not None and nodes[v] in sources:
                            found.reached.append((depth, nodes[v]))
            frontier = nxt
            found.depth = depth
            if not frontier:
                break
            if want is not None and len(found.reached) >= want and depth < cutoff:
                found.complete = False
                break
        return found


class Search:
    """What :meth:`TieGraph.search` found: distances and parent links from ``start``.

    ``reached``: ``(distance, IRI)`` of the sources met, nearest first; ``depth``: the last
    layer explored; ``complete``: False when the search stopped before ``cutoff`` with nodes
    still unexplored (``want`` sources were found).
    """

    def __init__(self, tg: TieGraph, start: str):
        self.tg, self.start = tg, start
        self.parent: dict[int, int] = {}
        self.dist: dict[int, int] = {}
        self.reached: list[tuple[int, str]] = []
        self.depth = 0
        self.complete = True

    def distance(self, node: str) -> int | None:
        """Steps from ``start`` to ``node`` (None: not within the layers explored)."""
        i = self.tg.ids.get(node)
        return self.dist.get(i) if i is not None else None

    def path(self, node: str) -> list[str]:
        """Nodes from ``node`` back to ``start`` (a shortest path)."""
        i = self.tg.ids[node]
        out = [i]
        while self.parent[out[-1]] != out[-1]:
            out.append(self.parent[out[-1]])
        return [self.tg.nodes[x] for x in out]


class _PackedAdjacency:
    """Neighbour lists as CSR arrays, plus links added afterwards (new nodes, ``city`` edges)."""

    def __init__(self, ptr, idx):
        self.ptr, self.idx = ptr, idx
        self.n = len(ptr) - 1
        self.count = self.n
        self.extra: dict[int, list[int]] = {}

    def __getitem__(self, u: int):
        base = self.idx[self.ptr[u]:self.ptr[u + 1]] if u < self.n else ()
        more = self.extra.get(u)
        return base if more is None else [*base, *more]

    def __len__(self) -> int:
        return self.count

    def append(self, neighbours: list[int]) -> None:
        if neighbours:
            self.extra[self.count] = list(neighbours)
        self.count += 1

    def link(self, i: int, j: int) -> None:
        self.extra.setdefault(i, []).append(j)


def tie_order(edges: list[dict]) -> list[int]:
    """Indices of ``edges`` (relation edges) in the order the firm graph iterates them.

    Source firms by IRI with their edges in fact order, then the visiting parks in the order of
    their first visit; within a source, pairs in order of first appearance.
    """
    parks_first: dict[str, int] = {}
    pair_first: dict[tuple[str, str], int] = {}
    for i, e in enumerate(edges):
        pair_first.setdefault((e["a"], e["b"]), i)
        if e["kind"] == "visit":
            parks_first.setdefault(e["a"], i)

    def key(i):
        e = edges[i]
        a = e["a"]
        group = (1, parks_first[a], "") if e["kind"] == "visit" and a in parks_first else (0, 0, a)
        return group, pair_first[(a, e["b"])], i

    return sorted(range(len(edges)), key=key)


def edge_data(e: dict) -> dict:
    """The data a tie graph keeps for relation edge ``e``."""
    return {"kind": e["kind"], "fact": e["fact"], "evidence": None, "year": e.get("year"), "src": e["a"], "dst": e["b"]}


def from_edges(edges: list[dict]) -> TieGraph:
    """A tie graph of the relation ``edges`` of a tie kind, added in :func:`tie_order`.

    Each edge's data keeps ``i``, its index in ``edges``.
    """
    keep = [i for i, e in enumerate(edges) if e["kind"] in TIE_KINDS]
    sub = [edges[i] for i in keep]
    g = TieGraph()
    for j in tie_order(sub):
        e = sub[j]
        g.add_edge(e["a"], e["b"], {**edge_data(e), "i": keep[j]})
    return g


def pack(g: TieGraph) -> dict:
    """The arrays :meth:`TieGraph.packed` takes (int32 bytes), for a graph from :func:`from_edges`."""
    adj_ptr, adj_idx, inc_ptr, inc_idx = (array("i", [0]), array("i"), array("i", [0]), array("i"))
    for u in range(len(g.nodes)):
        for v in g.adj[u]:
            adj_idx.append(v)
            inc_idx.extend(d["i"] for d in g._edges[(u, v) if u <= v else (v, u)])
        adj_ptr.append(len(adj_idx))
        inc_ptr.append(len(inc_idx))
    return {"nodes": list(g.nodes), "adj_ptr": adj_ptr.tobytes(), "adj_idx": adj_idx.tobytes(),
            "inc_ptr": inc_ptr.tobytes(), "inc_idx": inc_idx.tobytes()}


def int_array(data: bytes) -> array:
    """An int32 array from the bytes :func:`pack` wrote."""
    out = array("i")
    out.frombytes(data)
    return out
