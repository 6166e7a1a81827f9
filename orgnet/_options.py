"""Command-line options several commands share (sources, findings file, settings, names,
--force), declared once so their help reads the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["FindingsOpt", "ForceOpt", "NamesOpt", "ScopeOpt", "SettingsOpt", "SourceArg"]

SourceArg = Annotated[list[Path] | None, typer.Argument(help="CSV folder or Excel workbook "
                                                        "(several are merged); omit with --db.")]
NamesOpt = Annotated[bool, typer.Option("--show-names", help="Show member names (personal "
                                        "data; hidden by default).")]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="TOML file of thresholds "
                                                  "and weights.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write even where an output is an "
                                           "input or lies inside an input folder.")]
FindingsOpt = Annotated[Path | None, typer.Option("--findings", help="Use this findings JSON "
                                                  "(orgnet diagnose --json) instead of "
                                                  "diagnosing again.")]
ScopeOpt = Annotated[str, typer.Option("--scope", help="city, a street id or a community id.")]
