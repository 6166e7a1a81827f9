"""Opening a store to read from: the one adapter `orgnet schema`, `shell`, `export` and the
Python API use, over :func:`stores.open_store` (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import stores
from graphmodel.store import GraphStore
from orgnet._target import neo4j_auth

__all__ = ["open_read_store"]

DEFAULT_TARGET = "orgnet.lbdb"


def open_read_store(target: Path | str | None = None, *, neo4j: str | None = None,
                    database: str | None = None,
                    auth: tuple[str, str] | None = None) -> GraphStore:
    """A read-only store: ``target`` (a LadybugDB file or a server URI; ``neo4j`` is the older
    spelling of a server target). Credentials are ``auth``, else asked for when a server
    needs them (``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``).

    The LadybugDB file is opened ``read_only``; the Neo4j store of today runs every query in a
    write transaction, so on Neo4j read-only holds only once the stores' read-only run path
    replaces this (TODO for the merge: ``stores.open_store(target)``).

    Raises
    ------
    StoreError
        No database at ``target``, or it cannot be opened.
    BackendUnavailableError
        A server target and its driver is not installed.
    """
    where = neo4j or target or DEFAULT_TARGET
    options: dict[str, Any] = {"database": database}
    options.update({"auth": auth} if auth is not None else {"credentials": neo4j_auth})
    return stores.open_store(where, **options)
