"""DOMAIN.md's "Rules for the cases the lists above leave open", one test per rule on a small
hand-made city (:data:`RULES_CITY`) where the rule decides, with its control beside it.

Which rows serve which rule (ids are named for their role):

- rule 1: village T-V1 counts as a community;
- rule 2: T-C0 has no unit at all (flagged); T-C1 and T-C6 only responsible units, T-C2 a tie to
  its grid, T-C3 a tie to a compound group inside it, T-C4 a tie from a unit's own organization
  (none flagged); T-C5 only a platform's tie (flagged);
- rule 4: O-GX (grid branch to its own street: skips only), O-GY (to another community's
  committee: mismatch only), O-GZ (its own parent: unreachable only), O-BA and O-U4 (exempt);
- rule 5: U-5 in business area T-BA whose committee O-BA does not exempt it; T-BA2 covered only
  by a unit's organization O-U7;
- rule 6: memberships of P-1 with attendance 45 (low), 60, blank; tie U-2->T-G2 all blank;
  T-C6's responsible unit with a blank lead;
- rule 8: K-B1 handled by community territory T-C0 (backflow), K-B2 by a grid branch (not);
  K-M1 assigned to territory T-C1 and handled by a cadre (misplaced), K-M2 by its committee;
  K-P1 bounces through territory T-C2 standing for O-C2;
- rule 9: K-P2 A→B→C→B→A and K-P3 with a hand-over entered twice (neither ping-pong); K-P4
  (A→B→A→B, ping-pong);
- rule 10: M-1 in owners' committee O-PO1 (flagged), M-2 in a committee;
- rule 11: county T-CITY2 without its committee; T-CITY, T-CITY3 with theirs;
- rule 13: T-P0 claimed by a platform (still unclaimed), T-P1 by a unit's organization, T-P3 by a
  unit, T-P2 by nobody; T-C2 backed by U-2 and platform P-1 (single-unit dependency); three
  city committees (O-CITY, O-CITY3, O-CITY4): O-S3 reaches its own;
- issue 16 item 6: O-CITY4 and O-S4 report to each other, a cycle through a city committee;
  O-C4X below them still reaches the city committee.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphmodel.index import model_index
from graphmodel.places import count_by_place
from graphmodel.settings import Settings
from loaders import load_dataset
from queries.algorithms.cobuilding import cobuilding_graph
from queries.summary import summarize_findings
from tests.helpers import found, run_diagnosis
from tests.small_data import write_tables

RULES_CITY: dict[str, str] = {
    "territories": """
id,name,kind,parent_id,households,managed
T-CITY,城,city,,,
T-S,街道,street,T-CITY,,
T-TS,乡镇,township,T-CITY,,
T-C0,零社区,community,T-S,,
T-G0,零网格,grid,T-C0,,
T-GX,越级网格,grid,T-C0,,
T-GY,错位网格,grid,T-C0,,
T-GZ,自隶网格,grid,T-C0,,
T-P0,零小区,compound,T-G0,,false
T-P1,一小区,compound,T-G0,,false
T-P2,二小区,compound,T-G0,,false
T-C1,一社区,community,T-S,,
T-C2,二社区,community,T-S,,
T-G2,二网格,grid,T-C2,,
T-C3,三社区,community,T-S,,
T-G3,三网格,grid,T-C3,,
T-P3,三小区,compound,T-G3,,false
T-C4,四社区,community,T-S,,
T-C5,五社区,community,T-S,,
T-C6,六社区,community,T-S,,
T-C7,七社区,community,T-S,,
T-V1,一村,village,T-TS,,
T-BA,商圈,business_area,T-S,,
T-BA2,楼宇,business_area,T-S,,
T-CITY2,无委之县,县,,,
T-CITY3,三县,city,,,
T-S3,三县街道,street,T-CITY3,,
T-CITY4,四县,city,,,
T-S4,四县街道,street,T-CITY4,,
""",
    "organizations": """
