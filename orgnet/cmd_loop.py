"""The organization department's loop: `orgnet template` (the ledger sent to the streets) and
`orgnet worklist` (the problem lists sent back to them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    import stores

    return stores.read_model(db)


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
    filled_note = f"（预填 {filled} 行）" if filled else ""
    _ui.out.print(_ui.inert(f"台账模板已写入 {written}{filled_note}"))


BaselineOpt = Annotated[list[Path] | None, typer.Option(
    "--baseline", help="An earlier run to compare with: its findings JSON, or the worklist "
    "workbooks the streets returned (repeat the option for each; rows marked 已整改 whose "
    "problem is still there are reported as 整改未见效).")]


def read_earlier(baseline: list[Path] | None) -> dict[str, Any] | None:
    """The baseline files read (a findings JSON, returned worklists), before any work."""
    if not baseline:
        return None
    from loaders.worklist import read_baselines

    return read_baselines(list(baseline))


def apply_baseline(result: dict[str, Any], earlier: dict[str, Any] | None) -> dict[str, Any]:
    """``result`` compared with the baseline read by :func:`read_earlier` (FINDINGS.md
    "Findings over time"), or ``result`` itself when there is none."""
    if earlier is None:
        return result
    from graphmodel.baseline import compare_findings

    return compare_findings(result, earlier)


def progress_rows(model: OrgModel, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per street new / persisting / resolved / claimed-but-present (rule 12), named."""
    from graphmodel.baseline import progress_by_street
    from graphmodel.index import model_index

    rows = progress_by_street(result, model_index(model))
    return [{**r, "name": model.name(r["street"]) if r["street"] else "（不属于任何街道）"}
            for r in rows]


def print_progress(result: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The comparison with the baseline in the terminal: totals, then per street."""
    from rich.table import Table

    baseline = result.get("baseline")
    if not baseline:
        return
    claimed = len(baseline.get("claimed_but_present") or [])
    table = Table(title=f"整改进展 since {baseline.get('generated_at') or 'the baseline'}: "
                  f"新发现 new {baseline['new']}, 持续 persisting {baseline['persisting']}, "
                  f"已解决 resolved {len(baseline['resolved'])}"
                  + (f", 整改未见效 claimed but present {claimed}"
                     if "claimed_but_present" in baseline else ""))
    for column in ("street", "name", "new", "persisting", "resolved", "claimed"):
        table.add_column(column, justify="right" if column not in ("street", "name")
                         else "left")
    for r in rows[:20]:
        table.add_row(r["street"] or "—", r["name"], str(r["new"]), str(r["persisting"]),
                      str(r["resolved"]), str(r["claimed"]))
    _ui.out.print(table)


@app.command()
def worklist(
    sources: SourcesArg = None,
    db: DbOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the workbooks into.")] = Path(
        "问题清单"),
    findings_file: Annotated[Path | None, typer.Option(
        "--findings", help="Use this findings JSON (orgnet diagnose --json) instead of "
        "diagnosing again; SOURCE or --db still gives the places and names.")] = None,
    split: Annotated[str | None, typer.Option("--split", help="street: also one workbook per "
                                              "street, holding only its findings.")] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Only this street's workbook.")
                     ] = None,
    baseline: BaselineOpt = None,
    show_names: NamesOpt = False,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="TOML file of "
                                                       "thresholds and weights.")] = None,
) -> None:
    """问题清单 — the findings as Excel worklists for the streets to fill in (整改责任人, 整改措施,
    整改时限, 整改情况) and send back; a returned one can be the next run's --baseline."""
    from graphmodel.settings import load_settings
    from loaders.findings_file import read_findings
    from orgnet.pipeline import open_source
    from queries.diagnose import diagnose as run_diagnosis
    from visualizations.worklist import write_worklists

    if split not in (None, "street"):
        raise typer.BadParameter("--split takes `street`")
    earlier = read_earlier(baseline)
    if findings_file is not None:
        model = _read_model(sources, db)
        result = read_findings(findings_file)
    else:
        settings = load_settings(settings_file)
        with _ui.progress() as step, open_source(sources or None, db, progress=step,
                                                 settings=settings) as opened:
            model = opened.model
            result = run_diagnosis(model, opened.store, settings, progress=step)
    result = apply_baseline(result, earlier)
    try:
        written = write_worklists(model, result, out, split=split, scope=scope,
                                  show_names=show_names)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    print_progress(result, progress_rows(model, result))
    _ui.out.print(_ui.inert(f"问题清单已写入 {out}（{len(written)} 个工作簿）"))
    for path in written:
        _ui.out.print(_ui.inert(f"  {path.name}"))
