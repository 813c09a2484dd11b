"""The persistent embedded store: built once, rebuilt on change, swapped atomically, locked."""

from __future__ import annotations

import os

import pytest
import rdflib

from chaingraph import progress
from chaingraph.store import disk
from chaingraph.errors import ChaingraphError
from chaingraph.store import GraphSource, build_store, load_files, open_graph, ontology_files, user_data_dir

FIRM = "https://w3id.org/chaingraph/id/company/store-test-firm"
TTL = (
    "@prefix cg: <https://w3id.org/chaingraph/ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    f'<{FIRM}> a cg:Company ; rdfs:label "{{label}}"@zh ;\n'
    '    cg:evidence [ a cg:Evidence ; cg:quote "存储测试"@zh ; cg:start 1 ; cg:end 5 ] .\n'
)
LABEL_Q = f"SELECT ?l WHERE {{ <{FIRM}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"


@pytest.fixture
def user_file(isolated_home):
    folder = user_data_dir()
    folder.mkdir(parents=True)
    path = folder / "mine.ttl"
    path.write_text(TTL.format(label="存储测试甲"), encoding="utf-8")
    return path


def _label(graph) -> list[str]:
    return sorted(str(r[0]) for r in graph.query(LABEL_Q))


def _source():
    return GraphSource(include_bundled=False)  # ontology + user data: small and fast


def test_build_then_open_without_rebuild(user_file):
    first = build_store(_source())
    assert first.rebuilt and first.triples > 0
    again = build_store(_source())
    assert not again.rebuilt and again.path == first.path
    g = open_graph(_source())
    assert _label(g) == ["存储测试甲"]
    assert disk.current_build(disk.store_root()) == first.path


