"""A Neo4j server as a graph store for the named queries (``backend = "neo4j"``: the
``<name>.neo4j.cypher`` variant of a query runs where one exists).

The database is filled by ``orgnet push`` (loaders.neo4j) or ``neo4j-admin database import``
(loaders.neo4j_import); labels and properties are the same as on LadybugDB (docs/schema.md).
Values come back as plain Python: temporal values as ``datetime``/``date``, nodes and
relationships as property dicts, paths as lists of node property dicts.

Credentials come from ``auth`` or the ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` environment
variables, and are never logged. The ``neo4j`` driver is imported only when a store is opened.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from graphmodel.errors import BackendUnavailableError, QueryExecutionError
from graphmodel.neo4j_access import UNREACHABLE_HINT, auth_from_env, check_uri
from graphmodel.neo4j_access import cypher_name as _ident
from queries.backends.base import plain_params

__all__ = ["Neo4jStore", "create_rels_statement", "set_properties_statement",
           "set_rel_properties_statement"]

log = logging.getLogger(__name__)

_BATCH = 10_000


def _require_driver():
    """The ``neo4j`` module, or BackendUnavailableError with the install command."""
    try:
        import neo4j
    except ImportError as err:  # pragma: no cover - neo4j is a core dependency
        msg = "the Neo4j backend needs the driver: pip install neo4j"
        raise BackendUnavailableError(msg) from err
    return neo4j


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
    if isinstance(value, pd.Timestamp):  # as loaders.neo4j.local_timestamp: LadybugDB's value
        if value.tzinfo is not None:
            value = value.tz_localize(None)
        return (value.floor("us") if value.nanosecond else value).to_pydatetime()
    if isinstance(value, list):
        return [_param(v) for v in value]
    return value


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    clean = rows.astype(object).where(rows.notna(), None)
    return [{k: _param(v) for k, v in plain_params(r).items()}
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

    Raises
    ------
    BackendUnavailableError
        The driver is missing, the server cannot be reached, or it refused the credentials.
    """

    backend = "neo4j"

    def __init__(self, uri: str, *, database: str | None = None,
                 auth: tuple[str, str] | None = None) -> None:
        neo4j = _require_driver()
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        check_uri(uri)  # before the driver, whose errors would repeat the whole URI
        self.uri = uri
        self.database = database
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth if auth is not None else auth_from_env())
        except (DriverError, ValueError) as err:
            msg = f"cannot use Neo4j URI {uri}: {err}; {UNREACHABLE_HINT}"
            raise BackendUnavailableError(msg) from err
        try:
            self._driver.verify_connectivity()
        except AuthError as err:
            self._driver.close()
            msg = f"Neo4j at {uri} refused the credentials; check NEO4J_USERNAME and NEO4J_PASSWORD"
            raise BackendUnavailableError(msg) from err
        except (DriverError, Neo4jError) as err:
            self._driver.close()
            msg = f"cannot reach Neo4j at {uri}: {err}; {UNREACHABLE_HINT}"
            raise BackendUnavailableError(msg) from err
        log.info("connected to Neo4j at %s (database %s)", uri, database or "default")

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Run Cypher in a managed transaction (transient errors are retried); rows as a
        DataFrame.

        Raises
        ------
        QueryExecutionError
            The server refused or failed the query (its code and message are kept).
        BackendUnavailableError
            The server went away.
        """
        from neo4j.exceptions import (
            AuthError,
            DriverError,
            Neo4jError,
            ServiceUnavailable,
            SessionExpired,
        )

        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(self._work, text, plain_params(params or {}))
        except (ServiceUnavailable, SessionExpired, AuthError) as err:
            raise BackendUnavailableError(
                f"Neo4j at {self.uri} became unavailable: {err}; {UNREACHABLE_HINT}") from err
        except Neo4jError as err:
            raise QueryExecutionError(name, f"{err.code}: {err.message}") from err
        except DriverError as err:
            raise QueryExecutionError(name, str(err)) from err

    @staticmethod
    def _work(tx, text: str, params: dict[str, Any]) -> pd.DataFrame:
        return _frame(tx.run(text, params))

    def _write_rows(self, text: str, rows: pd.DataFrame, what: str) -> None:
        records = _records(rows)
        for start in range(0, len(records), _BATCH):
            self.run(text, {"rows": records[start:start + _BATCH]}, name=what)

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
        self.run(f"MATCH ()-[r:{_ident(rel)}]->() DELETE r", {}, name=f"clear {rel}")
        props = [c for c in rows.columns if c not in {"from_label", "from", "to_label", "to"}]
        for (src, dst), group in rows.groupby(["from_label", "to_label"], sort=True):
            ends = group[["from", "to", *props]].rename(columns={"from": "src", "to": "dst"})
            self._write_rows(create_rels_statement(rel, src, dst, props), ends, f"write {rel}")

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
