"""Entry point of the `orgnet` command: registers the commands and maps errors to exit codes.

Exit codes: 0 ok; 1 findings (diagnose) or warnings (load), nothing else; 2 every failure
that is not a bug (bad input, settings, database, query, usage, a file that cannot be read or
written), with what failed, where, and what to do; 3 an internal error (a bug in orgnet), one
line and the hint to rerun with ``--debug``, which shows the traceback; 130 interrupted
(Ctrl-C), one line and no traceback, whatever step was running (a load, a diagnosis, a
workbook being written: outputs are written to a temporary and renamed, so none is left
half-written).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Annotated

import typer
from typer.exceptions import TyperException

from graphmodel.errors import (
    BackendUnavailableError,
    InputError,
    OrgModelError,
    OutputPathError,
    QueryError,
    QueryExecutionError,
    QueryNotFoundError,
    QueryParameterError,
    SettingsError,
    StoreError,
)
from orgnet import __version__, _ui
from orgnet._app import app
from orgnet._process import freeze_models

# Command modules register themselves on `app` when imported; optional ones may be absent.
_COMMANDS = ("orgnet.cmd_core", "orgnet.cmd_generate", "orgnet.cmd_neo4j", "orgnet.cmd_viz",
             "orgnet.cmd_demo", "orgnet.cmd_loop", "orgnet.cmd_schema", "orgnet.cmd_export",
             "orgnet.cmd_shell")
for _module in _COMMANDS:
    importlib.import_module(_module)

_state = {"debug": False}

EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as a shell reports it). Typer turns a ``KeyboardInterrupt`` raised in
a command into this code; orgnet's commands never return it themselves."""

INTERRUPTED_MESSAGE = "已中断 interrupted"


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
        logging.basicConfig(level=logging.DEBUG if debug else logging.INFO,
                            handlers=[_ui.log_handler()])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (tests call this in-process).

    0 ok, 1 findings or warnings, 2 a failure with its cause named, 3 a bug (see the module).
    """
    args = _global_options_first(list(sys.argv[1:] if argv is None else argv))
    if argv is None:  # the real command line: one command, then the process exits
        freeze_models()
    _state["debug"] = False  # set by the callback when --debug is given
    try:
        return _interrupted_said(_run(args))
    except KeyboardInterrupt:  # outside the command (parsing, the handlers below)
        return _interrupted_said(EXIT_INTERRUPTED)


def _interrupted_said(code: int) -> int:
    if code == EXIT_INTERRUPTED:
        with contextlib.suppress(KeyboardInterrupt, OSError):
            _ui.err.print(INTERRUPTED_MESSAGE)
    return code


def _run(args: list[str]) -> int:
    try:
        result = app(args=args, prog_name="orgnet", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _ui.err.print("aborted")
        return 2
    except TyperException as exc:  # usage errors: bad option, missing argument ...
        if isinstance(getattr(exc, "message", None), str):
            exc.message = _ui.escape_controls(exc.message)
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            _ui.print_error("usage error", exc.format_message())
        return 2
    except InputError as exc:
        _ui.print_input_error(exc)
        return _debug_or(exc, 2)
    except OrgModelError as exc:
        _ui.print_error(_prefix(exc), exc)
        return _debug_or(exc, 2)
    except OSError as exc:  # the file system refused: permission, space, a folder for a file
        if exc.errno == errno.EPIPE:  # the reader of our output stopped (| head): not an error
            _silence_stdout()
            return 0
        _ui.print_error("file error", _os_message(exc), _os_hint(exc))
        return _debug_or(exc, 2)
    except MemoryError as exc:
        _ui.print_error("out of memory", "the input is too large for this machine's memory",
                        "split the data, or load it on a machine with more memory")
        return _debug_or(exc, 2)
    except Exception as exc:  # a bug: one line, never the exit code of findings
        _ui.print_error("internal error", f"{type(exc).__name__} in {_where(exc)}",
                        "this is a bug in orgnet; rerun with --debug to see the traceback "
                        "and report it")
        return _debug_or(exc, 3)


# One prefix per kind of error, the most specific first.
_PREFIXES: tuple[tuple[type[BaseException], str], ...] = (
    (SettingsError, "settings error"),
    (QueryNotFoundError, "unknown query"),
    (QueryParameterError, "query parameter error"),
    (QueryExecutionError, "query error"),
    (QueryError, "query error"),
    (StoreError, "database error"),
    (OutputPathError, "output error"),
    (BackendUnavailableError, "not available"),
)


def _prefix(exc: OrgModelError) -> str:
    return next((p for kind, p in _PREFIXES if isinstance(exc, kind)), "error")


_OS_HINTS = {
    errno.EACCES: "check the permissions, or choose another location",
    errno.EPERM: "check the permissions, or choose another location",
    errno.ENOSPC: "free some disk space, or choose another location",
    errno.EDQUOT: "free some disk space, or choose another location",
    errno.EROFS: "the disk is mounted read-only: choose a writable location",
    errno.EISDIR: "give a file name, not a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EEXIST: "a file of that name is in the way: remove it or choose another path",
    errno.ENAMETOOLONG: "the path is too long: choose a shorter one",
    errno.ENOENT: "check the path",
    errno.ELOOP: "the path has a loop of symbolic links: check it",
}


def _os_message(exc: OSError) -> str:
    what = exc.strerror or type(exc).__name__
    paths = [p for p in (exc.filename, exc.filename2) if p is not None]
    if not paths:
        return what
    shown = [str(p) if len(str(p)) <= 200 else f"{str(p)[:60]}…({len(str(p))} characters)"
             for p in paths]
    return f"{what}: " + " -> ".join(f"'{p}'" for p in shown)


def _os_hint(exc: OSError) -> str:
    return _OS_HINTS.get(exc.errno or 0, "check the path and the disk")


def _where(exc: BaseException) -> str:
    """The innermost frame of orgnet's own code (no values, so no data is shown)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    if not ours:
        return "orgnet"
    frame = ours[-1]
    parts = frame.filename.replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{frame.lineno}"


_GLOBAL_FLAGS = ("-v", "--verbose", "--debug")


def _global_options_first(args: list[str]) -> list[str]:
    """Move ``-v``/``--verbose``/``--debug`` given after the subcommand to the front, so
    ``orgnet load DATA -v`` works like ``orgnet -v load DATA`` (nothing after ``--`` moves)."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in _GLOBAL_FLAGS]
    rest = [a for a in args[:end] if a not in _GLOBAL_FLAGS]
    return flags + rest + args[end:]
def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second EPIPE."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _debug_or(exc: BaseException, code: int) -> int:
    if _state["debug"]:
        raise exc
    return code


if __name__ == "__main__":
    sys.exit(main())
