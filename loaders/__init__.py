"""Loaders: CSV folders and Excel workbooks in; LadybugDB and Neo4j graph stores out."""

from __future__ import annotations

from pathlib import Path

from graphmodel.build import build_model
from graphmodel.model import OrgModel
from loaders.model_warnings import add_cycle_warnings, hide_member_values
from loaders.sources import read_source
from loaders.validate import validate_tables

__all__ = ["load_dataset"]


def load_dataset(source: str | Path) -> OrgModel:
    """Read, validate and model a CSV folder or an Excel workbook.

    Raises
    ------
    graphmodel.errors.InputError
        With every error found (file, row, column, value, suggested fix); nothing is modelled.
    """
    tables = read_source(source)
    frames = validate_tables(tables)
    origins = {name: t.origin for name, t in tables.items()}
    model = build_model(frames, origins)
    add_cycle_warnings(model, origins.get("organizations", "organizations.csv"))
    hide_member_values(model, origins.get("members", "members.csv"))
    return model
