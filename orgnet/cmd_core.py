"""`orgnet load`, `info`, `query` and `diagnose`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich import box
from rich.table import Table
from rich.text import Text

import stores
from graphmodel.checks import CHECKS_BY_CODE, QUESTION_SHORT_ZH, QUESTION_ZH, QUESTIONS
from graphmodel.errors import QueryError
from graphmodel.settings import load_settings
from loaders import load_dataset
from orgnet import _ui
from orgnet._app import app
from orgnet._json import frame_records, strict_json, write_json
from orgnet._paths import guard_output
from orgnet._target import DatabaseOpt, Neo4jOpt, TargetOpt, pick_target, store_options
from orgnet.cmd_loop import (
    BaselineOpt,
    apply_baseline,
    print_progress,
    progress_rows,
    read_earlier,
)
from orgnet.pipeline import load_database, open_source
from queries.diagnose import diagnose as run_diagnosis
from queries.info import store_counts
from queries.library import get_query, list_queries
from queries.params import parse_params
from queries.run import run_query
from queries.summary import summarize_findings

ForceOption = Annotated[bool, typer.Option("--force", help="Write even where an output is an "
                                           "input or lies inside an input folder.")]
DEFAULT_DB = "orgnet.lbdb"


@app.command()
def load(
    data: Annotated[list[Path], typer.Argument(help="CSV folder or Excel workbook (.xlsx); "
                                               "several are merged (the streets' workbooks).")],
    db: TargetOpt = DEFAULT_DB,
    derived: Annotated[bool, typer.Option(
        "--derived/--data-only", help="Also write task routes, tie scores and network "
        "metrics onto the graph (what orgnet diagnose derives), so Cypher queries can use "
        "them at once.")] = True,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="TOML file of "
                                                       "thresholds and weights.")] = None,
    force: ForceOption = False,
    database: DatabaseOpt = None,
) -> None:
    """Load spreadsheets into the graph store (a LadybugDB file is replaced atomically).

    Exit code 0 when clean, 1 when loaded with warnings, 2 when the input is bad (nothing is
    written then).
    """
    target = db or DEFAULT_DB
    if stores.backend_of(target).name == "ladybug":
        guard_output(Path(target), option="--db", kind="file", inputs=[data, settings_file],
                     force=force)
    settings = load_settings(settings_file)
    with _ui.progress() as step:
        step("读取与校验 reading and validating")
        model = load_dataset(data)
        written = load_database(model, target, derived=derived, settings=settings,
                                progress=lambda t: step(f"写入 writing {t}"),
                                **store_options(database))
    table = Table(title=Text.assemble("已载入 loaded into ", _ui.inert(stores.shown(written))))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in model.counts().items():
        table.add_row(_ui.inert(name), str(count))
    _ui.out.print(table)
    if model.warnings:
        _ui.print_issues(f"{len(model.warnings)} warning(s) — loaded, but check these:",
                         model.warnings, style="yellow")
        raise typer.Exit(1)


@app.command()
def info(db: TargetOpt = DEFAULT_DB, database: DatabaseOpt = None) -> None:
    """Counts per kind and level of what a database holds."""
    target = db or DEFAULT_DB
    with stores.open_store(target, **store_options(database)) as store:
        counts = store_counts(store)
    table = Table(title=_ui.inert(stores.shown(target)))
    for col in counts.columns:
        table.add_column(_ui.inert(col), justify="right" if col == "count" else "left")
    for row in counts.itertuples(index=False):
        table.add_row(*(_ui.inert(v) for v in row))
    _ui.out.print(table)


def _print_frame(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":  # cells as written, control characters (but tab, newline) escaped
        shown = frame.rename(columns=lambda c: _ui.escape_controls(c, keep="\t\n"))
        shown = shown.map(lambda v: _ui.escape_controls(v, keep="\t\n")
                          if isinstance(v, str) else v)
        typer.echo(shown.to_csv(index=False), nl=False)
    elif fmt == "json":
        try:
            text = strict_json(frame_records(frame), default=str)
        except ValueError as exc:  # a computed infinity (1.0/0): JSON has no such number
            msg = (f"the result holds a number that JSON cannot represent ({exc}); "
                   "use --format csv or table")
            raise QueryError(msg) from exc
        typer.echo(text)
    else:
        table = Table(show_lines=False)
        for col in frame.columns:
            table.add_column(_ui.inert(col))
        for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
            table.add_row(*(_ui.inert(v) for v in row))
        _ui.out.print(table)
        _ui.err.print(f"{len(frame)} row(s)")


@app.command()
def query(
    cypher: Annotated[str | None, typer.Argument(help="Cypher text to run.")] = None,
    db: TargetOpt = DEFAULT_DB,
    name: Annotated[str | None, typer.Option("--name", help="Run a named query instead, "
                                             "e.g. coverage/territory_without_org.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="key=value, plain or JSON: "
                                                    "kinds=grid,compound (a list where the "
                                                    "query expects one), threshold=0.3, "
                                                    "kinds='[\"grid\"]'.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    neo4j: Neo4jOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Run Cypher (or a named query) on the database, opened read-only: statements that
    would change the store, touch files or load code are refused."""
    if fmt not in {"table", "csv", "json"}:
        raise typer.BadParameter("--format must be table, csv or json")
    if list_:
        for q in list_queries():
            line = Text.assemble(_ui.inert(q.name, "bold"), "  ", _ui.inert(q.summary))
            if q.params:
                line.append_text(_ui.inert(f"  (params: {', '.join(q.params)})", "dim"))
            _ui.out.print(line)
        return
    params = parse_params(param or [], get_query(name) if name else None)
    target = pick_target(None if neo4j and db == DEFAULT_DB else db, neo4j) or DEFAULT_DB
    store = stores.open_store(target, **store_options(database))
    try:
        if name:
            frame = run_query(store, name, **params)
        elif cypher:
            frame = store.run(cypher, params)
        else:
            raise typer.BadParameter("give CYPHER text, --name NAME or --list")
    finally:
        store.close()
    _print_frame(frame, fmt)


