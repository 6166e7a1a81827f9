"""`orgnet load`, `info`, `query` and `diagnose`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

import stores
from graphmodel.settings import load_settings
from loaders import load_dataset
from orgnet import _ui
from orgnet._app import app
from orgnet._target import DatabaseOpt, Neo4jOpt, TargetOpt, pick_target, store_options
from orgnet.pipeline import load_database, open_source
from queries.diagnose import diagnose as run_diagnosis
from queries.info import store_counts
from queries.library import list_queries
from queries.run import run_query
from queries.summary import summarize_findings

DEFAULT_DB = "orgnet.lbdb"


@app.command()
def load(
    data: Annotated[Path, typer.Argument(help="CSV folder or Excel workbook (.xlsx).")],
    db: TargetOpt = DEFAULT_DB,
    derived: Annotated[bool, typer.Option(
        "--derived/--data-only", help="Also write task routes, tie scores and network "
        "metrics onto the graph (what orgnet diagnose derives), so Cypher queries can use "
        "them at once.")] = True,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="TOML file of "
                                                       "thresholds and weights.")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Load spreadsheets into the graph store (a LadybugDB file is replaced atomically).

    Exit code 0 when clean, 1 when loaded with warnings, 2 when the input is bad (nothing is
    written then).
    """
    settings = load_settings(settings_file)
    with _ui.progress() as step:
        step("读取与校验 reading and validating")
        model = load_dataset(data)
        written = load_database(model, db or DEFAULT_DB, derived=derived, settings=settings,
                                progress=lambda t: step(f"写入 writing {t}"),
                                **store_options(database))
    table = Table(title=f"已载入 loaded into {written}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in model.counts().items():
        table.add_row(name, str(count))
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
    table = Table(title=stores.shown(target))
    for col in counts.columns:
        table.add_column(col, justify="right" if col == "count" else "left")
    for row in counts.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    _ui.out.print(table)


def _param(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise typer.BadParameter(f"--param takes key=value, got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


def _print_frame(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        clean = frame.astype(object).where(frame.notna(), None)
        typer.echo(json.dumps(clean.to_dict("records"), ensure_ascii=False, default=str,
                              indent=1))
    else:
        table = Table(show_lines=False)
        for col in frame.columns:
            table.add_column(str(col))
        for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
            table.add_row(*(str(v) for v in row))
        _ui.out.print(table)
        _ui.err.print(f"{len(frame)} row(s)")


@app.command()
def query(
    cypher: Annotated[str | None, typer.Argument(help="Cypher text to run.")] = None,
    db: TargetOpt = DEFAULT_DB,
    name: Annotated[str | None, typer.Option("--name", help="Run a named query instead, "
                                             "e.g. coverage/territory_without_org.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="key=value (JSON values "
                                                    "allowed: --param 'kinds=[\"grid\"]').")
                     ] = None,
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
            _ui.out.print(f"[bold]{q.name}[/bold]  {q.summary}"
                          + (f"  [dim](params: {', '.join(q.params)})[/dim]" if q.params else ""))
        return
    params = dict(_param(p) for p in (param or []))
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
    source: Annotated[Path | None, typer.Argument(help="CSV folder or Excel workbook; omit "
                                                  "with --db.")] = None,
    db: TargetOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the findings JSON "
                                                  "here (FINDINGS.md).")] = None,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="TOML file of "
                                                       "thresholds and weights.")] = None,
    neo4j: Neo4jOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Find coverage gaps, weak ties and responsibility backflow.

    --db TARGET: read the store (no SOURCE), or load SOURCE into it and keep it. Prints
    counts per check and the worst streets; exit code 1 when there are findings.
    """
    settings = load_settings(settings_file)
    target = pick_target(db, neo4j)  # --neo4j (deprecated): the server already holds SOURCE
    with _ui.progress() as step, open_source(source, target, load=neo4j is None,
                                             progress=step, settings=settings,
                                             **store_options(database)) as opened:
        if opened.note:
            _ui.err.print(f"note: {opened.note}")
        result = run_diagnosis(opened.model, opened.store, settings, progress=step)
        summary = summarize_findings(opened.model, result["findings"])
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
    print_summary(summary, len(result["findings"]))
    if json_out:
        _ui.err.print(f"findings written to {json_out}")
    if result["findings"]:
        raise typer.Exit(1)


def print_summary(summary: dict, total: int) -> None:
    """Counts per check, then the streets with most findings."""
    table = Table(title=f"诊断结果 findings: {total}")
    table.add_column("question")
    table.add_column("check")
    table.add_column("count", justify="right")
    for (question, check), count in summary["by_check"]:
        table.add_row(question, check, str(count))
    _ui.out.print(table)
    if summary["by_street"]:
        streets = Table(title="问题最多的街道/乡镇 worst streets first")
        streets.add_column("street")
        streets.add_column("name")
        streets.add_column("findings", justify="right")
        streets.add_column("high", justify="right")
        for row in summary["by_street"][:15]:
            streets.add_row(row["street"], row["name"], str(row["findings"]), str(row["high"]))
        _ui.out.print(streets)
