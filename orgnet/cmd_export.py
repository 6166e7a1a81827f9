"""`orgnet export graphml|gexf|findings`: files for Gephi, Cytoscape, UCINET and Excel.

(`orgnet export neo4j-import` is in cmd_neo4j.py; every export command is in one group.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from graphmodel.errors import InputError, Issue
from graphmodel.settings import load_settings
from orgnet import _ui
from orgnet.cmd_neo4j import export_app
from orgnet.pipeline import open_source

__all__ = ["export_findings", "export_gexf", "export_graphml"]

SourceArg = Annotated[Path | None, typer.Argument(help="CSV folder or Excel workbook; omit "
                                                  "with --db.")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="LadybugDB file: read it (no SOURCE) "
                                            "or load SOURCE into it and keep it.")]
ScopeOpt = Annotated[str, typer.Option("--scope", help="city, a street id or a community id "
                                       "(as orgnet viz).")]
FindingsOpt = Annotated[Path | None, typer.Option("--findings", help="Use this findings JSON "
                                                  "(orgnet diagnose --json) instead of "
                                                  "diagnosing again.")]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="TOML file of thresholds "
                                                  "and weights.")]


def _read_findings(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError([Issue(str(path), f"not a readable findings JSON file: {err}")]) from err
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError([Issue(str(path), "not a findings file (no `findings` list)")])
    return data


def _model_and_findings(source: Path | None, db: Path | None, findings_file: Path | None,
                        settings_file: Path | None, scope: str | None,
                        step) -> tuple[Any, Any, list[dict]]:
    """Open the data, check the scope, then diagnose (or read the findings file)."""
    from queries.diagnose import diagnose
    from visualizations import resolve_scope

    given = _read_findings(findings_file) if findings_file is not None else None
    settings = load_settings(settings_file)
    with open_source(source, db, progress=step) as opened:
        chosen = resolve_scope(opened.model, scope)  # a bad --scope fails before diagnosing
        if given is None:
            given = diagnose(opened.model, opened.store, settings, progress=step)
        return opened.model, chosen, given["findings"]


def _graph(fmt: str, source: Path | None, db: Path | None, out: Path, scope: str,
           findings_file: Path | None, settings_file: Path | None) -> None:
    from visualizations.export import export_graph, write_graph

    with _ui.progress() as step:
        model, _, findings = _model_and_findings(source, db, findings_file, settings_file,
                                                 scope, step)
        step(f"写出 writing {fmt}")
        G = export_graph(model, findings, scope=scope)
        path = write_graph(G, out, fmt)
    _ui.out.print(f"已导出 exported {G.number_of_nodes()} nodes, {G.number_of_edges()} edges "
                  f"to {path}", markup=False)


@export_app.command("graphml")
def export_graphml(
    source: SourceArg = None,
    db: DbOpt = None,
    out: Annotated[Path, typer.Option("--out", help="GraphML file to write.")] = Path(
        "orgnet.graphml"),
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """GraphML of the network (Gephi, Cytoscape, yEd; UCINET reads GraphML too).

    Nodes carry the Chinese label, entity, kind, level, street and finding flags (findings,
    checks, severity, flag_coverage ...); ties carry their links columns, weak and the flags.
    Members are not nodes of it."""
    _graph("graphml", source, db, out, scope, findings_file, settings_file)


@export_app.command("gexf")
def export_gexf(
    source: SourceArg = None,
    db: DbOpt = None,
    out: Annotated[Path, typer.Option("--out", help="GEXF file to write.")] = Path(
        "orgnet.gexf"),
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """GEXF of the network (Gephi's own format), with the same attributes as graphml."""
    _graph("gexf", source, db, out, scope, findings_file, settings_file)


@export_app.command("findings")
def export_findings(
    source: SourceArg = None,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default "
                                             "findings.csv or findings.xlsx).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv (UTF-8 with BOM, opens in Excel) "
                                     "or xlsx.")] = "csv",
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
    show_names: Annotated[bool, typer.Option("--show-names", help="Name member subjects "
                                             "(personal data; ids only by default).")] = False,
) -> None:
    """The findings as a table: one row per finding with its street, for Excel."""
    from queries.findings_table import findings_frame
    from visualizations.export import TABLE_FORMATS, write_table

    if fmt not in TABLE_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(TABLE_FORMATS)}")
    with _ui.progress() as step:
        model, chosen, findings = _model_and_findings(source, db, findings_file,
                                                      settings_file, scope, step)
        step(f"写出 writing {fmt}")
        frame = findings_frame(chosen.findings(findings), model, show_names=show_names)
        path = write_table(frame, out or Path(f"findings.{fmt}"), fmt)
    _ui.out.print(f"已导出 exported {len(frame)} findings to {path}", markup=False)
