"""Coverage checks: each fires on a minimal dataset with exactly that problem and stays
silent on the clean tiny city."""

from __future__ import annotations

import json

import pytest

from tests.helpers import append, edit, found, run_diagnosis

COVERAGE_CHECKS = [
    "territory_without_org", "compound_without_owners_committee", "unit_without_org",
    "new_area_without_org", "org_unreachable", "org_skips_level", "org_territory_mismatch",
    "member_without_org", "community_without_cobuilding_unit", "community_without_lead_unit",
    "unclaimed_unmanaged_compound",
]


@pytest.fixture
def clean(tiny_dir, tmp_path):
    return run_diagnosis(tiny_dir, tmp_path, only={"coverage"})


def test_clean_city_has_no_coverage_findings(clean):
    assert [f for f in clean["findings"] if f["question"] == "coverage"] == []


def test_grid_without_branch(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-G21,光明社区第一网格党支部,网格党支部,O-C2,T-G21,\n", "")
    edit(tiny_dir, "organizations", "O-P211,光明新村党小组,院落党小组,O-G21",
         "O-P211,光明新村党小组,院落党小组,O-C2")  # keep the group attached
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "territory_without_org") == ["T-G21"]
    finding = next(f for f in result["findings"] if f["check"] == "territory_without_org")
    assert finding["message"] == "网格“光明社区第一网格”没有网格党支部"
    assert finding["detail"]["expected_org_kind"] == "grid_branch"
    assert finding["detail"]["resident_members"] == 3  # M-5, M-6, M-10 live in T-P211
    assert finding["severity"] == "high"


