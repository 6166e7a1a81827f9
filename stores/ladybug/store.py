"""LadybugDB (embedded, one file) as a graph store: read-only Cypher and the writes of
derived properties."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.errors import QueryExecutionError, StoreError
from graphmodel.storage import declared_type
from graphmodel.store import plain_params
from stores._values import is_missing
from stores.ladybug._files import target_lock
from stores.ladybug.write import arrow_type
from stores.readonly import check_read_only

__all__ = ["MEMORY", "LadybugStore"]

MEMORY = ":memory:"
"""The path of a database held in memory only (a scratch store)."""

_ENDS = ("from_label", "from", "to_label", "to")
_TYPES = {"b": "BOOLEAN", "i": "INT64", "u": "INT64", "f": "DOUBLE"}
_CASTABLE = {"INT64", "DOUBLE", "BOOL", "BOOLEAN"}


def _typed_arrow(frame: pd.DataFrame, types: dict[str, str]):
    """An Arrow table of ``frame``'s columns ``types`` (name -> LadybugDB type), in that
    order and of exactly those types, missing values as nulls."""
    import pyarrow as pa

    arrays = [pa.array([None if is_missing(v) else v for v in frame[name].tolist()],
                       type=arrow_type(kind)) for name, kind in types.items()]
    return pa.Table.from_arrays(arrays, names=list(types))


def _arrow(frame: pd.DataFrame):
    """An Arrow table of ``frame``: LadybugDB scans nullable and list columns from Arrow."""
    import pyarrow as pa

    clean = frame.astype({c: object for c in frame.columns
                          if frame[c].dtype == object or str(frame[c].dtype) == "str"})
    for c in clean.columns:
        if clean[c].dtype == object:
            clean[c] = clean[c].where(clean[c].notna(), None)
    return pa.Table.from_pandas(clean, preserve_index=False)


# Result columns of these types come through Arrow (4x faster than get_as_df, with the same
# pandas dtypes: Arrow-backed strings, int64 or float64 with NaN, datetime64); lists of them
# become plain lists as get_as_df gives them. Anything else (nodes, paths, maps, dates) goes
# through get_as_df.
_ARROW_PLAIN = frozenset({"STRING", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32",
                          "UINT16", "UINT8", "DOUBLE", "FLOAT", "BOOL", "TIMESTAMP"})
_ARROW_LISTS = frozenset(f"{kind}[]" for kind in _ARROW_PLAIN)


def _frame(result: Any) -> pd.DataFrame:
    """A LadybugDB query result as a DataFrame with the RETURN column names."""
    names, types = result.get_column_names(), result.get_column_data_types()
    if (not names or len(set(names)) != len(names)
            or not set(types) <= _ARROW_PLAIN | _ARROW_LISTS):
        return result.get_as_df()
    table = result.get_as_arrow()
    frame = table.to_pandas()
    for i, kind in enumerate(types):
        if kind in _ARROW_LISTS:
            frame[names[i]] = pd.Series(_lists(table.column(i)), index=frame.index,
                                        dtype=object)
    return frame


def _lists(column: Any) -> list[list[Any] | None]:
    """An Arrow list column as Python lists (None where null), by slicing its flat values:
    several times faster than ``to_pylist`` on a city's routes."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    flat = array.flatten().to_numpy(zero_copy_only=False).tolist()
    offsets = (array.offsets.to_numpy() - array.offsets[0].as_py()).tolist()
    valid = array.is_valid().to_numpy(zero_copy_only=False).tolist()
    return [flat[offsets[k]:offsets[k + 1]] if valid[k] else None for k in range(len(array))]


