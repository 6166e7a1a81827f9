"""Weak-tie checks: each fires on a minimal dataset with exactly that problem and stays silent
on the clean tiny city; structural metrics reach the JSON and the graph database."""

from __future__ import annotations

import json

import pytest

from graphmodel.settings import Settings
from loaders import load_dataset
from queries.diagnose import diagnose
from queries.library import get_query
from stores.ladybug import LadybugStore, write_ladybug
from tests.helpers import append, edit, found, run_diagnosis

CHECKS = ["weak_tie", "single_unit_dependency", "bridge_unit", "low_attendance",
          "cadre_low_contact"]


def _only(result: dict, check: str) -> list[dict]:
    return [f for f in result["findings"] if f["check"] == check]


@pytest.fixture
def clean(tiny_dir, tmp_path):
    return run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})


def _third_community(folder, *links: str) -> None:
    """Add 安宁社区 (T-C3) in a second street (T-ST2), with its committee and one compound."""
    append(folder, "territories", "T-ST2,安宁街道,街道,T-CITY,8000,是",
           "T-C3,安宁社区,社区,T-ST2,2000,是", "T-G31,安宁社区第一网格,网格,T-C3,500,是",
           "T-P311,安宁小区,小区,T-G31,200,否")
    append(folder, "organizations", "O-C3,安宁社区党委,社区党委,O-CITY,T-C3,")
    append(folder, "links", *links)


# --- clean ---------------------------------------------------------------------------------------


def test_clean_city_has_no_weak_tie_findings(clean):
    assert [f for f in clean["findings"] if f["question"] == "weak_ties"] == []


def test_every_check_has_a_named_query_with_a_subject_column():
    for check in CHECKS:
        query = get_query(f"weak_ties/{check}")
        assert query.returns[0] == "subject"
        assert query.summary and query.why


# --- weak_tie --------------------------------------------------------------------------------------


def test_weak_tie(tiny_dir, tmp_path):
    # 光明社区 and 城管执法局: one meeting, no activity, no resources, only the community asks.
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,", "U-4,T-C2,共驻共建,2025,1,0,终点方,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "weak_tie") == ["U-4->T-C2"]
    finding = _only(result, "weak_tie")[0]
    assert finding["severity"] == "medium"
    assert finding["detail"]["type"] == "co_building"
    assert finding["detail"]["rid"] == "L5"
    parts = finding["detail"]["parts"]
    assert parts == {"meetings": round(1 / 12, 4), "activities": 0, "resources": 0,
                     "duration": 0.2, "reciprocity": 0}
    assert finding["detail"]["score"] == pytest.approx(0.3 / 12 + 0.1 * 0.2, abs=1e-4)
    assert finding["detail"]["initiated_by"] == "target"
    assert finding["message"].startswith("“区城管执法局”与“光明社区”的共驻共建关系强度为0.04")
    assert "仅社区方发起" in finding["message"]


def test_weak_tie_subject_is_written_as_in_links_even_when_the_community_comes_first(
        tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,", "T-C2,U-4,共驻共建,2025,1,0,终点方,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    finding = _only(result, "weak_tie")[0]
    assert finding["subject"] == "T-C2->U-4"
    # The target is the unit here, so "target" initiating means the unit initiated.
    assert finding["detail"]["unit_end"] == "target"
    assert finding["detail"]["parts"]["reciprocity"] == 0.5


# --- single_unit_dependency ------------------------------------------------------------------------


def test_single_unit_dependency(tiny_dir, tmp_path):
    # 光明社区 loses 城管执法局 (both ties): only 区人民医院 is left (one tie, one resource).
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n", "")
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,\n", "")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "single_unit_dependency") == ["T-C2"]
    finding = _only(result, "single_unit_dependency")[0]
    assert finding["severity"] == "medium"
    assert finding["detail"] == {"territory_kind": "community", "unit_id": "U-2", "ties": 1,
                                 "delivered_resources": 1}
    assert "光明社区" in finding["message"] and "区人民医院" in finding["message"]


def test_single_unit_dependency_counts_ties_to_the_committee_and_unit_orgs(tiny_dir, tmp_path):
    # Only 区人民医院 supports 光明社区, through both parties' organizations.
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n", "")
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,", "O-U2,O-C2,责任单位,2020,10,8,双方,是,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "single_unit_dependency") == ["T-C2"]
    assert _only(result, "single_unit_dependency")[0]["detail"]["ties"] == 2


