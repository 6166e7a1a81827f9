"""Counts of what a graph store holds, per entity, kind and level."""

from __future__ import annotations

import pandas as pd

from graphmodel.storage import NODE_TABLES, REL_TABLES
from graphmodel.store import GraphStore

__all__ = ["store_counts"]


def store_counts(store: GraphStore) -> pd.DataFrame:
    """One row per (label, kind, level) with its node count, then one per relationship type.

    Columns: ``entity``, ``kind``, ``level``, ``count``; sorted, so two stores holding the
    same data give equal frames.
    """
    parts = []
    for table in NODE_TABLES:
        props = {p for p, _ in table.properties}
        kind = "n.kind" if "kind" in props else "NULL"
        level = "n.level" if "level" in props else "NULL"
        frame = store.run(f"MATCH (n:{table.label}) RETURN {kind} AS kind, {level} AS level, "
                          "count(*) AS count")
        frame.insert(0, "entity", table.label)
        parts.append(frame)
    for rel in REL_TABLES:
        kind = "r.type" if rel.name == "TIE" else "NULL"
        frame = store.run(f"MATCH ()-[r:{rel.name}]->() RETURN {kind} AS kind, count(*) AS count")
        frame.insert(0, "entity", rel.name)
        frame.insert(2, "level", None)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    out = out[out["count"] > 0]
    out["kind"] = out["kind"].astype(object).where(out["kind"].notna(), "")
    out["level"] = out["level"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    out["count"] = out["count"].astype(int)
    return out.sort_values(["entity", "kind", "level"]).reset_index(drop=True)
