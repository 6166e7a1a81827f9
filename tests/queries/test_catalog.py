"""queries.catalog reads each backend's own catalog into one shape."""

from __future__ import annotations

import pandas as pd

from queries.catalog import CATALOG_COLUMNS, store_catalog


class _FakeNeo4j:
    """Answers the two db.schema procedures as a Neo4j 5 server does."""

    backend = "neo4j"

    def run(self, text, params=None, **_):
        if "nodeTypeProperties" in text:
            return pd.DataFrame({"nodeLabels": [["Unit"], ["Unit"], ["Task"]],
                                 "propertyName": ["id", "betweenness", "route"],
                                 "propertyTypes": [["String"], ["Double"], ["StringArray"]]})
        return pd.DataFrame({"relType": [":`TIE`", ":`HANDLED_BY`"],
                             "propertyName": ["score", None], "propertyTypes": [["Double"], None]})


def test_neo4j_catalog_in_storage_types() -> None:
    frame = store_catalog(_FakeNeo4j())
    assert list(frame.columns) == CATALOG_COLUMNS
    rows = {tuple(r) for r in frame.astype(object).where(frame.notna(), None).itertuples(
        index=False)}
    assert rows == {("node", "Unit", "id", "STRING"), ("node", "Unit", "betweenness", "DOUBLE"),
                    ("node", "Task", "route", "STRING[]"), ("rel", "TIE", "score", "DOUBLE"),
                    ("rel", "HANDLED_BY", None, None)}


def test_ladybug_catalog(tiny_store) -> None:
    frame = store_catalog(tiny_store)
    unit = frame[frame["owner"] == "Unit"]
    assert ("managed", "BOOLEAN") in set(zip(frame[frame["owner"] == "Territory"]["property"],
                                            frame[frame["owner"] == "Territory"]["type"],
                                            strict=True))
    assert "id" in set(unit["property"])
    assert frame[frame["owner"] == "PART_OF"]["property"].isna().all()
