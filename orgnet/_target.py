"""How every command names the store it reads or writes: ``--db TARGET``, a LadybugDB file or
a Neo4j URI, plus the options a server needs (``--database``; credentials from
``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``, prompted for only when a server asks for them)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from orgnet import _ui

__all__ = ["DatabaseOpt", "Neo4jOpt", "TargetOpt", "neo4j_auth", "pick_target",
           "store_options"]

TARGET_HELP = ("The graph store: a LadybugDB database file, or a Neo4j URI "
               "(neo4j://host:7687, neo4j+s://..., bolt://...; credentials from "
               "NEO4J_USERNAME/NEO4J_PASSWORD).")

TargetOpt = Annotated[str | None, typer.Option("--db", metavar="TARGET", help=TARGET_HELP)]
DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Database name on a "
                                                 "server target (the server's default).")]
Neo4jOpt = Annotated[str | None, typer.Option("--neo4j", metavar="URI", hidden=True,
                                              help="Deprecated: use --db URI.")]


def neo4j_auth() -> tuple[str, str] | None:
    """``(user, password)`` from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``, prompting for what
    is missing (an empty password means a server without authentication: None)."""
    password = os.environ.get("NEO4J_PASSWORD")
    user = os.environ.get("NEO4J_USERNAME")
    if password is None:
        user = user or typer.prompt("Neo4j user", default="neo4j", err=True)
        password = typer.prompt("Neo4j password (empty: no authentication)", default="",
                                hide_input=True, show_default=False, err=True)
        if not password:
            return None
    return user or "neo4j", password


def store_options(database: str | None = None) -> dict[str, Any]:
    """The backend options of a command: the server database name and the credentials
    callback (each backend uses what it needs)."""
    return {"database": database, "credentials": neo4j_auth}


def pick_target(db: str | None, neo4j: str | None) -> str | None:
    """``--db``, or the deprecated ``--neo4j`` (with a note on stderr)."""
    if neo4j is None:
        return db
    if db is not None:
        raise typer.BadParameter("give --db TARGET (a file or a Neo4j URI), not also --neo4j")
    _ui.err.print("note: --neo4j URI is deprecated; use --db URI")
    return neo4j
