"""User data that contradicts bundled data (#16 item 4): warned on stderr, blamed on the user file."""

from __future__ import annotations

from pathlib import Path

from chaingraph.store.conflicts import find_conflicts, warning_lines
from chaingraph.store import bundled_files

HEAD = (
    "@prefix cg:      <https://w3id.org/chaingraph/ns#> .\n"
    "@prefix company: <https://w3id.org/chaingraph/id/company/> .\n"
    "@prefix park:    <https://w3id.org/chaingraph/id/park/> .\n"
    "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
)
MOVED = HEAD + "company:chuangxinlong\n    cg:park park:lengshuitan-hitech-park ;\n    cg:fullName \"别的公司\"@zh .\n"
# new facts only: a new firm, and a bundled firm's own park and a second short name repeated
NEW = HEAD + (
    "company:new-firm-22 a cg:Company ; rdfs:label \"新企业\"@zh ; cg:park park:yongzhou-etdz .\n"
    "company:chuangxinlong cg:park park:yongzhou-etdz ; cg:shortName \"创鑫隆科技\"@zh .\n"
)


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_another_park_and_full_name_are_found_with_both_lines(tmp_path):
    user = _write(tmp_path / "u", MOVED)
    found = find_conflicts(bundled_files(), [user])
    by_prop = {c.property.rsplit("#", 1)[1]: c for c in found}
    assert set(by_prop) == {"park", "fullName"}
    park = by_prop["park"]
    assert park.user_file == str(user) and park.user_line == 7
    assert park.bundled_file.endswith("companies.ttl") and park.bundled_values == ("park:yongzhou-etdz",)
    lines = Path(park.bundled_file).read_text(encoding="utf-8").splitlines()
    assert "cg:park park:yongzhou-etdz" in lines[park.bundled_line - 1]
    assert by_prop["fullName"].user_line == 8 and by_prop["fullName"].bundled_values == ('"永州市创鑫隆科技有限公司"',)


def test_new_facts_are_no_contradiction(tmp_path):
    assert find_conflicts(bundled_files(), [_write(tmp_path / "u", NEW)]) == []


def test_warnings_are_capped_with_a_count(tmp_path):
    user = _write(tmp_path / "u", MOVED)
    found = find_conflicts(bundled_files(), [user]) * 6
    lines = warning_lines(found, limit=3)
    assert len(lines) == 4 and "9 more" in lines[-1]


def test_cli_warns_naming_both_files_once_per_build(run_cli, tmp_path, monkeypatch):
    from chaingraph.store import disk

    user = _write(tmp_path / "u", MOVED)
    r = run_cli("--data", str(user.parent), "company", "创鑫隆")
    assert r.code == 0, r.err
    warned = [ln for ln in r.err.splitlines() if ln.startswith("warning:")]
    assert len(warned) == 2
    assert any(f"{user}:7" in ln and "companies.ttl:" in ln and "cg:park" in ln for ln in warned)
    # the next run reads the build's conflicts.json: nothing is computed again
    monkeypatch.setattr("chaingraph.store.conflicts.find_conflicts", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    again = run_cli("--data", str(user.parent), "company", "创鑫隆")
    assert again.code == 0 and [ln for ln in again.err.splitlines() if ln.startswith("warning:")] == warned
    assert (disk.current_build(disk.store_root()) / disk.CONFLICTS).is_file()


def test_cli_warns_nothing_for_new_facts(run_cli, tmp_path):
    user = _write(tmp_path / "u", NEW)
    r = run_cli("--data", str(user.parent), "company", "创鑫隆")
    assert r.code == 0, r.err
    assert "warning:" not in r.err


def test_validate_blames_the_user_file(run_cli, tmp_path):
    user = _write(tmp_path / "u", MOVED)
    r = run_cli("validate", "--all", str(user))
    assert r.code == 1
    conflicts = [ln for ln in r.out.splitlines() if "[conflict]" in ln]
    assert len(conflicts) == 2 and all(ln.startswith(f"{user}:") for ln in conflicts)
    assert not any(ln.startswith(str(Path("data") / "companies.ttl")) for ln in r.out.splitlines())
    assert "companies.ttl:" in conflicts[0]


def test_validate_of_new_facts_has_no_conflict(run_cli, tmp_path):
    r = run_cli("validate", "--all", str(_write(tmp_path / "u", NEW)))
    assert "[conflict]" not in r.out
