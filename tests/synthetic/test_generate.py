"""The synthetic dataset generator: determinism, the input contract, and that planted and
clean values are far apart by the library's own measures (tie scores, task routes).

That the diagnosis finds exactly the planted subjects, and nothing in a clean dataset, is tested
end to end with the real diagnosis in tests/test_planted_problems.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphmodel.build import build_model
from graphmodel.model import OrgModel
from graphmodel.schema import (
    EXPECTED_ORG,
    SCORED_LINKS,
    TABLES,
    AdminRank,
    Level,
    LinkType,
    MemberStatus,
    OrgKind,
    PlatformKind,
    StepAction,
    TerritoryKind,
    UnitKind,
    zh,
)
from graphmodel.settings import Settings
from queries.algorithms.cobuilding import COMMUNITY_KINDS, tie_anchors, tie_roles
from queries.algorithms.routes import CLOSED, OPEN, order_steps, task_routes
from queries.algorithms.ties import reference_year, score_ties
from synthetic import (
    ANSWER_KEY,
    CHECKS,
    PlantRates,
    generate,
    generate_dataset,
    write_dataset,
)
from tests.helpers import TWO_CITIES

FINDINGS = Path(__file__).resolve().parents[3] / "shared" / "FINDINGS.md"


@pytest.fixture(scope="module")
def small():
    return generate_dataset("small", seed=0)


@pytest.fixture(scope="module")
def small_model(small) -> OrgModel:
    """The small city as the library models it (the generator's frames are typed as the
    loader's)."""
    return build_model(small.frames)


def tie_scores(model: OrgModel, settings: Settings | None = None) -> pd.Series:
    """The library's score of every scored tie (queries.algorithms.ties), indexed by subject
    (``SOURCE->TARGET``), as the weak-ties diagnosis computes it."""
    s = settings or Settings()
    year = s.reference_year if s.reference_year is not None else reference_year(model.frames)
    scored = score_ties(model.frame("links"), model.frame("resources"),
                        anchors=tie_anchors(model), roles=tie_roles(model), reference_year=year,
                        weights=s.weights, targets=s.targets)
    return pd.Series(scored.score.to_numpy(), index=scored.source_id + "->" + scored.target_id)


def assert_ties_clearly_strong_or_weak(model: OrgModel, weak_ties: list[str]) -> None:
    """Every scored tie is scored, planted weak ties score at most 0.15, the others 0.5 or
    more."""
    links = model.frame("links")
    scores = tie_scores(model)
    assert len(scores) == links.type.isin([t.value for t in SCORED_LINKS]).sum()
    weak = scores.index.isin(weak_ties)
    assert set(scores.index[weak]) == set(weak_ties)
    assert scores[weak].max() <= 0.15
    assert scores[~weak].min() >= 0.5


# --- the answer key is exactly what the data holds ------------------------------------------


def test_key_has_every_check_of_findings(small):
    assert list(small.answer_key) == list(CHECKS)
    if FINDINGS.exists():  # the shared brief, when the repository sits beside it
        text = FINDINGS.read_text(encoding="utf-8")
        codes = [line.split("`")[1] for line in text.splitlines()
                 if line.startswith(("| coverage |", "| weak_ties |", "| backflow |"))]
        assert codes == list(CHECKS)
    for check, subjects in small.answer_key.items():
        assert subjects, f"nothing planted for {check}"
        assert subjects == sorted(set(subjects))


def test_key_subjects_exist(small):
    f = small.frames
    ids = {t: set(f[t].id) for t in ("territories", "organizations", "units", "platforms",
                                     "members", "tasks")}
    ties = set(f["links"].source_id + "->" + f["links"].target_id)
    kinds = {
        "territories": {"territory_without_org", "compound_without_owners_committee",
                        "new_area_without_org", "community_without_cobuilding_unit",
                        "community_without_lead_unit", "unclaimed_unmanaged_compound",
                        "single_unit_dependency"},
        "organizations": {"org_unreachable", "org_skips_level", "org_territory_mismatch",
                          "no_feedback_channel"},
        "units": {"unit_without_org"},
        "members": {"member_without_org", "cadre_low_contact"},
        "tasks": {"backflow_path", "ping_pong", "misplaced_responsibility"},
    }
    for check, subjects in small.answer_key.items():
        if check in ("weak_tie", "low_attendance"):
            pool = ties
        elif check == "bridge_unit":
            pool = ids["units"] | ids["platforms"]
        else:
            pool = ids[next(t for t, checks in kinds.items() if check in checks)]
        assert set(subjects) <= pool, check


# --- planted and clean are far apart ---------------------------------------------------------


def test_tie_scores_are_clearly_strong_or_weak(small, small_model):
    assert_ties_clearly_strong_or_weak(small_model, small.answer_key["weak_tie"])


def test_attendance_is_clearly_good_or_low(small):
    links = small.frames["links"]
    ms = links[links.type == LinkType.MEMBERSHIP]
    low = (ms.source_id + "->" + ms.target_id).isin(small.answer_key["low_attendance"])
    assert ms.attendance_rate[low].max() < 0.3
    assert ms.attendance_rate[~low].min() >= 0.7
    assert links.attendance_rate[links.type != LinkType.MEMBERSHIP].isna().all()


def test_communities_have_two_units_unless_planted(small, small_model):
    """Ends are read as the library reads tie ends (a committee stands for its community, a
    unit's own organization for its unit)."""
    links = small_model.frame("links")
    ties = links[links.type.isin([LinkType.CO_BUILDING, LinkType.DUAL_REPORTING])]
    anchors = tie_anchors(small_model)
    units = ties.source_id.replace(anchors).groupby(ties.target_id.replace(anchors)).nunique()
    planted = set(small.answer_key["single_unit_dependency"]) | set(
        small.answer_key["community_without_cobuilding_unit"])
    t = small.frames["territories"]
    communities = t.id[t.kind.isin(COMMUNITY_KINDS)]
    assert len(communities) == 30
    for cid in communities:
        if cid not in planted:
            assert units.get(cid, 0) >= 2, cid


def test_chain_parents_follow_territories(small):
    """Clean chain organizations report to the organization of the parent territory."""
    t, o = small.frames["territories"], small.frames["organizations"]
    t_kind, t_parent = dict(zip(t.id, t.kind, strict=True)), dict(zip(t.id, t.parent_id,
                                                                     strict=True))
    key = small.answer_key
    broken = set(key["org_unreachable"]) | set(key["org_skips_level"]) | set(
        key["org_territory_mismatch"])
    cover = {(tid, kind): oid for oid, kind, tid in zip(o.id, o.kind, o.territory_id,
                                                        strict=True)}
    for oid, kind, territory, parent in zip(o.id, o.kind, o.territory_id, o.parent_id,
                                            strict=True):
        level = OrgKind(kind).level
        if level is None or level == Level.CITY or oid in broken:
            continue
        parent_t = t_parent[territory]
        expected = cover.get((parent_t, EXPECTED_ORG[TerritoryKind(t_kind[parent_t])]))
        if expected is None:  # its grid has no branch: a planted territory_without_org
            assert parent_t in key["territory_without_org"]
            continue
        assert parent == expected, oid


def test_routes(small):
    """Steps are numbered from 1, the handle step has no receiver, open tasks exist, the file
    is not in route order, and every route (as the library walks it) starts at the
    assignee."""
    steps = small.frames["task_steps"]
    handle = steps.action == StepAction.HANDLE
    assert steps.to_id[handle].isna().all() and steps.to_id[~handle].notna().all()
    closed = set(steps.task_id[handle])
    assert len(closed) < len(small.frames["tasks"])  # some are still open
    assert not order_steps(steps).index.equals(steps.index)
    assert steps.groupby("task_id").step.min().eq(1).all()
    assert (steps.duplicated(["task_id", "step"])).any()  # `at` breaks the tie
    first = steps[steps.step == 1].drop_duplicates("task_id").set_index("task_id").from_id
    assigned = small.frames["tasks"].set_index("id").assigned_to_id
    assert (first == assigned[first.index]).all()
    routes = task_routes(small.frames["tasks"], steps)
    walked = routes[routes.route.map(len) > 0]
    assert len(walked) == steps.task_id.nunique()
    assert (walked.route.str[0] == walked.assigned_to_id).all()
    assert set(routes.id[routes.status == CLOSED]) <= closed
    assert (routes.status == OPEN).any()


def test_sent_down_cadres(small):
    m = small.frames["members"]
    cadres = m[m.sent_to_id.notna()]
    assert len(cadres) > 0
    p = small.frames["platforms"].set_index("id")
    t = small.frames["territories"].set_index("id")
    for target in cadres.sent_to_id:
        kind = p.kind.get(target) or t.kind.get(target)
        assert kind in (PlatformKind.VANGUARD_TEAM, TerritoryKind.COMMUNITY,
                        TerritoryKind.VILLAGE), target


# --- the input contract ----------------------------------------------------------------------


def test_columns_and_counts(small):
    f = small.frames
    for name, spec in TABLES.items():
        assert list(f[name].columns) == [c.name for c in spec.columns]
    t = f["territories"].kind.value_counts()
    assert t[TerritoryKind.STREET] + t[TerritoryKind.TOWNSHIP] == 5
    assert t[TerritoryKind.COMMUNITY] + t[TerritoryKind.VILLAGE] == 30
    assert 200 <= t[TerritoryKind.COMPOUND] <= 700
    assert len(f["members"]) == 6000 and len(f["tasks"]) == 2000
    assert len(f["units"]) == 240
    assert len(f["task_steps"]) > len(f["tasks"])


def test_every_category_value_is_valid_and_used(small):
    for name, spec in TABLES.items():
        frame = small.frames[name]
        for col in spec.columns:
            if col.category is None:
                continue
            values = set(frame[col.name].dropna())
            assert values <= {m.value for m in col.category}, (name, col.name)
    used = {
        ("territories", "kind"): TerritoryKind, ("organizations", "kind"): OrgKind,
        ("units", "kind"): UnitKind, ("units", "admin_rank"): AdminRank,
        ("platforms", "kind"): PlatformKind, ("links", "type"): LinkType,
        ("members", "status"): MemberStatus, ("task_steps", "action"): StepAction,
    }
    for (name, col), enum in used.items():
        assert set(small.frames[name][col]) == {m.value for m in enum}, (name, col)


def test_ids_unique_across_tables(small):
    ids = pd.concat([small.frames[t].id for t in ("territories", "organizations", "units",
                                                  "platforms", "resources", "members",
                                                  "tasks")])
    assert ids.notna().all() and ids.is_unique
    prefixes = {t: small.frames[t].id.str[0].unique().tolist() for t in (
        "territories", "organizations", "units", "platforms", "resources", "members", "tasks")}
    assert prefixes == {"territories": ["T"], "organizations": ["O"], "units": ["U"],
                        "platforms": ["P"], "resources": ["R"], "members": ["M"],
                        "tasks": ["K"]}


def test_references_resolve_except_planted(small):
    f = small.frames
    every = set(pd.concat([f[t].id for t in ("territories", "organizations", "units",
                                             "platforms", "members", "tasks")]))
    dangling = set()
    for name, spec in TABLES.items():
        for col in spec.columns:
            if col.dtype == "ref":
                values = set(f[name][col.name].dropna())
                dangling |= {(name, col.name, v) for v in values - every}
    key = small.answer_key
    orgs = f["organizations"].set_index("id")
    members = f["members"].set_index("id")
    for table, column, value in dangling:
        if table == "organizations":
            assert column == "parent_id"
            assert set(orgs.index[orgs.parent_id == value]) <= set(key["org_unreachable"])
        else:
            assert (table, column) == ("members", "org_id")
            assert set(members.index[members.org_id == value]) <= set(key["member_without_org"])


def test_reference_year_is_latest(small):
    f = small.frames
    assert f["resources"].year.max() == 2026
    assert f["links"].since.max() <= 2026
    assert pd.to_datetime(f["task_steps"]["at"]).dt.year.max() == 2026


def test_units_without_org_stay_below_three(small):
    f = small.frames
    own = set(f["organizations"].unit_id.dropna())
    u = f["units"]
    bare = u[~u.id.isin(own) & ~u.id.isin(small.answer_key["unit_without_org"])]
    assert (bare.party_members <= 2).all()
    m = f["members"]
    formal = m[m.status != MemberStatus.PROBATIONARY]
    assert formal.workplace_id.value_counts().reindex(bare.id).fillna(0).max() <= 2


# --- determinism and writing -----------------------------------------------------------------


def test_same_seed_same_files(tmp_path):
    a = write_dataset(tmp_path / "a", scale="small", seed=7)
    b = write_dataset(tmp_path / "b", scale="small", seed=7)
    write_dataset(tmp_path / "c", scale="small", seed=8)
    names = sorted(p.name for p in a.files)
    assert names == sorted(p.name for p in b.files)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "members.csv").read_bytes() != (
        tmp_path / "c" / "members.csv").read_bytes()
    assert a.counts["members"] == 6000
    key = json.loads((tmp_path / "a" / ANSWER_KEY).read_text(encoding="utf-8"))
    assert list(key) == list(CHECKS)