def test_touch_without_change_does_not_rebuild(user_file):
    first = build_store(_source())
    os.utime(user_file, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    assert not build_store(_source()).rebuilt
    assert build_store(_source()).path == first.path


def test_content_change_rebuilds(user_file):
    first = build_store(_source())
    assert _label(open_graph(_source())) == ["存储测试甲"]
    user_file.write_text(TTL.format(label="存储测试乙"), encoding="utf-8")
    g = open_graph(_source())  # any command notices the change
    assert _label(g) == ["存储测试乙"]
    second = disk.current_build(disk.store_root())
    assert second != first.path
    assert build_store(_source()).rebuilt is False


def test_new_file_changes_hash(user_file):
    files = _source().files()
    h1 = disk.content_hash(files)
    extra = user_file.with_name("more.ttl")
    extra.write_text("", encoding="utf-8")
    assert disk.content_hash(_source().files()) != h1


def test_interrupted_build_leaves_old_store_working(user_file, monkeypatch):
    first = build_store(_source())
    user_file.write_text(TTL.format(label="存储测试乙"), encoding="utf-8")
    real = disk.load_into

    def crash(store, files):
        real(store, files[:1])  # part of the data is written…
        raise KeyboardInterrupt  # …then the build dies

    monkeypatch.setattr(disk, "load_into", crash)
    with pytest.raises(KeyboardInterrupt):
        build_store(_source())
    root = disk.store_root()
    assert disk.current_build(root) == first.path
    assert not [p for p in root.iterdir() if p.name.startswith("tmp-")]
    old = disk.open_build(first.path)
    assert _label(old) == ["存储测试甲"]
    monkeypatch.setattr(disk, "load_into", real)
    assert _label(open_graph(_source())) == ["存储测试乙"]


def test_second_writer_gets_store_busy(user_file):
    with disk.write_lock():
        with pytest.raises(ChaingraphError, match="store busy"):
            build_store(_source())
    assert build_store(_source()).rebuilt


def test_store_busy_from_cli(user_file, run_cli):
    with disk.write_lock():
        r = run_cli("--no-bundled", "build")
    assert r.code == 1 and "store busy" in r.err


def test_readers_share_the_store(user_file):
    build_store(_source())
    a, b = open_graph(_source()), open_graph(_source())
    assert _label(a) == _label(b) == ["存储测试甲"]


def test_old_build_in_use_is_kept_until_released(user_file):
    first = build_store(_source())
    open_graph(_source())  # this process holds `first` open
    user_file.write_text(TTL.format(label="存储测试乙"), encoding="utf-8")
    build_store(_source())
    assert first.path.is_dir()


def test_syntax_error_names_file_and_line(isolated_home, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix cg: <https://w3id.org/chaingraph/ns#> .\n\ncg:a cg:b "unterminated .\n', encoding="utf-8")
    with pytest.raises(ChaingraphError, match=rf"{bad}:3: malformed Turtle"):
        open_graph(GraphSource(include_bundled=False, data_dirs=(tmp_path,)))
    assert disk.current_build(disk.store_root()) is None


def test_memory_mode(user_file, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_STORE", "memory")
    assert _label(open_graph(_source())) == ["存储测试甲"]
    assert not (disk.store_root() / "CURRENT").exists()


def test_round_trip_is_isomorphic(user_file, tmp_path):
    from rdflib.compare import isomorphic

    def simple(graph) -> rdflib.Graph:  # "x"^^xsd:string and "x" are the same RDF 1.1 literal
        out = rdflib.Graph()
        for s, p, o in graph:
            if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
                o = rdflib.Literal(str(o))
            out.add((s, p, o))
        return out

    info = disk.build_store([user_file], root=tmp_path / "store")
    g = disk.open_build(info.path)
    text = g.serialize(format="turtle")
    back = rdflib.Graph().parse(data=text, format="turtle")
    assert isomorphic(simple(g), simple(back))
    plain = rdflib.Graph()
    plain.parse(user_file, format="turtle", publicID=user_file.resolve().as_uri())
    assert isomorphic(simple(back), simple(plain))
    assert any(str(o) == "存储测试甲" for o in back.objects())


@pytest.mark.slow  # builds a store of the bundled graph (about 5 s)
def test_disk_store_answers_like_memory(isolated_home):
    from chaingraph import project
    from chaingraph.store import select

    source = GraphSource(include_user=False)
    on_disk = open_graph(source)  # Oxigraph on disk: select() takes the fast path
    memory = load_files(source.files(), rdflib.Graph())  # plain rdflib: select() via graph.query
    assert len(on_disk) == len(memory)
    assert project.firms(on_disk) == project.firms(memory)
    assert project.chains(on_disk) == project.chains(memory)
    dag_d, dag_m = project.chain_dag(on_disk), project.chain_dag(memory)
    assert dict(dag_d.nodes(data=True)) == dict(dag_m.nodes(data=True))
    assert sorted(dag_d.edges) == sorted(dag_m.edges)
    fd, fm = project.firm_graph(on_disk), project.firm_graph(memory)
    assert sorted(fd.edges(keys=True)) == sorted(fm.edges(keys=True))
    for q in ("SELECT ?f ?n WHERE { ?f a cg:Company ; cg:shortName ?n }",
              "SELECT ?v WHERE { ?x cg:start ?v }",
              "SELECT ?x ?v WHERE { ?x cg:leaderExpected ?v }",
              "SELECT ?v WHERE { ?x cg:value ?v }",
              "SELECT ?v WHERE { ?x cg:year ?v }"):
        a, b = select(on_disk, q), select(memory, q)
        assert sorted(map(repr, a)) == sorted(map(repr, b)), q
    assert project.evidence_by_subject(on_disk) == project.evidence_by_subject(memory)


def test_ontology_only_store(isolated_home):
    g = open_graph(GraphSource(include_bundled=False, include_user=False))
    assert len(g) == len(load_files(ontology_files()))


def _store_dataset(build) -> "ox.Dataset":
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build / "oxigraph"))
    ds = ox.Dataset(store)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ds


def test_big_file_is_stored_in_pieces_with_the_same_triples(isolated_home, tmp_path, monkeypatch):
    import sys

    import pyoxigraph as ox

    from chaingraph.store import splitload

    sys.path.insert(0, str(os.path.join(os.path.dirname(__file__), "..", "benchmarks")))
    import synth

    path = tmp_path / "province.ttl"
    synth.write_province(path, 300, seed=3)
    assert path.stat().st_size >= disk.BULK_FILE_BYTES
    cut: list[int] = []
    real = splitload.pieces
    monkeypatch.setattr(splitload, "pieces", lambda data, parts: cut.append(parts) or real(data, parts))
    monkeypatch.setattr(splitload, "cores", lambda: 2)
    info = disk.build_store([path], root=tmp_path / "split")
    assert cut == [4]
    monkeypatch.setattr(disk, "SPLIT_MAX_BYTES", 0)  # the same file in one stream
    whole = disk.build_store([path], root=tmp_path / "whole")
    assert cut == [4] and info.triples == whole.triples
    assert _store_dataset(info.path) == _store_dataset(whole.path)
    expected = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    expected.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert _store_dataset(info.path) == expected


def _big_turtle(middle: str) -> str:
    """A file whose first cut (two pieces) falls inside ``middle``."""
    lines = [f"ex:s{i} ex:p {i} ." for i in range(200)]
    return "@prefix ex: <http://e/> .\n" + "\n".join(lines[:100]) + "\n" + middle + "\n".join(lines[100:]) + "\n"


def test_piece_that_does_not_parse_alone_is_loaded_again_whole(isolated_home, tmp_path, monkeypatch):
    from chaingraph.store import splitload

    monkeypatch.setattr(disk, "BULK_FILE_BYTES", 0)
    monkeypatch.setattr(splitload, "cores", lambda: 2)
    # a comment line ending in '.' inside a statement looks like a statement end to the cutter
    middle = "ex:long ex:p 1 ;\n" + "".join(f"    ex:q{i} {i} ;\n" for i in range(400)) + "# the end.\nex:last 2 .\n"
    path = tmp_path / "tricky.ttl"
    path.write_text(_big_turtle(middle), encoding="utf-8")
    data = path.read_bytes()
    pieces = splitload.pieces(data, 4)
    assert pieces is not None and any(p.rstrip().endswith(b"# the end.") for p in pieces)
    retried: list[bool] = []
    real = disk.load_into

    def spy(store, files, *, split=True):
        retried.append(not split)
        return real(store, files, split=split)

    monkeypatch.setattr(disk, "load_into", spy)
    info = disk.build_store([path], root=tmp_path / "store")
    assert retried == [False, True]
    assert info.triples == 200 + 1 + 400 + 1
    g = disk.open_build(info.path)
    assert len(g) == info.triples


def test_syntax_error_in_a_big_file_names_its_own_line(isolated_home, tmp_path, monkeypatch):
    from chaingraph.store import splitload

    monkeypatch.setattr(disk, "BULK_FILE_BYTES", 0)
    monkeypatch.setattr(splitload, "cores", lambda: 2)
    path = tmp_path / "bad.ttl"
    text = _big_turtle('ex:bad ex:p "unterminated .\n')
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('ex:bad ex:p "unterminated .') + 1
    assert line > 100 and splitload.pieces(path.read_bytes(), 4) is not None
    with pytest.raises(ChaingraphError, match=rf"{path}:{line}: malformed Turtle"):
        disk.build_store([path], root=tmp_path / "store")
    assert disk.current_build(tmp_path / "store") is None
    assert not [p for p in (tmp_path / "store").iterdir() if p.name.startswith(("tmp-", "b-"))]


def test_blank_node_labels_are_local_to_their_file(isolated_home, tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text('_:x <http://e/p> "a" .\n', encoding="utf-8")
    b.write_text('_:x <http://e/q> "b" .\n', encoding="utf-8")
    info = disk.build_store([a, b], root=tmp_path / "store")
    g = disk.open_build(info.path)
    assert len(set(g.subjects())) == 2  # as rdflib parsing the two files gives
    plain = rdflib.Graph()
    plain.parse(a, format="turtle")
    plain.parse(b, format="turtle")
    assert len(set(plain.subjects())) == 2


def test_build_says_when_it_builds_the_store(user_file, run_cli, monkeypatch):
    r = run_cli("--no-bundled", "build")
    assert r.code == 0, r.err
    assert "building the store from" in r.err and "store built:" in r.err
    r = run_cli("--no-bundled", "build")
    assert r.code == 0 and "building the store" not in r.err and "store up to date" in r.err
    # any command rebuilds: quietly when the build takes 0.5 s (a simulated clock, so a slow
    # machine running the test changes nothing) …
    monkeypatch.setattr(progress, "Timer", _simulated_clock(0.5))
    user_file.write_text(TTL.format(label="存储测试乙"), encoding="utf-8")
    r = run_cli("--no-bundled", "stats", "--format", "json")
    assert r.code == 0 and "building the store" not in r.err
    # … and saying so when it takes 1.5 s, longer than the 1 s after which other commands speak up
    monkeypatch.setattr(progress, "Timer", _simulated_clock(1.5))
    user_file.write_text(TTL.format(label="存储测试丙"), encoding="utf-8")
    r = run_cli("--no-bundled", "stats", "--format", "json")
    assert r.code == 0 and r.err.startswith("building the store from 10 files")


def _simulated_clock(lasting: float):
    """A ``progress.Timer`` for work that takes ``lasting`` seconds: it fires when started if the
    wait is shorter than the work, never otherwise."""

    class Timer:
        def __init__(self, after, callback):
            self.after, self.callback, self.daemon = after, callback, True

        def start(self):
            if self.after < lasting:
                self.callback()

        def cancel(self):
            pass

    return Timer


@pytest.mark.parametrize("route", ["small", "one-stream", "pieces"])
def test_byte_order_mark_is_skipped(isolated_home, tmp_path, monkeypatch, route):
    """Windows editors save UTF-8 with a byte order mark; rdflib skips it, so must the store."""
    from chaingraph.store import splitload

    if route != "small":
        monkeypatch.setattr(disk, "BULK_FILE_BYTES", 0)
    if route == "one-stream":
        monkeypatch.setattr(disk, "SPLIT_MAX_BYTES", 0)
    monkeypatch.setattr(splitload, "cores", lambda: 2)
    path = tmp_path / "bom.ttl"
    lines = [f"ex:s{i} rdfs:label \"企业{i}\"@zh ." for i in range(100)]
    path.write_bytes(b"\xef\xbb\xbf" + ("@prefix ex: <http://e/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                                         + "\n".join(lines) + "\n").encode("utf-8"))
    info = disk.build_store([path], root=tmp_path / "store")
    plain = rdflib.Graph().parse(path, format="turtle")
    assert info.triples == len(plain) == 100
    g = disk.open_build(info.path)
    assert {str(o) for o in g.objects()} == {str(o) for o in plain.objects()}
    from chaingraph.store.remote_load import _file_triples  # what a server load sends

    assert len(list(_file_triples(path))) == 100
