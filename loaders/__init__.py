"""Loaders: CSV folders and Excel workbooks in; LadybugDB and Neo4j graph stores out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graphmodel.build import build_model
from graphmodel.model import OrgModel
from loaders.model_warnings import add_cycle_warnings, hide_member_values
from loaders.sources import read_source
from loaders.validate import validate_tables

__all__ = ["load_dataset"]


def load_dataset(source: str | Path | Sequence[str | Path]) -> OrgModel:
    """Read, validate and model a CSV folder or an Excel workbook, or several of them merged
    (a list: see :mod:`loaders.merge`).

    Raises
    ------
    graphmodel.errors.InputError
        With every error found (file, row, column, value, suggested fix); nothing is modelled.
    """
    if not isinstance(source, str | Path):
        sources = list(source)
        if len(sources) != 1:
            from loaders.merge import load_sources

            return load_sources(sources)
        source = sources[0]
    tables = read_source(source)
    frames = validate_tables(tables)
    origins = {name: t.origin for name, t in tables.items()}
    model = build_model(frames, origins)
    add_cycle_warnings(model, origins.get("organizations", "organizations.csv"))
    hide_member_values(model, origins.get("members", "members.csv"))
    return model
