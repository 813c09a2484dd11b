"""The ``chaingraph`` command line: one click group of verb commands.

Only this package imports click.  Every command resolves its arguments, calls one library
function and renders the result; errors become one line on stderr and an exit code here
(0 ok, 1 domain or validation failure, 2 usage).  Library modules are imported inside the
commands that need them, so start-up stays light (``tests/test_startup.py``): that is why the
command modules import inside functions.  A new command goes in the module of its group
(``core_cmds``, ``analysis_cmds``, ``targets_cmds``, ``ingest_cmds``, ``viz_cmds``).
"""

from __future__ import annotations

import sys

import click

from chaingraph.cli.common import AppContext
from chaingraph.errors import ChaingraphError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data", "data_dirs", multiple=True, type=click.Path(path_type=str),
    help="Folder of your own Turtle files, loaded beside the bundled graph (repeatable).",
)
@click.option("--no-bundled", is_flag=True, help="Load only the ontology and --data, not the bundled Yongzhou data.")
@click.option(
    "--no-user-data", is_flag=True,
    help="Do not load the user data folder ($CHAINGRAPH_HOME/data: imports, merged articles, candidate pools).",
)
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--update-endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint (for build/import into a server).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
    help="Default output format for tabular commands.",
)
@click.version_option(package_name="chaingraph")
@click.pass_context
def cli(ctx: click.Context, data_dirs, no_bundled, no_user_data, endpoint, update_endpoint, fmt):
    """chaingraph — 招商引资产业链知识图谱 (investment-attraction knowledge graph).

    \b
    Example:
      chaingraph report -o out/          # the main job on the bundled Yongzhou graph
      chaingraph company 骏捷 --format json
    """
    ctx.obj = AppContext(
        data_dirs=tuple(data_dirs), include_bundled=not no_bundled, include_user=not no_user_data,
        endpoint=endpoint, update_endpoint=update_endpoint, fmt=fmt,
    )


def _register() -> None:
    from chaingraph.cli import analysis_cmds, core_cmds, ingest_cmds, targets_cmds, viz_cmds

    for module in (core_cmds, ingest_cmds, targets_cmds, viz_cmds, analysis_cmds):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the group, turning every error into a message and exit code."""
    try:
        rv = cli.main(args=argv, prog_name="chaingraph", standalone_mode=False)
    except ChaingraphError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except UnicodeDecodeError as exc:  # a file given where text was expected
        click.echo(f"error: a file given is not text in the expected encoding ({exc.encoding}: "
                   f"byte {exc.start} cannot be decoded)", err=True)
        return 1
    except (OSError, RuntimeError) as exc:  # the system or the store, not a bug in the input
        message = _system_error(exc)
        if message is None:
            raise
        click.echo(f"error: {message}", err=True)
        return 1
    # standalone_mode=False returns click.exceptions.Exit codes instead of raising them
    return rv if isinstance(rv, int) else 0


def _system_error(exc: BaseException) -> str | None:
    """One line for a failure of the machine rather than of chaingraph: a damaged store found
    while querying (marked, so the next command rebuilds it), a full disk, a read-only file
    system, no permission.  None for anything else (a bug: let it show)."""
    from chaingraph.store import disk

    if disk.is_corruption(exc):
        marked = disk.mark_damaged()
        first = " ".join(str(exc).split())[:200]
        then = ("the next command rebuilds it from the Turtle files" if marked else
                "run `chaingraph build --rebuild`, or set CHAINGRAPH_STORE=memory")
        return f"the on-disk store is damaged ({first}); {then}"
    if isinstance(exc, OSError) and exc.errno is not None:
        from chaingraph.fileio import output_error

        if exc.filename:
            return output_error(exc.filename, exc).message.replace("cannot write ", "cannot use ", 1)
        return f"{exc.strerror or exc}"
    return None


def run() -> None:  # pragma: no cover - console script wrapper
    sys.exit(main())
