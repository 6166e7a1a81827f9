"""`orgnet schema`: labels, relationship types and properties, with types and meanings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from orgnet import _ui
from orgnet._app import app
from orgnet._schema_doc import CYPHER_NOTES, declared_schema, render_markdown, store_schema
from orgnet._target import DatabaseOpt, Neo4jOpt, pick_target

__all__ = ["print_schema", "schema_frame"]

_FORMATS = ("table", "markdown", "csv", "json")


def schema_frame(target: Path | str | None = None, *, neo4j: str | None = None,
                 database: str | None = None) -> pd.DataFrame:
    """The declared schema, or, given a store (a file or a server URI), what it holds with
    the declared meanings."""
    if target is None and neo4j is None:
        return declared_schema()
    from orgnet._stores import open_read_store
    from queries.catalog import store_catalog

    store = open_read_store(target, neo4j=neo4j, database=database)
    try:
        return store_schema(store_catalog(store))
    finally:
        store.close()


def print_schema(frame: pd.DataFrame, *, notes: bool = True,
                 console: Console | None = None) -> None:
    """Print the schema as one table per label and type (values never read as markup)."""
    console = console or _ui.out
    for owner in dict.fromkeys(frame["owner"]):
        part = frame[frame["owner"] == owner]
        head = part.iloc[0]
        title = Text(f"{owner} ({'node' if head['element'] == 'node' else 'relationship'})")
        if head["meaning"]:
            title.append(f" — {head['meaning']} {head['含义']}")
        if head["derived"]:
            title.append(f" [{head['derived']}]")
        props = part[part["property"] != ""]
        if props.empty:
            console.print(title)
            continue
        table = Table(title=title, title_justify="left")
        for col in ("property", "type", "derived", "meaning", "含义"):
            table.add_column(col, overflow="fold")
        for row in props.itertuples(index=False):
            table.add_row(*(Text(str(v)) for v in (row.property, row.type, row.derived,
                                                   row.meaning, row[6])))
        console.print(table)
    if notes:
        table = Table(title="Cypher on LadybugDB (--db) for Neo4j users", title_justify="left")
        for col in ("Neo4j habit", "on LadybugDB", "note"):
            table.add_column(col, overflow="fold")
        for row in CYPHER_NOTES:
            table.add_row(*(Text(cell.replace("`", "")) for cell in row))
        console.print(table)


@app.command()
def schema(
    db: Annotated[str | None, typer.Option("--db", metavar="TARGET", help="List what this "
                                           "store holds, a LadybugDB file or a Neo4j URI "
                                           "(default: what the schema declares).")] = None,
    neo4j: Neo4jOpt = None,
    database: DatabaseOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, markdown (what docs/schema.md "
                                     "holds), csv or json.")] = "table",
) -> None:
    """Labels, relationship types and every property (derived ones included), with type and
    a one-line English and Chinese meaning, then the Cypher notes for the embedded backend.

    A property marked `undeclared` is in the database but not in orgnet's schema.
    """
    if fmt not in _FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(_FORMATS)}")
    target = pick_target(db, neo4j)
    if fmt == "markdown" and target is None:
        typer.echo(render_markdown(), nl=False)
        return
    frame = schema_frame(target, database=database)
    if fmt == "csv":
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        typer.echo(json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=1))
    elif fmt == "markdown":
        typer.echo(_markdown_of(frame))
    else:
        print_schema(frame)


def _markdown_of(frame: pd.DataFrame) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)
