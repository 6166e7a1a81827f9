"""Glue used by several commands: where data comes from and which store holds it.

This is the only place (with the command modules) that combines loaders, stores and queries.
A store is named by its target (a LadybugDB file path or a Neo4j URI) and reached through
:mod:`stores` only, whatever its backend.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stores
from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from graphmodel.store import GraphStore
from loaders import load_dataset
from orgnet._process import keep_model
from queries.diagnose import derive

__all__ = ["Opened", "diagnosed", "load_database", "open_source"]

Progress = Callable[[str], None]


@dataclass
class Opened:
    """A model with a store holding it, on which derived properties may be written."""

    model: OrgModel
    store: GraphStore
    target: str | None
    note: str | None = None
    """How the derived properties of a store that was read are used (or why derived again)."""


def settings_record(settings: Settings | None) -> str:
    """The settings derived properties are computed with, as a load records them."""
    return json.dumps((settings or Settings()).to_dict(), sort_keys=True, ensure_ascii=False,
                      default=str)


@contextlib.contextmanager
def open_source(source: Path | list[Path] | None, target: str | Path | None, *, load: bool = True,
                progress: Progress | None = None, settings: Settings | None = None,
                **options: Any) -> Iterator[Opened]:
    """Open what a command works on.

    - ``source`` only: load it into a temporary LadybugDB file (removed afterwards);
    - ``source`` and ``target``: load it into ``target`` (kept, so analysts can query the
      results); with ``load=False`` the store at ``target`` already holds ``source``
      (``--neo4j``: pushed before) and only the model is read from ``source``;
    - ``target`` only: read the model back from that store. A read-only store (a file on a
      read-only medium) is only read: derived properties go to a scratch copy in memory.
      When the store holds the derived properties a load wrote with ``settings``, they are
      not written again (:func:`stores.reuse_derived`; ``Opened.note`` says which case).

    When the block derived every property again on the target itself (not on a scratch copy
    in memory) and finished without an exception, the store's record is written
    (:func:`stores.record_derived`: derived, the settings, the orgnet version), so the next
    diagnosis of the store uses them instead of deriving again. ``settings`` must be those
    the block derives with.

    ``options`` go to the store's backend (``database``, ``credentials`` ...).
    """
    if source is None and target is None:
        raise InputError([Issue("SOURCE", "give a data folder or workbook, or --db TARGET")])
    note = None
    with tempfile.TemporaryDirectory(prefix="orgnet-") as tmp:
        if source is not None:
            if progress:
                progress("读取与校验数据 reading and validating")
            model = load_dataset(source)
            kept = target
            if target is None:
                target = Path(tmp) / "orgnet.lbdb"
            if load:
                if progress:
                    progress("写入图数据库 writing the graph database")
                stores.write_model(model, target, **options)
            store = stores.open_store(target, writable=True, **options)
            if kept is not None:  # the target itself: what is derived on it is recorded
                store = stores.recording(store, settings_record(settings))
        else:
            assert target is not None
            if progress:
                progress("读取图数据库 reading the graph database")
            model = stores.read_model(target, **options)
            kept = target
            store, note = stores.reuse_derived(target, model, settings_record(settings),
                                               **options)
        keep_model()
        try:
            yield Opened(model, store, None if kept is None else str(kept), note)
            # Only after the command's block finished: never after an error or Ctrl-C.
            stores.record_derived(store)
        finally:
            store.close()


def load_database(model: OrgModel, target: str | Path, *, derived: bool = True,
                  settings: Settings | None = None, progress: Progress | None = None,
                  **options: Any) -> str:
    """Write ``model`` into the store at ``target`` and, with ``derived``, what the diagnosis
    derives (task routes, tie scores, structural metrics: see :func:`queries.diagnose.derive`),
    so the store can be queried at once. On a LadybugDB file this is atomic: the file is
    replaced only when all of it is written; on failure an existing file is unchanged and
    nothing is left behind. Returns the target as messages may show it."""
    def derive_on(store: GraphStore) -> None:
        derive(model, store, settings, progress=progress)

    keep_model()
    return stores.write_model(model, target, derive=derive_on if derived else None,
                              progress=progress, meta={"settings": settings_record(settings)},
                              **options)


def diagnosed(source: Path | list[Path] | None, target: str | Path | None, settings: Settings,
              findings_file: Path | None, scope: str | None, *, database: str | None = None,
              progress: Progress | None = None) -> tuple[OrgModel, Any, dict[str, Any]]:
    """What the page and export commands draw: the model, the checked scope
    (:func:`visualizations.resolve_scope`, a bad ``scope`` fails before diagnosing) and the
    findings object, read from ``findings_file`` or diagnosed now."""
    from loaders.findings_file import read_findings
    from orgnet._target import store_options
    from queries.diagnose import diagnose
    from visualizations import resolve_scope  # pyvis and jinja2 load only for these commands

    given = read_findings(findings_file) if findings_file is not None else None
    with open_source(source or None, target, progress=progress, settings=settings,
                     **store_options(database)) as opened:
        if opened.note and given is None:
            from orgnet import _ui

            _ui.err.print(_ui.inert(f"note: {opened.note}"))
        chosen = resolve_scope(opened.model, scope)
        result = given if given is not None else diagnose(opened.model, opened.store, settings,
                                                          progress=progress)
        return opened.model, chosen, result
