"""Neo4j commands: ``orgnet push`` (into a running server) and ``orgnet export neo4j-import``
(CSV files for ``neo4j-admin database import full``, for a whole province at once).

Credentials come from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``; when the password is not set the
command prompts for both (never a command-line option, never logged). ``orgnet push`` takes the
DATA folder or workbook, or ``--db FILE`` to push what a LadybugDB file holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orgnet import _ui
from orgnet._app import app
from orgnet._target import neo4j_auth

__all__ = ["export_app", "neo4j_auth"]

export_app = typer.Typer(name="export", help="Export the model for other tools.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

DataArg = Annotated[list[Path], typer.Argument(help="CSV folder or Excel workbook (several "
                                               "are merged).", exists=True)]


def _model(data: list[Path] | None, db: str | None):
    from graphmodel.errors import InputError, Issue

    data = data or None
    if (data is None) == (db is None):
        raise InputError([Issue("DATA", "give a data folder or workbook, or --db TARGET "
                                "(not both)")])
    if data is not None:
        from loaders import load_dataset

        return load_dataset(data)
    import stores

    assert db is not None  # exactly one of the two, checked above
    return stores.read_model(db)


@app.command("push")
def push(
    neo4j: Annotated[str, typer.Option("--neo4j", help="Server URI, e.g. neo4j://host:7687.",
                                       metavar="URI")],
    data: Annotated[list[Path] | None, typer.Argument(help="CSV folder or Excel workbook "
                                                      "(several are merged).")] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="TARGET", help="Push what a store "
                                           "holds (a LadybugDB file written by `orgnet load`) "
                                           "instead of DATA.")] = None,
    database: Annotated[str | None, typer.Option(help="Database name (server default).")]
    = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 10_000,
    replace: Annotated[bool, typer.Option(help="First delete every node of orgnet's labels.")]
    = False,
) -> None:
    """推送到 Neo4j — write DATA (or --db FILE) into a Neo4j server; pushing again is safe.

    Credentials from NEO4J_USERNAME / NEO4J_PASSWORD (prompted for when not set).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from stores import shown
    from stores.neo4j.push import push_model

    model = _model(data, db)
    auth = neo4j_auth()
    with Progress(TextColumn("{task.description:<36}"), BarColumn(), MofNCompleteColumn(),
                  console=_ui.err, transient=True, disable=not _ui.err.is_terminal) as bar:
        task = bar.add_task("connecting", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        counts = push_model(model, neo4j, database=database, auth=auth, batch_size=batch_size,
                            progress=progress, replace=replace)
    _ui.out.print(_ui.inert(f"已推送 pushed {sum(counts.values())} rows ({len(counts)} tables) "
                            f"to {shown(neo4j)}"))


@export_app.command("neo4j-import")
def export_neo4j(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files.")],
    database: Annotated[str, typer.Option(help="Database the command imports into.")]
    = "neo4j",
    force: Annotated[bool, typer.Option("--force", help="Write even inside the input folder.")
                     ] = False,
) -> None:
    """neo4j-admin 导入文件 — CSV files and the neo4j-admin command for a new database."""
    from loaders import load_dataset
    from orgnet._paths import guard_output
    from stores.neo4j.import_files import export_neo4j_import

    guard_output(out, option="--out", kind="folder", inputs=[data], force=force)

    with _ui.progress() as step:
        step("读取与校验 reading and validating")
        model = load_dataset(data)
        command_file = export_neo4j_import(model, out, database=database,
                                           progress=lambda t: step(f"写出 writing {t}"))
    typer.echo(_ui.escape_controls(command_file.read_text(encoding="utf-8"), keep="\n\t"),
               nl=False)
    _ui.err.print(_ui.inert(f"(saved in {command_file})"))
