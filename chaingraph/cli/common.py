"""Shared CLI plumbing: the context object and option decorators written once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from chaingraph.render import render


@dataclass
class AppContext:
    """Global options and the lazily opened graph."""

    data_dirs: tuple[str, ...] = ()
    include_bundled: bool = True
    include_user: bool = True
    endpoint: str | None = None
    update_endpoint: str | None = None
    fmt: str | None = None
    _graph: object = field(default=None, repr=False)

    def source(self):
        from chaingraph.store import GraphSource

        return GraphSource(
            data_dirs=tuple(Path(d) for d in self.data_dirs),
            include_bundled=self.include_bundled,
            include_user=self.include_user,
            endpoint=self.endpoint,
            update_endpoint=self.update_endpoint,
        )

    def graph(self):
        """The graph, opened once per process."""
        if self._graph is None:
            from chaingraph.store import open_graph

            self._graph = open_graph(self.source(), progress=info, warn=warn_conflicts)
        return self._graph

    def analysis_graph(self, *, announce_after: float = 1.0):
        """The graph with its build's analysis snapshot loaded (computed first after a build,
        with a note on stderr when that takes longer than ``announce_after`` seconds)."""
        from chaingraph.analysis import snapshot

        graph = self.graph()
        snapshot.ensure(graph, progress=info, after=announce_after)
        return graph

    def format(self, fmt: str | None) -> str:
        return fmt or self.fmt or "table"


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def format_option(*choices: str):
    """``--format table|json|csv`` (plus extra choices), defaulting to the group's."""
    allowed = ["table", "json", "csv", *choices]
    return click.option(
        "--format", "fmt", type=click.Choice(allowed), default=None,
        help=f"Output format ({'|'.join(allowed)}); default: the global --format, else table.",
    )


def echo_rows(app: AppContext, fmt: str | None, rows, columns, *, title=None, payload=None) -> None:
    """Render rows in the chosen format to stdout."""
    click.echo(render(rows, columns, app.format(fmt), title=title, payload=payload), nl=False)


def warn_conflicts(conflicts) -> None:
    """One stderr line per contradiction of bundled data by user data (capped, with a count)."""
    from chaingraph.store.conflicts import warning_lines

    for line in warning_lines(conflicts):
        info(line)


def info(message: str) -> None:
    """A message for people: stderr, so stdout stays data."""
    click.echo(message, err=True)
