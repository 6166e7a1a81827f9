"""What a load records about itself in the store (issue 15 item 2): the orgnet version, whether
the derived properties were written, and the settings they were computed with, as nodes
``OrgnetMeta {key, value}``. A diagnosis reads it to decide whether it must derive again."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.errors import QueryError
from graphmodel.storage import META_TABLE
from graphmodel.store import GraphStore

__all__ = ["META_LABEL", "KeepDerived", "marker_frame", "read_marker", "reuse_note"]

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
    return True, "using the task routes, tie scores and metrics written by orgnet load"


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
