"""`orgnet shell`: an interactive, read-only Cypher prompt on a store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from orgnet import _ui
from orgnet._app import app

__all__ = ["shell"]


@app.command()
def shell(
    db: Annotated[Path, typer.Option("--db", help="LadybugDB file (opened read-only).")] = Path(
        "orgnet.lbdb"),
    neo4j: Annotated[str | None, typer.Option("--neo4j", help="Neo4j URI instead of --db "
                                              "(credentials from NEO4J_USERNAME/"
                                              "NEO4J_PASSWORD).")] = None,
    database: Annotated[str | None, typer.Option("--database", help="Neo4j database name.")
                        ] = None,
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
    from orgnet._stores import open_read_store

    auth = None
    if neo4j is not None:
        from orgnet.cmd_neo4j import neo4j_auth

        auth = neo4j_auth()
    store = open_read_store(db, neo4j=neo4j, database=database, auth=auth)
    try:
        rows = page_size or max(_ui.out.size.height - 6, 5)
        session = Shell(store, _ui.out, page_size=rows)
        if not sys.stdin.isatty():  # statements piped in: run them, no prompt
            run_script(session, sys.stdin)
            return
        where = neo4j or str(db)
        _ui.out.print(f"orgnet shell on {where} (read-only). :help for help, :quit to leave.",
                      markup=False, highlight=False)
        _ui.out.print(HELP.splitlines()[0], markup=False, highlight=False)
        run_shell(session, history=None if no_history else (history or history_path()))
    finally:
        store.close()
