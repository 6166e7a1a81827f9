"""Derived properties go into the bulk COPY of their tables (issue 15 item 1): a load with them
stores exactly what the SET pass after a plain load stored (same columns, types and values)."""

from __future__ import annotations

import pandas as pd

from queries.diagnose import derive
from stores.ladybug import LadybugStore, write_ladybug


def _dump(path) -> dict[str, tuple[list, pd.DataFrame]]:
    out = {}
    with LadybugStore(path) as store:
        tables = store.run("CALL show_tables() RETURN *")
        for name, kind in zip(tables["name"], tables["type"], strict=True):
            if name == "OrgnetMeta":  # the load's record: derived or not, by design
                continue
            info = store.run(f"CALL table_info('{name}') RETURN *")
            cols = list(info["name"])
            props = ", ".join(f"x.{c} AS {c}" for c in cols)
            if kind == "NODE":
                text = f"MATCH (x:{name}) RETURN {props} ORDER BY x.id"
            else:
                order = "".join(f", {c}" for c in ("rid", "seq") if c in cols)
                text = (f"MATCH (a)-[x:{name}]->(b) RETURN a.id AS _a, b.id AS _b"
                        f"{', ' + props if props else ''} ORDER BY _a, _b{order}")
            out[name] = (sorted(zip(info["name"], info["type"], strict=True)), store.run(text))
    return out


def test_load_with_derived_properties_stores_what_the_set_pass_stored(tiny_model, tmp_path):
    copied = write_ladybug(tiny_model, tmp_path / "copy.lbdb",
                           derive=lambda store: derive(tiny_model, store))
    set_after = write_ladybug(tiny_model, tmp_path / "set.lbdb")
    with LadybugStore(set_after, writable=True) as store:
        derive(tiny_model, store)
    old, new = _dump(set_after), _dump(copied)
    assert old.keys() == new.keys()
    assert any(name == "score" for name, _ in new["TIE"][0])
    assert any(name == "betweenness" for name, _ in new["Unit"][0])
    for name, (types, frame) in old.items():
        assert new[name][0] == types, name
        pd.testing.assert_frame_equal(new[name][1][frame.columns], frame, obj=name)


def test_a_push_sends_derived_properties_in_the_same_batches(tiny_model):
    """On Neo4j the derived properties ride in the UNWIND batches of their nodes and
    relationships (no SET pass after the push)."""
    from stores._derived import DerivedFrames
    from stores.neo4j.push import batches

    derived = DerivedFrames()
    derive(tiny_model, derived)
    sent = list(batches(tiny_model, derived=derived))
    plain = list(batches(tiny_model))
    assert [b.what for b in sent] != [] and {b.what for b in plain} <= {b.what for b in sent}
    tasks = [row for b in sent if b.what == "Task" for row in b.rows]
    assert any(row["route"] for row in tasks)
    assert all("status" in row for row in tasks)
    ties = [row for b in sent if b.what.startswith("TIE ") for row in b.rows]
    assert any(row.get("score") is not None for row in ties)
    assert all("score = r.score" in b.statement for b in sent if b.what.startswith("TIE "))
    units = [row for b in sent if b.what == "Unit" for row in b.rows]
    assert all(isinstance(row["betweenness"], float) for row in units)
    assert any(b.what.startswith("HANDLED_BY ") for b in sent)
