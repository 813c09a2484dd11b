"""The analysis index (``analysis.marshal``): firm columns, segment/park indexes, relation edges, tie graph.

:class:`Snapshot` is one build's firms as columns (attributes, own segments, parks, name keys),
the inverted segment and park indexes, the chain leaders, the relation edges and the packed tie
graph; :func:`compute` makes it with the projection functions, :func:`write`/:func:`read` store
it in parts decoded on first use (:data:`PACKED`), and :func:`ensure` gives the build's index —
computing it, the stored target facts and the context facts together the first time.
"""

from __future__ import annotations

import functools
import marshal
import time
from array import array
from pathlib import Path
from typing import Iterable

from chaingraph import project
from chaingraph.analysis.snapshot import files
from chaingraph.analysis.snapshot.context import context_facts
from chaingraph.analysis.snapshot.targets import stored_facts
from chaingraph.analysis.ties import TieGraph, from_edges, int_array, pack
from chaingraph.lookup import name_key
from chaingraph.progress import announced
from chaingraph.store import build_of

FORMAT = 5  # 5: labels chosen by one rule (chaingraph.project.labels), not by row order
FILE_NAME = "analysis.marshal"

#: Firm attribute columns, in :func:`chaingraph.project.firms` key order.
FIRM_KEYS = ("label", "full_name", "aliases", "park", "park_label", "city", "city_label", "origin",
             "origin_label", "tiers", "tier_iris", "segments", "products", "stock_code", "xiangshang")
EDGE_KINDS = ("referral", "supply", "relocation", "visit")
_NAME_SEP = "\x1f"

LOADED: dict[str, "Snapshot"] = {}  # build dir -> snapshot, for the life of the process


