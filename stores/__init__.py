"""Graph stores: one module (or small package) per database backend, and the registry that
picks the backend from a target.

A target is a file path (LadybugDB, embedded) or a URI (``neo4j://``, ``neo4j+s://``,
``bolt://``, ``bolt+ssc://`` ...: Neo4j). Each backend module implements
:class:`graphmodel.store.StoreBackend` (``open_store``, ``write_model``, ``read_model``,
``is_writable``), and its stores :class:`graphmodel.store.GraphStore`; nothing above this
package knows which backend it talks to. Adding a backend is one module plus one line in
:data:`BACKENDS` (or one :func:`register_backend` call), like the Neo4j driver's table of
URI schemes.

Layering: ``graphmodel <- stores <- loaders, queries <- orgnet``; queries use a store only
through the protocol.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from graphmodel.errors import StoreError
from graphmodel.model import OrgModel
from graphmodel.store import GraphStore, StoreBackend
from stores._targets import has_scheme, redact
from stores.neo4j._access import claims as _neo4j_claims

__all__ = ["BACKENDS", "Backend", "backend_of", "is_writable", "open_derivable", "open_store",
           "read_model", "record_derived", "recording", "register_backend", "reuse_derived",
           "shown", "write_model"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backend:
    """A registry entry: the backend's name, its module (imported when first used), which
    targets it claims, and how those look (for messages)."""

    name: str
    module: str
    claims: Callable[[str], bool]
    forms: str

    def load(self) -> StoreBackend:
        """The backend module."""
        return cast(StoreBackend, importlib.import_module(self.module))


def _is_file_path(target: str) -> bool:
    return not has_scheme(target)


BACKENDS: list[Backend] = [
    Backend("neo4j", "stores.neo4j", _neo4j_claims, "neo4j://host:7687, bolt://host:7687"),
    Backend("ladybug", "stores.ladybug", _is_file_path, "a database file path"),
]
"""The backends, asked in order; the first that claims a target serves it (file paths last)."""


def register_backend(backend: Backend) -> None:
    """Add ``backend`` ahead of the file-path fallback (a test's fake backend, a plug-in)."""
    BACKENDS.insert(len(BACKENDS) - 1, backend)


def shown(target: str | Path) -> str:
    """``target`` as messages and logs may show it (secrets of a URI redacted)."""
    return redact(str(target))


def backend_of(target: str | Path) -> Backend:
    """The backend serving ``target``.

    Raises
    ------
    StoreError
        No backend claims it (an unknown URI scheme).
    """
    text = str(target)
    for backend in BACKENDS:
        if backend.claims(text):
            return backend
    forms = "; ".join(b.forms for b in BACKENDS)
    raise StoreError(f"no graph store for {shown(text)!r}: give {forms}")


def open_store(target: str | Path, *, writable: bool = False, **options: Any) -> GraphStore:
    """Open the store at ``target``, read-only unless ``writable``.

    Parameters
    ----------
    target
        A database file path or a server URI.
    writable
        Allow writing derived properties (queries are read-only either way).
    **options
        Backend options (``database``, ``auth``, ``credentials``, ``timeouts``, ``wait``);
        each backend ignores those it does not know.

    Raises
    ------
    StoreError, BackendUnavailableError
        The store cannot be opened (the target shown redacted).
    """
    return backend_of(target).load().open_store(str(target), writable=writable, **options)


def write_model(model: OrgModel, target: str | Path, *,
                derive: Callable[[GraphStore], None] | None = None,
                progress: Callable[[str], None] | None = None, **options: Any) -> str:
    """Create the schema at ``target`` and bulk-write ``model`` into it, replacing what it
    held; ``derive`` is called with a writable store of the result before it is published
    (atomically where the backend can). Returns the target as messages may show it."""
    written = backend_of(target).load().write_model(model, str(target), derive=derive,
                                                     progress=progress, **options)
    return shown(written)


def read_model(target: str | Path, **options: Any) -> OrgModel:
    """The model held by the store at ``target`` (opened read-only)."""
    return backend_of(target).load().read_model(str(target), **options)


def is_writable(target: str | Path) -> bool:
    """Whether derived properties can be written back to ``target``."""
    return backend_of(target).load().is_writable(str(target))


def open_derivable(target: str | Path, model: OrgModel, **options: Any) -> GraphStore:
    """A store of ``target`` on which derived properties may be written: ``target`` itself,
    opened writable, when it can be written; else (a read-only file or folder) a scratch copy
    of ``model`` in memory, so ``target`` is only read and never changed."""
    if is_writable(target):
        return open_store(target, writable=True, **options)
    log.info("%s is read-only: deriving in memory, not writing it back", shown(target))
    from stores.ladybug import scratch_store

    return scratch_store(model)


def reuse_derived(target: str | Path, model: OrgModel, settings_json: str,
                  **options: Any) -> tuple[GraphStore, str]:
    """The store of ``target`` a diagnosis should use, and a sentence saying how.

    When it holds the derived properties a load wrote with the same settings (its
    ``OrgnetMeta`` record), it is opened read-only and the diagnosis's writes of them are
    skipped; else it is opened as :func:`open_derivable` does and they are derived (and
    written) again: the store was loaded with ``--data-only``, by an older orgnet, with other
    settings, or is read-only (derived in memory then). A store that is derived again on
    the target itself notes what is written; :func:`record_derived` records it afterwards."""
    from stores._marker import KeepDerived, read_marker, reuse_note

    store = open_store(target, **options)
    reuse, note = reuse_note(read_marker(store), settings_json)
    if not reuse:
        store.close()
        store = open_derivable(target, model, **options)
        if not is_writable(target):
            reuse, note = reuse_note(read_marker(store), settings_json)
        else:  # the store itself: what is derived on it is recorded (record_derived)
            return recording(store, settings_json), note
    log.info("%s", note)
    return (KeepDerived(store) if reuse else store), note


def recording(store: GraphStore, settings_json: str) -> GraphStore:
    """``store`` (the target itself, opened writable) noting what a diagnosis derives on it,
    for :func:`record_derived`."""
    from stores._marker import RecordsDerived

    return RecordsDerived(store, settings_json)


def record_derived(store: GraphStore) -> bool:
    """After a diagnosis on a store of :func:`reuse_derived` or :func:`recording` finished:
    when it derived every property again on the store itself (never a scratch copy in
    memory, never a store whose properties were reused), write the store's record
    (``derived``, the settings, the orgnet version), so the next diagnosis uses them.
    Returns whether the record was written."""
    from stores._marker import RecordsDerived

    if isinstance(store, RecordsDerived):
        written = store.write_record()
        if written:
            log.info("recorded the derived properties in the store")
        return written
    return False
