"""Question 1: coverage gaps (覆盖盲区) — where the five-level chain is missing or broken.

Every check runs its named query (``queries/cypher/coverage/<check>.cypher``) on the store and
turns the rows into findings with a Chinese sentence. The chain walk behind ``org_unreachable``
is done in Python when the model is built (see that query's header).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, cast

from graphmodel.index import model_index
from graphmodel.schema import (
    EXPECTED_ORG,
    LEVEL_ZH,
    Level,
    LinkType,
    OrgKind,
    TerritoryKind,
    zh,
)
from queries.checks.base import CheckContext, Question, finding, query_of, rows
from queries.findings import Finding
from queries.run import run_query

__all__ = ["QUESTION", "coverage_metrics"]

QUESTION = Question("coverage")

# Every territory of the chain, the city included (DOMAIN.md rule 11).
CHAIN_TERRITORIES = [TerritoryKind.CITY, TerritoryKind.STREET, TerritoryKind.TOWNSHIP,
                     TerritoryKind.COMMUNITY, TerritoryKind.VILLAGE, TerritoryKind.GRID,
                     TerritoryKind.COMPOUND]
COMMUNITY_KINDS = [TerritoryKind.COMMUNITY.value, TerritoryKind.VILLAGE.value]

_CHAIN_STATUS_ZH = {
    "no_parent": "没有上级组织",
    "dangling": "上级组织编号不存在",
    "cycle": "上级关系构成循环",
}


def _kind_zh(enum: type, value: str | None) -> str:
    try:
        return zh(enum(value))
    except ValueError:
        return value or "?"




def _residents(ctx: CheckContext) -> Counter:
    """Members living in each territory, counted up through the containing territories."""
    if "residents" not in ctx.shared:
        direct = ctx.model.frame("members")["residence_id"].dropna().value_counts()
        ctx.shared["residents"] = model_index(ctx.model).counts_up(
            (cast(str, territory), int(n)) for territory, n in direct.items())
    return ctx.shared["residents"]


@QUESTION.check("territory_without_org")
def territory_without_org(ctx: CheckContext) -> Iterable[Finding]:
    """Territories of the chain with no party organization of their level."""
    result = run_query(ctx.store, query_of("territory_without_org"),
                       kinds=[k.value for k in CHAIN_TERRITORIES])
    residents = _residents(ctx)
    for row in rows(result):
        kind = TerritoryKind(row["kind"])
        expected = EXPECTED_ORG[kind]
        yield finding(
            "territory_without_org", row["subject"],
            f"{zh(kind)}“{row['name'] or row['subject']}”没有{zh(expected)}",
            detail={"territory_kind": kind.value, "expected_org_kind": expected.value,
                    "level": row["level"], "resident_members": residents.get(row["subject"], 0)})


@QUESTION.check("compound_without_owners_committee")
def compound_without_owners_committee(ctx: CheckContext) -> Iterable[Finding]:
    """Compounds lacking the 业委会 half of "院落党小组 + 业委会"."""
    result = run_query(ctx.store, query_of("compound_without_owners_committee"))
    for row in rows(result):
        has_group = (row["party_groups"] or 0) > 0
        tail = "" if has_group else "，也没有院落党小组"
        yield finding(
            "compound_without_owners_committee", row["subject"],
            f"小区院落“{row['name'] or row['subject']}”没有业委会{tail}",
            detail={"has_party_group": has_group, "parent_id": row["parent_id"]})


@QUESTION.check("unit_without_org")
def unit_without_org(ctx: CheckContext) -> Iterable[Finding]:
    """Units with enough formal members and no party organization of their own."""
    minimum = ctx.settings.min_formal_members_for_org
    result = run_query(ctx.store, query_of("unit_without_org"), min_members=minimum)
    for row in rows(result):
        yield finding(
            "unit_without_org", row["subject"],
            f"单位“{row['name'] or row['subject']}”有{row['formal_members']}名正式党员，"
            "尚未建立党组织",
            detail={"unit_kind": row["kind"], "formal_members": row["formal_members"],
                    "threshold": minimum})


@QUESTION.check("new_area_without_org")
def new_area_without_org(ctx: CheckContext) -> Iterable[Finding]:
    """New business areas where enough formal members work, with no party organization."""
    minimum = ctx.settings.min_formal_members_for_org
    result = run_query(ctx.store, query_of("new_area_without_org"), min_members=minimum)
    for row in rows(result):
        yield finding(
            "new_area_without_org", row["subject"],
            f"新业态区域“{row['name'] or row['subject']}”有{row['formal_workers']}名正式党员"
            "从业，尚未建立党组织覆盖",
            detail={"formal_workers": row["formal_workers"], "threshold": minimum})


@QUESTION.check("org_unreachable")
def org_unreachable(ctx: CheckContext) -> Iterable[Finding]:
    """Party organizations whose superiors never reach the city committee."""
    result = run_query(ctx.store, query_of("org_unreachable"))
    for row in rows(result):
        path = list(row["path"] or [])
        status = row["chain_status"]
        broken_at = path[-1] if status == "no_parent" else (path[-2] if len(path) > 1 else None)
        yield finding(
            "org_unreachable", row["subject"],
            f"“{row['name'] or row['subject']}”沿上级关系无法到达县市党委"
            f"（{_CHAIN_STATUS_ZH.get(status, status)}）",
            path=path,
            detail={"org_kind": row["kind"], "reason": status, "broken_at": broken_at})


@QUESTION.check("org_skips_level")
def org_skips_level(ctx: CheckContext) -> Iterable[Finding]:
    """Chain organizations reporting more than one level up."""
    result = run_query(ctx.store, query_of("org_skips_level"))
    for row in rows(result):
        skipped = int(row["level"]) - int(row["superior_level"]) - 1
        superior = ctx.model.name(row["superior_id"])
        yield finding(
            "org_skips_level", row["subject"],
            f"{_kind_zh(OrgKind, row['kind'])}“{row['name'] or row['subject']}”直接隶属"
            f"{_kind_zh(OrgKind, row['superior_kind'])}“{superior}”，越过了{skipped}级",
            path=[row["subject"], row["superior_id"]],
            detail={"org_kind": row["kind"], "level": row["level"],
                    "superior_kind": row["superior_kind"],
                    "superior_level": row["superior_level"], "skipped_levels": skipped})


@QUESTION.check("org_territory_mismatch")
def org_territory_mismatch(ctx: CheckContext) -> Iterable[Finding]:
    """Chain organizations whose superior covers a territory not containing theirs."""
    result = run_query(ctx.store, query_of("org_territory_mismatch"))
    for row in rows(result):
        expected_parent = ctx.model.parent_territory(row["territory_id"])
        expected_orgs = [o for o in ctx.model.covering_orgs(expected_parent or "")
                         if ctx.model.node(o).get("category") == "chain"]
        superior = ctx.model.name(row["superior_id"])
        yield finding(
            "org_territory_mismatch", row["subject"],
            f"“{row['name'] or row['subject']}”隶属于“{superior}”，但后者并不覆盖其所在区域"
            f"“{ctx.model.name(expected_parent) if expected_parent else '?'}”",
            path=[row["subject"], row["superior_id"]],
            detail={"org_kind": row["kind"], "territory_id": row["territory_id"],
                    "superior_territory_id": row["superior_territory_id"],
                    "containing_territory_id": expected_parent,
                    "expected_superior_ids": expected_orgs})


@QUESTION.check("member_without_org")
def member_without_org(ctx: CheckContext) -> Iterable[Finding]:
    """Members with an empty or unknown organization (游离党员); by id only, never names."""
    result = run_query(ctx.store, query_of("member_without_org"))
    for row in rows(result):
        org = row["org_id"]
        org_kind = ctx.model.node(org).get("kind") if org else None
        if not org:
            reason = "组织编号为空"
        elif org_kind is None:
            reason = "组织编号不存在"
        else:  # a mass organization (DOMAIN.md rule 10)
            reason = f"所属的{_kind_zh(OrgKind, org_kind)}不是党组织"
        yield finding(
            "member_without_org", row["subject"],
            f"党员{row['subject']}没有组织关系（{reason}）",
            detail={"org_id": row["org_id"], "org_kind": org_kind,
                    "residence_id": row["residence_id"], "status": row["status"]})


@QUESTION.check("community_without_cobuilding_unit")
def community_without_cobuilding_unit(ctx: CheckContext) -> Iterable[Finding]:
    """Communities with no unit tied to them, to their committee or to anything inside them
    by a co-building, dual-reporting or responsible-unit tie (DOMAIN.md rule 2)."""
    result = run_query(ctx.store, query_of("community_without_cobuilding_unit"),
                       kinds=COMMUNITY_KINDS,
                       types=[LinkType.CO_BUILDING.value, LinkType.DUAL_REPORTING.value,
                              LinkType.RESPONSIBLE_UNIT.value])
    for row in rows(result):
        yield finding(
            "community_without_cobuilding_unit", row["subject"],
            f"{_kind_zh(TerritoryKind, row['kind'])}“{row['name'] or row['subject']}”"
            "没有任何共建单位（共驻共建、双报到或责任单位）",
            detail={"territory_kind": row["kind"], "parent_id": row["parent_id"]})


@QUESTION.check("community_without_lead_unit")
def community_without_lead_unit(ctx: CheckContext) -> Iterable[Finding]:
    """Communities with responsible units but no lead unit (牵头单位)."""
    result = run_query(ctx.store, query_of("community_without_lead_unit"), kinds=COMMUNITY_KINDS)
    for row in rows(result):
        yield finding(
            "community_without_lead_unit", row["subject"],
            f"{_kind_zh(TerritoryKind, row['kind'])}“{row['name'] or row['subject']}”有"
            f"{row['responsible_ties']}个责任单位，但没有牵头单位",
            detail={"territory_kind": row["kind"], "responsible_ties": row["responsible_ties"]})


@QUESTION.check("unclaimed_unmanaged_compound")
def unclaimed_unmanaged_compound(ctx: CheckContext) -> Iterable[Finding]:
    """Unmanaged compounds nobody claimed (无人管理小区无人认领)."""
    result = run_query(ctx.store, query_of("unclaimed_unmanaged_compound"))
    for row in rows(result):
        yield finding(
            "unclaimed_unmanaged_compound", row["subject"],
            f"无人管理小区“{row['name'] or row['subject']}”没有单位认领",
            detail={"households": row["households"], "parent_id": row["parent_id"]})


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------

def coverage_metrics(ctx: CheckContext) -> dict[str, Any]:
    """Coverage ratios per scope and level, compound pairs and unorganized members.

    ``coverage``: for the city, each street/township and each community/village, for every
    chain level below it, how many territories are covered by a chain organization of their
    level. ``compound_pairs``: per community, compounds with both a group and a 业委会.
    ``unorganized_members``: per community, members living there with no (known) organization.
    """
    model = ctx.model
    G = model.G
    index = model_index(model)
    covered: set[str] = set()
    owners: set[str] = set()
    for n, data in G.nodes(data=True):
        if data.get("entity") != "organization":
            continue
        territory = model.covered_territory(n)
        if territory is None:
            continue
        if data.get("category") == "chain" and data.get("level") == model.node(territory).get(
                "level"):
            covered.add(territory)
        if data.get("kind") == OrgKind.OWNERS_COMMITTEE:
            owners.add(territory)
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    scope_levels = frozenset({Level.CITY, Level.STREET, Level.COMMUNITY})
    for t, data in G.nodes(data=True):
        level = data.get("level")
        if data.get("entity") != "territory" or level is None or level == Level.CITY:
            continue
        for ancestor in index.ancestors(t):
            if model.node(ancestor).get("level") in scope_levels:
                cell = totals[(ancestor, int(level))]
                cell[0] += t in covered
                cell[1] += 1
        if data.get("kind") == TerritoryKind.COMPOUND:
            community = index.community_of_territory(t)
            if community:
                pairs[community][0] += t in covered and t in owners
                pairs[community][1] += 1
    coverage = [
        {"scope": scope, "scope_kind": model.node(scope).get("kind"),
         "level": Level(level).name.lower(), "level_zh": LEVEL_ZH[Level(level)],
         "covered": c, "total": n, "ratio": round(c / n, 4) if n else None}
        for (scope, level), (c, n) in sorted(totals.items())
    ]
    members = model.frame("members")
    # A member of a mass organization has no party organization (DOMAIN.md rule 10).
    known = members["org_id"].map(lambda o: model.entity_of.get(o) == "organization"
                                  and model.node(o).get("category") != "mass")
    loose = members.loc[~known.astype(bool), "residence_id"].dropna()
    unorganized: Counter = Counter()
    for residence, n in cast("dict[str, int]", loose.value_counts().to_dict()).items():
        community = index.community_of_territory(residence)
        if community:
            unorganized[community] += int(n)
    no_group: Counter = Counter()
    residents = members["residence_id"].dropna().value_counts()
    for residence, n in cast("dict[str, int]", residents.to_dict()).items():
        if model.node(residence).get("kind") == TerritoryKind.COMPOUND and residence not in covered:
            community = index.community_of_territory(residence)
            if community:
                no_group[community] += int(n)
    communities = sorted(set(pairs) | set(unorganized) | set(no_group))
    return {
        "coverage": coverage,
        "compound_pairs": [{"community": c, "compounds": pairs[c][1], "pairs": pairs[c][0],
                            "ratio": round(pairs[c][0] / pairs[c][1], 4) if pairs[c][1] else None}
                           for c in sorted(pairs)],
        "unorganized_members": [{"community": c, "without_org": unorganized.get(c, 0),
                                 "in_compound_without_group": no_group.get(c, 0)}
                                for c in communities
                                if unorganized.get(c, 0) or no_group.get(c, 0)],
    }


QUESTION.metrics.append(coverage_metrics)