class Snapshot:
    """The projections of one build, as plain Python (see the module docstring).

    ``firms`` (IRIs, sorted) with ``columns`` ({key: list aligned with ``firms``}) plus the
    columns ``own_segments``, ``parks`` (every cg:park, sorted) and ``name_keys``
    (:func:`chaingraph.lookup.name_key` of every name); ``leaders`` (sorted IRIs); the relation
    edges as columns; the tie graph packed (:func:`chaingraph.analysis.ties.pack`) and ``labels``
    of the tie graph's nodes that are not firms (parks, places).
    """

    def __init__(self, data: dict):
        packed = data.get("packed", {})
        self._packed = packed
        self.firms: list[str] = data["firms"]
        self.columns = _Columns(data.get("columns", {}), packed)
        self.leaders: list[str] = data["leaders"]
        self.labels: dict[str, str] = data["labels"]
        self._plain = data
        self._by_segment: dict[str, list[str]] | None = None
        self._segments: dict[str, list[str]] | None = None
        self._edge_dicts: dict[int, dict] = {}

    def _section(self, name: str):
        """A top-level part of the snapshot, decoded from the file on first use."""
        if name not in self._plain:
            self._plain[name] = marshal.loads(self._packed[name])
        return self._plain[name]

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """``{firm IRI: row}`` (built on first use)."""
        return dict(zip(self.firms, range(len(self.firms))))

    def pos(self, iri: str) -> int | None:
        """Row of firm ``iri`` in :attr:`firms`, None when it is not a firm."""
        return self.index.get(iri)

    @functools.cached_property
    def _edges(self) -> dict:
        return self._section("edges")

    @functools.cached_property
    def _ties(self) -> dict:
        return self._section("ties")

    @functools.cached_property
    def _kinds(self) -> bytes:
        return self._edges["kind"]

    @functools.cached_property
    def _a(self) -> array:
        return int_array(self._edges["a"])

    @functools.cached_property
    def _b(self) -> array:
        return int_array(self._edges["b"])

    def firm(self, iri: str) -> dict | None:
        """Attributes of one firm, as :func:`chaingraph.project.firms` gives them (None: not a firm)."""
        i = self.pos(iri)
        if i is None:
            return None
        return {k: _copy(self.columns[k][i]) for k in FIRM_KEYS}

    def own_segments(self, iri: str) -> list[str]:
        i = self.pos(iri)
        return list(self.columns["own_segments"][i]) if i is not None else []

    def segments(self) -> dict[str, list[str]]:
        """``{firm: [segment…]}`` as :func:`chaingraph.project.firm_segments` (firms with segments)."""
        if self._segments is None:
            col = self.columns["own_segments"]
            self._segments = {f: list(col[i]) for i, f in enumerate(self.firms) if col[i]}
        return self._segments

    def members(self, key: str, values: Iterable[str]) -> list[int]:
        """Rows (sorted) of the firms with any of ``values`` in their ``own_segments``
        (``key="segment"``) or ``parks`` (``key="park"``), from the inverted index stored
        with the snapshot."""
        inv = self._section(f"{key}_members")
        rows: set[int] = set()
        for v in set(values):
            if v in inv:
                rows.update(int_array(inv[v]))
        return sorted(rows)

    def by_segment(self) -> dict[str, list[str]]:
        """``{segment: [firm…]}`` inverted from the own segments (firms sorted)."""
        if self._by_segment is None:
            firms = self.firms
            self._by_segment = {s: [firms[i] for i in int_array(rows)]
                                for s, rows in self._section("segment_members").items()}
        return self._by_segment

    def name_keys(self, iri: str) -> list[str]:
        i = self.pos(iri)
        return self.columns["name_keys"][i].split(_NAME_SEP) if i is not None and self.columns["name_keys"][i] else []

    # relation edges
    def edge(self, k: int) -> dict:
        """Relation edge ``k`` as a tie-graph edge (kind, fact, src, dst, evidence, year); one dict per edge."""
        d = self._edge_dicts.get(k)
        if d is None:
            nodes = self._ties["nodes"]
            d = self._edge_dicts[k] = {
                "kind": EDGE_KINDS[self._kinds[k]], "fact": self._edges["fact"][k], "evidence": None,
                "year": self._edges["year"][k], "src": nodes[self._a[k]], "dst": nodes[self._b[k]],
            }
        return d

    def edge_list(self) -> list[dict]:
        """Relation edges as :func:`chaingraph.project.relation_edges` returns them."""
        cols, nodes = self._edges, self._ties["nodes"]
        out = []
        for k in range(len(self._kinds)):
            e = {"kind": EDGE_KINDS[self._kinds[k]], "fact": cols["fact"][k], "a": nodes[self._a[k]],
                 "b": nodes[self._b[k]], "year": cols["year"][k]}
            if e["kind"] == "referral":
                e["referral_kind"] = cols["referral_kind"][k]
                e["stage"] = cols["stage"][k]
            out.append(e)
        return out

    def visited_by(self, parks) -> set[str]:
        """Targets of the visit edges of ``parks``."""
        nodes, wanted = self._ties["nodes"], set(parks)
        ids = {i for i, n in enumerate(nodes) if n in wanted}
        visit = EDGE_KINDS.index("visit")
        return {nodes[self._b[k]] for k, kind in enumerate(self._kinds) if kind == visit and self._a[k] in ids}

    def relocation_origins(self, skip=()) -> set[str]:
        """Origin places of the relocation edges (except the facts in ``skip``)."""
        nodes, skip, kind = self._ties["nodes"], set(skip), EDGE_KINDS.index("relocation")
        return {nodes[self._b[k]] for k, x in enumerate(self._kinds) if x == kind and self._edges["fact"][k] not in skip}

    def tie_graph(self):
        """A fresh :class:`~chaingraph.analysis.ties.TieGraph` over the packed arrays."""
        t = self._ties
        return TieGraph.packed(t["nodes"], int_array(t["adj_ptr"]), int_array(t["adj_idx"]),
                               int_array(t["inc_ptr"]), int_array(t["inc_idx"]), self.edge)


def _copy(value):
    return list(value) if isinstance(value, tuple) else value


