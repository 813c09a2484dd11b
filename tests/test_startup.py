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


def test_company_on_the_store_loads_no_graph_library_or_sparql_engine(tmp_path):
    """`company` reads the store through pyoxigraph: networkx, oxrdflib and rdflib's SPARQL engine
    (0.2 s of start-up together) are loaded only by commands that use them (#17)."""
    code = ("import os\nos.environ['CHAINGRAPH_HOME'] = %r\n" % str(tmp_path)
            + "from chaingraph.cli import main\nimport contextlib, io\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out): assert main(['--no-user-data', 'company', '科力尔电机']) == 0\n"
            "assert '科力尔' in out.getvalue()\n")
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=True,
    ).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert not loaded & {"networkx", "oxrdflib", "rdflib.plugins.sparql"}, sorted(loaded & {"networkx", "oxrdflib", "rdflib.plugins.sparql"})
    assert "pyoxigraph" in loaded  # it did read the store


def test_rdflib_api_on_the_store_still_works(tmp_path, monkeypatch):
    """Triples, SPARQL through rdflib and prefixes on the embedded store (oxrdflib loaded on first use)."""
    import rdflib

    from chaingraph.store import GraphSource, open_graph

    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path))
    g = open_graph(GraphSource(include_user=False))
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    n = len(g)
    assert n > 1000
    firms = set(g.subjects(rdflib.RDF.type, cg.Company))
    assert firms
    (count,) = next(iter(g.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/chaingraph/ns#Company> }")))
    assert int(count) == len(firms)
    assert g.namespace_manager.store.namespace("cg") == rdflib.URIRef(str(cg))


def test_writing_a_workbook_does_not_load_numpy(tmp_path):
    """openpyxl imports numpy (0.1-0.2 s) only to accept numpy numbers, which chaingraph never
    writes: it loads without it, the workbook keeps its numbers and text, and numpy still
    imports afterwards (#17)."""
    path = tmp_path / "x.xlsx"
    loaded = _loaded_after(
        "from pathlib import Path\nfrom chaingraph.excel import Sheet, write_workbook\n"
        f"write_workbook([Sheet('s', ['n', 't'], [[1.5, '=1+1']])], Path({str(path)!r}))"
    )
    assert "openpyxl" in loaded and "numpy" not in loaded
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert [c.value for c in ws[2]] == [1.5, "=1+1"] and ws["B2"].data_type == "s"
    import pytest

    pytest.importorskip("numpy")
    out = subprocess.run(
        [sys.executable, "-c", "from chaingraph.excel import _load_openpyxl\n_load_openpyxl()\n"
         "import numpy, openpyxl\nprint(numpy.float64(2) + 1)"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=True,
    ).stdout
    assert out.strip() == "3.0"
