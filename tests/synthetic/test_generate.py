"""The synthetic dataset generator: determinism, the input contract, and that the answer key
is exactly what the data holds.

``_oracle`` below is a plain reading of each check of FINDINGS.md, written for these tests only
(pandas and networkx, no database). The generator must make it find the planted subjects and
nothing else; where a definition admits two readings (compounds in the co-building network or
not, platform territory as a tie or not) the oracle tries both, so the clean data stays clean
under either.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphmodel.schema import (
    EXPECTED_ORG,
    GRASSROOTS_ORG_KINDS,
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
from graphmodel.synthetic import (
    ANSWER_KEY,
    CHECKS,
    PlantRates,
    ScaleSpec,
    generate,
    generate_dataset,
    write_dataset,
)

FINDINGS = Path(__file__).resolve().parents[3] / "shared" / "FINDINGS.md"
COMMUNITY_KINDS = {TerritoryKind.COMMUNITY, TerritoryKind.VILLAGE}
COMMITTEE_KINDS = {OrgKind.COMMUNITY_COMMITTEE, OrgKind.VILLAGE_COMMITTEE}
Frames = dict[str, pd.DataFrame]


@pytest.fixture(scope="module")
def small():
    return generate_dataset("small", seed=0)


@pytest.fixture(scope="module")
def clean():
    return generate_dataset("small", seed=5, rates=PlantRates.none())


# --- a plain reading of every check --------------------------------------------------------


class _Index:
    """Lookups shared by the oracle's checks."""

    def __init__(self, f: Frames) -> None:
        self.f = f
        t, o = f["territories"], f["organizations"]
        self.t_kind = dict(zip(t.id, t.kind, strict=True))
        self.t_parent = dict(zip(t.id, t.parent_id, strict=True))
        self.o_kind = dict(zip(o.id, o.kind, strict=True))
        self.o_parent = dict(zip(o.id, o.parent_id, strict=True))
        self.o_terr = dict(zip(o.id, o.territory_id, strict=True))
        self.p_kind = dict(zip(f["platforms"].id, f["platforms"].kind, strict=True))
        self.units = f["units"].set_index("id")
        self.members = f["members"]
        self.cadres = set(self.members.id[self.members.sent_to_id.notna()])
        self.ref_year = int(max(f["resources"].year.max(), f["links"].since.max(),
                                pd.to_datetime(f["tasks"].created).dt.year.max()))

    def community(self, x: object) -> object:
        """A community committee stands for its community (DOMAIN.md)."""
        if self.o_kind.get(x) in COMMITTEE_KINDS:
            return self.o_terr[x]
        return x

    def is_community(self, x: object) -> bool:
        return self.t_kind.get(x) in COMMUNITY_KINDS


def _oracle(f: Frames, *, compounds_as_communities: bool = False,
            orgs_in_network: bool = True) -> dict[str, set[str]]:
    ix = _Index(f)
    found: dict[str, set[str]] = {c: set() for c in CHECKS}
    _coverage(ix, found)
    _weak_ties(ix, found)
    found["bridge_unit"] = _bridges(ix, compounds_as_communities, orgs_in_network)
    _backflow(ix, found)
    return found


