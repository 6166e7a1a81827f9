"""The Neo4j backend (a server): the push (batched, idempotent MERGE), the files of
``neo4j-admin database import``, the store (read-only Cypher in READ mode, derived properties),
reading the model back, and how the server is reached (URIs, credentials, timeouts).

Targets are Bolt URIs (``neo4j://``, ``neo4j+s://``, ``bolt://``, ``bolt+ssc://`` ...).
:func:`open_store`, :func:`write_model`, :func:`read_model` and :func:`is_writable` are the
backend's entries in the :mod:`stores` registry. Options they take: ``database`` (name on the
server), ``auth`` (``(user, password)``) or ``credentials`` (a function returning it, asked only
when needed), ``timeouts`` (:class:`Timeouts`), ``batch_size`` and ``replace`` (the push).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from graphmodel.store import GraphStore
from stores._readback import model_from_store
from stores.neo4j._access import Timeouts, auth_from_env, claims, redact_uri
from stores.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore", "Timeouts", "claims", "is_writable", "open_store", "read_model",
           "write_model"]

Progress = Callable[[str], None]


def _auth(auth: tuple[str, str] | None,
          credentials: Callable[[], tuple[str, str] | None] | None) -> tuple[str, str] | None:
    if auth is not None:
        return auth
    if credentials is not None:
        return credentials()
    return auth_from_env()


def open_store(target: str, *, writable: bool = False, database: str | None = None,
               auth: tuple[str, str] | None = None,
               credentials: Callable[[], tuple[str, str] | None] | None = None,
               timeouts: Timeouts | None = None, **_options: Any) -> Neo4jStore:
    """The Neo4j database at ``target`` (queries in READ mode; derived writes if
    ``writable``)."""
    return Neo4jStore(target, database=database, auth=_auth(auth, credentials),
                      writable=writable, timeouts=timeouts)


def write_model(model: OrgModel, target: str, *, progress: Progress | None = None,
                extra_rels: dict[str, pd.DataFrame] | None = None,
                derive: Callable[[GraphStore], None] | None = None,
                database: str | None = None, auth: tuple[str, str] | None = None,
                credentials: Callable[[], tuple[str, str] | None] | None = None,
                timeouts: Timeouts | None = None, batch_size: int = 10_000,
                replace: bool = True, meta: dict[str, str] | None = None,
                **_options: Any) -> str:
    """Push ``model`` to the server at ``target`` (see :func:`stores.neo4j.push.push_model`;
    ``replace``: first delete orgnet's nodes, so the database holds exactly the model), with
    what ``derive`` writes in the same UNWIND batches as the data. Returns the URI, redacted.
    """
    from stores._derived import DerivedFrames
    from stores._marker import marker_frame
    from stores.neo4j.push import push_model

    auth = _auth(auth, credentials)
    last = {"what": ""}

    def batch_progress(what: str, _done: int, _total: int) -> None:
        if progress and what != last["what"]:
            last["what"] = what
            progress(what)

    derived = DerivedFrames()
    if derive is not None:
        derive(derived)
        derived.ran = True
    push_model(model, target, database=database, auth=auth, batch_size=batch_size,
               progress=batch_progress, replace=replace, extra_rels=extra_rels,
               timeouts=timeouts, derived=derived,
               meta=marker_frame(derived=derive is not None, extra=meta))
    return redact_uri(target)


def read_model(target: str, **options: Any) -> OrgModel:
    """The model held by the Neo4j database at ``target`` (written by ``orgnet push``)."""
    with open_store(target, **options) as store:
        shown = redact_uri(target)
        return model_from_store(store, shown=shown, origin=shown)


def is_writable(_target: str) -> bool:
    """The server decides (a READ-only user is refused on the first write)."""
    return True
