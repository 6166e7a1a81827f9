"""Rebuild the model from what a store holds, with portable Cypher (every backend alike)."""

from __future__ import annotations

import pandas as pd

from graphmodel.errors import QueryError, StoreError
from graphmodel.model import OrgModel
from graphmodel.storage import NODE_TABLES
from graphmodel.store import GraphStore

__all__ = ["model_from_store"]

_TEXT = frozenset({"id", "ref", "text"})
"""Column types the loader gives as Arrow-backed strings (NaN where missing)."""


def model_from_store(store: GraphStore, *, shown: str, origin: str) -> OrgModel:
    """The model held by ``store``, written there by ``orgnet load`` or ``orgnet push``.

    The store holds the resolved graph: links and task steps whose ends did not resolve were
    not stored, so they are absent here too (their warnings were given at load time).
    ``shown`` names the store in messages and ``origin`` in the tables' origins (neither may
    hold a secret).

    Raises
    ------
    StoreError
        The store does not hold an orgnet graph.
    """
    from graphmodel.build import build_model
    from graphmodel.schema import TABLES

    def frame(text: str) -> pd.DataFrame:
        try:
            return store.run(text, name="read the model")
        except QueryError as err:
            raise StoreError(f"{shown} is not an orgnet database: {err}") from err

    frames: dict[str, pd.DataFrame] = {}
    for table in NODE_TABLES:
        cols = [c.name for c in TABLES[table.table].columns]
        frames[table.table] = frame(
            f"MATCH (n:{table.label}) RETURN "
            + ", ".join(f"n.{c} AS {c}" for c in cols)
            + " ORDER BY n.id"
        )
    link_cols = [
        c.name for c in TABLES["links"].columns if c.name not in {"source_id", "target_id"}
    ]
    frames["links"] = frame(
        "MATCH (a)-[t:TIE]->(b) RETURN a.id AS source_id, b.id AS target_id, "
        + ", ".join(f"t.{c} AS {c}" for c in link_cols)
        + ", t.rid AS rid"
    )
    frames["task_steps"] = frame(
        "MATCH (a)-[s:STEP]->(b) RETURN s.task_id AS task_id, s.step AS step, a.id AS from_id, "
        "CASE WHEN s.action = 'handle' THEN NULL ELSE b.id END AS to_id, s.action AS action, "
        "s.at AS at ORDER BY s.seq"
    )
    links = frames["links"]
    links.index = pd.Index(links["rid"].str[1:].astype(int), name="row")
    frames["links"] = links.sort_index()
    for name, f in frames.items():
        if name != "links":
            f.index = pd.RangeIndex(2, len(f) + 2, name="row")
        kinds = {c.name: c.dtype for c in TABLES[name].columns}
        for col in f.columns:
            if kinds.get(col) in _TEXT:  # as the loader gives them: Arrow-backed strings
                f[col] = f[col].astype("str")
            elif f[col].dtype == object or str(f[col].dtype) == "str":
                f[col] = f[col].astype(object).where(f[col].notna(), None)
        frames[name] = f
    return build_model(frames, {name: f"{origin}:{name}" for name in frames})
