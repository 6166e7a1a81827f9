"""Issue 15 item 2: a diagnosis of a store that holds what the load derived reads it back, and
what it reads is exactly what it would have derived (routes, tie scores, structure), so the
findings and metrics are the same either way."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from loaders import load_dataset
from queries.checks.base import CheckContext
from queries.diagnose import derive, diagnose, questions
from stores._derived import DerivedFrames
from stores._marker import KeepDerived
from stores.ladybug import LadybugStore, write_ladybug
from synthetic import write_dataset

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"


@pytest.fixture(scope="module", params=["tiny", "small"])
def loaded(request, tmp_path_factory) -> tuple[OrgModel, Path]:
    """A model loaded from files and a LadybugDB file holding it with what it derives."""
    folder = tmp_path_factory.mktemp(request.param)
    source = (TINY if request.param == "tiny"
              else write_dataset(folder / "data", scale="small", seed=3).out_dir)
    model = load_dataset(source)
    db = write_ladybug(model, folder / "org.lbdb",
                       derive=lambda store: derive(model, store, Settings()))
    return model, Path(db)


def _prepared(model: OrgModel, store) -> dict:
    ctx = CheckContext(model=model, store=store, settings=Settings())
    for question in questions():
        for step in question.prepare:
            step(ctx)
    return ctx.shared


def test_what_is_read_back_is_what_is_derived(loaded):
    model, db = loaded
    derived = _prepared(model, DerivedFrames())
    with LadybugStore(db) as plain:
        store = KeepDerived(plain)
        read = _prepared(model, store)
    pd.testing.assert_frame_equal(read["tie_scores"], derived["tie_scores"])
    pd.testing.assert_frame_equal(read["cobuilding"]["structure"],
                                  derived["cobuilding"]["structure"])
    assert read["cobuilding"]["bridges"] == derived["cobuilding"]["bridges"]
    key = "backflow"
    pd.testing.assert_frame_equal(read[key]["routes"], derived[key]["routes"])
    assert read["reference_year"] == derived["reference_year"]


def test_the_diagnosis_is_the_same_read_back_or_derived(loaded, tmp_path):
    model, db = loaded
    with LadybugStore(db) as plain:
        reused = diagnose(model, KeepDerived(plain), Settings())
    copy = tmp_path / "again.lbdb"
    write_ladybug(model, copy)
    with LadybugStore(copy, writable=True) as store:
        again = diagnose(model, store, Settings())
    assert reused["findings"] == again["findings"]
    assert reused["metrics"] == again["metrics"]


def test_a_store_missing_what_its_record_claims_is_derived_after_all(tiny_model, tmp_path,
                                                                     caplog):
    db = write_ladybug(tiny_model, tmp_path / "data-only.lbdb")  # nothing derived
    with LadybugStore(db) as plain:
        shared = _prepared(tiny_model, KeepDerived(plain))
    expected = _prepared(tiny_model, DerivedFrames())
    pd.testing.assert_frame_equal(shared["backflow"]["routes"], expected["backflow"]["routes"])
    pd.testing.assert_frame_equal(shared["tie_scores"], expected["tie_scores"])
    assert "deriving task routes again" in caplog.text
