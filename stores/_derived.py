"""Derived properties collected before a bulk write, so they go into the COPY of their tables
(issue 15 item 1) instead of a SET pass after it.

:class:`DerivedFrames` is a :class:`~graphmodel.store.GraphStore` that only records what the
diagnosis's preparation steps write (``set_properties``, ``set_rel_properties``,
``replace_rels``); :func:`with_derived` merges it into the frames a backend writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graphmodel.errors import StoreError

__all__ = ["DerivedFrames", "extra_properties", "guess_type", "merge_columns", "with_derived"]


def guess_type(column: pd.Series) -> str:
    """The storage type of a column :data:`graphmodel.storage.DERIVED` does not declare, from
    its values: INT64, DOUBLE, BOOLEAN, STRING[] or STRING."""
    kind = {"b": "BOOLEAN", "i": "INT64", "u": "INT64", "f": "DOUBLE"}.get(column.dtype.kind,
                                                                          "STRING")
    if kind == "STRING" and column.map(lambda v: isinstance(v, list)).any():
        return "STRING[]"
    return kind


class DerivedFrames:
    """Records derived writes instead of making them; queries are refused (the preparation
    steps write, they do not read the store)."""

    backend = "collect"
    writable = True
    holds_derived = False

    def __init__(self) -> None:
        self.ran = False
        """Set once the derivation ran: every declared derived property is then stored (null
        where nothing was derived), so a store that holds derived properties has them all."""
        self.nodes: dict[str, list[tuple[str, pd.DataFrame]]] = {}
        self.rels: dict[str, list[tuple[str, pd.DataFrame]]] = {}
        self.replaced: dict[str, pd.DataFrame] = {}

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Refused: nothing is stored yet."""
        msg = f"cannot run {name} while collecting derived properties"
        raise StoreError(msg)

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Remember node properties of ``label`` keyed by ``key``."""
        if not rows.empty:
            self.nodes.setdefault(label, []).append((key, rows))

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Remember relationship properties of ``rel`` keyed by ``key``."""
        if not rows.empty:
            self.rels.setdefault(rel, []).append((key, rows))

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Remember the relationships that replace every ``rel``."""
        self.replaced[rel] = rows

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> DerivedFrames:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def merge_columns(frame: pd.DataFrame, parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """``frame`` with the columns of each ``(key, rows)`` part set on its rows matched by
    ``key`` (rows not matched get a missing value; a later part wins)."""
    out = frame.copy()
    for key, rows in parts:
        given = rows.drop_duplicates(key, keep="last").set_index(key)
        positions = given.index.get_indexer(pd.Index(out[key]))
        found = positions >= 0
        for col in given.columns:
            values = np.array(given[col].take(positions.clip(min=0)).to_numpy(dtype=object),
                              dtype=object)
            values[~found] = None
            if col in out.columns:
                old = out[col].astype(object).to_numpy()
                values = np.where(found, values, old)
            out[col] = pd.Series(values, index=out.index, dtype=object)
            if col not in frame.columns and given[col].dtype.kind in "biuf":
                out[col] = _typed(out[col], given[col].dtype)
    return out


def _typed(column: pd.Series, dtype: Any) -> pd.Series:
    """A numeric or boolean column with missing values as a nullable pandas column."""
    if dtype.kind == "b":
        return column.astype("boolean")
    if dtype.kind in "iu":
        return column.astype("Int64")
    return column.astype("Float64")


def extra_properties(owner: str, declared: tuple[tuple[str, str], ...],
                     derived: DerivedFrames) -> list[tuple[str, str]]:
    """The (name, storage type) of the derived properties of ``owner`` (a label or a
    relationship type) not in ``declared``: once the derivation ran, every one
    :data:`graphmodel.storage.DERIVED` declares for it, then any other column it wrote."""
    from graphmodel.storage import DERIVED

    known = {name for name, _ in declared}
    out: dict[str, str] = {}
    if derived.ran:
        out = {d.name: d.type for d in DERIVED if d.owner == owner and d.name not in known}
    for key, rows in derived.nodes.get(owner, []) + derived.rels.get(owner, []):
        for col in rows.columns:
            if col != key and col not in known:
                out.setdefault(col, guess_type(rows[col]))
    return list(out.items())


def with_derived(table: Any, frame: pd.DataFrame, derived: DerivedFrames
                 ) -> tuple[Any, pd.DataFrame]:
    """A node or relationship table (``NodeTable``/``RelTable``) and its frame with the
    derived properties of ``derived`` added (both unchanged when there are none). A declared
    property nothing was derived for is a property of the table, absent from the frame (the
    writers store it as null)."""
    import dataclasses

    owner = getattr(table, "label", None) or table.name
    more = extra_properties(owner, table.properties, derived)
    if not more and owner not in derived.nodes and owner not in derived.rels:
        return table, frame
    parts = derived.nodes.get(owner, []) + derived.rels.get(owner, [])
    return (dataclasses.replace(table, properties=(*table.properties, *more)),
            merge_columns(frame, parts) if parts else frame)


def derived_rels(derived: DerivedFrames, extra_rels: dict[str, pd.DataFrame] | None
                 ) -> dict[str, pd.DataFrame]:
    """``extra_rels`` with the relationships the derivation replaced (columns ``from``,
    ``to`` and properties, as :func:`graphmodel.storage.rel_frames` takes them)."""
    rels = dict(extra_rels or {})
    for name, rows in derived.replaced.items():
        rels[name] = rows.drop(columns=["from_label", "to_label"], errors="ignore")
    return rels