# ----------------------------------------------------------------------------- compute


def compute(graph, parsed=None) -> dict:
    """The snapshot data of ``graph`` (every projection, whole graph); from the reads of
    ``parsed`` (:class:`chaingraph.analysis.snapshot.parsed.Reads`: the same rows, taken from
    the parsed files) instead of querying ``graph`` when given."""
    data = compute_firms(graph, parsed)
    data.update(compute_relations(graph, set(data["firms"]), parsed))
    return data


def _sharer():
    """``same(value)``: equal strings and lists as one object (lists become tuples): marshal then
    writes them once and reads back references, which keeps loading fast."""
    shared: dict = {}
    keep = shared.setdefault

    def same(v):
        t = type(v)
        if t is str:
            return keep(v, v)
        if t is list or t is tuple:
            v = tuple([same(x) for x in v])
            return keep(v, v)
        if isinstance(v, (list, tuple)):
            v = tuple(same(x) for x in v)
        if isinstance(v, (str, tuple)):
            return keep(v, v)
        return v

    return same


def compute_firms(graph, parsed=None) -> dict:
    """The firm part of :func:`compute`: ``format``, ``firms``, ``columns``, the segment and park
    indexes and ``leaders``."""
    same = _sharer()
    if parsed is None:
        reads = project.firm_reads(graph)  # each firm property read once for the three projections
        firms = project.firms(graph, reads=reads)
    else:
        reads = parsed.firm_reads()
        firms = project.firms(graph, reads=reads, labels_by_iri=parsed.labels())
    iris = sorted(firms)
    columns = {k: [same(firms[f][k]) for f in iris] for k in FIRM_KEYS}
    own = project.firm_segments(graph, reads=reads)
    parks = project.firm_parks(graph, reads=reads)
    del reads
    columns["own_segments"] = [same(own.get(f, [])) for f in iris]
    columns["parks"] = [same(parks.get(f, [])) for f in iris]
    columns["name_keys"] = [
        _NAME_SEP.join(dict.fromkeys(name_key(n) for n in project.names_of(firms[f]))) for f in iris
    ]
    segment_members: dict[str, array] = {}
    park_members: dict[str, array] = {}
    for i, (segs, ps) in enumerate(zip(columns["own_segments"], columns["parks"])):
        for x in segs:
            segment_members.setdefault(x, array("i")).append(i)
        for x in ps:
            park_members.setdefault(x, array("i")).append(i)
    return {
        "format": FORMAT,
        "firms": [same(f) for f in iris],
        "columns": columns,
        "segment_members": {x: rows.tobytes() for x, rows in sorted(segment_members.items())},
        "park_members": {x: rows.tobytes() for x, rows in sorted(park_members.items())},
        "leaders": project.chain_leaders(graph) if parsed is None else parsed.chain_leaders(),
    }


def compute_relations(graph, firms: set[str], parsed=None) -> dict:
    """The relation part of :func:`compute` (``firms``: every cg:Company): ``labels`` of the tie
    graph's other nodes, ``edges`` and ``ties``."""
    same = _sharer()
    edges = project.relation_edges(graph) if parsed is None else parsed.relation_edges()
    tg = from_edges(edges)
    ids = tg.ids
    others = [n for n in tg.nodes if n not in firms]
    if parsed is None:
        labels = project.labels(graph, others) if others else {}
    else:
        every = parsed.labels()
        labels = {n: every[n] for n in others if n in every}
    ties = pack(tg)
    ties["nodes"] = [same(n) for n in ties["nodes"]]
    return {
        "labels": {i: project.label_of(labels.get(i), i) for i in others},
        "edges": {
            "kind": bytes(EDGE_KINDS.index(e["kind"]) for e in edges),
            "fact": [same(e["fact"]) for e in edges],
            "a": array("i", (ids[e["a"]] for e in edges)).tobytes(),
            "b": array("i", (ids[e["b"]] for e in edges)).tobytes(),
            "year": [same(e.get("year")) for e in edges],
            "referral_kind": [same(e.get("referral_kind")) for e in edges],
            "stage": [same(e.get("stage")) for e in edges],
        },
        "ties": ties,
    }


