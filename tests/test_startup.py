"""CLI start-up stays light: heavy libraries load only in the commands that need them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pyvis", "openpyxl", "pyshacl", "playwright", "networkx", "rdflib", "pyoxigraph", "jinja2")


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=True,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.strip().splitlines()[-1])}


def test_importing_the_cli_loads_nothing_heavy():
    loaded = _loaded_after("import chaingraph.cli")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_loads_nothing_heavy():
    loaded = _loaded_after(
        "from chaingraph.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_query_command_does_not_load_visualisation_or_shacl(tmp_path):
    loaded = _loaded_after(
        "import os\nos.environ['CHAINGRAPH_HOME'] = %r\n" % str(tmp_path)
        + "from chaingraph.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): assert main(['stats', '--format', 'json']) == 0"
    )
    assert not loaded & {"pyvis", "openpyxl", "pyshacl", "playwright"}, loaded
