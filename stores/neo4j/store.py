"""A Neo4j server as a graph store for the named queries (``backend = "neo4j"``: the
``<name>.neo4j.cypher`` variant of a query runs where one exists).

The database is filled by ``orgnet push`` (stores.neo4j.push) or ``neo4j-admin database
import`` (stores.neo4j.import_files); labels and properties are the same as on LadybugDB
(docs/schema.md). Queries run in READ access mode, after the read-only guard
(:func:`stores.readonly.check_read_only`); the writes of derived properties in write
transactions, only when the store was opened writable.
Values come back as plain Python: temporal values as ``datetime``/``date``, nodes and
relationships as property dicts, paths as lists of node property dicts.

Credentials come from ``auth`` or the ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` environment
variables, and are never logged. The ``neo4j`` driver is imported only when a store is opened.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from graphmodel.errors import BackendUnavailableError, QueryExecutionError, StoreError
from graphmodel.store import plain_params
from stores._values import local_timestamp
from stores.neo4j._access import (
    UNREACHABLE_HINT,
    Timeouts,
    auth_from_env,
    open_driver,
    redact_uri,
    scrub,
)
from stores.neo4j._access import cypher_name as _ident
from stores.readonly import check_read_only

__all__ = ["Neo4jStore", "create_rels_statement", "set_properties_statement",
           "set_rel_properties_statement"]

log = logging.getLogger(__name__)

_BATCH = 10_000


def set_properties_statement(label: str, key: str, properties: list[str]) -> str:
    """``UNWIND $rows AS r MATCH (x:Label {key: r.key}) SET x.p = r.p, ...`` (pure)."""
    sets = ", ".join(f"x.{_ident(p)} = r.{_ident(p)}" for p in properties)
    return (f"UNWIND $rows AS r\nMATCH (x:{_ident(label)} {{{_ident(key)}: r.{_ident(key)}}})"
            f"\nSET {sets}")


def set_rel_properties_statement(rel: str, key: str, properties: list[str]) -> str:
    """``UNWIND $rows AS r MATCH ()-[x:REL {key: r.key}]->() SET x.p = r.p, ...`` (pure;
    ``TIE.rid`` and ``STEP.task_id`` are indexed by ``orgnet push``)."""
    sets = ", ".join(f"x.{_ident(p)} = r.{_ident(p)}" for p in properties)
    return (f"UNWIND $rows AS r\nMATCH ()-[x:{_ident(rel)} {{{_ident(key)}: r.{_ident(key)}}}]->()"
            f"\nSET {sets}")


def create_rels_statement(rel: str, src: str, dst: str, properties: list[str]) -> str:
    """``UNWIND $rows AS r MATCH (a:SRC {id: r.src}) WITH a, r MATCH (b:DST {id: r.dst})
    CREATE (a)-[:REL {p: r.p, ...}]->(b)`` (pure; the second MATCH after WITH keeps the two
    key lookups from being planned as a cross product)."""
    sets = ", ".join(f"{_ident(p)}: r.{_ident(p)}" for p in properties)
    body = f" {{{sets}}}" if sets else ""
    return (f"UNWIND $rows AS r\nMATCH (a:{_ident(src)} {{id: r.src}}) WITH a, r\n"
            f"MATCH (b:{_ident(dst)} {{id: r.dst}})\nCREATE (a)-[:{_ident(rel)}{body}]->(b)")


def _plain(value: Any) -> Any:
    """A driver value as plain Python (what LadybugDB's DataFrames hold)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Node | Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if hasattr(value, "to_native"):  # neo4j.time Date, DateTime, Time, Duration
        return value.to_native()
    return value


def _frame(result) -> pd.DataFrame:
    """A driver Result as a DataFrame with the RETURN column names."""
    keys = list(result.keys())
    rows = [[_plain(v) for v in record.values()] for record in result]
    return pd.DataFrame(rows, columns=keys) if rows else pd.DataFrame(columns=keys)


def _param(value: Any) -> Any:
    """A DataFrame cell as a driver parameter: no numpy, no pandas missing markers."""
    if isinstance(value, pd.Timestamp):  # LadybugDB's value: naive, microseconds
        stamp = local_timestamp(value)
        return None if stamp is None else stamp.to_pydatetime()
    if isinstance(value, list):
        return [_param(v) for v in value]
    return value


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    clean = rows.astype(object).where(rows.notna(), None)
    return [{k: _param(v) for k, v in plain_params({str(c): v for c, v in r.items()}).items()}
            for r in clean.to_dict("records")]


class Neo4jStore:
    """A Neo4j database on a server.

    Parameters
    ----------
    uri
        The server, e.g. ``neo4j://localhost:7687``.
    database
        Database name (the server's default database if None).
    auth
        ``(user, password)``; if None, from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` (no
        authentication when no password is set).
    writable
        Allow the writes of derived properties (queries always run in READ access mode).
    timeouts
        Connect and query timeouts (default: :meth:`Timeouts.from_env`).

    Raises
    ------
    BackendUnavailableError
        The driver is missing, the server cannot be reached in time, or it refused the
        credentials.
    """

    backend = "neo4j"

    def __init__(self, uri: str, *, database: str | None = None,
                 auth: tuple[str, str] | None = None, writable: bool = False,
                 timeouts: Timeouts | None = None) -> None:
        self.uri = uri
        self.shown = redact_uri(uri)
        self.database = database
        self.writable = writable
        self.holds_derived = False
        self.timeouts = timeouts or Timeouts.from_env()
        self._auth = auth if auth is not None else auth_from_env()
        self._driver = open_driver(uri, self._auth, self.timeouts)
        log.info("connected to Neo4j at %s (database %s)", self.shown, database or "default")

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Run one read-only Cypher statement in a managed READ transaction (transient errors
        are retried); rows as a DataFrame.

        Raises
        ------
        ReadOnlyQueryError
            Refused by :func:`stores.readonly.check_read_only`; not sent to the server.
        QueryExecutionError
            The server refused or failed the query (its code and message are kept).
        BackendUnavailableError
            The server went away.
        """
        check_read_only(text)
        return self._transaction(text, params, name=name, write=False)

    def _transaction(self, text: str, params: dict[str, Any] | None, *, name: str,
                     write: bool) -> pd.DataFrame:
        import neo4j
        from neo4j.exceptions import (
            AuthError,
            DriverError,
            Neo4jError,
            ServiceUnavailable,
            SessionExpired,
        )

        work = neo4j.unit_of_work(timeout=self.timeouts.query)(self._work)
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode
                                      ) as session:
                execute = session.execute_write if write else session.execute_read
                return execute(work, text, plain_params(params or {}))
        except (ServiceUnavailable, SessionExpired, AuthError) as err:
            detail = scrub(str(err), self.uri, self._auth)
            raise BackendUnavailableError(
                f"Neo4j at {self.shown} became unavailable: {detail}; {UNREACHABLE_HINT}"
            ) from err
        except Neo4jError as err:
            detail = scrub(f"{err.code}: {err.message}", self.uri, self._auth)
            raise QueryExecutionError(name, detail) from err
        except DriverError as err:
            raise QueryExecutionError(name, scrub(str(err), self.uri, self._auth)) from err

    @staticmethod
    def _work(tx, text: str, params: dict[str, Any]) -> pd.DataFrame:
        return _frame(tx.run(text, params))

    def _write_rows(self, text: str, rows: pd.DataFrame, what: str) -> None:
        if not self.writable:
            raise StoreError(f"cannot {what}: Neo4j at {self.shown} is open read-only")
        records = _records(rows)
        for start in range(0, len(records), _BATCH):
            self._transaction(text, {"rows": records[start:start + _BATCH]}, name=what,
                              write=True)

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Set properties on the ``label`` nodes whose ``key`` property matches a row; every
        other column of ``rows`` is a property (a missing value removes the property)."""
        props = [c for c in rows.columns if c != key]
        if rows.empty or not props:
            return
        self._write_rows(set_properties_statement(label, key, props), rows,
                         f"set {label} properties")

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Set properties on ``rel`` relationships matched by property ``key``."""
        props = [c for c in rows.columns if c != key]
        if rows.empty or not props:
            return
        self._write_rows(set_rel_properties_statement(rel, key, props), rows,
                         f"set {rel} properties")

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Replace every ``rel`` relationship by those of ``rows`` (columns ``from_label``,
        ``from``, ``to_label``, ``to``, then properties): delete, then create them in batches,
        the ends matched by label and id."""
        if not self.writable:
            raise StoreError(f"cannot replace {rel}: Neo4j at {self.shown} is open read-only")
        self._transaction(f"MATCH ()-[r:{_ident(rel)}]->() DELETE r", {}, name=f"clear {rel}",
                          write=True)
        props = [c for c in rows.columns if c not in {"from_label", "from", "to_label", "to"}]
        for (src, dst), group in rows.groupby(["from_label", "to_label"], sort=True):
            ends = group[["from", "to", *props]].rename(columns={"from": "src", "to": "dst"})
            self._write_rows(create_rels_statement(rel, str(src), str(dst), props), ends,
                             f"write {rel}")

    def write_marker(self, record: pd.DataFrame) -> None:
        """Replace the store's record (``OrgnetMeta`` key/value nodes, see
        :mod:`stores._marker`) by ``record`` (columns ``key``, ``value``): the new values
        first, then the keys it lacks removed, so a record is there at every moment."""
        from stores.neo4j.push import META_PRUNE_STATEMENT, META_STATEMENT

        self._write_rows(META_STATEMENT, record[["key", "value"]], "write the load record")
        self._transaction(META_PRUNE_STATEMENT, {"keys": [str(k) for k in record["key"]]},
                          name="write the load record", write=True)

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