def test_csv_round_trip(tmp_path, small):
    write_dataset(tmp_path, scale="small", seed=0)
    links = pd.read_csv(tmp_path / "links.csv", dtype=str, keep_default_na=False)
    assert set(links.lead) == {"", "true", "false"}
    assert set(links.type) == {m.value for m in LinkType}
    res = pd.read_csv(tmp_path / "resources.csv", dtype=str, keep_default_na=False)
    assert not res.amount.str.endswith(".0").any()
    members = pd.read_csv(tmp_path / "members.csv", dtype=str, keep_default_na=False)
    assert members.id.tolist() == small.frames["members"].id.tolist()


def test_chinese_headers_and_gbk(tmp_path):
    write_dataset(tmp_path, scale="small", seed=0, headers="zh", encoding="gbk")
    for name, spec in TABLES.items():
        frame = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, encoding="gbk",
                            keep_default_na=False)
        assert list(frame.columns) == [c.zh[0] for c in spec.columns]
        for col in spec.columns:
            if col.category is not None:
                values = set(frame[col.zh[0]]) - {""}
                assert all(col.category.parse(v) is not None for v in values), (name, col.name)
                assert not values & {m.value for m in col.category}, (name, col.name)
    links = pd.read_csv(tmp_path / "links.csv", dtype=str, encoding="gbk", keep_default_na=False)
    assert set(links["是否牵头"]) == {"", "是", "否"}