def _coverage(ix: _Index, found: dict[str, set[str]]) -> None:
    f = ix.f
    o, links, m = f["organizations"], f["links"], f["members"]
    covers = set(zip(o.territory_id, o.kind, strict=True))
    for tid, kind in ix.t_kind.items():
        tk = TerritoryKind(kind)
        if tk.level is not None and tk.level > Level.CITY and (tid, EXPECTED_ORG[tk]) not in covers:
            found["territory_without_org"].add(tid)
        if tk is TerritoryKind.COMPOUND and (tid, OrgKind.OWNERS_COMMITTEE) not in covers:
            found["compound_without_owners_committee"].add(tid)

    formal = m[m.status.map(lambda s: MemberStatus(s).is_formal)]
    workers = formal.workplace_id.value_counts()
    u = ix.units
    own = set(o.unit_id[o.kind == OrgKind.UNIT_ORG])
    for uid, pm in u.party_members.items():
        if max(pm, workers.get(uid, 0)) >= 3 and uid not in own:
            found["unit_without_org"].add(uid)
    area_of = u.territory_id[u.territory_id.map(ix.t_kind) == TerritoryKind.BUSINESS_AREA]
    declared = u.party_members[area_of.index].groupby(area_of).sum()
    working = formal.workplace_id.map(area_of).value_counts()
    for aid, kind in ix.t_kind.items():
        needs = max(declared.get(aid, 0), working.get(aid, 0)) >= 3
        if (kind == TerritoryKind.BUSINESS_AREA and needs
                and (aid, OrgKind.BUSINESS_AREA_COMMITTEE) not in covers):
            found["new_area_without_org"].add(aid)

    for oid, kind in ix.o_kind.items():
        ok = OrgKind(kind)
        if not ok.is_party:
            continue
        cur, seen = oid, set()
        while ix.o_kind.get(cur) != OrgKind.CITY_COMMITTEE:
            seen.add(cur)
            cur = ix.o_parent.get(cur)
            if cur is None or cur not in ix.o_kind or cur in seen:
                found["org_unreachable"].add(oid)
                break
        parent = ix.o_parent[oid]
        if ok.level is None or parent not in ix.o_kind:
            continue
        plevel = OrgKind(ix.o_kind[parent]).level
        if plevel is None:
            continue
        if plevel < ok.level - 1:
            found["org_skips_level"].add(oid)
        elif plevel == ok.level - 1 and ix.o_terr[parent] != ix.t_parent[ix.o_terr[oid]]:
            found["org_territory_mismatch"].add(oid)

    found["member_without_org"] = set(m.id[~m.org_id.isin(ix.o_kind)])

    tgt = links.target_id.map(ix.community)
    unit_ties = links[links.type.isin([LinkType.CO_BUILDING, LinkType.DUAL_REPORTING])]
    tied = set(tgt[unit_ties.index])
    responsible = links[links.type == LinkType.RESPONSIBLE_UNIT]
    has_resp = set(tgt[responsible.index])
    has_lead = set(tgt[responsible.index[responsible.lead.fillna(False).astype(bool)]])
    for tid, kind in ix.t_kind.items():
        if kind in COMMUNITY_KINDS:
            if tid not in tied:
                found["community_without_cobuilding_unit"].add(tid)
            if tid in has_resp and tid not in has_lead:
                found["community_without_lead_unit"].add(tid)
    t = f["territories"]
    unmanaged = t.id[(t.kind == TerritoryKind.COMPOUND) & (t.managed == False)]  # noqa: E712
    claimed = set(links.target_id[links.type == LinkType.CLAIM])
    found["unclaimed_unmanaged_compound"] = set(unmanaged) - claimed


def tie_scores(f: Frames, settings: Settings | None = None) -> pd.Series:
    """Score of each scored tie by the formula in graphmodel/settings.py, indexed by subject.

    Resources count when delivered from the tie's unit to its community (or its committee).
    """
    s = settings or Settings()
    ix = _Index(f)
    links = f["links"]
    res = f["resources"]
    res = res[res.delivered.fillna(False).astype(bool) & res.recipient_id.notna()]
    delivered = pd.Series(list(zip(res.provider_id, res.recipient_id.map(ix.community),
                                   strict=True))).value_counts()
    w, tg = s.weights, s.targets
    scores = {}
    for row in links[links.type.isin(list(SCORED_LINKS))].itertuples():
        parts = {
            "meetings": min(row.meetings_per_year / tg.meetings, 1),
            "activities": min(row.activities / tg.activities, 1),
            "resources": min(delivered.get((row.source_id, ix.community(row.target_id)), 0)
                             / tg.resources, 1),
            "duration": min((ix.ref_year - row.since) / tg.duration_years, 1),
            "reciprocity": {"both": 1.0, "source": 0.5, "target": 0.0}[row.initiated_by],
        }
        total = sum(getattr(w, k) for k in parts)
        scores[f"{row.source_id}->{row.target_id}"] = sum(getattr(w, k) * v
                                                          for k, v in parts.items()) / total
    return pd.Series(scores)


def _weak_ties(ix: _Index, found: dict[str, set[str]]) -> None:
    f = ix.f
    links, res = f["links"], f["resources"]
    scores = tie_scores(f)
    found["weak_tie"] = set(scores.index[scores < Settings().weak_tie_threshold])

    support: dict[object, set[object]] = defaultdict(set)
    for row in links[links.type.isin(list(SCORED_LINKS))].itertuples():
        support[ix.community(row.target_id)].add(row.source_id)
    done = res[res.delivered.fillna(False).astype(bool) & res.recipient_id.notna()]
    for provider, recipient in zip(done.provider_id, done.recipient_id, strict=True):
        support[ix.community(recipient)].add(provider)
    found["single_unit_dependency"] = {c for c, units in support.items()
                                       if ix.is_community(c) and len(units) == 1}

    ms = links[links.type == LinkType.MEMBERSHIP]
    low = ms[ms.attendance_rate < Settings().attendance_threshold]
    found["low_attendance"] = {f"{a}->{b}" for a, b in zip(low.source_id, low.target_id,
                                                           strict=True)}
    steps = f["task_steps"]
    seen = set(steps.from_id) | set(steps.to_id.dropna())
    found["cadre_low_contact"] = ix.cadres - seen


