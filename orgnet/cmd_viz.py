"""`orgnet viz` and `orgnet report`: network pages and the diagnosis report (offline HTML)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from graphmodel.settings import Settings, load_settings
from orgnet import _ui
from orgnet._app import app
from orgnet._target import DatabaseOpt, TargetOpt, store_options
from orgnet.pipeline import open_source
from queries.diagnose import diagnose as run_diagnosis

SourceArg = Annotated[Path | None, typer.Argument(help="CSV folder or Excel workbook; omit "
                                                  "with --db.")]
NamesOpt = Annotated[bool, typer.Option("--show-names", help="Show member names (personal "
                                        "data; hidden by default).")]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="TOML file of thresholds "
                                                  "(aggregate_above_nodes, top_n ...).")]
FindingsOpt = Annotated[Path | None, typer.Option("--findings", help="Use this findings JSON "
                                                  "(orgnet diagnose --json) instead of "
                                                  "diagnosing again.")]


def _read_findings(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError([Issue(str(path), f"not a readable findings JSON file: {err}")]) from err
    if not isinstance(data, dict) or "findings" not in data:
        raise InputError([Issue(str(path), "not a findings file (no `findings` key)")])
    return data


def _with_findings(source: Path | None, db: str | None, settings: Settings,
                   findings_file: Path | None, scope: str | None,
                   draw: Callable[[OrgModel, dict[str, Any]], list[Path]],
                   database: str | None = None) -> list[Path]:
    """Open the data, check the scope, diagnose (or read the findings), then draw."""
    from visualizations import resolve_scope  # pyvis and jinja2 load only for these commands

    given = _read_findings(findings_file) if findings_file is not None else None
    with _ui.progress() as step, open_source(source, db, progress=step,
                                                            settings=settings,
                                                            **store_options(database)
                                                            ) as opened:
        if opened.note and given is None:
            _ui.err.print(f"note: {opened.note}")
        resolve_scope(opened.model, scope)  # a bad --scope fails before the diagnosis
        result = given if given is not None else run_diagnosis(
            opened.model, opened.store, settings, progress=step)
        step("绘制 drawing")
        return draw(opened.model, result)


@app.command()
def viz(
    source: SourceArg = None,
    db: TargetOpt = None,
    database: DatabaseOpt = None,
    scope: Annotated[str, typer.Option("--scope", help="city, a street id or a community id."
                                       )] = "city",
    out: Annotated[Path, typer.Option("--out", help="HTML page to write.")] = Path(
        "network.html"),
    show_names: NamesOpt = False,
    settings_file: SettingsOpt = None,
    drill_down: Annotated[bool, typer.Option("--drill-down/--no-drill-down", help="When the "
                                             "page is drawn aggregated, also write the pages "
                                             "it links to (beside it), so every link opens."
                                             )] = True,
    findings_file: FindingsOpt = None,
    assets: Annotated[str, typer.Option("--assets", help="inline: vis-network inside every "
                                        "page (each file stands alone); folder: once in lib/ "
                                        "beside the pages; auto: inline for a single page, "
                                        "folder when drill-down pages are written.")] = "auto",
) -> None:
    """Network page of the city, a street or a community (self-contained HTML, offline).

    A scope too large to draw node by node is drawn aggregated, with the pages of the areas
    one level down written beside it (``--no-drill-down``: the page alone; it then links only
    to pages that already exist)."""
    if assets not in ("inline", "folder", "auto"):
        raise typer.BadParameter("--assets must be inline, folder or auto")
    from visualizations import write_network

    settings = load_settings(settings_file)
    written = _with_findings(source, db, settings, findings_file, scope, lambda model, result:
                             write_network(model, result, out, scope=scope,
                                           show_names=show_names, settings=settings,
                                           drill_down=drill_down, assets=assets),
                             database)
    more = f"（另有下级页面 {len(written) - 1} 个）" if len(written) > 1 else ""
    _ui.out.print(f"网络图已写入 {written[0]}{more}")


@app.command()
def report(
    source: SourceArg = None,
    db: TargetOpt = None,
    database: DatabaseOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder of the report (index.html, "
                                      "network/).")] = Path("report"),
    scope: Annotated[str | None, typer.Option("--scope", help="Only this street (or "
                                              "community) id; default: the whole city.")
                     ] = None,
    show_names: NamesOpt = False,
    settings_file: SettingsOpt = None,
    findings_file: FindingsOpt = None,
) -> None:
    """Diagnosis report for committees: one Chinese HTML page with charts, sortable tables,
    backflow routes, and network pages beside it; opens offline and prints cleanly."""
    from visualizations import write_report

    settings = load_settings(settings_file)
    written = _with_findings(source, db, settings, findings_file, scope, lambda model, result:
                             [write_report(model, result, out, scope=scope,
                                           show_names=show_names, settings=settings)],
                             database)
    _ui.out.print(f"诊断报告已写入 {written[0]}")