def test_a_delivered_resource_from_a_second_unit_is_support(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n", "")
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,\n", "")
    edit(tiny_dir, "resources", "R-3,U-4,T-C2,服务,12,2026,否", "R-3,U-4,T-C2,服务,12,2026,是")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "single_unit_dependency") == []


def test_a_resource_the_community_gives_a_unit_is_not_its_support(tiny_dir, tmp_path):
    """Support of a community is what it receives: a venue it lends a second unit leaves it
    hanging on its one supporting unit."""
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n", "")
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,\n", "")
    edit(tiny_dir, "resources", "R-3,U-4,T-C2,服务,12,2026,否", "R-3,T-C2,U-4,服务,12,2026,是")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "single_unit_dependency") == ["T-C2"]


def test_single_unit_dependency_in_a_village(tiny_dir, tmp_path):
    append(tiny_dir, "territories", "T-V1,和平村,村,T-ST1,300,是")
    append(tiny_dir, "organizations", "O-V1,和平村党支部,村党支部,O-ST1,T-V1,")
    append(tiny_dir, "links", "U-1,O-V1,共驻共建,2020,12,12,双方,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "single_unit_dependency") == ["T-V1"]
    assert _only(result, "single_unit_dependency")[0]["message"].startswith("村“和平村”")


# --- bridge_unit -------------------------------------------------------------------------------------


def test_bridge_unit(tiny_dir, tmp_path):
    # 安宁社区 is reached only through 城管执法局: by a claim of its compound, and a
    # responsible-unit tie to its committee (both map onto 安宁社区).
    _third_community(tiny_dir, "U-4,T-P311,认领,2022,,,,,",
                     "U-4,O-C3,责任单位,2022,12,12,双方,是,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "bridge_unit") == ["U-4"]
    finding = _only(result, "bridge_unit")[0]
    assert finding["severity"] == "medium"
    assert finding["detail"]["communities"] == [["T-C1", "T-C2"], ["T-C3"]]
    assert finding["detail"]["groups"] == 2
    assert finding["message"].startswith("单位“区城管执法局”")
    # Metrics: U-4 brokers between the two streets.
    structure = {s["id"]: s for s in result["metrics"]["structure"]}
    assert structure["U-4"]["bridge_unit"] is True
    assert structure["U-4"]["street"] == "T-ST1"
    assert structure["T-C3"]["street"] == "T-ST2"
    assert structure["U-4"]["brokerage"]["representative"] >= 1
    assert structure["U-4"]["brokerage"]["gatekeeper"] >= 1
    bridges = {(b["source"], b["target"]) for b in result["metrics"]["bridges"]}
    assert ("T-C3", "U-4") in bridges


def test_platform_as_bridge(tiny_dir, tmp_path):
    append(tiny_dir, "platforms", "P-CL,和平安宁片区,片区,T-CITY,O-CITY")
    _third_community(tiny_dir, "O-C3,P-CL,平台成员,2022,,,,,0.9", "O-C2,P-CL,平台成员,2022,,,,,0.9")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "bridge_unit") == ["P-CL"]
    assert _only(result, "bridge_unit")[0]["message"].startswith("平台“和平安宁片区”")


def test_a_cut_point_with_no_community_behind_it_is_not_a_bridge_unit(tiny_dir, tmp_path):
    # A platform hanging off 市市场监督管理局 alone: U-1 is a cut point, but the part it
    # cuts off holds no community.
    append(tiny_dir, "platforms", "P-X,市场监管志愿服务平台,工作专班,T-ST1,O-U1")
    append(tiny_dir, "links", "U-1,P-X,平台成员,2022,,,,,0.9")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    structure = {s["id"]: s for s in result["metrics"]["structure"]}
    assert structure["U-1"]["articulation_point"] is True
    assert found(result, "bridge_unit") == []


# --- low_attendance ----------------------------------------------------------------------------------


def test_low_attendance(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85", "O-C2,P-WT,平台成员,2020,,,,,30%")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "low_attendance") == ["O-C2->P-WT"]
    finding = _only(result, "low_attendance")[0]
    assert finding["severity"] == "low"
    assert finding["detail"]["attendance_rate"] == 0.3
    assert finding["detail"]["threshold"] == 0.5
    assert finding["message"] == "“光明社区党委”参加“和平街道工作专班”的出勤率为30%，低于50%"


def test_attendance_as_share_number_or_percentage(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-1,P-JM,平台成员,2019,,,,,0.8", "U-1,P-JM,平台成员,2019,,,,,0.45")
    edit(tiny_dir, "links", "U-2,P-JM,平台成员,2019,,,,,0.75", "U-2,P-JM,平台成员,2019,,,,,45")
    edit(tiny_dir, "links", "U-4,P-JM,平台成员,2020,,,,,0.9", "U-4,P-JM,平台成员,2020,,,,,45%")
    edit(tiny_dir, "links", "O-C1,P-VT1,平台成员,2020,,,,,1", "O-C1,P-VT1,平台成员,2020,,,,,50%")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "low_attendance") == ["U-1->P-JM", "U-2->P-JM", "U-4->P-JM"]
    assert {f["detail"]["attendance_rate"] for f in _only(result, "low_attendance")} == {0.45}


def test_attendance_threshold_from_settings(tiny_dir, tmp_path):
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"},
                           settings=Settings(attendance_threshold=0.8))
    assert found(result, "low_attendance") == ["U-2->P-JM"]  # 0.75; 0.8 itself is not below


# --- cadre_low_contact -------------------------------------------------------------------------------


def test_cadre_low_contact(tiny_dir, tmp_path):
    append(tiny_dir, "members", "M-11,孙丽,O-U1,T-P211,U-1,正式党员,,T-C2",
           "M-12,钱进,O-U2,T-P211,U-2,正式党员,,P-VT1")
    append(tiny_dir, "task_steps", "K-5,2,O-G21,M-12,转办,2026-05-22")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    # M-9 (steps of K-2) and M-12 (receives a step) have contact; M-11 has none.
    assert found(result, "cadre_low_contact") == ["M-11"]
    finding = _only(result, "cadre_low_contact")[0]
    assert finding["severity"] == "low"
    assert finding["detail"]["sent_to_id"] == "T-C2"
    assert "光明社区" in finding["message"]
    assert "孙丽" not in json.dumps(result, ensure_ascii=False)


def test_a_cadre_in_a_step_with_an_unknown_end_has_contact(tiny_dir, tmp_path):
    # M-12 closes a task missing from tasks; M-13 passes one to an unknown id: neither step
    # is stored in the graph (the loader warns), but both cadres are in task steps.
    append(tiny_dir, "members", "M-12,钱进,O-U2,T-P211,U-2,正式党员,,P-VT1",
           "M-13,李四,O-U2,T-P211,U-2,正式党员,,T-C1", "M-14,赵六,O-U2,T-P211,U-2,正式党员,,T-C1")
    append(tiny_dir, "task_steps", "K-98,1,M-12,,办结,2026-05-22",
           "K-5,2,O-G21,X-404,转办,2026-05-22", "K-5,3,M-13,X-404,转办,2026-05-23")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "cadre_low_contact") == ["M-14"]


