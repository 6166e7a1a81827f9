"""The LadybugDB backend (embedded; a database is one file): schema, bulk write, read back,
read-only Cypher and derived properties.

Targets are file paths. :func:`open_store`, :func:`write_model`, :func:`read_model` and
:func:`is_writable` are the backend's entries in the :mod:`stores` registry.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from graphmodel.store import GraphStore
from stores._marker import marker_frame
from stores.ladybug.read import read_ladybug
from stores.ladybug.store import MEMORY, LadybugStore
from stores.ladybug.write import ddl_statements, write_ladybug, write_tables

__all__ = ["MEMORY", "LadybugStore", "ddl_statements", "is_writable", "open_store",
           "read_ladybug", "read_model", "scratch_store", "write_ladybug", "write_model"]

Progress = Callable[[str], None]


def open_store(target: str | Path, *, writable: bool = False, wait: float = 10.0,
               **_options: Any) -> LadybugStore:
    """The database file ``target``, read-only unless ``writable``."""
    return LadybugStore(target, writable=writable, wait=wait)


def write_model(model: OrgModel, target: str | Path, *, progress: Progress | None = None,
                extra_rels: dict[str, pd.DataFrame] | None = None,
                derive: Callable[[GraphStore], None] | None = None, wait: float = 10.0,
                meta: dict[str, str] | None = None, **_options: Any) -> Path:
    """Write ``model`` into a new database file at ``target`` (see :func:`write_ladybug`)."""
    return write_ladybug(model, target, progress=progress, extra_rels=extra_rels,
                         derive=derive, wait=wait, meta=meta)


def read_model(target: str | Path, **_options: Any) -> OrgModel:
    """The model held by the database file ``target``."""
    return read_ladybug(target)


def is_writable(target: str | Path) -> bool:
    """Whether the database file and its folder may be written (LadybugDB writes its ``.wal``
    beside the file): False on a read-only copy (a USB stick, a shared folder)."""
    path = Path(target)
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def scratch_store(model: OrgModel) -> LadybugStore:
    """A writable database in memory holding ``model``: derived properties go there when the
    store they belong to cannot be written."""
    store = LadybugStore(MEMORY)
    record = marker_frame(derived=False, extra={"reason": "the store is read-only: deriving "
                                                "in memory, the file is not written"})
    write_tables(store._conn, model, meta=record)
    return store
