"""The organization department's loop: `orgnet template` (the ledger sent to the streets) and
`orgnet worklist` (the problem lists sent back to them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from orgnet import _ui
from orgnet._app import app

SourcesArg = Annotated[list[Path] | None, typer.Argument(
    help="CSV folders or Excel workbooks (several are merged); omit with --db.")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="LadybugDB file to read instead.")]
NamesOpt = Annotated[bool, typer.Option("--show-names", help="Include member names (personal "
                                        "data; left out by default).")]


def _read_model(sources: list[Path] | None, db: Path | None) -> OrgModel:
    """The model of the given sources (merged) or of a LadybugDB file."""
    if sources:
        from loaders import load_dataset

        return load_dataset(sources)
    if db is None:
        raise InputError([Issue("SOURCE", "give a data folder or workbook, or --db FILE")])
    from loaders.ladybug import read_ladybug

    return read_ladybug(db)


@app.command()
def template(
    sources: SourcesArg = None,
    db: DbOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Workbook to write.")] = Path(
        "台账模板.xlsx"),
    scope: Annotated[str | None, typer.Option("--scope", help="A street (or township) id: "
                                              "pre-fill the city's and this street's rows "
                                              "from SOURCE or --db.")] = None,
    example: Annotated[bool, typer.Option("--example", help="Add a few example rows "
                                          "(ids EX-...).")] = False,
    show_names: NamesOpt = False,
) -> None:
    """台账模板 — the data-collection workbook the streets fill in: one sheet per table,
    Chinese headers, dropdowns, formats, and a 填写说明 sheet.

    With SOURCE (or --db) and no --scope, every row of the data is pre-filled (member names
    only with --show-names); with --scope, the city's rows and the street's own structure rows.
    """
    from loaders.template import example_rows, scope_rows, write_template

    rows = None
    if sources or db is not None:
        model = _read_model(sources, db)
        if scope is not None:
            try:
                rows = scope_rows(model, scope)
            except KeyError:
                raise typer.BadParameter(f"--scope {scope}: not a street or township id of "
                                         "the data") from None
        else:
            rows = {name: frame for name, frame in model.frames.items() if not frame.empty}
            if not show_names and "members" in rows:
                rows["members"] = rows["members"].assign(name=None)
    elif scope is not None:
        raise typer.BadParameter("--scope needs SOURCE or --db to take the rows from")
    written = write_template(out, rows, examples=example_rows() if example else None)
    filled = sum(len(f) for f in (rows or {}).values())
    _ui.out.print(f"台账模板已写入 {written}" + (f"（预填 {filled} 行）" if filled else ""))
