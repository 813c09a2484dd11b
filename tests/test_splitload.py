"""Cutting a Turtle file into pieces for concurrent bulk loads: the same graph, or no cut at all.

Each piece is parsed on its own with fresh blank node ids, as ``Store.bulk_load`` does; the
union of the pieces must be the graph of the whole file (compared after RDF canonicalization).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from chaingraph.store import splitload
from chaingraph.store import bundled_files

ROOT = Path(__file__).resolve().parents[1]
BASE = "file:///data/doc.ttl"


def _canonical(quads) -> ox.Dataset:
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ds


def _whole(data: bytes) -> ox.Dataset:
    return _canonical(ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=BASE, rename_blank_nodes=True))


def _union(pieces: list[bytes]) -> ox.Dataset:
    quads = []
    for piece in pieces:
        quads += ox.parse(input=piece, format=ox.RdfFormat.TURTLE, base_iri=BASE, rename_blank_nodes=True)
    return _canonical(quads)


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    path = tmp_path_factory.mktemp("split") / "province.ttl"
    synth.write_province(path, 150, seed=3)  # N-Triples lines; evidence as blank nodes
    return path.read_bytes()


@pytest.mark.parametrize("parts", [2, 3, 8])
def test_synthetic_province_pieces_hold_the_same_graph(province, parts):
    pieces = splitload.pieces(province, parts)
    assert pieces is not None and len(pieces) == parts
    assert b"".join(pieces) == province  # N-Triples: no directives to repeat
    assert _union(pieces) == _whole(province)


def test_pretty_turtle_pieces_repeat_the_directives():
    g = rdflib.Graph()
    for f in bundled_files():
        g.parse(f, format="turtle")
    data = g.serialize(format="turtle").encode("utf-8")  # multi-line statements, [ ] blank nodes
    pieces = splitload.pieces(data, 4)
    assert pieces is not None and len(pieces) == 4
    header = data[: data.index(b"\n\n")]  # rdflib writes its @prefix lines first
    assert all(p.startswith(header) for p in pieces)
    assert _union(pieces) == _whole(data)


def _lines(n: int, fmt: str) -> bytes:
    return b"".join(fmt.format(i=i).encode() for i in range(n))


def test_cut_moves_past_a_blank_node_used_on_both_sides():
    head = _lines(20, "<http://e/s{i}> <http://e/p> {i} .\n")
    bnode = _lines(40, "_:ev <http://e/q{i}> {i} .\n")  # one node; the middle cut falls inside it
    tail = _lines(10, "<http://e/t{i}> <http://e/p> {i} .\n")
    data = head + bnode + tail
    assert len(head) < len(data) // 2 < len(head) + len(bnode)
    pieces = splitload.pieces(data, 2)
    assert pieces is not None
    assert sum(p.count(b"_:ev") for p in pieces) == 40 and pieces[1].count(b"_:ev") == 0
    assert _union(pieces) == _whole(data)
    assert len({q.subject for q in _union(pieces) if q.predicate.value.startswith("http://e/q")}) == 1


def test_label_shared_by_distant_pieces_gives_no_cut():
    data = (b"_:x <http://e/p> <http://e/o> .\n" + _lines(200, "<http://e/s{i}> <http://e/p> {i} .\n")
            + b"<http://e/s> <http://e/p> _:x .\n")
    assert splitload.pieces(data, 4) is None


def test_later_directives_travel_with_the_pieces():
    data = (b"@prefix ex: <http://e/one/> .\n" + _lines(30, "ex:a{i} ex:p {i} .\n")
            + b"PREFIX ex: <http://e/two/>\n@base <http://base/> .\n" + _lines(30, "ex:b{i} ex:p <rel{i}> .\n"))
    pieces = splitload.pieces(data, 3)
    assert pieces is not None and len(pieces) == 3
    assert pieces[2].startswith(b"@prefix ex: <http://e/one/> .\nPREFIX ex: <http://e/two/>\n@base <http://base/> .\n")
    assert _union(pieces) == _whole(data)
    assert ox.Quad(ox.NamedNode("http://e/two/b29"), ox.NamedNode("http://e/two/p"), ox.NamedNode("http://base/rel29"),
                   ox.DefaultGraph()) in _union(pieces)


@pytest.mark.parametrize("data", [
    # a long string may hold a newline and a '.': no cut anywhere
    _lines(20, "<http://e/s{i}> <http://e/p> 1 .\n") + b'<http://e/s> <http://e/p> """a .\nb""" .\n'
    + _lines(20, "<http://e/t{i}> <http://e/p> 1 .\n"),
    # a directive that does not start its line
    _lines(20, "<http://e/s{i}> <http://e/p> 1 .\n") + b"<http://e/a> <http://e/p> 1 . @prefix ex: <http://e/> .\n"
    + _lines(20, "ex:t{i} ex:p 1 .\n"),
    # one statement, no place to cut
    b"<http://e/s> <http://e/p> " + b", ".join(b"%d" % i for i in range(500)) + b" .\n",
], ids=["long-string", "mid-line-directive", "one-statement"])
def test_files_that_cannot_be_cut_safely(data):
    assert splitload.pieces(data, 4) is None
    assert splitload.pieces(data, 1) is None


@pytest.mark.slow  # builds the pool from the refdata (about 6 s)
def test_converted_pool_pieces_hold_the_same_graph(tmp_path):
    """The biggest real file a user has: the pool `chaingraph pool build` writes (about 9 MB)."""
    from chaingraph.pool.chainkg import build_pool
    from chaingraph.store import load_files

    src = ROOT.parent / "shared" / "refdata" / "ChainKnowledgeGraph"
    if not src.is_dir():
        pytest.skip(f"refdata not found: {src}")
    path = tmp_path / "chainkg.ttl"
    build_pool(load_files(bundled_files()), src, path)
    data = path.read_bytes()
    pieces = splitload.pieces(data, 4)
    assert pieces is not None and len(pieces) == 4
    assert _union(pieces) == _whole(data)
