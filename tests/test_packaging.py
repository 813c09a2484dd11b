"""The bundled ontology and data are found from a regular (wheel) install, not only editable."""

import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # builds and installs a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy without build/ and *.egg-info: setuptools reuses a stale build/lib, which
    # made the wheel carry files the package data no longer declares
    src = tmp_path_factory.mktemp("src") / "chaingraph"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", ".git", "__pycache__", ".pytest_cache", "*.pyc"))
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (whl,) = out.glob("chaingraph-*.whl")
    return whl


def test_wheel_carries_ontology_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "chaingraph/bundled/ontology/chaingraph.ttl" in names
    assert "chaingraph/bundled/ontology/shapes.ttl" in names
    assert any(n.startswith("chaingraph/bundled/ontology/chains/") for n in names)
    assert "chaingraph/bundled/data/companies.ttl" in names
    assert not any("/tools/" in n for n in names)
    assert {"chaingraph/viz/static/page.html", "chaingraph/viz/static/page.css", "chaingraph/viz/static/page.js"} <= names


def test_installed_wheel_loads_bundled_graph(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import chaingraph.store as s, sys;"
        "assert 'bundled' in str(s.data_dir()), s.data_dir();"
        "from chaingraph.analysis.context import example_graph;"
        "from chaingraph.viz import build_view, page_html;"
        "page = page_html(build_view(example_graph(), park='示范园'));"  # the map page from the wheel's static files
        "assert 'cgReady' in page and 'vis-network' in page and '@@CHAINGRAPH' not in page, page[:300];"
        "from chaingraph.cli import main; sys.exit(main(['--no-user-data', 'company', '骏捷', '--format', 'json']))"
    )
    env = {"PYTHONPATH": str(site), "CHAINGRAPH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "湖南骏捷智能科技有限公司" in r.stdout
