"""Shared fixtures: an isolated user folder, the bundled graph, and a CLI runner."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

# The shipped candidate pool (5.8 MB) is left out of every test, session and module fixtures
# included, unless a test asks for it (tests/test_shipped_pool.py sets it back to 1).
os.environ["CHAINGRAPH_BUNDLED_POOL"] = "0"


def pytest_collection_modifyitems(items):
    """Browser and server tests are slow by nature: `-m "not slow"` leaves them out even where a
    new test file forgets the ``slow`` mark."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("server"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own $CHAINGRAPH_HOME, so nothing leaks into ~/.chaingraph."""
    home = tmp_path_factory.mktemp("cghome")
    monkeypatch.setenv("CHAINGRAPH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def bundled_graph():
    """The bundled ontology + data, loaded once per test session (read-only use!)."""
    from chaingraph.store import GraphSource, open_graph

    return open_graph(GraphSource(include_user=False, include_pool=False))


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run_cli(capsys):
    """Run ``chaingraph ARGS…`` in-process; returns exit code, stdout, stderr."""
    from chaingraph.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
