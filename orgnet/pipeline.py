"""Glue used by several commands: where data comes from and where the database goes.

This is the only place (with the command modules) that combines loaders and queries.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from loaders import load_dataset
from loaders.ladybug import read_ladybug, write_ladybug
from queries.backends.base import GraphStore
from queries.backends.ladybug import LadybugStore
from queries.diagnose import derive

__all__ = ["Opened", "load_database", "open_source"]

Progress = Callable[[str], None]


@dataclass
class Opened:
    """A model with a writable store holding it."""

    model: OrgModel
    store: GraphStore


@contextlib.contextmanager
def open_source(source: Path | list[Path] | None, db: Path | None, *, neo4j: str | None = None,
                database: str | None = None, auth: tuple[str, str] | None = None,
                progress: Progress | None = None) -> Iterator[Opened]:
    """Open what a command works on.

    - ``source`` only: load it into a temporary LadybugDB file (removed afterwards);
    - ``source`` and ``db``: load it into ``db`` (kept, so analysts can query the results);
    - ``db`` only: read the model back from that database;
    - ``neo4j``: run on a Neo4j server that holds the same data (see ``orgnet push``); the
      model is read from ``source`` (needed for the Python algorithms).
    """
    if source is None and db is None:
        raise InputError([Issue("SOURCE", "give a data folder or workbook, or --db FILE")])
    with tempfile.TemporaryDirectory(prefix="orgnet-") as tmp:
        if source is not None:
            if progress:
                progress("读取与校验数据 reading and validating")
            model = load_dataset(source)
            if neo4j is None:
                target = db if db is not None else Path(tmp) / "orgnet.lbdb"
                if progress:
                    progress("写入图数据库 writing the graph database")
                write_ladybug(model, target)
        else:
            assert db is not None
            if progress:
                progress("读取图数据库 reading the graph database")
            model = read_ladybug(db)
            target = db
        if neo4j is not None:
            from queries.backends.neo4j import Neo4jStore

            store: GraphStore = Neo4jStore(neo4j, database=database, auth=auth)
        else:
            store = LadybugStore(target, writable=True)
        try:
            yield Opened(model, store)
        finally:
            store.close()


def load_database(model: OrgModel, db: Path, *, derived: bool = True,
                  settings: Settings | None = None, progress: Progress | None = None) -> Path:
    """Write ``model`` to the LadybugDB file ``db`` and, with ``derived``, what the diagnosis
    derives (task routes, tie scores, structural metrics: see :func:`queries.diagnose.derive`),
    so the database can be queried at once. Atomic: ``db`` is replaced only when all of it is
    written; on failure an existing file is unchanged and nothing is left behind."""
    target = Path(db).resolve()
    if not derived:
        return write_ladybug(model, target, progress=progress)
    building = target.with_name(f".{target.name}.loading")
    try:
        write_ladybug(model, building, progress=progress)
        with LadybugStore(building, writable=True) as store:
            derive(model, store, settings, progress=progress)
        os.replace(building, target)
    finally:
        for leftover in (building, Path(f"{building}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return target
