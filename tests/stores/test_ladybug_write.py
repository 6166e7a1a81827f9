"""The LadybugDB writer: tables mirror the schema, writing is atomic, the model reads back."""

from __future__ import annotations

import pytest

from graphmodel.errors import StoreError
from queries.info import store_counts
from stores.ladybug import LadybugStore, read_ladybug, write_ladybug
from stores.ladybug import write as lb_writer


def test_every_row_becomes_a_node(tiny_model, tmp_path):
    path = write_ladybug(tiny_model, tmp_path / "x.lbdb")
    with LadybugStore(path) as store:
        counts = store_counts(store)
        grids = counts[(counts.entity == "Territory") & (counts.kind == "grid")]
        assert grids["count"].tolist() == [3]
        steps = store.run("MATCH (a)-[s:STEP]->(b) WHERE s.task_id = 'K-4' "
                          "RETURN a.id AS a, s.action AS action ORDER BY s.step")
        assert steps["action"].tolist() == ["transfer", "return", "handle"]
        handled = store.run("MATCH (m:Member)-[s:STEP]->(t:Task) RETURN m.id AS m, t.id AS t")
        assert handled.values.tolist() == [["M-9", "K-2"]]


def test_failed_write_leaves_existing_file_untouched(tiny_model, tmp_path, monkeypatch):
    target = tmp_path / "keep.lbdb"
    write_ladybug(tiny_model, target)
    before = target.read_bytes()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lb_writer, "_copy_rels", broken)
    with pytest.raises(StoreError, match="disk full"):
        write_ladybug(tiny_model, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.lbdb"]


def test_read_back_gives_the_same_model(tiny_model, tmp_path):
    path = write_ladybug(tiny_model, tmp_path / "x.lbdb")
    again = read_ladybug(path)
    assert again.counts() == tiny_model.counts()
    assert sorted(again.G.edges(keys=True)) == sorted(tiny_model.G.edges(keys=True))


def test_opening_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="orgnet load"):
        LadybugStore(tmp_path / "none.lbdb")