class LadybugStore:
    """A LadybugDB database file, opened read-only unless ``writable``.

    Several read-only processes may share a file; a writer needs it alone (CYPHER.md), and
    holds the file's writer lock (:func:`stores.ladybug._files.target_lock`) while open, so a
    load waits for it. ``path`` :data:`MEMORY` is a database in memory (always writable).

    Parameters
    ----------
    path
        The database file.
    writable
        Open for writing derived properties (else read-only, in the engine's own mode).
    lock
        Take the writer lock when writable (off only for a load's own temporary).
    wait
        Seconds to wait for another writer.

    Raises
    ------
    StoreError
        No database file there, it cannot be opened, or another process writes it.
    """

    backend = "ladybug"
    holds_derived = False

    def __init__(self, path: str | Path, *, writable: bool = False, lock: bool = True,
                 wait: float = 10.0) -> None:
        import ladybug

        memory = str(path) == MEMORY
        self.path = Path(path)
        self.writable = writable or memory
        self._locks = contextlib.ExitStack()
        if not memory and not self.path.is_file():
            raise StoreError(f"no database file at {self.path}: create it with `orgnet load`")
        if writable and lock and not memory:
            self._locks.enter_context(target_lock(self.path.resolve(), wait=wait))
        try:
            self._db = ladybug.Database(MEMORY if memory else str(self.path),
                                        read_only=not self.writable)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as err:
            self._locks.close()
            raise StoreError(f"cannot open {self.path}: {err}") from err

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Run one read-only Cypher statement; rows as a DataFrame.

        Raises
        ------
        ReadOnlyQueryError
            The statement could change the store, touch files or load code
            (:func:`stores.readonly.check_read_only`); it is not run.
        QueryExecutionError
            LadybugDB failed the query.
        """
        check_read_only(text)
        return self._execute(text, params, name=name)

    def _execute(self, text: str, params: dict[str, Any] | None = None, *,
                 name: str = "query") -> pd.DataFrame:
        """Run any statement (the store's own writes); rows as a DataFrame."""
        try:
            result = self._conn.execute(text, plain_params(params or {}))
            if isinstance(result, list):  # several statements: never on the read-only path
                result = result[-1]
            return _frame(result)
        except RuntimeError as err:
            raise QueryExecutionError(name, str(err).strip()) from err

    def _require_writable(self, what: str) -> None:
        if not self.writable:
            msg = f"cannot {what}: {self.path} is open read-only"
            raise StoreError(msg)

    def _properties(self, table: str) -> dict[str, str]:
        info = self._execute(f"CALL table_info('{table}') RETURN *", name="table info")
        return dict(zip(info["name"], info["type"], strict=True))

    def _ensure_columns(self, table: str, rows: pd.DataFrame, skip: set[str]) -> None:
        existing = self._properties(table)
        for col in rows.columns:
            if col in skip or col in existing:
                continue
            kind = declared_type(table, col)  # graphmodel.storage.DERIVED
            if kind is None:  # not declared: guessed from the values
                kind = _TYPES.get(rows[col].dtype.kind, "STRING")
                if kind == "STRING" and rows[col].map(lambda v: isinstance(v, list)).any():
                    kind = "STRING[]"
            self._conn.execute(f"ALTER TABLE {table} ADD {col} {kind}")

    def _scan_and_set(self, table: str, match: str, rows: pd.DataFrame, key: str) -> None:
        """Scan ``rows`` with ``LOAD FROM`` (one statement; ~50× faster than UNWIND of
        parameter rows here) and set every non-key column on the matched element ``x``."""
        props = [c for c in rows.columns if c != key]
        types = self._properties(table)
        # Columns are renamed so no property name can clash with a Cypher keyword; CAST to
        # the declared type, since an all-null column would otherwise scan as STRING.
        sets = ", ".join(f"x.{p} = CAST(_v{i} AS {types[p]})" if types.get(p) in _CASTABLE
                         else f"x.{p} = _v{i}" for i, p in enumerate(props))
        frame = rows.rename(columns={key: "_key", **{p: f"_v{i}" for i, p in enumerate(props)}})
        scan = _arrow(frame)  # noqa: F841 - scanned by name in LOAD FROM
        self._execute(f"LOAD FROM scan {match} SET {sets}", name="set properties")

    def write_marker(self, record: pd.DataFrame) -> None:
        """Replace the store's record (``OrgnetMeta`` key/value nodes, see
        :mod:`stores._marker`) by ``record`` (columns ``key``, ``value``); the table is
        created when the store has none (written by an older orgnet)."""
        from stores._marker import META_LABEL

        self._require_writable("write the load record")
        self._execute(f"CREATE NODE TABLE IF NOT EXISTS {META_LABEL}(key STRING, "
                      "value STRING, PRIMARY KEY(key))", name="write the load record")
        rows = [{"key": str(k), "value": str(v)}
                for k, v in zip(record["key"], record["value"], strict=True)]
        self._execute(f"UNWIND $rows AS r MERGE (m:{META_LABEL} {{key: r.key}}) "
                      "SET m.value = r.value", {"rows": rows}, name="write the load record")
        self._execute(f"MATCH (m:{META_LABEL}) WHERE NOT list_contains($keys, m.key) DELETE m",
                      {"keys": [r["key"] for r in rows]}, name="write the load record")

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Set node properties (adding the columns if new) for nodes matched by ``key``."""
        self._require_writable(f"set {label} properties")
        if rows.empty:
            return
        self._ensure_columns(label, rows, {key})
        self._scan_and_set(label, f"MATCH (x:{label} {{{key}: _key}})", rows, key)

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Set relationship properties (adding the columns if new) for relationships matched
        by property ``key``.

        The relationship table is rewritten (read, changed, dropped, created and bulk-copied
        again) rather than updated in place: on LadybugDB 0.22, SET on many relationships of
        a table with several FROM/TO pairs rewired some of them to other nodes (measured on a
        province's 62k ties: 5 ties moved, their properties lost). A bulk COPY is also the
        fast path."""
        self._require_writable(f"set {rel} properties")
        if rows.empty:
            return
        self._ensure_columns(rel, rows, {key})
        types = self._properties(rel)
        columns = ", ".join(f"x.{p} AS {p}" for p in types)
        current = self._execute(f"MATCH (a)-[x:{rel}]->(b) RETURN label(a) AS from_label, "
                           f"a.id AS from, label(b) AS to_label, b.id AS to, {columns}",
                           name="read relationships")
        given = rows.drop_duplicates(key, keep="last").set_index(key)
        matched = current[key].isin(given.index).to_numpy()
        for col in given.columns:
            new = current[key].map(given[col])
            current[col] = current[col].astype(object).where(~matched, new.astype(object))
        self._rewrite_rels(rel, current, types)

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Replace every ``rel`` relationship by those of ``rows`` (columns ``from_label``,
        ``from``, ``to_label``, ``to``, then properties), by a bulk COPY into a new table:
        relationships created one by one after the bulk load were, on LadybugDB 0.22, missed
        by some joins at province scale (half of 92k task routes lost their handler)."""
        self._require_writable(f"replace {rel}")
        types = self._properties(rel)
        self._rewrite_rels(rel, rows.reindex(columns=[*_ENDS, *types]), types)

    def _rewrite_rels(self, rel: str, rows: pd.DataFrame, types: dict[str, str]) -> None:
        """Drop the table ``rel``, create it again (same FROM/TO pairs and properties) and
        COPY ``rows`` into it, one pair of end labels at a time."""
        ends = self._execute(f"CALL show_connection('{rel}') RETURN *", name="table ends")
        pairs = list(zip(ends.iloc[:, 0], ends.iloc[:, 1], strict=True))
        self._conn.execute(f"DROP TABLE {rel}")
        parts = [f"FROM {s} TO {t}" for s, t in pairs] + [f"{p} {k}" for p, k in types.items()]
        self._conn.execute(f"CREATE REL TABLE {rel}({', '.join(parts)})")
        for (src, dst), group in rows.groupby(["from_label", "to_label"], sort=True):
            if (src, dst) not in pairs:
                continue
            data = _typed_arrow(group, {"from": "STRING", "to": "STRING", **types})  # noqa: F841
            if len(pairs) == 1:
                self._conn.execute(f"COPY {rel} FROM data")
            else:
                self._conn.execute(f"COPY {rel} FROM data (from='{src}', to='{dst}')")

    def close(self) -> None:
        """Close the connection and the database, and release the writer lock."""
        try:
            self._conn.close()
            self._db.close()
        finally:
            self._locks.close()

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
