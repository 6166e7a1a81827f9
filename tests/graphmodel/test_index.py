"""The model's index answers what the model's own walks answer, for every territory at once;
findings are placed by one rule (DOMAIN.md rule 12); steps are ordered by one function."""

from __future__ import annotations

import pandas as pd

from graphmodel.index import model_index
from graphmodel.model import OrgModel
from graphmodel.places import Place, count_by_place, place_of
from graphmodel.schema import Entity, Level
from graphmodel.steps import order_steps
from loaders import load_dataset
from tests.small_data import small_model


def test_chain_lookups_equal_the_model_walks(tiny_model: OrgModel):
    index = model_index(tiny_model)
    assert model_index(tiny_model) is index  # cached on the model
    territories = list(tiny_model.nodes_of(Entity.TERRITORY))
    for level in Level:
        at = index.territory_at(level)
        for t in territories:
            expected = tiny_model.ancestor_at(t, level)
            assert index.ancestor_at(t, level) == expected, (t, level)
            assert at.get(t) == expected
    for t in territories:
        assert index.ancestors(t) == tuple(tiny_model.territory_ancestors(t))
    assert index.street_of_territory("T-P111") == "T-ST1"
    assert index.community_of_territory("T-P111") == "T-C1"
    assert index.ancestor_at("O-C1", Level.COMMUNITY) is None  # not a territory
    assert index.ancestor_at("NOPE", Level.STREET) is None


def test_a_cycle_of_territories_stops_before_any_repeat(tmp_path):
    model = small_model(tmp_path, territories="""
        T-X,x,community,T-Y,,
        T-Y,y,grid,T-Z,,
        T-Z,z,grid,T-X,,
        T-W,w,compound,T-Y,,
    """)
    index = model_index(model)
    for t in ("T-X", "T-Y", "T-Z", "T-W", "T-P"):
        assert index.ancestors(t) == tuple(model.territory_ancestors(t)), t
        for level in Level:
            assert index.ancestor_at(t, level) == model.ancestor_at(t, level), (t, level)
    assert index.community_of_territory("T-W") == "T-X"
    assert index.street_of_territory("T-W") is None


def test_place_of_follows_rule_12(tiny_model: OrgModel):
    index = model_index(tiny_model)
    # a tie: its community end, whichever side it is written on
    assert place_of({"subject": "U-1->T-C1"}, index) == Place("T-ST1", "T-C1")
    # a territory, an organization
    assert place_of({"subject": "T-P111"}, index) == Place("T-ST1", "T-C1")
    assert place_of({"subject": "O-C1"}, index) == Place("T-ST1", "T-C1")
    # a task: its assignee's
    assert place_of({"subject": "K-1"}, index) == Place("T-ST1", "T-C1")
    # unknown: nowhere
    assert place_of({"subject": "NOPE"}, index) == Place(None, None)
    counts = count_by_place([{"subject": "U-1->T-C1", "severity": "high"},
                             {"subject": "NOPE", "severity": "low"}], index)
    assert counts.by_street == {"T-ST1": 1} and counts.high_by_street == {"T-ST1": 1}
    assert counts.nowhere == 1


def test_a_member_is_placed_by_its_organization_before_its_residence(tiny_model: OrgModel):
    index = model_index(tiny_model)
    members = tiny_model.frame("members")
    for mid, org, residence in zip(members["id"], members["org_id"], members["residence_id"],
                                   strict=True):
        place = place_of({"subject": mid}, index)
        if isinstance(org, str) and tiny_model.entity_of.get(org) == Entity.ORGANIZATION \
                and index.home(org) is not None:
            assert place.community_id == index.community_of_territory(index.home(org))
        elif isinstance(residence, str):
            assert place.community_id == index.community_of_territory(residence)


def test_a_step_with_a_time_and_no_number_goes_where_its_time_puts_it():
    steps = pd.DataFrame({
        "task_id": ["K", "K", "K"], "step": [1, None, 2],
        "from_id": ["A", "B", "C"], "to_id": ["B", "C", None],
        "action": ["transfer", "transfer", "handle"],
        "at": ["2026-01-01", "2026-01-02", "2026-01-03"]})
    assert order_steps(steps)["from_id"].tolist() == ["A", "B", "C"]


def test_pages_read_steps_in_the_routes_order(tmp_path):
    model = small_model(tmp_path, tasks="""id,title,kind,assigned_to_id,created
        K,k,assigned,O-C,2026-01-01
    """, task_steps="""task_id,step,from_id,to_id,action,at
        K,2,O-P,,handle,2026-01-03
        K,,O-G,O-P,transfer,2026-01-02
        K,1,O-C,O-G,transfer,2026-01-01
    """)
    assert [s[0] for s in model_index(model).steps_by_task()["K"]] == ["O-C", "O-G", "O-P"]


def test_chain_lookups_on_a_generated_province(tmp_path):
    from synthetic import write_dataset
    from tests.helpers import TWO_CITIES

    write_dataset(tmp_path / "data", scale=TWO_CITIES, seed=3)
    model = load_dataset(tmp_path / "data")
    index = model_index(model)
    for level in (Level.STREET, Level.COMMUNITY, Level.GRID):
        at = index.territory_at(level)
        for t in model.nodes_of(Entity.TERRITORY):
            assert at.get(t) == model.ancestor_at(t, level), (t, level)
    for t in model.nodes_of(Entity.TERRITORY):
        assert index.ancestors(t) == tuple(model.territory_ancestors(t))
