"""LadybugDB (embedded, one file) as a graph store for the named queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.errors import QueryExecutionError, StoreError
from queries.backends.base import plain_params

__all__ = ["LadybugStore"]

_TYPES = {"b": "BOOLEAN", "i": "INT64", "u": "INT64", "f": "DOUBLE"}
_BATCH = 20_000


class LadybugStore:
    """A LadybugDB database file, opened read-only unless ``writable``.

    Several read-only processes may share a file; a writer needs it alone (CYPHER.md).
    """

    backend = "ladybug"

    def __init__(self, path: str | Path, *, writable: bool = False) -> None:
        import ladybug

        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(f"no database file at {self.path}: create it with `orgnet load`")
        try:
            self._db = ladybug.Database(str(self.path), read_only=not writable)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as err:
            raise StoreError(f"cannot open {self.path}: {err}") from err
        self.writable = writable

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Run Cypher; rows as a DataFrame."""
        try:
            result = self._conn.execute(text, plain_params(params or {}))
            return result.get_as_df()
        except RuntimeError as err:
            raise QueryExecutionError(name, str(err).strip()) from err

    def _properties(self, table: str) -> dict[str, str]:
        info = self._conn.execute(f"CALL table_info('{table}') RETURN *").get_as_df()
        return dict(zip(info["name"], info["type"], strict=True))

    def _ensure_columns(self, table: str, rows: pd.DataFrame, skip: set[str]) -> None:
        existing = self._properties(table)
        for col in rows.columns:
            if col in skip or col in existing:
                continue
            kind = _TYPES.get(rows[col].dtype.kind, "STRING")
            if kind == "STRING" and rows[col].map(lambda v: isinstance(v, list)).any():
                kind = "STRING[]"
            self._conn.execute(f"ALTER TABLE {table} ADD {col} {kind}")

    def _unwind(self, table: str, match: str, rows: pd.DataFrame, key: str) -> None:
        props = [c for c in rows.columns if c != key]
        types = self._properties(table)
        # CAST to the declared type: a batch whose column is all null would otherwise be
        # typed STRING by LadybugDB and refused on a numeric property.
        sets = ", ".join(f"x.{p} = CAST(r.{p} AS {types[p]})"
                         if types.get(p) in {"INT64", "DOUBLE", "BOOL", "BOOLEAN"}
                         else f"x.{p} = r.{p}" for p in props)
        text = f"UNWIND $rows AS r {match} SET {sets}"
        records = rows.astype(object).where(rows.notna(), None).to_dict("records")
        for start in range(0, len(records), _BATCH):
            self.run(text, {"rows": records[start:start + _BATCH]}, name="set properties")

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Set node properties (adding the columns if new) for nodes matched by ``key``."""
        if rows.empty:
            return
        self._ensure_columns(label, rows, {key})
        self._unwind(label, f"MATCH (x:{label} {{{key}: r.{key}}})", rows, key)

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Set relationship properties for relationships matched by property ``key``."""
        if rows.empty:
            return
        self._ensure_columns(rel, rows, {key})
        self._unwind(rel, f"MATCH ()-[x:{rel}]->() WHERE x.{key} = r.{key}", rows, key)

    def close(self) -> None:
        """Close the connection and the database."""
        self._conn.close()
        self._db.close()

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
