"""Push the model into a Neo4j server: constraints and indexes, then batched, idempotent
``UNWIND $rows ... MERGE`` statements built from the shared storage schema.

Labels, relationship types and properties come from :mod:`graphmodel.storage`
(``node_frames``/``rel_frames``), exactly as the LadybugDB writer uses them, so both backends
hold the same graph (docs/schema.md).

Pushing is idempotent: nodes MERGE on their ``id`` (unique constraint per label), ``TIE``
relationships on ``rid``, ``STEP`` relationships on ``task_id`` + ``seq`` and every other
relationship on its two endpoints; properties are SET from the model, so pushing the same model
twice leaves the same graph. Nodes and relationships that are no longer in the model stay unless
``replace=True``, which first deletes every node of our labels.

The statements and batches are built by pure functions (:func:`schema_statements`,
:func:`node_statements`, :func:`rel_statements`, :func:`batches`), tested without a server and
checked with Neo4j's own parser (tools/cypher-lint). Only :mod:`stores.neo4j` imports the
``neo4j`` driver, inside the functions that need it.

Credentials come from the ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` environment variables when
``auth`` is not given; they are never logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graphmodel.errors import StoreError
from graphmodel.model import OrgModel, Rel
from graphmodel.storage import (
    BOOL,
    DOUBLE,
    INT,
    NODE_TABLES,
    REL_TABLES,
    STRING,
    STRING_LIST,
    TIMESTAMP,
    NodeTable,
    RelTable,
    node_frames,
    rel_frames,
)
from stores._derived import DerivedFrames, derived_rels, with_derived
from stores._marker import META_LABEL, marker_frame
from stores._values import is_missing as _missing
from stores._values import local_timestamp
from stores.neo4j._access import (
    Timeouts,
    auth_from_env,
    open_driver,
    redact_uri,
    scrub,
    unavailable,
)
from stores.neo4j._access import cypher_name as _ident

__all__ = [
    "REL_MERGE_KEYS",
    "Batch",
    "batches",
    "clear_statements",
    "count_rows",
    "node_statement",
    "node_statements",
    "plain_value",
    "push_model",
    "rel_statement",
    "rel_statements",
    "schema_statements",
]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called after each batch with (what was written, rows written so far, rows in total)."""

REL_MERGE_KEYS: dict[str, tuple[str, ...]] = {Rel.TIE: ("rid",), Rel.STEP: ("task_id", "seq")}
"""Relationship properties a relationship MERGEs on; any other type MERGEs on its endpoints
(at most one relationship of that type between two nodes)."""

# Node properties the named queries filter on (beyond the unique ``id``).
_NODE_INDEXES: tuple[tuple[str, str], ...] = (
    ("Territory", "kind"), ("Organization", "kind"), ("Unit", "kind"), ("Platform", "kind"),
    ("Task", "kind"),
)
# Relationship properties the named queries filter on alone (backflow/task_route finds a
# task's steps by task_id; the composite MERGE-key index serves it less well).
_REL_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = ((Rel.STEP, ("task_id",)),)
_INDEX_WAIT_SECONDS = 300

META_STATEMENT = (f"UNWIND $rows AS r\nMERGE (m:{META_LABEL} {{key: r.key}})\n"
                  "SET m.value = r.value")
"""Writes the load's record (what it derived, with which settings: :mod:`stores._marker`)."""

META_PRUNE_STATEMENT = f"MATCH (m:{META_LABEL}) WHERE NOT m.key IN $keys DELETE m"
"""Removes the keys of an earlier record that a new one does not have (run after
:data:`META_STATEMENT`, so the store always holds a record)."""



def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# -- statements (pure) ---------------------------------------------------------------------
def schema_statements() -> list[str]:
    """Uniqueness constraints on every label's ``id``, the indexes the queries and the MERGE
    keys use, then a wait until every index is online (Neo4j 5 syntax, all ``IF NOT EXISTS``).
    """
    out = [f"CREATE CONSTRAINT orgnet_{_snake(t.label)}_id IF NOT EXISTS "
           f"FOR (n:{_ident(t.label)}) REQUIRE n.id IS UNIQUE" for t in NODE_TABLES]
    out += [f"CREATE INDEX orgnet_{_snake(label)}_{prop} IF NOT EXISTS "
            f"FOR (n:{_ident(label)}) ON (n.{_ident(prop)})" for label, prop in _NODE_INDEXES]
    for rel, keys in (*REL_MERGE_KEYS.items(), *_REL_INDEXES):
        props = ", ".join(f"r.{_ident(k)}" for k in keys)
        out.append(f"CREATE INDEX orgnet_{rel.lower()}_{'_'.join(keys)} IF NOT EXISTS "
                   f"FOR ()-[r:{_ident(rel)}]-() ON ({props})")
    out.append(f"CALL db.awaitIndexes({_INDEX_WAIT_SECONDS})")
    return out


def node_statement(table: NodeTable) -> str:
    """``UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n.prop = r.prop, ...``."""
    sets = ", ".join(f"n.{_ident(p)} = r.{_ident(p)}" for p, _ in table.properties if p != "id")
    text = f"UNWIND $rows AS r\nMERGE (n:{_ident(table.label)} {{id: r.id}})"
    return f"{text}\nSET {sets}" if sets else text