def test_utf8_bom(tmp_path):
    write_dataset(tmp_path, scale=TWO_CITIES, seed=0, encoding="utf-8-sig")
    raw = (tmp_path / "territories.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    frame = pd.read_csv(tmp_path / "territories.csv", encoding="utf-8-sig")
    assert (frame.kind == "city").sum() == 2 and frame.id.is_unique


def test_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    written = write_dataset(tmp_path, scale="small", seed=0, format="xlsx", headers="zh")
    book = openpyxl.load_workbook(tmp_path / "dataset.xlsx", read_only=True)
    assert book.sheetnames == [TABLES[t].zh[0] for t in TABLES]
    rows = list(book[TABLES["members"].zh[0]].iter_rows(values_only=True))
    assert len(rows) == written.counts["members"] + 1
    assert rows[0][:3] == ("编号", "姓名", "组织编号")
    links = list(book[TABLES["links"].zh[0]].iter_rows(values_only=True))
    assert {r[2] for r in links[1:]} == {zh(m) for m in LinkType}
    assert isinstance(links[1][3], int)  # years stay numbers in Excel


def test_xlsx_refuses_many_cities(tmp_path):
    with pytest.raises(ValueError, match="csv"):
        write_dataset(tmp_path, scale=TWO_CITIES, format="xlsx")


def test_cities_of_a_province_do_not_share_ids():
    """(That the diagnosis of a province finds exactly its merged key: test_planted_problems.)"""
    cities = list(generate(TWO_CITIES, seed=1))
    assert len({c.name for c in cities}) == 2
    for table in ("territories", "organizations", "members", "tasks"):
        ids = pd.concat([c.frames[table].id for c in cities])
        assert ids.is_unique, table


def test_rates_validate_and_count():
    with pytest.raises(ValueError, match="weak_tie"):
        PlantRates(weak_tie=0.9)
    assert PlantRates().count("bridge_unit", 5) == 1
    assert PlantRates(bridge_unit=0).count("bridge_unit", 5) == 0


def test_bad_scale():
    with pytest.raises(ValueError, match="unknown scale"):
        next(generate("planet"))


def test_cli(tmp_path, capsys):
    from orgnet.cli import main

    assert main(["generate", "--scale", "small", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert "members" in capsys.readouterr().out
    assert (tmp_path / "members.csv").exists() and (tmp_path / ANSWER_KEY).exists()
    assert main(["generate", "--scale", "province", "--format", "xlsx", "--out",
                 str(tmp_path / "x")]) == 2


@pytest.mark.slow
def test_city_scale_is_fast_and_clearly_planted():
    """(That the diagnosis of a city finds exactly its key: test_planted_problems.)"""
    started = time.perf_counter()
    data = next(generate("city", seed=0))
    assert time.perf_counter() - started < 60
    assert len(data.frames["members"]) == 150_000
    assert len(data.frames["territories"].query("kind == 'compound'")) > 8_000
    assert_ties_clearly_strong_or_weak(build_model(data.frames), data.answer_key["weak_tie"])


def test_seeds_differ():
    """(That other seeds stay exactly diagnosable: test_planted_problems, seeds 1 and 2.)"""
    assert np.unique([generate_dataset("small", seed=s).name for s in (1, 2, 3)]).size >= 2
