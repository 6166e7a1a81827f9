"""`orgnet export graphml|gexf|findings`: files for Gephi, Cytoscape, UCINET and Excel.

(`orgnet export neo4j-import` is in cmd_neo4j.py; every export command is in one group.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from graphmodel.settings import load_settings
from orgnet import _ui
from orgnet._options import FindingsOpt, ForceOpt, ScopeOpt, SettingsOpt, SourceArg
from orgnet._paths import guard_output
from orgnet._target import DatabaseOpt, TargetOpt
from orgnet.cmd_neo4j import export_app
from orgnet.pipeline import diagnosed

__all__ = ["export_findings", "export_gexf", "export_graphml"]

def _model_and_findings(source: list[Path] | None, db: str | None, database: str | None,
                        findings_file: Path | None, settings_file: Path | None, scope: str,
                        step) -> tuple[Any, Any, list[dict]]:
    """Open the data, check the scope, then diagnose (or read the findings file)."""
    model, chosen, result = diagnosed(source, db, load_settings(settings_file), findings_file,
                                      scope, database=database, progress=step)
    return model, chosen, result["findings"]


def _graph(fmt: str, source: list[Path] | None, db: str | None, database: str | None,
           out: Path, scope: str, findings_file: Path | None, settings_file: Path | None,
           force: bool) -> None:
    from visualizations.export import export_graph, write_graph

    guard_output(out, option="--out", kind="file", force=force,
                 inputs=[source, db, settings_file, findings_file])
    with _ui.progress() as step:
        model, _, findings = _model_and_findings(source, db, database, findings_file,
                                                 settings_file, scope, step)
        step(f"写出 writing {fmt}")
        G = export_graph(model, findings, scope=scope)
        path = write_graph(G, out, fmt)
    _ui.out.print(_ui.inert(f"已导出 exported {G.number_of_nodes()} nodes, "
                            f"{G.number_of_edges()} edges to {path}"))


@export_app.command("graphml")
def export_graphml(
    source: SourceArg = None,
    db: TargetOpt = None,
    database: DatabaseOpt = None,
    out: Annotated[Path, typer.Option("--out", help="GraphML file to write.")] = Path(
        "orgnet.graphml"),
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
    force: ForceOpt = False,
) -> None:
    """GraphML of the network (Gephi, Cytoscape, yEd; UCINET reads GraphML too).

    Nodes carry the Chinese label, entity, kind, level, street and finding flags (findings,
    checks, severity, flag_coverage ...); ties carry their links columns, weak and the flags.
    Members are not nodes of it."""
    _graph("graphml", source, db, database, out, scope, findings_file, settings_file, force)


@export_app.command("gexf")
def export_gexf(
    source: SourceArg = None,
    db: TargetOpt = None,
    database: DatabaseOpt = None,
    out: Annotated[Path, typer.Option("--out", help="GEXF file to write.")] = Path(
        "orgnet.gexf"),
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
    force: ForceOpt = False,
) -> None:
    """GEXF of the network (Gephi's own format), with the same attributes as graphml."""
    _graph("gexf", source, db, database, out, scope, findings_file, settings_file, force)


@export_app.command("findings")
def export_findings(
    source: SourceArg = None,
    db: TargetOpt = None,
    database: DatabaseOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default "
                                             "findings.csv or findings.xlsx).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv (UTF-8 with BOM, opens in Excel) "
                                     "or xlsx.")] = "csv",
    scope: ScopeOpt = "city",
    findings_file: FindingsOpt = None,
    settings_file: SettingsOpt = None,
    show_names: Annotated[bool, typer.Option("--show-names", help="Name member subjects "
                                             "(personal data; ids only by default).")] = False,
    force: ForceOpt = False,
) -> None:
    """The findings as a table: one row per finding with its street, for Excel."""
    from queries.findings_table import findings_frame
    from visualizations.export import TABLE_FORMATS, write_table

    if fmt not in TABLE_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(TABLE_FORMATS)}")
    target = out or Path(f"findings.{fmt}")
    guard_output(target, option="--out", kind="file", force=force,
                 inputs=[source, db, settings_file, findings_file])
    with _ui.progress() as step:
        model, chosen, findings = _model_and_findings(source, db, database, findings_file,
                                                      settings_file, scope, step)
        step(f"写出 writing {fmt}")
        frame = findings_frame(chosen.findings(findings), model, show_names=show_names)
        path = write_table(frame, target, fmt)
    _ui.out.print(_ui.inert(f"已导出 exported {len(frame)} findings to {path}"))
