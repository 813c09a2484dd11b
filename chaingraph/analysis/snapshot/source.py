"""The firm source answering from a build's analysis index instead of the on-disk store.

:class:`SnapshotFirmSource` gives the same answers as the SPARQL-backed
:class:`~chaingraph.analysis.source.FirmSource` (the index is made by the same projection
functions), from the columns and inverted indexes of :class:`~chaingraph.analysis.snapshot.index.Snapshot`.
"""

from __future__ import annotations

from typing import Iterable

import rdflib

from chaingraph.analysis.source import FirmSource


class SnapshotFirmSource(FirmSource):
    """A :class:`FirmSource` answering from the build's analysis index
    (:class:`~chaingraph.analysis.snapshot.index.Snapshot`).

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