def node_statements() -> dict[str, str]:
    """Label -> the statement that writes a batch of its rows."""
    return {table.label: node_statement(table) for table in NODE_TABLES}


def rel_statement(rel: RelTable, src: str, dst: str) -> str:
    """The statement writing a batch of ``rel`` rows from ``src`` to ``dst`` labels.

    Both ends are matched by label and ``id`` in two MATCH clauses (unique-constraint seeks;
    a label-less or comma-joined pattern is planned as a cross product, CYPHER.md), then the
    relationship MERGEs on its key (:data:`REL_MERGE_KEYS`) or on its endpoints. Rows carry
    ``src``, ``dst`` and the relationship's properties.
    """
    keys = REL_MERGE_KEYS.get(rel.name, ())
    key_map = ", ".join(f"{_ident(k)}: r.{_ident(k)}" for k in keys)
    pattern = f"[x:{_ident(rel.name)} {{{key_map}}}]" if keys else f"[x:{_ident(rel.name)}]"
    lines = ["UNWIND $rows AS r",
             f"MATCH (a:{_ident(src)} {{id: r.src}})",
             f"MATCH (b:{_ident(dst)} {{id: r.dst}})",
             f"MERGE (a)-{pattern}->(b)"]
    sets = ", ".join(f"x.{_ident(p)} = r.{_ident(p)}" for p, _ in rel.properties if p not in keys)
    if sets:
        lines.append(f"SET {sets}")
    return "\n".join(lines)


def rel_statements() -> dict[tuple[str, str, str], str]:
    """(relationship type, from label, to label) -> statement, for every declared pair."""
    return {(rel.name, s, t): rel_statement(rel, s, t) for rel in REL_TABLES for s, t in rel.pairs}


def clear_statements() -> dict[str, str]:
    """Label -> a statement deleting up to ``$limit`` nodes of that label (and their
    relationships), returning how many it deleted; run until it returns 0."""
    return {t.label: f"MATCH (n:{_ident(t.label)})\nWITH n LIMIT $limit\nDETACH DELETE n\n"
                     "RETURN count(*) AS deleted" for t in NODE_TABLES}


# -- values (pure) -------------------------------------------------------------------------
def plain_value(value: Any, kind: str) -> Any:
    """A value as the plain Python type the driver sends for a storage type.

    No numpy scalars; NaN, NA and NaT become None; ``INT64`` -> int, ``DOUBLE`` -> float,
    ``BOOLEAN`` -> bool, ``TIMESTAMP`` -> ``datetime.datetime`` (naive: a Neo4j LocalDateTime,
    as LadybugDB's TIMESTAMP), ``STRING[]`` -> list of str (missing items dropped).
    """
    if kind == STRING_LIST:
        if value is None or (not isinstance(value, list | tuple) and not hasattr(value, "tolist")
                             and _missing(value)):
            return None
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, str):
            items = [items]
        return [str(v) for v in items if not _missing(v)]
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalar
        value = value.item()
    if _missing(value):
        return None
    if kind == INT:
        return int(value)
    if kind == DOUBLE:
        return float(value)
    if kind == BOOL:
        return bool(value)
    if kind == TIMESTAMP:
        stamp = local_timestamp(value)
        return None if stamp is None else stamp.to_pydatetime()
    return str(value)