def test_compound_with_group_but_no_owners_committee(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-Y112,和谐苑业委会,业委会,O-P112,T-P112,\n", "")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "compound_without_owners_committee") == ["T-P112"]
    assert found(result, "territory_without_org") == []
    finding = next(f for f in result["findings"]
                   if f["check"] == "compound_without_owners_committee")
    assert finding["detail"]["has_party_group"] is True


def test_unit_with_exactly_three_formal_members(tiny_dir, tmp_path):
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,3,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == ["U-3"]
    # The business area now has 3 formal members working there too, but it has a committee.
    assert found(result, "new_area_without_org") == []


def test_unit_with_two_formal_and_one_probationary_member_is_fine(tiny_dir, tmp_path):
    append(tiny_dir, "members", "M-11,孙丽,O-BA1,T-P211,U-3,预备党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == []


def test_unit_counted_from_member_rows(tiny_dir, tmp_path):
    append(tiny_dir, "members", "M-11,孙丽,O-BA1,T-P211,U-3,正式党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == ["U-3"]


def test_business_area_without_org(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-BA1,和平商圈党委,商圈党委,O-ST1,T-BA1,\n", "")
    append(tiny_dir, "members", "M-11,孙丽,O-ST1,T-P211,U-3,正式党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "new_area_without_org") == ["T-BA1"]
    assert found(result, "territory_without_org") == []  # business areas have their own check


def test_chain_that_loops(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-C2,光明社区党委,社区党委,O-ST1",
         "O-C2,光明社区党委,社区党委,O-G21")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    # O-C2 and O-G21 loop; the group below them cannot reach the city either.
    assert found(result, "org_unreachable") == ["O-C2", "O-G21", "O-P211"]
    loop = next(f for f in result["findings"] if f["subject"] == "O-C2"
                and f["check"] == "org_unreachable")
    assert loop["path"] == ["O-C2", "O-G21", "O-C2"]
    assert loop["detail"]["reason"] == "cycle"
    # Mass organizations are not party chain.
    assert "O-Y211" not in found(result, "org_unreachable")


def test_missing_and_dangling_parents(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-U2,区人民医院党总支,单位党组织,O-ST1",
         "O-U2,区人民医院党总支,单位党组织,")
    edit(tiny_dir, "organizations", "O-P112,和谐苑党小组,院落党小组,O-G11",
         "O-P112,和谐苑党小组,院落党小组,O-GONE")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "org_unreachable") == ["O-P112", "O-U2"]
    dangling = next(f for f in result["findings"] if f["subject"] == "O-P112")
    assert dangling["path"] == ["O-P112", "O-GONE"]
    assert dangling["detail"]["reason"] == "dangling"


def test_grid_branch_reporting_straight_to_street(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部,O-C1",
         "O-G12,幸福社区第二网格党支部,网格党支部,O-ST1")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "org_skips_level") == ["O-G12"]
    assert found(result, "org_territory_mismatch") == []  # its street does contain its grid
    assert result["findings"][0]["detail"]["skipped_levels"] == 1


def test_grid_branch_reporting_to_another_community(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部,O-C1",
         "O-G12,幸福社区第二网格党支部,网格党支部,O-C2")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "org_territory_mismatch") == ["O-G12"]
    assert found(result, "org_skips_level") == []
    finding = result["findings"][0]
    assert finding["path"] == ["O-G12", "O-C2"]
    assert finding["detail"]["expected_superior_ids"] == ["O-C1"]


def test_member_without_org(tiny_dir, tmp_path):
    edit(tiny_dir, "members", "M-3,李娜,O-P112", "M-3,李娜,")
    edit(tiny_dir, "members", "M-4,刘洋,O-P121", "M-4,刘洋,O-NONE")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "member_without_org") == ["M-3", "M-4"]
    text = json.dumps(result, ensure_ascii=False)
    assert "李娜" not in text and "刘洋" not in text  # member names never appear
    unorganized = {r["community"]: r for r in result["metrics"]["unorganized_members"]}
    assert unorganized["T-C1"]["without_org"] == 2


def test_community_without_cobuilding_unit(tiny_dir, tmp_path):
    for old in ["U-2,T-C2,共驻共建,2017,12,12,双方,,\n", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n"]:
        edit(tiny_dir, "links", old, "")
    # its responsible unit alone makes it have a co-building unit (DOMAIN.md rule 2)
    result = run_diagnosis(tiny_dir, tmp_path / "a", only={"coverage"})
    assert found(result, "community_without_cobuilding_unit") == []
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,\n", "")
    result = run_diagnosis(tiny_dir, tmp_path / "b", only={"coverage"})
    assert found(result, "community_without_cobuilding_unit") == ["T-C2"]


def test_dual_reporting_via_the_committee_counts(tiny_dir, tmp_path):
    for old in ["U-2,T-C2,共驻共建,2017,12,12,双方,,\n", "U-4,T-C2,共驻共建,2020,9,8,双方,,\n"]:
        edit(tiny_dir, "links", old, "")
    append(tiny_dir, "links", "O-U2,O-C2,双报到,2021,6,6,双方,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "community_without_cobuilding_unit") == []


def test_community_without_lead_unit(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-1,T-C1,责任单位,2018,12,6,双方,是,", "U-1,T-C1,责任单位,2018,12,6,双方,否,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "community_without_lead_unit") == ["T-C1"]
    assert result["findings"][0]["detail"]["responsible_ties"] == 2


def test_lead_unit_tied_to_the_committee_counts(tiny_dir, tmp_path):
    # In the fixture, T-C2's only responsible unit is tied to its committee O-C2, as lead.
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert "T-C2" not in found(result, "community_without_lead_unit")


def test_unclaimed_unmanaged_compound(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-1,T-P121,认领,2021,,,,,\n", "")
    edit(tiny_dir, "territories", "T-P112,和谐苑,小区,T-G11,210,是", "T-P112,和谐苑,小区,T-G11,210,无")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unclaimed_unmanaged_compound") == ["T-P112", "T-P121"]


def test_coverage_metrics_per_street_and_community(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-P112,和谐苑党小组,院落党小组,O-G11,T-P112,\n", "")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    rows = {(r["scope"], r["level"]): r for r in result["metrics"]["coverage"]}
    assert rows[("T-ST1", "compound")]["covered"] == 3
    assert rows[("T-ST1", "compound")]["total"] == 4
    assert rows[("T-ST1", "compound")]["ratio"] == 0.75
    assert rows[("T-C1", "grid")]["ratio"] == 1.0
    pairs = {r["community"]: r for r in result["metrics"]["compound_pairs"]}
    assert (pairs["T-C1"]["pairs"], pairs["T-C1"]["compounds"]) == (2, 3)


def test_report_is_deterministic_but_for_the_timestamp(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部,O-C1",
         "O-G12,幸福社区第二网格党支部,网格党支部,O-C2")
    first = run_diagnosis(tiny_dir, tmp_path / "a")
    second = run_diagnosis(tiny_dir, tmp_path / "b")
    first.pop("generated_at")
    second.pop("generated_at")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)


def test_declared_three_with_one_listed_probationary_is_two_formal(tiny_dir, tmp_path):
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,3,")
    append(tiny_dir, "members", "M-11,孙丽,O-BA1,T-P211,U-3,预备党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == []


def test_declared_count_wins_over_a_partial_member_list(tiny_dir, tmp_path):
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,8,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == ["U-3"]
    assert result["findings"][0]["detail"]["formal_members"] == 8
