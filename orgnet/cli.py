"""Entry point of the `orgnet` command: registers the commands and maps errors to exit codes.

Exit codes: 0 ok; 1 findings or warnings; 2 bad input, settings, database or query.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Annotated

import typer
from typer.exceptions import TyperException

from graphmodel.errors import (
    BackendUnavailableError,
    InputError,
    OrgModelError,
    QueryError,
    SettingsError,
    StoreError,
)
from orgnet import __version__, _ui
from orgnet._app import app

# Command modules register themselves on `app` when imported; optional ones may be absent.
_COMMANDS = ("orgnet.cmd_core", "orgnet.cmd_generate", "orgnet.cmd_neo4j", "orgnet.cmd_viz",
             "orgnet.cmd_demo", "orgnet.cmd_loop", "orgnet.cmd_schema", "orgnet.cmd_export",
             "orgnet.cmd_shell")
for _module in _COMMANDS:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as _err:  # a command module not written yet
        if _err.name != _module:
            raise

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orgnet {__version__}")
        raise typer.Exit


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Log what happens.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version.")] = False,
) -> None:
    """orgnet: 基层党组织网络建模与诊断 — coverage gaps, weak ties, responsibility backflow."""
    _state["debug"] = debug
    if verbose or debug:
        from rich.logging import RichHandler

        logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format="%(message)s",
                            handlers=[RichHandler(console=_ui.err, show_path=False)])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (tests call this in-process)."""
    args = _global_options_first(list(sys.argv[1:] if argv is None else argv))
    try:
        result = app(args=args, prog_name="orgnet", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _ui.err.print("aborted")
        return 2
    except TyperException as exc:  # usage errors: bad option, missing argument ...
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            _ui.err.print(f"error: {exc.format_message()}")
        return 2
    except InputError as exc:
        _ui.print_input_error(exc)
        return _debug_or(exc, 2)
    except (SettingsError, StoreError, QueryError, BackendUnavailableError) as exc:
        _ui.err.print(f"[bold red]error:[/bold red] {exc}", markup=True)
        return _debug_or(exc, 2)
    except OrgModelError as exc:
        _ui.err.print(f"[bold red]error:[/bold red] {exc}")
        return _debug_or(exc, 2)


_GLOBAL_FLAGS = ("-v", "--verbose", "--debug")


def _global_options_first(args: list[str]) -> list[str]:
    """Move ``-v``/``--verbose``/``--debug`` given after the subcommand to the front, so
    ``orgnet load DATA -v`` works like ``orgnet -v load DATA`` (nothing after ``--`` moves)."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in _GLOBAL_FLAGS]
    rest = [a for a in args[:end] if a not in _GLOBAL_FLAGS]
    return flags + rest + args[end:]


def _debug_or(exc: BaseException, code: int) -> int:
    if _state["debug"]:
        raise exc
    return code


if __name__ == "__main__":
    sys.exit(main())