def _records(frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts: (output key, frame column, storage type) per column."""
    values = {key: [plain_value(v, kind) for v in frame[col].tolist()]
              for key, col, kind in columns}
    keys = list(values)
    return [dict(zip(keys, row, strict=True)) for row in zip(*values.values(), strict=True)]


# -- batches (pure) ------------------------------------------------------------------------
@dataclass(frozen=True)
class Batch:
    """One transaction's worth of rows for one statement.

    ``what`` names the table (``Territory``, ``TIE Unit->Territory``), ``kind`` is ``node`` or
    ``rel``, ``rows`` are plain-Python dicts with the keys the statement reads.
    """

    what: str
    kind: str
    statement: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class _Part:
    what: str
    kind: str
    statement: str
    frame: pd.DataFrame
    columns: list[tuple[str, str, str]]


def _parts(model: OrgModel, extra_rels: dict[str, pd.DataFrame] | None,
           derived: DerivedFrames | None = None) -> list[_Part]:
    """What a push writes; ``derived`` properties go into the same batches as the data."""
    derived = derived or DerivedFrames()
    parts = []
    for plain, whole in node_frames(model):
        table, frame = with_derived(plain, whole, derived)
        # A declared derived property nothing was derived for is left unset (null).
        cols = [(p, p, kind) for p, kind in table.properties if p in frame.columns]
        parts.append(_Part(table.label, "node", node_statement(table),
                           frame[frame["id"].notna()], cols))
    for plain_rel, src, dst, rel_frame in rel_frames(model, derived_rels(derived, extra_rels)):
        rel, frame = with_derived(plain_rel, rel_frame, derived)
        cols = [("src", "from", STRING), ("dst", "to", STRING)]
        cols += [(p, p, kind) for p, kind in rel.properties if p in frame.columns]
        parts.append(_Part(f"{rel.name} {src}->{dst}", "rel", rel_statement(rel, src, dst),
                           frame, cols))
    return parts


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        msg = f"`batch_size` must be at least 1, got {batch_size}"
        raise ValueError(msg)


def batches(model: OrgModel, batch_size: int = 10_000, *,
            extra_rels: dict[str, pd.DataFrame] | None = None,
            derived: DerivedFrames | None = None) -> Iterator[Batch]:
    """Every batch a push writes, nodes first (label by label), then relationships (type by
    type and label pair), each at most ``batch_size`` rows. Rows are converted lazily, one
    batch at a time.
    """
    _check_batch_size(batch_size)
    return _batches(_parts(model, extra_rels, derived), batch_size)


def _batches(parts: list[_Part], batch_size: int) -> Iterator[Batch]:
    for part in parts:
        for start in range(0, len(part.frame), batch_size):
            chunk = part.frame.iloc[start:start + batch_size]
            yield Batch(part.what, part.kind, part.statement, _records(chunk, part.columns))


def count_rows(model: OrgModel, *, extra_rels: dict[str, pd.DataFrame] | None = None
               ) -> dict[str, int]:
    """Rows a push writes per table (``Territory``, ``TIE Unit->Territory`` ...)."""
    return {part.what: len(part.frame) for part in _parts(model, extra_rels)}


# -- the driver ----------------------------------------------------------------------------
def _write(tx, statement: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = tx.run(statement, params)
    return [record.data() for record in result]


def push_model(model: OrgModel, uri: str, *, database: str | None = None,
               auth: tuple[str, str] | None = None, batch_size: int = 10_000,
               progress: Progress | None = None, replace: bool = False,
               extra_rels: dict[str, pd.DataFrame] | None = None,
               timeouts: Timeouts | None = None,
               derived: DerivedFrames | None = None,
               meta: pd.DataFrame | None = None) -> dict[str, int]:
    """Write ``model`` into the Neo4j database at ``uri``.

    Creates the constraints and indexes (:func:`schema_statements`), then writes nodes and
    relationships in batches of ``batch_size`` rows, one managed write transaction each
    (``session.execute_write``: the driver retries transient errors such as deadlocks and
    leader changes). Idempotent: pushing the same model twice leaves the same graph.

    Parameters
    ----------
    model
        The validated model.
    uri
        The server, e.g. ``neo4j://localhost:7687``.
    database
        Database name (the server's default database if None).
    auth
        ``(user, password)``; if None, :func:`auth_from_env`.
    batch_size
        Rows per transaction.
    progress
        Called after each batch with (table, rows written, rows in total).
    replace
        First delete every node of the schema's labels (and their relationships), so the
        database holds exactly the model.
    extra_rels
        Derived relationship frames (see :func:`graphmodel.storage.rel_frames`).
    timeouts
        Connect and query timeouts (default: :meth:`Timeouts.from_env`).
    derived
        Derived properties (collected by :class:`stores._derived.DerivedFrames`), written in
        the same batches as the data.
    meta
        The load's record (:func:`stores._marker.marker_frame`), written as ``OrgnetMeta``
        nodes last; default: derived properties not written.

    Returns
    -------
    dict
        Rows written per table (``Territory``, ``TIE Unit->Territory`` ...).

    Raises
    ------
    BackendUnavailableError
        The server cannot be reached or refused the credentials.
    StoreError
        The server refused a statement; batches already committed stay (push again).
    """
    _check_batch_size(batch_size)
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    auth = auth if auth is not None else auth_from_env()
    timeouts = timeouts or Timeouts.from_env()
    shown = redact_uri(uri)
    parts = _parts(model, extra_rels, derived)
    counts = {part.what: len(part.frame) for part in parts}
    total = sum(counts.values())
    done = 0
    driver = open_driver(uri, auth, timeouts)
    try:
        with driver, driver.session(database=database) as session:
            if replace:
                for statement in clear_statements().values():
                    while session.execute_write(_write, statement,
                                                {"limit": batch_size})[0]["deleted"]:
                        pass
            for statement in schema_statements():
                session.execute_write(_write, statement, {})
            for batch in _batches(parts, batch_size):
                session.execute_write(_write, batch.statement, {"rows": batch.rows})
                done += len(batch.rows)
                if progress:
                    progress(batch.what, done, total)
            record = meta if meta is not None else marker_frame(derived=False)
            session.execute_write(_write, META_STATEMENT, {"rows": record.to_dict("records")})
    except (ServiceUnavailable, AuthError) as err:
        raise unavailable(uri, err, auth) from err
    except Neo4jError as err:
        detail = scrub(f"{err.code}: {err.message}", uri, auth)
        raise StoreError(f"Neo4j at {shown} refused a statement: {detail}") from err
    except DriverError as err:
        raise StoreError(f"writing to Neo4j at {shown} failed: {scrub(str(err), uri, auth)}"
                         ) from err
    log.info("pushed %d rows to Neo4j at %s (database %s)", total, shown, database or "default")
    return counts