def cobuilding_graph(ix: _Index, compounds_as_communities: bool = False,
                     orgs_in_network: bool = True) -> nx.Graph:
    """The co-building network of DOMAIN.md, with communities for their committees."""
    def node(x: object) -> object:
        x = ix.community(x)
        if compounds_as_communities and ix.t_kind.get(x) == TerritoryKind.COMPOUND:
            return ix.t_parent[ix.t_parent[x]]  # compound -> grid -> community
        return x

    G = nx.Graph()
    for source, target in zip(ix.f["links"].source_id, ix.f["links"].target_id, strict=True):
        a, b = node(source), node(target)
        if orgs_in_network or (a not in ix.o_kind and b not in ix.o_kind):
            G.add_edge(a, b)
    return G


def _bridges(ix: _Index, compounds_as_communities: bool, orgs_in_network: bool) -> set[str]:
    G = cobuilding_graph(ix, compounds_as_communities, orgs_in_network)
    out = set()
    for v in nx.articulation_points(G):
        if v not in ix.units.index and v not in ix.p_kind:
            continue
        H = G.subgraph(n for n in nx.node_connected_component(G, v) if n != v)
        parts = [c for c in nx.connected_components(H) if any(map(ix.is_community, c))]
        if len(parts) > 1:
            out.add(v)
    return out


def routes(f: Frames) -> dict[str, tuple[list[object], object]]:
    """Holder sequence (assignee first, then each pass) and handler (None: open) per task."""
    steps = f["task_steps"].sort_values(["task_id", "step", "at"])
    out: dict[str, tuple[list[object], object]] = {
        tid: ([who], None) for tid, who in zip(f["tasks"].id, f["tasks"].assigned_to_id,
                                               strict=True)}
    for row in steps.itertuples():
        seq = out[row.task_id][0]
        if row.action == StepAction.HANDLE:
            out[row.task_id] = (seq, row.from_id)
        else:
            seq.append(row.to_id)
    return out


def _backflow(ix: _Index, found: dict[str, set[str]]) -> None:
    f = ix.f
    u = ix.units
    high = set(u.index[(u.admin_rank.map(lambda r: AdminRank(r).order) >= AdminRank.COUNTY.order)
                       | (u.kind == UnitKind.FUNCTIONAL_DEPARTMENT)]) | set(ix.p_kind)
    grassroots = {o for o, k in ix.o_kind.items() if k in GRASSROOTS_ORG_KINDS}
    vanguards = {p for p, k in ix.p_kind.items() if k == PlatformKind.VANGUARD_TEAM}
    for tid, (seq, handler) in routes(f).items():
        if seq[0] in high and handler in grassroots:
            found["backflow_path"].add(tid)
        if ix.o_kind.get(seq[0]) in COMMITTEE_KINDS and (handler in ix.cadres
                                                         or handler in vanguards):
            found["misplaced_responsibility"].add(tid)
        double = any(seq[i] == seq[i + 2] and seq[i + 1] == seq[i + 3]
                     for i in range(len(seq) - 3))
        cycle = any(seq[i] == seq[j] for i in range(len(seq)) for j in range(i + 3, len(seq)))
        if double or cycle:
            found["ping_pong"].add(tid)

    # A tie to a work team: a link either way, or (the strict reading) convening or hosting one.
    p, links = f["platforms"], f["links"]
    teams = p[p.kind == PlatformKind.WORK_TEAM]
    touching = set(teams.convener_id) | set(teams.territory_id)
    for a, b in zip(links.source_id, links.target_id, strict=True):
        if b in set(teams.id):
            touching.add(a)
        if a in set(teams.id):
            touching.add(b)
    for oid in grassroots:
        if oid not in touching and ix.o_terr[oid] not in touching:
            found["no_feedback_channel"].add(oid)


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


def test_key_equals_oracle(small):
    found = _oracle(small.frames)
    for check in CHECKS:
        assert found[check] == set(small.answer_key[check]), check


def test_clean_dataset_has_no_findings(clean):
    assert all(not v for v in clean.answer_key.values())
    found = _oracle(clean.frames)
    assert {c: s for c, s in found.items() if s} == {}


@pytest.mark.parametrize("compounds_as_communities", [False, True])
@pytest.mark.parametrize("orgs_in_network", [False, True])
def test_bridges_under_either_reading(small, compounds_as_communities, orgs_in_network):
    ix = _Index(small.frames)
    assert _bridges(ix, compounds_as_communities, orgs_in_network) == set(
        small.answer_key["bridge_unit"])


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


def test_tie_scores_are_clearly_strong_or_weak(small):
    scores = tie_scores(small.frames)
    weak = scores.index.isin(small.answer_key["weak_tie"])
    assert scores[weak].max() <= 0.15
    assert scores[~weak].min() >= 0.5