def test_member_names_never_appear(tiny_dir, tmp_path):
    # Members as tie ends and as cadres: ids only, never names.
    append(tiny_dir, "members", "M-11,孙丽,O-U1,T-P211,U-1,正式党员,,T-C2")
    append(tiny_dir, "links", "M-11,P-WT,平台成员,2024,,,,,0.1",
           "M-11,T-C2,双报到,2025,0,0,,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})
    assert found(result, "low_attendance") == ["M-11->P-WT"]
    assert found(result, "weak_tie") == ["M-11->T-C2"]
    text = json.dumps(result, ensure_ascii=False)
    for name in ("孙丽", "张伟", "王芳", "周杰"):
        assert name not in text


# --- structure metrics in JSON and in the database ------------------------------------------------


def test_structure_metrics(clean):
    structure = {s["id"]: s for s in clean["metrics"]["structure"]}
    # Every unit, platform and community, isolated or not.
    assert sorted(structure) == ["P-JM", "P-VT1", "P-WT", "T-C1", "T-C2", "U-1", "U-2", "U-3",
                                 "U-4"]
    assert structure["U-3"]["degree"] == 0 and structure["U-3"]["constraint"] is None
    # U-2 reaches T-C1, T-C2 and the joint meeting.
    assert structure["U-2"]["degree"] == 3
    assert structure["U-2"]["street"] == "T-ST1"
    # One street: every brokerage is coordination.
    assert all(s["brokerage"]["total"] == s["brokerage"]["coordinator"]
               for s in structure.values())
    assert structure["T-C1"]["articulation_point"] is True  # 尖刀班 hangs off 幸福社区
    assert clean["metrics"]["bridges"] == [
        {"source": "P-VT1", "target": "T-C1",
         "ties": [{"source": "O-C1", "target": "P-VT1", "type": "membership", "rid": "L16"}]}]
    for entry in structure.values():
        assert 0 <= entry["betweenness"] <= 1


def test_structure_is_written_into_the_database(tiny_dir, tmp_path):
    model = load_dataset(tiny_dir)
    path = write_ladybug(model, tmp_path / "x.lbdb")
    with LadybugStore(path, writable=True) as store:
        result = diagnose(model, store, only={"weak_ties"})
        units = store.run("MATCH (u:Unit) RETURN u.id AS id, u.degree AS degree, "
                          "u.betweenness AS betweenness, u.burt_constraint AS c, "
                          "u.brokerage_total AS brokerage, u.is_bridge_unit AS bridge "
                          "ORDER BY id")
        communities = store.run("MATCH (t:Territory) WHERE t.degree IS NOT NULL "
                                "RETURN t.id AS id, t.street_id AS street ORDER BY id")
        platforms = store.run("MATCH (p:Platform) RETURN p.id AS id, p.bridge_count AS n "
                              "ORDER BY id")
    structure = {s["id"]: s for s in result["metrics"]["structure"]}
    for row in units.itertuples(index=False):
        assert row.degree == structure[row.id]["degree"]
        assert row.brokerage == structure[row.id]["brokerage"]["total"]
        assert row.bridge is False or row.bridge == False  # noqa: E712 (numpy bool)
    assert communities.to_dict("records") == [{"id": "T-C1", "street": "T-ST1"},
                                              {"id": "T-C2", "street": "T-ST1"}]
    assert dict(zip(platforms["id"], platforms["n"], strict=True)) == {
        "P-JM": 0, "P-VT1": 1, "P-WT": 0}


def test_diagnosis_is_deterministic(tiny_dir, tmp_path):
    _third_community(tiny_dir, "U-4,T-P311,认领,2022,,,,,")
    first = run_diagnosis(tiny_dir, tmp_path / "a", only={"weak_ties"})
    second = run_diagnosis(tiny_dir, tmp_path / "b", only={"weak_ties"})
    for result in (first, second):
        result.pop("generated_at")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
