"""ingest / merge through the CLI, on a seed article and on files of our own."""

import json
import re
import rdflib

import pytest

from conftest import SEEDS

ARTICLE = (
    "近日，湖南星拓精密电子有限公司从东莞整体回迁永州经开区，主要生产印制电路板。"
    "该公司负责人介绍，通过星拓精密引荐，深圳市华锐模具有限公司也将落户园区。"
)


def test_ingest_json_shape_and_gb18030(run_cli, tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes(ARTICLE.encode("gb18030"))
    r = run_cli("ingest", str(f), "--format", "json")
    assert r.code == 0, r.err
    (article,) = r.json()
    assert set(article) >= {"source", "firms", "relations"}
    firm = next(x for x in article["firms"] if x["name"].startswith("星拓"))
    assert set(firm) >= {"name", "aliases", "in_park", "origin", "products", "segments"}
    assert firm["origin"] == "东莞"
    assert "印制电路板" in firm["segments"] or any("电路板" in s for s in firm["segments"])
    types = {rel["type"] for rel in article["relations"]}
    assert {"relocation", "referral"} <= types
    for rel in article["relations"]:
        assert set(rel) >= {"type", "source", "target", "evidence"}


def test_ingest_then_merge_is_idempotent_and_links_known_firms(run_cli, tmp_path, isolated_home):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    staging = tmp_path / "staging.ttl"
    r = run_cli("ingest", str(f), "-o", str(staging))
    assert r.code == 0, r.err and staging.exists()
    first = run_cli("merge", str(staging), "--format", "json").json()
    assert first["added"] > 0 and (isolated_home / "data" / "ingested.ttl").exists()
    again = run_cli("merge", str(staging), "--format", "json").json()
    assert again["added"] == 0
    # the merged firm is now found by the CLI under its short name
    card = run_cli("company", "星拓精密", "--format", "json").json()
    assert card["origin"] == "东莞"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repo")
def test_ingest_seed_links_to_curated_firms(run_cli):
    seed = next(SEEDS.glob("003_*.txt"))
    r = run_cli("ingest", str(seed), "--format", "json")
    assert r.code == 0, r.err
    names = {x["name"] for x in r.json()[0]["firms"]}
    assert "骏捷智能" in names


def test_ingest_binary_and_missing_files_fail_cleanly(run_cli, tmp_path):
    b = tmp_path / "x.bin"
    b.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    r = run_cli("ingest", str(b))
    assert r.code == 1 and str(b) in r.err and "Traceback" not in r.err
    r = run_cli("ingest", str(tmp_path / "missing.txt"))
    assert r.code == 1 and "no such file" in r.err


def test_merge_malformed_staging_is_clear(run_cli, tmp_path, isolated_home):
    bad = tmp_path / "s.ttl"
    bad.write_text("@prefix x: <y#> .\nx:a x:b \n", encoding="utf-8")
    r = run_cli("merge", str(bad))
    assert r.code == 1 and "malformed Turtle" in r.err
    assert not (isolated_home / "data" / "ingested.ttl").exists()


def test_ingest_table_is_chinese_first_and_lists_projects(run_cli, tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("星河集团与白鹭科技共同出资15亿元，设立青禾新材料有限公司。"
                 "考察组一行先后走访了青禾新材料、蓝鲸科技等企业。"
                 "金帆电子有限公司投资5亿元建设电池项目，已签约落户园区。", encoding="utf-8")
    r = run_cli("ingest", str(f))
    assert r.code == 0, r.err
    assert "投资设立（合称）" in r.out and "考察拜访" in r.out and "项目" in r.out and "已落地" in r.out
    (rep,) = run_cli("ingest", str(f), "--format", "json").json()
    assert {x["type"] for x in rep["relations"]} == {"investment", "visit"}
    assert rep["projects"][0]["firm"] == "金帆电子"


def _merge_in_fresh_home(staging, home, seed: str):
    """``chaingraph merge STAGING`` in a new process (its own hash seed, so pyshacl's result
    order differs) into a fresh data folder; (exit code, stdout, stderr, ingested.ttl bytes)."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = {**os.environ, "CHAINGRAPH_HOME": str(home), "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO),
           "CHAINGRAPH_BUNDLED_POOL": "0", "NO_COLOR": "1", "COLUMNS": "200"}
    code = "import sys; from chaingraph.cli import main; sys.exit(main(sys.argv[1:]))"
    r = subprocess.run([sys.executable, "-c", code, "merge", str(staging), "--format", "json"], capture_output=True,
                       text=True, env=env, timeout=300)
    return r.returncode, r.stdout, r.stderr, (home / "data" / "ingested.ttl").read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repo")
def test_merge_report_is_the_same_every_run_and_chinese_first(run_cli, tmp_path):
    """The seeds' staging graph has facts the shapes reject (projects and visits with no park),
    and a new article with no title is merged with a problem (its source needs a title); what
    merge leaves out, and the words it uses, must not depend on pyshacl's result order."""
    staging = tmp_path / "staging.ttl"
    new = tmp_path / "新文章.txt"
    new.write_text("永州经开区引进了星河电子有限公司。星河电子有限公司为蓝鲸科技有限公司配套供应电路板。\n", encoding="utf-8")
    r = run_cli("ingest", *map(str, sorted(SEEDS.glob("*.txt"))), str(new), "-o", str(staging))
    assert r.code == 0, r.err
    runs = []
    for seed in ("1", "2"):
        home = tmp_path / f"home-{seed}"  # the same path relative to each run's own folder
        code, out, err, data = _merge_in_fresh_home(staging, home, seed)
        assert code == 0, err
        runs.append((out.replace(str(home), "HOME"), err.replace(str(home), "HOME"), data))
    assert runs[0] == runs[1]  # the JSON report, the messages on stderr and the merged data, byte for byte
    report = json.loads(runs[0][0])
    skipped, left = report["skipped"], report["problems_left"]
    assert skipped and left  # the seeds do exercise both lists
    for entries in (skipped, left):
        keys = [(e["node"], e["property"] or "", e["message"]) for e in entries]
        assert keys == sorted(keys)
        for e in entries:  # Chinese first, then English: "中文 / English"
            zh, en = e["message"].split(" / ", 1)
            assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en), e
    err_lines = [x for x in runs[0][1].splitlines() if x.startswith(("not merged", "merged with a problem"))]
    assert err_lines == [f"not merged (breaks the shapes): {e['node']}: {e['message']}" for e in skipped] + \
        [f"merged with a problem to fix: {e['node']}: {e['message']}" for e in left]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repo")
def test_an_article_already_in_the_graph_cites_its_source(run_cli, tmp_path):
    """A seed (its SHA-256 is that of a bundled source) cites that source, title and all, so its
    merge has no 'source needs a title' problem; a new article takes --title, for one file only."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    staging = tmp_path / "seed.ttl"
    assert run_cli("ingest", str(seed), "--park", "永州经开区", "-o", str(staging)).code == 0
    g = rdflib.Graph().parse(staging, format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    (src,) = set(g.subjects(rdflib.RDF.type, cg.Source))
    assert str(src) == "https://w3id.org/chaingraph/id/source/s000"
    assert set(g.objects(None, cg.source)) == {src} and not list(g.predicate_objects(src))[1:]
    new = tmp_path / "a.txt"
    new.write_text("永州经开区引进了星河电子有限公司。\n", encoding="utf-8")
    out = tmp_path / "new.ttl"
    assert run_cli("ingest", str(new), "--title", "星河电子落户永州经开区", "-o", str(out)).code == 0
    g = rdflib.Graph().parse(out, format="turtle")
    (src,) = set(g.subjects(rdflib.RDF.type, cg.Source))
    assert str(g.value(src, rdflib.RDFS.label)) == "星河电子落户永州经开区" and g.value(src, cg.fileName)
    r = run_cli("ingest", str(new), str(seed), "--title", "x")
    assert r.code != 0 and "--title names one article" in r.err