#: Parts of the analysis snapshot stored as separate marshal blobs, decoded when first used:
#: ``gaps`` reads a few firm columns and the inverted indexes, never the relation edges (at
#: 100k firms decoding everything was 0.4 s of a 1.2 s command).
PACKED = ("edges", "ties", "segment_members", "park_members")
COLUMNS = (*FIRM_KEYS, "own_segments", "parks", "name_keys")


def _pack(data: dict) -> dict:
    """``data`` with :data:`PACKED` parts and each firm column as ``packed`` blobs."""
    out = {k: v for k, v in data.items() if k not in PACKED and k != "columns"}
    out["packed"] = {k: marshal.dumps(data[k]) for k in PACKED}
    out["packed"].update((f"col:{k}", marshal.dumps(v)) for k, v in data["columns"].items())
    return out


class _Columns(dict):
    """Firm columns ``{key: list aligned with the firms}``, each decoded on first use."""

    def __init__(self, plain: dict, packed: dict):
        super().__init__(plain)
        self._packed = packed

    def __missing__(self, key: str) -> list:
        blob = self._packed.get(f"col:{key}")
        if blob is None:
            raise KeyError(key)
        value = self[key] = marshal.loads(blob)
        return value


def write(build: Path, data: dict, name: str = FILE_NAME) -> None:
    """Write the analysis index ``data`` into ``build`` (:func:`~chaingraph.analysis.snapshot.files.write`),
    in parts decoded on demand (:data:`PACKED`)."""
    files.write(build, data, name, _pack)


REQUIRED = ("firms", "leaders", "labels", "packed")


def read(build: Path) -> dict | None:
    """The analysis index stored in ``build``; None when absent, damaged (checksum, structure),
    unreadable or of another format — the caller then computes it again."""
    data = files.read(build, FILE_NAME, FORMAT, REQUIRED)
    if data is None:
        return None
    packed = data["packed"]  # the checksum vouches for the bytes, the format for the layout
    if not isinstance(packed, dict) or any(k not in packed for k in (*PACKED, *(f"col:{c}" for c in COLUMNS))):
        return None
    return data


def damaged(build: Path) -> bool:
    """True when an analysis index exists in ``build`` but :func:`read` cannot use it."""
    return files.path_of(build, FILE_NAME).exists() and read(build) is None


# ----------------------------------------------------------------------------- graphs


def ensure(graph, *, progress=None, after: float = 1.0) -> Snapshot | None:
    """The snapshot of ``graph``'s build, computed and written first if missing.

    None when ``graph`` is not an embedded build.  Loaded once per process.  When the build
    folder cannot be written (a read-only home) the snapshot is kept in memory only.
    ``progress`` (a callable taking a message) hears about a snapshot being computed when that
    takes longer than ``after`` seconds (0: always), and how long it took.
    """
    build = build_of(graph)
    if build is None:
        return None
    snap = LOADED.get(build)
    if snap is not None:
        return snap
    data = read(Path(build))
    if data is None:
        t = time.perf_counter()
        if files.path_of(Path(build), FILE_NAME).exists():  # there, but failed its checksum or structure check
            after = 0
            note = "the analysis index of the store is damaged or out of date; indexing the store again…"
        else:
            note = "indexing the store for analysis (once per build)…"
        with announced(progress, note, after=after) as said:
            data = compute(graph)
            facts = stored_facts(graph, build)
            context_facts(graph)
        try:
            write(Path(build), data)
        except OSError:
            pass
        if said.is_set():
            progress(f"indexed {len(data['firms']):,} firms, {len(data['edges']['fact']):,} relations and "
                     f"{facts['count']:,} segment links in {time.perf_counter() - t:.1f} s")
    snap = LOADED[build] = Snapshot(data)
    return snap
