"""What a new user meets first: the README's two commands, the ignore list, and early errors."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    two = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", two, re.S)


def test_readme_test_command_is_what_ci_runs_and_installs_what_tests_need():
    blocks = _readme_blocks()
    assert len(blocks) >= 2
    test_cmd = blocks[1].strip()
    assert test_cmd == "scripts/test"
    script = ROOT / test_cmd
    assert os.access(script, os.X_OK)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec scripts/test$", ci, re.M), ".ci/run must run the README's test command"
    body = script.read_text(encoding="utf-8")
    # what the test modules skip or fail without
    for need in ("chromium", "virtuoso-opensource", "fonts-wqy-microhei", "-e '.[test]'", "python3 -m pytest -q"):
        assert need in body, need
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    extras = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^test = \[.*"pytest.*"playwright', extras, re.M)


def test_report_output_is_ignored_by_git():
    assert "chaingraph-report/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    if subprocess.run(["git", "rev-parse"], cwd=ROOT, capture_output=True).returncode == 0:  # a checkout
        out = subprocess.run(["git", "check-ignore", "-q", "chaingraph-report/chain-map.html"], cwd=ROOT)
        assert out.returncode == 0


def test_inexact_chain_name_is_never_silently_replaced(run_cli):
    r = run_cli("--no-user-data", "chain", "新能源汽车")
    assert r.code == 1 and r.out == ""
    assert "新能源汽车" in r.err and "closest matches: 新能源" in r.err
    for args in (("gaps", "--chain", "新能源汽车"), ("viz", "--chain", "新能源汽车", "-o", "/tmp/never-written.html")):
        r = run_cli("--no-user-data", *args)
        assert r.code == 1 and "unknown chain: '新能源汽车'" in r.err
    assert run_cli("--no-user-data", "chain", "新能源").code == 0  # the exact name (any script/width) still works
    assert run_cli("--no-user-data", "chain", "ＥＱＵＩＰＭＥＮＴ").code == 0


def test_empty_company_name_is_a_usage_error(run_cli):
    for name in ("", "   "):
        r = run_cli("--no-user-data", "company", name)
        assert r.code == 2 and "Usage: chaingraph company" in r.err and "unknown company" not in r.err


def test_errors_begin_with_the_error_not_a_blank_line(run_cli, tmp_path):
    # import and pool build show a progress bar on a terminal; on a pipe it left a blank line
    for args in (("import", str(tmp_path / "missing.csv")), ("pool", "build", str(tmp_path / "no-refdata")),
                 ("chain", "没有这条链"), ("targets", "--region", "火星")):
        r = run_cli("--no-user-data", *args)
        assert r.code == 1 and r.err.startswith("error: "), (args, r.err[:80])


def test_a_bad_region_is_rejected_before_any_ranking(run_cli, monkeypatch):
    import chaingraph.analysis.gaps as gaps

    def no_work(*a, **k):
        raise AssertionError("gap analysis ran before the region was checked")

    import chaingraph.analysis.targets as targets

    monkeypatch.setattr(gaps, "find_gaps", no_work)
    monkeypatch.setattr(targets, "find_gaps", no_work, raising=False)
    r = run_cli("--no-user-data", "targets", "--region", "火星")
    assert r.code == 1 and "unknown region '火星'" in r.err


MINE = """@prefix cg: <https://w3id.org/chaingraph/ns#> .
@prefix company: <https://w3id.org/chaingraph/id/company/> .
@prefix fact: <https://w3id.org/chaingraph/id/fact/> .
@prefix src: <https://w3id.org/chaingraph/id/source/> .
fact:supply-test a cg:Supply ; cg:supplier company:{a} ; cg:customer company:chengxinchuang ;
    cg:evidence [ a cg:Evidence ; cg:source src:s000 ; cg:quote "引文"@zh ; cg:start 0 ; cg:end 2 ] .
company:{a} cg:supplies company:chengxinchuang .
"""


@pytest.mark.slow
def test_validate_rereads_what_changed_only(tmp_path, monkeypatch):
    """`validate` with a big unchanged file (the pool took 7.5 min): it is not parsed again,
    yet what the changed files refer to in it still resolves."""
    import shutil

    import rdflib

    import chaingraph.validate as v
    import chaingraph.validate.paths as validate_paths_module
    from chaingraph.store import data_dir

    d = tmp_path / "data"
    shutil.copytree(data_dir(), d)
    rec = tmp_path / "validated.json"
    monkeypatch.setattr(validate_paths_module, "BIG_FILE", (d / "companies.ttl").stat().st_size)  # companies.ttl and bigger are "big"
    assert v.validate_paths([d], record=rec).conforms and rec.exists()

    parsed = []
    real_parse = rdflib.Graph.parse

    def spy(self, *a, **k):
        parsed.append(k.get("publicID") or (a[0] if a else None))
        return real_parse(self, *a, **k)

    monkeypatch.setattr(rdflib.Graph, "parse", spy)
    again = v.validate_paths([d], record=rec)  # nothing changed: said at once
    assert again.conforms and len(again.unchanged) == len(again.files) and parsed == []

    (d / "mine.ttl").write_text(MINE.format(a="chuangxinlong"), encoding="utf-8")
    r = v.validate_paths([d], record=rec)
    assert r.conforms, r.to_text()
    assert str(d / "companies.ttl") in r.unchanged and str(d / "mine.ttl") not in r.unchanged
    assert not any(str(p).endswith("companies.ttl") for p in parsed) and any(str(p).endswith("mine.ttl") for p in parsed)

    (d / "mine.ttl").write_text(MINE.format(a="no-such-firm"), encoding="utf-8")  # a supplier known nowhere
    bad = v.validate_paths([d], record=rec)
    assert not bad.conforms and any("supply-test" in (p.focus or "") for p in bad.problems)
    full = v.validate_paths([d])  # no record: every file read, same verdict
    assert not full.conforms and full.unchanged == [] and {p.rule for p in full.problems} == {p.rule for p in bad.problems}


def test_python_dash_m_runs_the_command(tmp_path):
    """``python3 -m chaingraph`` is the ``chaingraph`` command (for a machine whose scripts
    folder is not on PATH), errors and exit codes included."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CHAINGRAPH_HOME": str(tmp_path)}
    ok = subprocess.run([sys.executable, "-m", "chaingraph", "--version"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "chaingraph" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "chaingraph", "gaps", "--park", "没有这个园区"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode != 0 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
