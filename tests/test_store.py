"""The persistent embedded store: built once, rebuilt on change, swapped atomically, locked."""

from __future__ import annotations

import os

import pytest
import rdflib

from chaingraph import diskstore
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
    assert diskstore.current_build(diskstore.store_root()) == first.path


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
    second = diskstore.current_build(diskstore.store_root())
    assert second != first.path
    assert build_store(_source()).rebuilt is False


def test_new_file_changes_hash(user_file):
    files = _source().files()
    h1 = diskstore.content_hash(files)
    extra = user_file.with_name("more.ttl")
    extra.write_text("", encoding="utf-8")
    assert diskstore.content_hash(_source().files()) != h1


def test_interrupted_build_leaves_old_store_working(user_file, monkeypatch):
    first = build_store(_source())
    user_file.write_text(TTL.format(label="存储测试乙"), encoding="utf-8")
    real = diskstore.load_into

    def crash(store, files):
        real(store, files[:1])  # part of the data is written…
        raise KeyboardInterrupt  # …then the build dies

    monkeypatch.setattr(diskstore, "load_into", crash)
    with pytest.raises(KeyboardInterrupt):
        build_store(_source())
    root = diskstore.store_root()
    assert diskstore.current_build(root) == first.path
    assert not [p for p in root.iterdir() if p.name.startswith("tmp-")]
    old = diskstore.open_build(first.path)
    assert _label(old) == ["存储测试甲"]
    monkeypatch.setattr(diskstore, "load_into", real)
    assert _label(open_graph(_source())) == ["存储测试乙"]


def test_second_writer_gets_store_busy(user_file):
    with diskstore.write_lock():
        with pytest.raises(ChaingraphError, match="store busy"):
            build_store(_source())
    assert build_store(_source()).rebuilt


def test_store_busy_from_cli(user_file, run_cli):
    with diskstore.write_lock():
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
    assert diskstore.current_build(diskstore.store_root()) is None


def test_memory_mode(user_file, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_STORE", "memory")
    assert _label(open_graph(_source())) == ["存储测试甲"]
    assert not (diskstore.store_root() / "CURRENT").exists()


def test_round_trip_is_isomorphic(user_file, tmp_path):
    from rdflib.compare import isomorphic

    def simple(graph) -> rdflib.Graph:  # "x"^^xsd:string and "x" are the same RDF 1.1 literal
        out = rdflib.Graph()
        for s, p, o in graph:
            if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
                o = rdflib.Literal(str(o))
            out.add((s, p, o))
        return out

    info = diskstore.build_store([user_file], root=tmp_path / "store")
    g = diskstore.open_build(info.path)
    text = g.serialize(format="turtle")
    back = rdflib.Graph().parse(data=text, format="turtle")
    assert isomorphic(simple(g), simple(back))
    plain = rdflib.Graph()
    plain.parse(user_file, format="turtle", publicID=user_file.resolve().as_uri())
    assert isomorphic(simple(back), simple(plain))
    assert any(str(o) == "存储测试甲" for o in back.objects())


def test_disk_store_answers_like_memory(isolated_home):
    from chaingraph import project

    source = GraphSource(include_user=False)
    disk = open_graph(source)  # Oxigraph on disk: select() takes the fast path
    memory = load_files(source.files(), rdflib.Graph())  # plain rdflib: select() via graph.query
    assert len(disk) == len(memory)
    assert project.firms(disk) == project.firms(memory)
    assert project.chains(disk) == project.chains(memory)
    dag_d, dag_m = project.chain_dag(disk), project.chain_dag(memory)
    assert dict(dag_d.nodes(data=True)) == dict(dag_m.nodes(data=True))
    assert sorted(dag_d.edges) == sorted(dag_m.edges)
    fd, fm = project.firm_graph(disk), project.firm_graph(memory)
    assert sorted(fd.edges(keys=True)) == sorted(fm.edges(keys=True))
    for q in ("SELECT ?f ?n WHERE { ?f a cg:Company ; cg:shortName ?n }",
              "SELECT ?v WHERE { ?x cg:start ?v }",
              "SELECT ?x ?v WHERE { ?x cg:leaderExpected ?v }",
              "SELECT ?v WHERE { ?x cg:value ?v }",
              "SELECT ?v WHERE { ?x cg:year ?v }"):
        a, b = project.select(disk, q), project.select(memory, q)
        assert sorted(map(repr, a)) == sorted(map(repr, b)), q
    assert project.evidence_by_subject(disk) == project.evidence_by_subject(memory)


def test_ontology_only_store(isolated_home):
    g = open_graph(GraphSource(include_bundled=False, include_user=False))
    assert len(g) == len(load_files(ontology_files()))
