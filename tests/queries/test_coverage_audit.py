"""Regression tests from the adversarial audit of the coverage checks: each plants exactly one
problem (or one tricky non-problem) in the tiny city."""

from __future__ import annotations

import pytest

from loaders import load_dataset
from tests.helpers import append, edit, found, run_diagnosis


@pytest.fixture
def clean(tiny_dir, tmp_path):
    return run_diagnosis(tiny_dir, tmp_path, only={"coverage"})


def _finding(result: dict, check: str, subject: str) -> dict:
    return next(f for f in result["findings"] if f["check"] == check and f["subject"] == subject)


def test_units_without_a_declared_count_load(tiny_dir, tmp_path):
    # A blank 党员人数 beside declared ones used to crash the loader (NA in a comparison).
    # U-3 lists M-4 (formal) and M-6 (mobile = formal); one more formal member makes three.
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,,")
    model = load_dataset(tiny_dir)
    assert int(model.frame("units").set_index("id").loc["U-3", "formal_members"]) == 2
    assert int(model.frame("units").set_index("id").loc["U-1", "formal_members"]) == 40
    append(tiny_dir, "members", "M-11,孙丽,O-BA1,T-P211,U-3,正式党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == ["U-3"]
    assert _finding(result, "unit_without_org", "U-3")["detail"]["formal_members"] == 3


def test_blank_declared_count_with_probationary_members_is_not_three(tiny_dir, tmp_path):
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,,")
    append(tiny_dir, "members", "M-11,孙丽,O-BA1,T-P211,U-3,预备党员,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unit_without_org") == []


def test_every_organization_in_a_loop_walks_the_whole_loop(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-C2,光明社区党委,社区党委,O-ST1",
         "O-C2,光明社区党委,社区党委,O-G21")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    paths = {f["subject"]: f["path"] for f in result["findings"]
             if f["check"] == "org_unreachable"}
    assert paths["O-C2"] == ["O-C2", "O-G21", "O-C2"]
    assert paths["O-G21"] == ["O-G21", "O-C2", "O-G21"]  # used to stop at ["O-G21", "O-C2"]
    assert paths["O-P211"] == ["O-P211", "O-G21", "O-C2", "O-G21"]


def test_three_organization_loop_paths(tiny_dir, tmp_path):
    edit(tiny_dir, "organizations", "O-C1,幸福社区党委,社区党委,O-ST1",
         "O-C1,幸福社区党委,社区党委,O-P111")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    paths = {f["subject"]: f["path"] for f in result["findings"]
             if f["check"] == "org_unreachable"}
    assert paths["O-G11"] == ["O-G11", "O-C1", "O-P111", "O-G11"]
    assert paths["O-P111"] == ["O-P111", "O-G11", "O-C1", "O-P111"]
    assert paths["O-C1"] == ["O-C1", "O-P111", "O-G11", "O-C1"]
    assert paths["O-G12"] == ["O-G12", "O-C1", "O-P111", "O-G11", "O-C1"]
    assert "O-Y111" not in paths  # mass organizations are not party chain


def test_claim_by_a_platform_is_not_a_unit_claim(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-1,T-P121,认领,2021,,,,,", "P-JM,T-P121,认领,2021,,,,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unclaimed_unmanaged_compound") == ["T-P121"]


def test_claim_by_a_community_committee_is_not_a_unit_claim(tiny_dir, tmp_path):
    edit(tiny_dir, "links", "U-1,T-P121,认领,2021,,,,,", "O-C1,T-P121,认领,2021,,,,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unclaimed_unmanaged_compound") == ["T-P121"]


@pytest.mark.parametrize("line", [
    "O-U1,T-P121,认领,2021,,,,,",  # the unit's own party organization claims for the unit
    "T-P121,U-1,认领,2021,,,,,",  # written the other way round
    "U-1,O-P121,认领,2021,,,,,",  # to the compound's party group
])
def test_unit_claims_in_any_form_count(tiny_dir, tmp_path, line):
    edit(tiny_dir, "links", "U-1,T-P121,认领,2021,,,,,", line)
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "unclaimed_unmanaged_compound") == []


def test_clean_city_stays_silent(clean):
    assert [f for f in clean["findings"] if f["question"] == "coverage"] == []


def test_no_mismatch_when_the_containing_territory_is_unknown(tiny_dir, tmp_path):
    # The grid's parent id does not resolve (a warning): whether its branch reports into the
    # right community cannot be told, so org_territory_mismatch stays silent.
    edit(tiny_dir, "territories", "T-G12,幸福社区第二网格,网格,T-C1", "T-G12,幸福社区第二网格,网格,T-GONE")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "org_territory_mismatch") == []
    # ... while a branch whose grid is known and inside another community still fires.
    edit(tiny_dir, "organizations", "O-G11,幸福社区第一网格党支部,网格党支部,O-C1",
         "O-G11,幸福社区第一网格党支部,网格党支部,O-C2")
    result = run_diagnosis(tiny_dir, tmp_path / "again", only={"coverage"})
    assert found(result, "org_territory_mismatch") == ["O-G11"]


