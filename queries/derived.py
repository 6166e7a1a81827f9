"""Read back what a load derived (issue 15 item 2): task routes, tie scores and structural
metrics, as the very frames the preparation steps of the diagnosis would compute.

A store whose ``holds_derived`` is true (``orgnet load`` wrote them with the settings in force)
is read instead of derived again. The statements are portable Cypher built from the declared
derived properties (:data:`graphmodel.storage.DERIVED`), so every backend answers them alike.
A store that turns out not to hold them (a property missing or null where a load always writes
one) raises :class:`NotDerivedError`, and the step derives after all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from graphmodel.errors import QueryError
from graphmodel.schema import Entity
from graphmodel.storage import DERIVED
from graphmodel.store import GraphStore
from queries.algorithms.routes import ROUTE_COLUMNS
from queries.algorithms.ties import PARTS, TIE_VALUES, tie_values

__all__ = ["STRUCTURE_COLUMNS", "NotDerivedError", "stored_routes", "stored_structure",
           "stored_tie_scores"]

STRUCTURE_COLUMNS: tuple[str, ...] = tuple(
    d.name for d in DERIVED if d.owner == "Unit" and d.by == "structure")
"""The structural metrics a load writes on units, platforms and communities, in order."""


class NotDerivedError(Exception):
    """The store does not hold a derived property it should (its load record says it does)."""


def _read(store: GraphStore, text: str, params: dict[str, Any] | None, what: str
          ) -> pd.DataFrame:
    try:
        return store.run(text, params, name=f"read {what}")
    except QueryError as err:
        raise NotDerivedError(f"the store holds no {what}: {err}") from err


def _plain(series: pd.Series) -> list[Any]:
    """Values as the derivation leaves them: Python objects, None where missing."""
    return series.astype(object).where(series.notna(), None).tolist()


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    for col in columns:
        missing = int(frame[col].isna().sum())
        if missing:
            raise NotDerivedError(f"{what}: {col} is missing on {missing} rows")


def stored_routes(store: GraphStore, tasks: pd.DataFrame) -> pd.DataFrame:
    """The routes of ``tasks`` (the model's frame) as :func:`queries.algorithms.routes.task_routes`
    returns them, read from the ``Task`` nodes.

    Raises
    ------
    NotDerivedError
        A task has no stored route.
    """
    names = [c for c in ROUTE_COLUMNS if c != "assigned_to_id"]
    stored = _read(store, "MATCH (t:Task) RETURN " + ", ".join(f"t.{c} AS {c}" for c in names),
                   None, "task routes")
    stored = stored.drop_duplicates("id").set_index("id").reindex(pd.Index(tasks["id"]))
    _require(stored, ("route", "route_length", "hops", "status", "route_from_assignee",
                      "ping_pong_path"), "task routes")
    columns: dict[str, list[Any]] = {"id": _plain(tasks["id"]),
                                     "assigned_to_id": _plain(tasks["assigned_to_id"])}
    for name in names[1:]:
        columns[name] = _plain(stored[name])
    # Stored as an empty list ("checked, no bounce"); the derivation says None.
    columns["ping_pong_path"] = [p or None for p in columns["ping_pong_path"]]
    out = pd.DataFrame({c: columns[c] for c in ROUTE_COLUMNS}, index=tasks.index)
    return out.astype({"route_length": "int64", "hops": "int64"})


def stored_tie_scores(store: GraphStore, ties: pd.DataFrame, types: Sequence[str],
                      reference_year: int | None) -> pd.DataFrame:
    """The scores of the ``ties`` (resolved links rows) of ``types`` as
    :func:`queries.algorithms.ties.score_ties` returns them: the links' own values from
    ``ties``, the derived ones (parts, score, delivered resources, unit end) from ``TIE``.

    Raises
    ------
    NotDerivedError
        A tie of ``types`` has no stored score.
    """
    scored = ties[ties["type"].isin(list(types))]
    plain = tie_values(scored, reference_year)
    derived = ["resources_delivered", "unit_end", *(f"score_{p}" for p in PARTS), "score"]
    stored = _read(store, "MATCH ()-[t:TIE]->() WHERE t.type IN $types RETURN t.rid AS rid, "
                   + ", ".join(f"t.{c} AS {c}" for c in derived),
                   {"types": list(types)}, "tie scores")
    stored = stored.drop_duplicates("rid").set_index("rid").reindex(pd.Index(plain["rid"]))
    _require(stored, ("resources_delivered", "score"), "tie scores")
    out = plain.copy()
    out["resources_delivered"] = stored["resources_delivered"].to_numpy(dtype="int64")
    out["unit_end"] = pd.Series(_plain(stored["unit_end"]), index=out.index, dtype=object)
    out = out[list(TIE_VALUES)]
    for col in derived[2:]:
        out[col] = pd.to_numeric(stored[col]).to_numpy(dtype=float, na_value=float("nan"))
    return out


def stored_structure(store: GraphStore, G: nx.MultiGraph) -> pd.DataFrame:
    """The structure table of the co-building network ``G`` (one row per node, sorted by id:
    ``id``, ``entity``, ``kind``, ``name``, then :data:`STRUCTURE_COLUMNS`), the metrics read
    from the nodes a load wrote them on; ``street_id`` is ``G``'s.

    Raises
    ------
    NotDerivedError
        A node of ``G`` has no stored metrics.
    """
    metrics = [c for c in STRUCTURE_COLUMNS if c != "street_id"]
    labels = {Entity(entity).label for _, entity in G.nodes(data="entity")}
    parts = []
    for label in sorted(labels):
        parts.append(_read(store, f"MATCH (n:{label}) WHERE n.degree IS NOT NULL "
                           "RETURN n.id AS id, " + ", ".join(f"n.{c} AS {c}" for c in metrics),
                           None, "structural metrics"))
    frames = [p for p in parts if not p.empty]
    stored = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=["id", *metrics]))
    stored = stored.drop_duplicates("id").set_index("id")
    nodes = sorted(G.nodes)
    missing = [n for n in nodes if n not in stored.index]
    if missing:
        raise NotDerivedError(f"structural metrics: {len(missing)} nodes have none")
    values = {c: _plain(stored[c].reindex(pd.Index(nodes))) for c in metrics}
    records = []
    for i, node in enumerate(nodes):
        data = G.nodes[node]
        records.append({"id": node, "entity": data["entity"], "kind": data["kind"],
                        "name": data["name"], "street_id": data.get("street"),
                        **{c: values[c][i] for c in metrics},
                        "bridge_parts": list(values["bridge_parts"][i] or [])})
    columns = ["id", "entity", "kind", "name", *STRUCTURE_COLUMNS]
    return pd.DataFrame.from_records(records, columns=columns if records else None)
