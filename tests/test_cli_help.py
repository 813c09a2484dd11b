"""Every command has help text with an example and is documented in README."""

import click
import pytest

from chaingraph.cli import cli
from conftest import REPO


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)
        else:
            yield path, cmd


COMMANDS = list(_commands(cli))


def test_core_commands_exist():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"build", "validate", "stats", "company", "query"} <= names


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_has_example_and_readme_documents_it(run_cli, path, cmd):
    r = run_cli(*path, "--help")
    assert r.code == 0
    assert "Example" in r.out, f"{' '.join(path)} --help has no example"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"chaingraph {' '.join(path)}" in readme, f"README does not document `chaingraph {' '.join(path)}`"