# --- Grader audit (independent reference implementation vs orgnet) ------------------------

_RESIDENTS_GROUP = "O-R2,光明社区第一居民小组,居民小组,O-C2,T-C2,"


@pytest.mark.parametrize(("target", "expected"), [
    ("O-C2", []),  # the community's committee stands for the community
    ("O-R2", ["T-C2"]),  # its residents' group does not: only the committee does
], ids=["committee", "residents_group"])
def test_cobuilding_tie_counts_only_through_the_committee(tiny_dir, tmp_path, target, expected):
    append(tiny_dir, "organizations", _RESIDENTS_GROUP)
    # T-C2's responsible unit would make it have a co-building unit (DOMAIN.md rule 2)
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,\n", "")
    edit(tiny_dir, "links", "U-2,T-C2,共驻共建", f"U-2,{target},共驻共建")
    edit(tiny_dir, "links", "U-4,T-C2,共驻共建", f"U-4,{target},共驻共建")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "community_without_cobuilding_unit") == expected


def test_a_platform_is_no_lead_unit(tiny_dir, tmp_path):
    # T-C1: U-2 is a responsible unit (否); the only 是 comes from a platform, not a unit.
    edit(tiny_dir, "links", "U-1,T-C1,责任单位,2018,12,6,双方,是,",
         "P-JM,T-C1,责任单位,2018,12,6,双方,是,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "community_without_lead_unit") == ["T-C1"]


@pytest.mark.parametrize("line", [
    "O-ST1,O-C2,责任单位,2020,10,8,双方,否,",  # a street working committee is not a unit
    "P-JM,T-C2,责任单位,2020,10,8,双方,否,",  # nor is a platform
    "U-4,O-R2,责任单位,2020,10,8,双方,否,",  # a tie to the residents' group is not to T-C2
], ids=["street_committee", "platform", "residents_group"])
def test_responsible_ties_of_non_units_give_no_responsible_units(tiny_dir, tmp_path, line):
    append(tiny_dir, "organizations", _RESIDENTS_GROUP)
    edit(tiny_dir, "links", "U-4,O-C2,责任单位,2020,10,8,双方,是,", line)
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "community_without_lead_unit") == []


@pytest.mark.parametrize(("old", "new", "subject"), [
    # a grid branch reporting to the business area's committee (the area is not its community)
    ("O-G21,光明社区第一网格党支部,网格党支部,O-C2", "O-G21,光明社区第一网格党支部,网格党支部,O-BA1",
     "O-G21"),
    # a compound group reporting to another compound's 业委会
    ("O-P111,幸福里小区党小组,院落党小组,O-G11", "O-P111,幸福里小区党小组,院落党小组,O-Y112", "O-P111"),
], ids=["business_area_committee", "owners_committee"])
def test_mismatch_when_the_superior_is_not_a_chain_organization(tiny_dir, tmp_path, old, new,
                                                                 subject):
    edit(tiny_dir, "organizations", old, new)
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    assert found(result, "org_territory_mismatch") == [subject]
    assert found(result, "org_skips_level") == []  # such a superior has no level to skip
    assert found(result, "org_unreachable") == []