@app.command()
def diagnose(
    source: Annotated[list[Path] | None, typer.Argument(help="CSV folder or Excel workbook "
                                                        "(several are merged); omit with --db."
                                                        )] = None,
    db: TargetOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the findings JSON "
                                                  "here (FINDINGS.md).")] = None,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="TOML file of "
                                                       "thresholds and weights.")] = None,
    neo4j: Neo4jOpt = None,
    database: DatabaseOpt = None,
    baseline: BaselineOpt = None,
    force: ForceOption = False,
) -> None:
    """Find coverage gaps, weak ties and responsibility backflow.

    --db TARGET: read the store (no SOURCE), or load SOURCE into it and keep it. Prints
    counts per check and the worst streets; exit code 1 when there are findings.
    """
    inputs = [source, settings_file] + ([db] if source is None else [])
    if json_out is not None:
        guard_output(json_out, option="--json", kind="file", inputs=inputs, force=force)
    if source and db is not None and neo4j is None and stores.backend_of(db).name == "ladybug":
        guard_output(Path(db), option="--db", kind="file", inputs=inputs, force=force)
    settings = load_settings(settings_file)
    earlier = read_earlier(baseline)
    target = pick_target(db, neo4j)  # --neo4j (deprecated): the server already holds SOURCE
    with _ui.progress() as step, open_source(source or None, target, load=neo4j is None,
                                             progress=step, settings=settings,
                                             **store_options(database)) as opened:
        if opened.note:
            _ui.err.print(_ui.inert(f"note: {opened.note}"))
        result = apply_baseline(run_diagnosis(opened.model, opened.store, settings,
                                              progress=step), earlier)
        summary = summarize_findings(opened.model, result["findings"])
        progress = progress_rows(opened.model, result) if baseline else []
    if json_out:
        write_json(json_out, result)
    print_summary(summary, len(result["findings"]))
    print_progress(result, progress)
    if json_out:
        _ui.err.print(Text.assemble("findings written to ", _ui.inert(json_out)))
    if result["findings"]:
        raise typer.Exit(1)


def print_summary(summary: dict, total: int) -> None:
    """Counts per question and check, then the streets with most findings. The three words
    覆盖盲区, 弱关系 and 责任回流 count a whole question, as on the report and the pages."""
    table = Table(title=f"诊断结果 findings: {total}")
    table.add_column("问题 question")
    table.add_column("检查项 check")
    table.add_column("条数 count", justify="right")
    by_check = summary["by_check"]
    for question in QUESTIONS:
        rows = [(check, count) for (q, check), count in by_check if q == question]
        if not rows:
            continue
        table.add_row(_ui.inert(f"{QUESTION_ZH[question]} {question}", "bold"),
                      _ui.inert("合计 all checks", "bold"),
                      _ui.inert(summary["by_question"][question], "bold"))
        for check, count in rows:
            spec = CHECKS_BY_CODE.get(check)
            title = f"{spec.title_zh} {check}" if spec else check
            table.add_row("", _ui.inert(title), str(count))
    _ui.out.print(table)
    if summary["by_street"]:
        streets = Table(title="问题最多的街道/乡镇 worst streets first",
                        box=box.SIMPLE_HEAD)  # no inner rules: room for long names
        shown_rows = summary["by_street"][:15]
        streets.add_column("street", no_wrap=True,  # ids are what users type next
                           min_width=max(len(str(r["street"])) for r in shown_rows))
        streets.add_column("name")
        streets.add_column("合计", justify="right")
        streets.add_column("高", justify="right")
        for question in QUESTIONS:  # the short words of the aggregated pages' circles
            streets.add_column(QUESTION_SHORT_ZH[question], justify="right")
        for row in shown_rows:
            streets.add_row(_ui.inert(row["street"]), _ui.inert(row["name"]),
                            str(row["findings"]), str(row["high"]),
                            *(str(row[q]) for q in QUESTIONS))
        _ui.out.print(streets)
