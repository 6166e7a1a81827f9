"""What a store holds, read from the database's own catalog: tables and typed properties."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from graphmodel.store import GraphStore

__all__ = ["CATALOG_COLUMNS", "store_catalog"]

CATALOG_COLUMNS = ["element", "owner", "property", "type"]
"""Columns of :func:`store_catalog`: ``node`` or ``rel``, label or type, property, storage type
(``STRING``, ``INT64``, ``DOUBLE``, ``BOOLEAN``, ``TIMESTAMP``, ``STRING[]`` as in
graphmodel.storage; another name when the database holds a type orgnet does not write)."""

# LadybugDB's table_info and Neo4j's db.schema procedures spell some types differently.
_LADYBUG_TYPES = {"BOOL": "BOOLEAN"}
_NEO4J_TYPES = {"String": "STRING", "Long": "INT64", "Integer": "INT64", "Double": "DOUBLE",
                "Float": "DOUBLE", "Boolean": "BOOLEAN", "LocalDateTime": "TIMESTAMP",
                "DateTime": "TIMESTAMP", "StringArray": "STRING[]", "List<String>": "STRING[]"}


def _ladybug(store: GraphStore) -> list[tuple[str, str, str | None, str | None]]:
    tables = store.run("CALL show_tables() RETURN name, type")
    rows: list[tuple[str, str, str | None, str | None]] = []
    for name, kind in zip(tables["name"], tables["type"], strict=True):
        element = "node" if kind == "NODE" else "rel"
        if "'" in name:  # not a table orgnet writes; never pasted into the call below
            continue
        info = store.run(f"CALL table_info('{name}') RETURN name, type")
        if info.empty:
            rows.append((element, name, None, None))
        for prop, type_ in zip(info["name"], info["type"], strict=True):
            rows.append((element, name, prop, _LADYBUG_TYPES.get(type_, type_)))
    return rows


def _neo4j_type(types: Iterable[object] | None) -> str | None:
    names = [str(t) for t in (types or [])]
    return " | ".join(sorted({_NEO4J_TYPES.get(t, t) for t in names})) or None


def _neo4j(store: GraphStore) -> list[tuple[str, str, str | None, str | None]]:
    rows: list[tuple[str, str, str | None, str | None]] = []
    nodes = store.run("CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, "
                      "propertyTypes RETURN nodeLabels, propertyName, propertyTypes")
    for labels, prop, types in nodes.itertuples(index=False):
        for label in labels or []:
            rows.append(("node", label, prop, _neo4j_type(types)))
    rels = store.run("CALL db.schema.relTypeProperties() YIELD relType, propertyName, "
                     "propertyTypes RETURN relType, propertyName, propertyTypes")
    for rel_type, prop, types in rels.itertuples(index=False):
        rows.append(("rel", str(rel_type).removeprefix(":`").removesuffix("`"), prop,
                     _neo4j_type(types)))
    return rows


_READERS: dict[str, Callable[[GraphStore], list[tuple[str, str, str | None, str | None]]]] = {
    "ladybug": _ladybug,
    "neo4j": _neo4j,
}


def store_catalog(store: GraphStore) -> pd.DataFrame:
    """Every table (label, relationship type) and property the store holds, from its catalog.

    Parameters
    ----------
    store
        An open store (read-only is enough).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CATALOG_COLUMNS`, sorted; a table without properties has one row with
        ``property`` and ``type`` missing.
    """
    rows = _READERS[store.backend](store)
    frame = pd.DataFrame(rows, columns=CATALOG_COLUMNS)
    return frame.sort_values(["element", "owner", "property"], na_position="first",
                             ignore_index=True)
