"""What a new user meets first: the README's two commands, the ignore list, and early errors."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

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
    out = subprocess.run(["git", "check-ignore", "-q", "chaingraph-report/chain-map.html"], cwd=ROOT)
    assert out.returncode == 0