def test_attendance_is_clearly_good_or_low(small):
    links = small.frames["links"]
    ms = links[links.type == LinkType.MEMBERSHIP]
    low = (ms.source_id + "->" + ms.target_id).isin(small.answer_key["low_attendance"])
    assert ms.attendance_rate[low].max() < 0.3
    assert ms.attendance_rate[~low].min() >= 0.7
    assert links.attendance_rate[links.type != LinkType.MEMBERSHIP].isna().all()


def test_communities_have_two_units_unless_planted(small):
    f = small.frames
    ix = _Index(f)
    links = f["links"]
    ties = links[links.type.isin([LinkType.CO_BUILDING, LinkType.DUAL_REPORTING])]
    units = ties.groupby(ties.target_id.map(ix.community)).source_id.nunique()
    planted = set(small.answer_key["single_unit_dependency"]) | set(
        small.answer_key["community_without_cobuilding_unit"])
    for cid, kind in ix.t_kind.items():
        if kind in COMMUNITY_KINDS and cid not in planted:
            assert units.get(cid, 0) >= 2, cid


def test_chain_parents_follow_territories(small):
    """Clean chain organizations report to the organization of the parent territory."""
    ix = _Index(small.frames)
    key = small.answer_key
    broken = set(key["org_unreachable"]) | set(key["org_skips_level"]) | set(
        key["org_territory_mismatch"])
    cover = {(t, k): o for o, k, t in zip(ix.o_kind, ix.o_kind.values(), ix.o_terr.values(),
                                          strict=True)}
    for oid, kind in ix.o_kind.items():
        level = OrgKind(kind).level
        if level is None or level == Level.CITY or oid in broken:
            continue
        parent_t = ix.t_parent[ix.o_terr[oid]]
        expected = cover.get((parent_t, EXPECTED_ORG[TerritoryKind(ix.t_kind[parent_t])]))
        if expected is None:  # its grid has no branch: a planted territory_without_org
            assert parent_t in key["territory_without_org"]
            continue
        assert ix.o_parent[oid] == expected, oid


def test_routes(small):
    """Steps are numbered from 1, the handle step has no receiver, open tasks exist, and the
    file is not in route order."""
    steps = small.frames["task_steps"]
    handle = steps.action == StepAction.HANDLE
    assert steps.to_id[handle].isna().all() and steps.to_id[~handle].notna().all()
    closed = set(steps.task_id[handle])
    assert len(closed) < len(small.frames["tasks"])  # some are still open
    assert not steps.sort_values(["task_id", "step", "at"]).index.equals(steps.index)
    assert steps.groupby("task_id").step.min().eq(1).all()
    assert (steps.duplicated(["task_id", "step"])).any()  # `at` breaks the tie
    first = steps[steps.step == 1].drop_duplicates("task_id").set_index("task_id").from_id
    assigned = small.frames["tasks"].set_index("id").assigned_to_id
    assert (first == assigned[first.index]).all()


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
    spec = ScaleSpec("two", 2, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)
    write_dataset(tmp_path, scale=spec, seed=0, encoding="utf-8-sig")
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
    spec = ScaleSpec("two", 2, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)
    with pytest.raises(ValueError, match="csv"):
        write_dataset(tmp_path, scale=spec, format="xlsx")


def test_cities_of_a_province_do_not_share_ids():
    spec = ScaleSpec("two", 2, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)
    cities = list(generate(spec, seed=1))
    assert len({c.name for c in cities}) == 2
    for table in ("territories", "organizations", "members", "tasks"):
        ids = pd.concat([c.frames[table].id for c in cities])
        assert ids.is_unique, table
    for c in cities:
        assert _oracle(c.frames) == {k: set(v) for k, v in c.answer_key.items()}


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
def test_city_scale_is_fast_and_correct():
    started = time.perf_counter()
    data = next(generate("city", seed=0))
    assert time.perf_counter() - started < 60
    assert len(data.frames["members"]) == 150_000
    assert len(data.frames["territories"].query("kind == 'compound'")) > 8_000
    found = _oracle(data.frames)
    for check in CHECKS:
        assert found[check] == set(data.answer_key[check]), check
    scores = tie_scores(data.frames)
    weak = scores.index.isin(data.answer_key["weak_tie"])
    assert scores[weak].max() <= 0.15 and scores[~weak].min() >= 0.5


def test_seeds_differ_but_stay_valid():
    for seed in (1, 2):
        data = generate_dataset("small", seed=seed)
        found = _oracle(data.frames)
        assert found == {k: set(v) for k, v in data.answer_key.items()}, seed
    assert np.unique([generate_dataset("small", seed=s).name for s in (1, 2, 3)]).size >= 2
