"""The analysis snapshot: the firm projections every chain analysis reads, materialized per build.

``gaps`` and ``targets`` need every local firm's segments, the candidates of a segment with
their attributes, and every supply/referral/relocation/visit edge (for tie paths).  Reading
those back out of the on-disk Oxigraph store costs about 10 µs per value (each term is a
dictionary lookup in RocksDB): 100k firms and 220k relation facts take tens of seconds.  So
they are computed once per store build, with the same functions the analyses would otherwise
call (:func:`chaingraph.project.firms`, :func:`~chaingraph.project.firm_segments`,
:func:`~chaingraph.project.relation_edges`, :func:`~chaingraph.project.chain_leaders`,
:func:`~chaingraph.project.firm_parks`), and written beside the store as ``analysis.marshal``
(column lists, loaded in a fraction of a second).

A snapshot belongs to one build directory, whose name carries the content hash of the source
files, so it is never stale: a changed file means a new build and a new snapshot.  It is
written atomically (temp file + rename) by ``chaingraph build`` or by the first analysis after
a build; two processes writing it at once write the same bytes.  Graphs that are not an
embedded build (a SPARQL server, a graph parsed in memory) have no snapshot and are queried as
before.  The format is private to this module and versioned.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import time
from array import array
from pathlib import Path
from typing import Iterable

import rdflib

from chaingraph import project
from chaingraph.analysis.source import FirmSource, query_target_facts
from chaingraph.analysis.ties import TieGraph, from_edges, int_array, pack
from chaingraph.lookup import name_key
from chaingraph.progress import announced
from chaingraph.store import build_of

FORMAT = 4
FILE_NAME = "analysis.marshal"

#: Firm attribute columns, in :func:`chaingraph.project.firms` key order.
FIRM_KEYS = ("label", "full_name", "aliases", "park", "park_label", "city", "city_label", "origin",
             "origin_label", "tiers", "tier_iris", "segments", "products", "stock_code", "xiangshang")
EDGE_KINDS = ("referral", "supply", "relocation", "visit")
_NAME_SEP = "\x1f"

_LOADED: dict[str, "Snapshot"] = {}  # build dir -> snapshot, for the life of the process


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


def compute(graph) -> dict:
    """The snapshot data of ``graph`` (every projection, whole graph)."""
    shared: dict = {}

    def same(v):
        """Equal strings and lists as one object (lists become tuples): marshal then writes
        them once and reads back references, which keeps loading fast."""
        if isinstance(v, (list, tuple)):
            v = tuple(same(x) for x in v)
        if isinstance(v, (str, tuple)):
            return shared.setdefault(v, v)
        return v

    firms = project.firms(graph)
    iris = sorted(firms)
    columns = {k: [same(firms[f][k]) for f in iris] for k in FIRM_KEYS}
    own = project.firm_segments(graph)
    parks = project.firm_parks(graph)
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
    edges = project.relation_edges(graph)
    tg = from_edges(edges)
    ids = tg.ids
    others = [n for n in tg.nodes if n not in firms]
    labels = project.labels(graph, others) if others else {}
    ties = pack(tg)
    ties["nodes"] = [same(n) for n in ties["nodes"]]
    return {
        "format": FORMAT,
        "firms": [same(f) for f in iris],
        "columns": columns,
        "segment_members": {x: rows.tobytes() for x, rows in sorted(segment_members.items())},
        "park_members": {x: rows.tobytes() for x, rows in sorted(park_members.items())},
        "leaders": project.chain_leaders(graph),
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


def _path(build: Path, name: str = FILE_NAME) -> Path:
    return Path(build) / name


_MAGIC = b"cgsnap1\n"  # then the SHA-256 of the payload, then the payload (marshal)


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
    """Write ``data`` into ``build`` atomically (a reader never sees half a file), with a checksum
    (the analysis snapshot in parts decoded on demand: :data:`PACKED`)."""
    path = _path(build, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = marshal.dumps(_pack(data) if name == FILE_NAME else data)
    try:
        with open(tmp, "wb") as fh:
            fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


_REQUIRED = {FILE_NAME: ("firms", "leaders", "labels", "packed")}


def read(build: Path, name: str = FILE_NAME, version: int = FORMAT) -> dict | None:
    """The snapshot data stored in ``build``; None when absent, damaged (checksum, structure),
    unreadable or of another format — the caller then computes it again."""
    try:
        with open(_path(build, name), "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    payload = memoryview(raw)[head:]
    if raw[: len(_MAGIC)] != _MAGIC or hashlib.sha256(payload).digest() != raw[len(_MAGIC):head]:
        return None  # cut short, zeroed, edited or of an older layout
    try:
        data = marshal.loads(payload)  # 6x faster than marshal.load(fh), which reads per object
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != version:
        return None
    if any(k not in data for k in _REQUIRED.get(name, ())):
        return None
    if name == FILE_NAME:  # the checksum vouches for the bytes, the format for the layout
        packed = data["packed"]
        if not isinstance(packed, dict) or any(
                k not in packed for k in (*PACKED, *(f"col:{c}" for c in COLUMNS))):
            return None
    return data


def damaged(build: Path, name: str = FILE_NAME) -> bool:
    """True when a snapshot file exists in ``build`` but :func:`read` cannot use it."""
    return _path(build, name).exists() and read(build, name) is None


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
    snap = _LOADED.get(build)
    if snap is not None:
        return snap
    data = read(Path(build))
    if data is None:
        t = time.perf_counter()
        if _path(Path(build)).exists():  # there, but failed its checksum or structure check
            after = 0
            note = "the analysis index of the store is damaged or out of date; indexing the store again…"
        else:
            note = "indexing the store for analysis (once per build)…"
        with announced(progress, note, after=after) as said:
            data = compute(graph)
            facts = _facts(graph, build)
            context_facts(graph)
        try:
            write(Path(build), data)
        except OSError:
            pass
        if said.is_set():
            progress(f"indexed {len(data['firms']):,} firms, {len(data['edges']['fact']):,} relations and "
                     f"{facts['count']:,} segment links in {time.perf_counter() - t:.1f} s")
    snap = _LOADED[build] = Snapshot(data)
    return snap


# ----------------------------------------------------------------------------- target facts

FACTS_FILE = "target-facts.marshal"
FACTS_FORMAT = 2  # 2: links carry same_line (cg:sameRevenueLineAs)
_FACTS: dict[str, dict] = {}  # build dir -> stored target facts, for the life of the process


def compute_facts(graph) -> dict:
    """:func:`chaingraph.analysis.source.query_target_facts` of the whole graph, stored by segment:
    ``{"links": {segment: [(firm, [link dict…])…]}, "places": {…}, "count": links}``."""
    facts = query_target_facts(graph)
    by_segment: dict[str, list] = {}
    for (f, s), links in facts["links"].items():
        by_segment.setdefault(s, []).append((f, links))
    return {"format": FACTS_FORMAT, "links": by_segment, "places": facts["places"], "count": len(facts["links"])}


def _facts(graph, build: str) -> dict:
    """The stored target facts of ``build`` (computed and written first if missing)."""
    facts = _FACTS.get(build)
    if facts is None:
        facts = read(Path(build), FACTS_FILE, FACTS_FORMAT)
        if facts is None:
            facts = compute_facts(graph)
            try:
                write(Path(build), facts, FACTS_FILE)
            except OSError:
                pass
        facts = _FACTS[build] = facts
    return facts


def target_facts(graph, segments: Iterable[str] | None = None) -> dict | None:
    """:func:`chaingraph.analysis.targets.target_facts` from the build's stored copy (None when
    ``graph`` is not an embedded build): the SegmentLink details are read back out of the store
    once per build (1.3 s for the 2,338-firm pool) instead of once per command."""
    build = build_of(graph)
    if build is None:
        return None
    facts = _facts(graph, build)
    wanted = facts["links"] if segments is None else {s: facts["links"].get(s, ()) for s in set(segments)}
    links = {(f, s): fresh(ds) for s, pairs in wanted.items() for f, ds in pairs}
    return {"links": dict(sorted(links.items())), "places": fresh(facts["places"])}


def fresh(value):
    """A copy of nested dicts, lists, tuples and sets (callers may change what they get; the
    stored copy stays)."""
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if isinstance(value, set):
        return set(value)
    return value


# ----------------------------------------------------------------------------- context facts

CONTEXT_FILE = "context.marshal"
CONTEXT_FORMAT = 1
_CONTEXT: dict[str, dict] = {}  # build dir -> stored context facts, for the life of the process


def compute_context(graph) -> dict:
    """The whole-graph reads :func:`chaingraph.analysis.context.build_context` starts from:
    parks, chains, the chain DAG (nodes and edges in the order :func:`chaingraph.project.chain_dag`
    adds them), planning statements, segment statements, host parks, reported counts and
    shares, and why each leading firm leads (:func:`chaingraph.analysis.statements.leader_evidence`:
    1.4 s of SPARQL at 100k firms, for every command, before this)."""
    from chaingraph.analysis import statements as stmts

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


_REQUIRED[CONTEXT_FILE] = ("parks", "chains", "dag_nodes", "dag_edges", "planning", "segment_statements",
                           "host_parks", "reported_counts", "reported_shares", "leader_evidence")


def context_facts(graph) -> dict | None:
    """:func:`compute_context` of ``graph``'s build, read from beside the store (computed and
    written first if missing); None when ``graph`` is not an embedded build.  Shared by every
    caller in the process: copy what you keep (:func:`fresh`)."""
    build = build_of(graph)
    if build is None:
        return None
    data = _CONTEXT.get(build)
    if data is None:
        data = read(Path(build), CONTEXT_FILE, CONTEXT_FORMAT)
        if data is None:
            data = compute_context(graph)
            try:
                write(Path(build), data, CONTEXT_FILE)
            except OSError:
                pass
        data = _CONTEXT[build] = data
    return data


# ----------------------------------------------------------------------------- the firm source


class SnapshotFirmSource(FirmSource):
    """A :class:`FirmSource` answering from the build's analysis snapshot (this module).

    Same answers as the SPARQL-backed source (the snapshot is made by the same projection
    functions), without reading the on-disk store for every firm.  Whole-graph projections
    with evidence (:meth:`full_graph`) and labels of other IRIs still come from the graph.
    """

    in_memory = True

    def __init__(self, graph: rdflib.Graph, snap):
        super().__init__(graph)
        self.snap = snap

    def attrs(self, iris: Iterable[str]) -> dict[str, dict]:
        out = {}
        for f in set(iris):
            d = self._attrs.get(f)
            if d is None:
                d = self.snap.firm(f)
                if d is None:
                    continue
                self._attrs[f] = d
            out[f] = d
        return out

    def segments(self, iris: Iterable[str]) -> dict[str, list[str]]:
        col, pos = self.snap.columns["own_segments"], self.snap.pos
        return {f: list(col[i]) for f in set(iris) if (i := pos(f)) is not None and col[i]}

    def summaries(self, iris: Iterable[str]) -> dict[str, dict]:
        return self.attrs(iris)

    def count_members(self, segments: Iterable[str], *, head: int = 0) -> tuple[int, list[str]]:
        rows = self.snap.members("segment", segments)  # sorted rows: firms in IRI order
        return len(rows), [self.snap.firms[i] for i in rows[:head]]

    def parks_of(self, iris: Iterable[str]) -> dict[str, str | None]:
        col, pos = self.snap.columns["park"], self.snap.pos
        return {f: col[i] for f in set(iris) if (i := pos(f)) is not None}

    def in_segments(self, segments: Iterable[str]) -> dict[str, list[str]]:
        firms = self.snap.firms
        return {s: [firms[i] for i in self.snap.members("segment", [s])] for s in set(segments)}

    def names(self, iris: Iterable[str]) -> dict[str, dict]:
        cols, pos = self.snap.columns, self.snap.pos
        out = {}
        for f in set(iris):
            i = pos(f)
            if i is None:
                out[f] = {"label": self.label(f), "full_name": None, "aliases": []}
            else:
                out[f] = {"label": cols["label"][i], "full_name": cols["full_name"][i],
                          "aliases": list(cols["aliases"][i])}
        return out

    def label(self, iri: str) -> str:
        i = self.snap.pos(iri)
        if i is not None:
            return self.snap.columns["label"][i]
        if iri in self.snap.labels:
            return self.snap.labels[iri]
        return super().label(iri)

    def prefetch_labels(self, iris: Iterable[str], *, key: str | None = None) -> None:
        if key is not None:
            if key in self._done:
                return
            self._done.add(key)
        rest = [i for i in iris if self.snap.pos(i) is None and i not in self.snap.labels]
        if rest:
            super().prefetch_labels(rest)

    def all_segments(self) -> dict[str, list[str]]:
        return self.snap.segments()

    def relation_edges(self) -> list[dict]:
        if self._edges is None:
            self._edges = self.snap.edge_list()
        return self._edges

    def firms_in_parks(self, parks: Iterable[str]) -> dict[str, str]:
        firms, col = self.snap.firms, self.snap.columns["parks"]
        return {firms[i]: col[i][0] for i in self.snap.members("park", parks)}

    def leaders(self) -> list[str]:
        return list(self.snap.leaders)

    def name_keys(self, iris: Iterable[str]) -> dict[str, list[str]]:
        keys = self.snap.name_keys
        out = {}
        for f in set(iris):
            if self.snap.pos(f) is not None:
                out[f] = keys(f)
            else:
                out.update(super().name_keys([f]))
        return out

    def visited_by(self, parks: Iterable[str]) -> set[str]:
        return self.snap.visited_by(parks)

    def tie_graph(self):
        return self.snap.tie_graph()

    def relocation_origins(self, skip: Iterable[str] = ()) -> set[str]:
        return self.snap.relocation_origins(skip)
