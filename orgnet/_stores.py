"""Opening a store to read from: the one adapter `orgnet schema`, `shell`, `export` and the
Python API use (re-point it when the stores get one ``open_store(target)``)."""

from __future__ import annotations

from pathlib import Path

from queries.backends.base import GraphStore

__all__ = ["open_read_store"]


def open_read_store(db: Path | str | None = None, *, neo4j: str | None = None,
                    database: str | None = None,
                    auth: tuple[str, str] | None = None) -> GraphStore:
    """A read-only store: the LadybugDB file ``db``, or the Neo4j server at ``neo4j``.

    The LadybugDB file is opened ``read_only``; the Neo4j store of today runs every query in a
    write transaction, so on Neo4j read-only holds only once the stores' read-only run path
    replaces this (TODO for the merge: ``stores.open_store(target)``).

    Raises
    ------
    StoreError
        No database file at ``db``, or it cannot be opened.
    BackendUnavailableError
        ``neo4j`` given and the driver is not installed.
    """
    if neo4j is not None:
        from queries.backends.neo4j import Neo4jStore

        return Neo4jStore(neo4j, database=database, auth=auth)
    from queries.backends.ladybug import LadybugStore

    return LadybugStore(Path(db if db is not None else "orgnet.lbdb"))
