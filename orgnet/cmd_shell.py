"""`orgnet shell`: an interactive, read-only Cypher prompt on a store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import stores
from orgnet import _ui
from orgnet._app import app
from orgnet._target import DatabaseOpt, Neo4jOpt, TargetOpt, pick_target

__all__ = ["shell"]


@app.command()
def shell(
    db: TargetOpt = None,
    neo4j: Neo4jOpt = None,
    database: DatabaseOpt = None,
    history: Annotated[Path | None, typer.Option("--history", help="History file (default "
                                                 "$XDG_STATE_HOME/orgnet/shell_history or "
                                                 "~/.orgnet/shell_history).")] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Keep no history file.")
                          ] = False,
    page_size: Annotated[int, typer.Option("--page-size", min=0, help="Rows per page of a "
                                           "table (0: the terminal height).")] = 0,
) -> None:
    """Interactive Cypher on a store, read-only: a statement ends with ';' or a blank line;
    :schema, :list, :run NAME k=v, :format table|csv|json, :help, :quit. Tab completes
    labels, relationship types and properties. Statements piped in (`orgnet shell --db
    city.lbdb < queries.cypher`) run without a prompt."""
    from orgnet._shell import HELP, Shell, history_path, run_script, run_shell
    from orgnet._stores import DEFAULT_TARGET, open_read_store

    target = pick_target(db, neo4j) or DEFAULT_TARGET
    store = open_read_store(target, database=database)
    try:
        rows = page_size or max(_ui.out.size.height - 6, 5)
        session = Shell(store, _ui.out, page_size=rows)
        if not sys.stdin.isatty():  # statements piped in: run them, no prompt
            run_script(session, sys.stdin)
            return
        where = stores.shown(target)
        _ui.out.print(_ui.inert(f"orgnet shell on {where} (read-only). :help for help, "
                                ":quit to leave."))
        _ui.out.print(HELP.splitlines()[0], markup=False, highlight=False)
        run_shell(session, history=None if no_history else (history or history_path()))
    finally:
        store.close()
