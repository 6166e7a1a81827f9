"""Loaders: CSV folders and Excel workbooks in; LadybugDB and Neo4j graph stores out."""

from __future__ import annotations

from pathlib import Path

from graphmodel.build import build_model
from graphmodel.model import OrgModel
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
    return build_model(frames, {name: t.origin for name, t in tables.items()})
