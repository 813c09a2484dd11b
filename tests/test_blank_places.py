"""A place written as a blank node (``cg:city [ a cg:Place ; rdfs:label "…" ]``) in user data:
`validate` names its file and line, and the analysis commands answer instead of failing on a
query that tried to name the blank node in a ``VALUES`` list."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

FIRM = """
<https://example.org/firm/testco> a cg:Company ; rdfs:label "测试公司"@zh ;
    cg:city [ a cg:Place ; rdfs:label "某市"@zh ] .
"""


@pytest.fixture
def blank_place_dir(tmp_path):
    prefixes = [ln for ln in (REPO / "data" / "companies.ttl").read_text(encoding="utf-8").splitlines()
                if ln.startswith("@prefix")]
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "firm.ttl").write_text("\n".join(prefixes) + "\n" + FIRM, encoding="utf-8")
    return folder


def test_validate_names_the_blank_place_and_its_line(run_cli, blank_place_dir):
    r = run_cli("validate", str(blank_place_dir))
    assert r.code != 0
    line = len([ln for ln in (blank_place_dir / "firm.ttl").read_text(encoding="utf-8").splitlines()]) - 1
    hits = [ln for ln in (r.out + r.err).splitlines() if "并以 IRI 命名" in ln]
    assert hits and hits[0].startswith(f"{blank_place_dir / 'firm.ttl'}:{line}:"), r.out + r.err


def test_select_in_leaves_out_a_blank_node_id():
    import rdflib

    from chaingraph.store.query import select_in

    g = rdflib.Graph().parse(data='@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . '
                                  '<https://example.org/a> rdfs:label "甲"@zh . [] rdfs:label "乙"@zh .', format="turtle")
    blank = next(s for s in g.subjects() if isinstance(s, rdflib.BNode))
    rows = select_in(g, "SELECT ?f ?l WHERE { ?f rdfs:label ?l }", "f", ["https://example.org/a", str(blank)])
    assert [r["l"] for r in rows] == ["甲"]


@pytest.mark.parametrize("args", [("company", "测试公司"), ("targets", "--top", "1", "--format", "json"), ("gaps",)])
def test_commands_answer_with_a_blank_place_in_user_data(run_cli, blank_place_dir, args):
    r = run_cli("--data", str(blank_place_dir), *args)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    if args[0] == "company":
        assert "测试公司" in r.out