id,name,kind,parent_id,territory_id,unit_id
O-CITY,市委,city_committee,,T-CITY,
O-S,街道党工委,street_working_committee,O-CITY,T-S,
O-TS,乡镇党委,township_committee,O-CITY,T-TS,
O-C0,零社区党委,community_committee,O-S,T-C0,
O-G0,零网格支部,grid_branch,O-C0,T-G0,
O-GX,越级支部,grid_branch,O-S,T-GX,
O-GY,错位支部,grid_branch,O-C1,T-GY,
O-GZ,自隶支部,grid_branch,O-GZ,T-GZ,
O-PO1,一小区业委会,owners_committee,O-G0,T-P1,
O-C1,一社区党委,community_committee,O-S,T-C1,
O-C2,二社区党委,community_committee,O-S,T-C2,
O-G2,二网格支部,grid_branch,O-C2,T-G2,
O-C3,三社区党委,community_committee,O-S,T-C3,
O-G3,三网格支部,grid_branch,O-C3,T-G3,
O-P3,三小区党小组,compound_group,O-G3,T-P3,
O-C4,四社区党委,community_committee,O-S,T-C4,
O-C5,五社区党委,community_committee,O-S,T-C5,
O-C6,六社区党委,community_committee,O-S,T-C6,
O-C7,七社区党委,community_committee,O-S,T-C7,
O-V1,一村党支部,village_committee,O-TS,T-V1,
O-BA,商圈党委,business_area_committee,O-TS,T-BA,
O-U4,四单位党支部,unit_org,O-S,,U-4
O-U7,七单位党支部,unit_org,O-S,T-BA2,U-7
O-CITY3,三县委,city_committee,,T-CITY3,
O-S3,三县街道党工委,street_working_committee,O-CITY3,T-S3,
O-CITY4,四县委,city_committee,O-S4,T-CITY4,
O-S4,四县街道党工委,street_working_committee,O-CITY4,T-S4,
O-C4X,四县社区党委,community_committee,O-S4,,
""",
    "units": """
id,name,kind,admin_rank,party_members,territory_id
U-1,一单位,soe,none,2,T-S
U-2,二单位,soe,none,2,T-S
U-3,三单位,institution,none,2,T-S
U-4,四单位,soe,none,4,T-S
U-5,五单位,private_enterprise,none,5,T-BA
U-6,六单位,soe,none,2,T-S
U-7,七单位,private_enterprise,none,4,T-BA2
U-9,城管局,functional_department,county,2,T-CITY
""",
    "platforms": """
id,name,kind,territory_id,convener_id
P-1,联席会议,joint_meeting,T-S,O-S
P-WT,工作专班,work_team,T-S,O-S
""",
    "links": """
source_id,target_id,type,since,meetings_per_year,activities,initiated_by,lead,attendance_rate
U-1,T-C1,responsible_unit,2020,12,12,both,true,
U-2,T-G2,co_building,,,,,,
U-3,O-P3,dual_reporting,2019,6,6,both,,
O-U4,O-C4,co_building,2019,6,6,both,,
P-1,T-C5,co_building,2019,6,6,both,,
U-6,T-C6,responsible_unit,2019,6,6,both,,
P-1,T-C2,co_building,2019,6,6,both,,
U-1,T-C7,co_building,2019,6,6,both,,
U-2,T-C7,co_building,2019,6,6,both,,
P-1,T-P0,claim,,,,,,
O-U4,T-P1,claim,,,,,,
U-3,T-P3,claim,,,,,,
U-1,P-1,membership,,,,,,45
U-2,P-1,membership,,,,,,60
U-3,P-1,membership,,,,,,
""",
    "members": """
id,name,org_id,residence_id,workplace_id,status,registered_community_id,sent_to_id
M-1,甲,O-PO1,T-P1,,formal,,
M-2,乙,O-C0,T-P2,,formal,,
M-3,丙,O-C1,T-C1,,formal,,T-C1
""",
    "resources": """
id,provider_id,recipient_id,kind,amount,year,delivered
R-1,U-1,T-C1,funds,100,2024,true
""",
    "tasks": """
id,title,kind,assigned_to_id,created
K-B1,回流,assigned,U-9,2024-01-01
K-B2,网格办结,assigned,U-9,2024-01-01
K-M1,错位,assigned,T-C1,2024-01-01
K-M2,本委办结,assigned,T-C1,2024-01-01
K-P1,区域推诿,assigned,O-C2,2024-01-01
K-P2,逐级退回,assigned,O-S,2024-01-01
K-P3,重复转办,assigned,O-S,2024-01-01
K-P4,来回推诿,assigned,O-S,2024-01-01
""",
    "task_steps": """
