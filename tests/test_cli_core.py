"""build / stats / query / company / error handling through the real CLI."""

from pathlib import Path

import pytest

from chaingraph.namespaces import COMPANY

COMPANY_KEYS = {
    "iri", "name", "aliases", "park", "origin", "tiers", "products", "segments", "referred",
    "referred_by", "supplies", "supplied_by", "visits", "sources",
}


def test_stats_counts_bundled_graph(run_cli):
    r = run_cli("stats", "--format", "json")
    assert r.code == 0, r.err
    counts = {row["class"]: row["count"] for row in r.json()}
    assert counts["Company"] > 20
    assert counts["IndustryChain"] >= 8
    assert counts["Segment"] >= 25 * 2 + 6 * 8
    assert counts["Referral"] > 0 and counts["Evidence"] > counts["Company"]


def test_build_reports_counts_as_csv(run_cli):
    r = run_cli("build", "--format", "csv")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "label,class,count"


def test_query_has_project_prefixes(run_cli):
    r = run_cli("query", "SELECT ?l WHERE { cg:Midstream rdfs:label ?l FILTER(LANG(?l) = 'zh') }", "--format", "json")
    assert r.code == 0, r.err
    assert r.json() == [{"l": "中游"}]


def test_query_ask_and_construct(run_cli):
    assert run_cli("query", "ASK { cg:Company a owl:Class }").out.strip() == "true"
    r = run_cli("query", "CONSTRUCT { cg:Upstream rdfs:label ?l } WHERE { cg:Upstream rdfs:label ?l }")
    assert "上游" in r.out


def test_query_from_file(run_cli, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a cg:Stage }", encoding="utf-8")
    r = run_cli("query", "--file", str(q), "--format", "csv")
    assert r.code == 0 and r.out.splitlines() == ["n", "3"]


def test_bad_sparql_is_one_line_exit_1(run_cli):
    r = run_cli("query", "SELECT ?s WHERE { ?s a ")
    assert r.code == 1
    assert r.err.startswith("error: bad SPARQL query") and "Traceback" not in r.err
    assert r.out == ""


def test_query_needs_exactly_one_source(run_cli):
    assert run_cli("query").code == 2


def test_missing_data_folder_is_clear_error(run_cli, tmp_path):
    r = run_cli("--data", str(tmp_path / "nope"), "stats")
    assert r.code == 1 and "data folder not found" in r.err


def test_malformed_turtle_names_file_and_line(run_cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix cg: <https://w3id.org/chaingraph/ns#> .\n\ncg:a cg:b "unterminated .\n', encoding="utf-8")
    r = run_cli("--data", str(tmp_path), "stats")
    assert r.code == 1
    assert f"{bad}:3" in r.err and "malformed Turtle" in r.err


def test_user_data_folder_is_loaded(run_cli, isolated_home):
    folder = isolated_home / "data"
    folder.mkdir()
    (folder / "mine.ttl").write_text(
        "@prefix cg: <https://w3id.org/chaingraph/ns#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{COMPANY}test-firm> a cg:Company ; rdfs:label \"测试样例企业\"@zh .\n",
        encoding="utf-8",
    )
    assert run_cli("company", "测试样例企业", "--format", "json").json()["iri"] == f"{COMPANY}test-firm"
    assert run_cli("--no-user-data", "company", "测试样例企业").code == 1


@pytest.mark.parametrize("name", ["湖南骏捷智能科技有限公司", "骏捷智能", "骏捷", "駿捷"])
def test_company_by_full_short_alias_and_script(run_cli, name):
    r = run_cli("company", name, "--format", "json")
    assert r.code == 0, r.err
    card = r.json()
    assert card["full_name"] == "湖南骏捷智能科技有限公司"
    assert COMPANY_KEYS <= set(card)


def test_company_traditional_full_name_is_same_firm(run_cli):
    a = run_cli("company", "信徵科技（永州）有限公司", "--format", "json").json()
    b = run_cli("company", "信征科技", "--format", "json").json()
    assert a["iri"] == b["iri"]


def test_company_json_sources_carry_title_and_quote(run_cli):
    card = run_cli("company", "骏捷", "--format", "json").json()
    assert card["park"] == "永州经开区"
    assert card["sources"] and all(s["title"] and s["quote"] for s in card["sources"])


def test_company_fuzzy_typo(run_cli):
    r = run_cli("company", "湖南骏捷智能科技公司", "--format", "json")
    assert r.code == 0 and r.json()["full_name"] == "湖南骏捷智能科技有限公司"


def test_unknown_company_lists_closest_and_exits_1(run_cli):
    r = run_cli("company", "不存在的某某科技有限公司")
    assert r.code == 1
    assert "unknown company" in r.err and "closest matches" in r.err
    assert r.out == ""


def test_company_table_is_chinese(run_cli):
    r = run_cli("company", "骏捷")
    assert r.code == 0 and "全称" in r.out and "湖南骏捷智能科技有限公司" in r.out
