"""What a load records about itself in the store (issue 15 item 2): the orgnet version, whether
the derived properties were written, and the settings they were computed with, as nodes
``OrgnetMeta {key, value}``. A diagnosis reads it to decide whether it must derive again; one
that derived again on the store itself (:class:`RecordsDerived`) writes it afterwards, so the
next one uses what it wrote."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.errors import QueryError
from graphmodel.storage import DERIVED, DERIVED_RELS, META_TABLE
from graphmodel.store import GraphStore

__all__ = ["META_LABEL", "STEPS", "KeepDerived", "RecordsDerived", "marker_frame",
           "read_marker", "reuse_note"]

META_LABEL = META_TABLE.label


def marker_frame(*, derived: bool, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """The ``OrgnetMeta`` rows of a load."""
    from graphmodel import __version__

    values = {"orgnet_version": __version__, "derived": "true" if derived else "false",
              **(extra or {})}
    return pd.DataFrame({"key": list(values), "value": list(values.values())})


def read_marker(store: GraphStore) -> dict[str, str] | None:
    """The store's record, or None when it has none (written by an older orgnet, or pushed)."""
    try:
        rows = store.run(f"MATCH (m:{META_LABEL}) RETURN m.key AS key, m.value AS value",
                         name="read the load record")
    except QueryError:
        return None
    if rows.empty:
        return None
    return dict(zip(rows["key"], rows["value"], strict=True))


def reuse_note(marker: dict[str, str] | None, settings_json: str) -> tuple[bool, str]:
    """Whether the derived properties in a store can be used as they are, and the sentence
    saying why (or why they are derived again)."""
    if marker is None:
        return False, ("the store has no record of what it holds (written by an older orgnet "
                       "or pushed): deriving task routes, tie scores and metrics")
    if marker.get("derived") != "true":
        why = marker.get("reason", "it was loaded with --data-only")
        return False, f"deriving task routes, tie scores and metrics ({why})"
    if marker.get("settings") != settings_json:
        return False, ("the store's derived properties were computed with other settings: "
                       "deriving them again")
    by = marker.get("written_by", "orgnet load")
    return True, f"using the task routes, tie scores and metrics written by {by}"


class KeepDerived:
    """A store whose derived properties are already those a diagnosis would write: its writes
    are skipped, everything else goes to ``store``."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.backend = store.backend
        self.writable = store.writable
        self.holds_derived = True

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """The store's read-only run."""
        return self._store.run(text, params, name=name)

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Skipped: the store holds these values."""

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Skipped: the store holds these values."""

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Skipped: the store holds these relationships."""

    def close(self) -> None:
        """Close the store."""
        self._store.close()

    def __enter__(self) -> KeepDerived:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


STEPS = frozenset({d.by for d in DERIVED} | set(DERIVED_RELS.values()))
"""The derivation steps (routes, tie_scores, structure): a record says ``derived`` only when
each of them wrote its properties."""

_STEP_OF = {(d.owner, d.name): d.by for d in DERIVED}


class RecordsDerived:
    """A writable store on which a diagnosis derives again: every call goes to ``store``,
    and the steps whose properties were written are noted, so that :meth:`write_record` can
    record the result once all of them have been (never after a partial derivation).

    Parameters
    ----------
    store
        The store itself (not a scratch copy), opened writable; it has ``write_marker``.
    settings_json
        The settings the diagnosis derives with (``orgnet.pipeline.settings_record``).
    """

    def __init__(self, store: GraphStore, settings_json: str) -> None:
        self._store = store
        self._settings = settings_json
        self.backend = store.backend
        self.writable = store.writable
        self.holds_derived = False  # it derives them again: that is what it records
        self.steps: set[str] = set()

    def _note(self, owner: str, columns: pd.Index) -> None:
        self.steps.update(_STEP_OF[(owner, c)] for c in columns if (owner, c) in _STEP_OF)

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """The store's read-only run."""
        return self._store.run(text, params, name=name)

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Set node properties on the store."""
        self._store.set_properties(label, key, rows)
        self._note(label, rows.columns)

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Set relationship properties on the store."""
        self._store.set_rel_properties(rel, key, rows)
        self._note(rel, rows.columns)

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Replace relationships on the store."""
        self._store.replace_rels(rel, rows)
        if rel in DERIVED_RELS:
            self.steps.add(DERIVED_RELS[rel])

    @property
    def complete(self) -> bool:
        """Whether every derivation step wrote its properties."""
        return self.steps >= STEPS

    def write_record(self) -> bool:
        """Record in the store that its derived properties are written, with these settings,
        when every step wrote them; return whether it was recorded."""
        if not self.complete:
            return False
        record = marker_frame(derived=True, extra={"settings": self._settings,
                                                   "written_by": "orgnet diagnose"})
        self._store.write_marker(record)  # type: ignore[attr-defined]
        return True

    def close(self) -> None:
        """Close the store."""
        self._store.close()

    def __enter__(self) -> RecordsDerived:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