task_id,step,from_id,to_id,action,at
K-B1,1,U-9,O-S,transfer,2024-01-02
K-B1,2,O-S,T-C0,transfer,2024-01-03
K-B1,3,T-C0,,handle,2024-01-04
K-B2,1,U-9,O-S,transfer,2024-01-02
K-B2,2,O-S,O-GX,transfer,2024-01-03
K-B2,3,O-GX,,handle,2024-01-04
K-M1,1,T-C1,M-3,transfer,2024-01-02
K-M1,2,M-3,,handle,2024-01-03
K-M2,1,T-C1,O-C1,transfer,2024-01-02
K-M2,2,O-C1,,handle,2024-01-03
K-P1,1,O-C2,O-S,escalate,2024-01-02
K-P1,2,O-S,T-C2,return,2024-01-03
K-P1,3,T-C2,O-S,escalate,2024-01-04
K-P1,4,O-S,,handle,2024-01-05
K-P2,1,O-S,O-C0,transfer,2024-01-02
K-P2,2,O-C0,O-GX,transfer,2024-01-03
K-P2,3,O-GX,O-C0,return,2024-01-04
K-P2,4,O-C0,O-S,return,2024-01-05
K-P2,5,O-S,,handle,2024-01-06
K-P3,1,O-S,O-C0,transfer,2024-01-02
K-P3,2,O-S,O-C0,transfer,2024-01-02
K-P3,3,O-C0,O-S,return,2024-01-03
K-P3,4,O-S,,handle,2024-01-04
K-P4,1,O-S,O-C0,transfer,2024-01-02
K-P4,2,O-C0,O-S,return,2024-01-03
K-P4,3,O-S,O-C0,transfer,2024-01-04
K-P4,4,O-C0,,handle,2024-01-05
""",
}


@pytest.fixture(scope="module")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(tmp_path_factory.mktemp("rules") / "city", RULES_CITY)


@pytest.fixture(scope="module")
def result(city_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_diagnosis(city_dir, tmp_path_factory.mktemp("rules_db"))


def _finding(result: dict, check: str, subject: str) -> dict:
    return next(f for f in result["findings"] if f["check"] == check and f["subject"] == subject)


def test_rule_1_a_village_counts_as_a_community(result):
    assert "T-V1" in found(result, "community_without_cobuilding_unit")


def test_rule_2_units_tied_to_anything_inside_a_community_are_its_units(result):
    # control: T-C0 has no unit, T-C5 a platform only, T-V1 nothing
    assert found(result, "community_without_cobuilding_unit") == ["T-C0", "T-C5", "T-V1"]


def test_rule_2_responsible_units_inside_a_community_need_a_lead(result):
    assert found(result, "community_without_lead_unit") == ["T-C6"]  # T-C1's unit leads


def test_rule_3_ties_inside_a_community_are_the_communitys_in_the_network(city_dir):
    G = cobuilding_graph(load_dataset(city_dir))
    assert G.has_edge("U-2", "T-C2")  # a tie to its grid
    assert G.has_edge("U-3", "T-C3")  # to a compound group inside it, and a claim
    assert G.has_edge("U-4", "T-C4")  # a unit's own organization to the committee
    assert G.has_edge("U-4", "T-C0")  # that organization's claim of compound T-P1
    assert G.has_edge("P-1", "T-C0")  # a platform's claim counts for the platform
    assert not G.has_edge("U-2", "T-G2") and "T-G2" not in G


def test_rule_4_one_finding_one_report(result):
    assert found(result, "org_skips_level") == ["O-GX"]
    assert found(result, "org_territory_mismatch") == ["O-GY"]
    assert "O-GZ" in found(result, "org_unreachable")
    every = {(f["check"], f["subject"]) for f in result["findings"]}
    for exempt in ("O-BA", "O-U4", "O-U7"):  # a business area's and units' organizations
        assert not {c for c, s in every if s == exempt}


def test_rule_5_an_areas_committee_does_not_exempt_its_units_nor_a_unit_org_cover_it(result):
    assert found(result, "unit_without_org") == ["U-5"]  # U-4 and U-7 have theirs
    assert found(result, "new_area_without_org") == ["T-BA2"]  # T-BA has O-BA


def test_rule_6_attendance_45_is_45_percent_and_blank_is_no_evidence(result):
    assert found(result, "low_attendance") == ["U-1->P-1"]  # 45 %; 60 % and blank are not
    assert _finding(result, "low_attendance", "U-1->P-1")["detail"]["attendance_rate"] == 0.45


def test_rule_6_blank_numbers_score_0_and_are_named(result):
    weak = _finding(result, "weak_tie", "U-2->T-G2")
    assert weak["detail"]["blank"] == ["meetings", "activities", "duration", "reciprocity"]
    assert weak["detail"]["weak"] is True
    assert weak["detail"]["parts"]["meetings"] == 0
    rows = {(r["source"], r["target"]): r for r in result["metrics"]["tie_strength"]}
    assert rows[("U-2", "T-G2")]["weak"] is True
    assert rows[("U-1", "T-C1")]["weak"] is False and rows[("U-1", "T-C1")]["blank"] == []


def test_rule_7_duration_counts_to_the_latest_year_in_the_data_or_the_setting(
        city_dir, tmp_path):
    latest = run_diagnosis(city_dir, tmp_path / "a", only={"weak_ties"})
    assert latest["settings"]["reference_year"] == 2024  # resources.year, tasks.created
    rows = {(r["source"], r["target"]): r for r in latest["metrics"]["tie_strength"]}
    assert rows[("U-1", "T-C1")]["values"]["years"] == 4
    given = run_diagnosis(city_dir, tmp_path / "b", only={"weak_ties"},
                          settings=Settings(reference_year=2030))
    rows = {(r["source"], r["target"]): r for r in given["metrics"]["tie_strength"]}
    assert rows[("U-1", "T-C1")]["values"]["years"] == 10


def test_rule_8_a_territory_stands_for_its_organization_in_task_routes(result):
    assert found(result, "backflow_path") == ["K-B1"]  # K-B2 ends at a grid branch
    assert found(result, "misplaced_responsibility") == ["K-M1"]  # K-M2 by the committee
    assert "K-P1" in found(result, "ping_pong")  # O-C2, O-S, T-C2, O-S


def test_rule_9_ping_pong_is_two_round_trips_or_a_cycle_and_nothing_looser(result):
    assert found(result, "ping_pong") == ["K-P1", "K-P4"]  # not K-P2, not K-P3


def test_rule_10_a_member_of_a_mass_organization_has_no_party_organization(result):
    assert found(result, "member_without_org") == ["M-1"]
    assert _finding(result, "member_without_org", "M-1")["detail"]["org_kind"] == \
        "owners_committee"
    rows = {r["community"]: r for r in result["metrics"]["unorganized_members"]}
    assert rows["T-C0"]["without_org"] == 1  # M-1 lives in T-P1, in T-C0


def test_rule_11_a_city_without_its_committee_is_a_territory_without_org(result):
    cities = {"T-CITY", "T-CITY2", "T-CITY3", "T-CITY4"}
    assert cities & set(found(result, "territory_without_org")) == {"T-CITY2"}


def test_rule_12_the_worst_streets_count_every_finding_by_its_place(city_dir, result):
    model = load_dataset(city_dir)
    counts = count_by_place(result["findings"], model_index(model))
    summary = summarize_findings(model, result["findings"])
    assert sum(s["findings"] for s in summary["by_street"]) + counts.nowhere == \
        len(result["findings"])
    assert {s["street"]: s["findings"] for s in summary["by_street"]} == dict(counts.by_street)
    # a member by the organization's territory: M-1's owners' committee covers T-P1 in T-C0
    assert counts.by_community["T-C0"] >= 1


def test_rule_13_units_not_platforms_are_support(result):
    assert found(result, "unclaimed_unmanaged_compound") == ["T-P0", "T-P2"]
    # T-C2: U-2 (through its grid) and platform P-1: depends on U-2; T-C7 has two units
    dependent = found(result, "single_unit_dependency")
    assert "T-C2" in dependent and "T-C7" not in dependent
    assert _finding(result, "single_unit_dependency", "T-C3")["detail"]["unit_id"] == "U-3"


def test_rule_13_reaching_any_city_committee_counts(result):
    unreachable = found(result, "org_unreachable")
    assert "O-S3" not in unreachable and "O-CITY3" not in unreachable


def test_a_parent_cycle_through_a_city_committee_is_a_cycle(city_dir, result):
    assert {"O-CITY4", "O-S4"} <= set(found(result, "org_unreachable"))
    assert _finding(result, "org_unreachable", "O-CITY4")["detail"]["reason"] == "cycle"
    assert "O-C4X" not in found(result, "org_unreachable")  # below the loop: reaches O-CITY4
    orgs = load_dataset(city_dir).frame("organizations").set_index("id")
    assert not orgs.loc["O-CITY4", "reaches_city"] and orgs.loc["O-C4X", "reaches_city"]


def test_the_findings_are_plain_json(result):
    json.dumps(result, ensure_ascii=False)
