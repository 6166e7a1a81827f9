"""Question 3: responsibility backflow (责任回流) and ping-pong (推诿).

Preparation (Python, :mod:`queries.algorithms.routes`): every task's steps are put in order and
walked into a route; the results are written onto the graph so analysts can follow them in
Cypher — on ``Task`` nodes ``route``, ``route_length``, ``hops``, ``status`` (open/closed),
``final_handler_id``, ``current_holder_id``, ``route_from_assignee``, ``ping_pong_pattern`` and
``ping_pong_path``, and one ``HANDLED_BY`` relationship from each closed task to its final
handler (replacing any from an earlier run).

Then every check runs its named query (``queries/cypher/backflow/<check>.cypher``) on the store
and turns the rows into findings:

- ``backflow_path`` (``high``, FINDINGS.md);
- ``ping_pong`` (``medium``): direct evidence of buck-passing on one task, but the task may
  still get done; not a missing organization or broken chain;
- ``misplaced_responsibility`` (``medium``): the work was done, by the wrong party; the
  committee's subject responsibility (主体责任) is displaced on that task;
- ``no_feedback_channel`` (``low``): a missing channel is a risk, not an observed failure, and
  it is common enough that a higher severity would bury the task findings.

Metrics (``backflow_metrics``):

- ``flow``: one entry per organization, unit, platform or territory that held a task (members
  are left out: they are people, not organizations; a street, township, community or village
  territory counts as its committee when one covers it), with ``org``, ``entity``, ``kind``,
  ``name``, ``level``, ``street`` and the counts of
  :func:`queries.algorithms.routes.party_flow`: ``received``, ``pushed_back`` (returned or
  passed on without handling it), ``absorbed`` (handled), ``returned``, ``transferred``,
  ``escalated``, ``open``;
- ``flow_by_level``: per chain level (plus ``other`` when anything falls outside the chain):
  ``tasks_assigned`` (by assignee), ``tasks_handled`` (closed tasks by final handler),
  ``backflow_tasks`` (``backflow_path`` findings by handler), ``pushed_back`` and ``absorbed``
  (sums over the parties at that level, members included), ``resources_received`` (delivered
  resources by recipient), ``funds_received`` (their amount, funds only),
  ``resources_provided`` (every resource row by provider); then ``handled_share`` and
  ``resource_share`` (of all tasks handled / resources received) and ``gap`` = their
  difference: positive where a level does more of the work than it gets of the resources —
  the "资源都在上面，责任都在下面" mismatch as one number (null when a total is 0);
- ``flow_by_street``: the same per street or township (``street``, ``name``), counting the
  parties at street level and below located in it; shares are of the totals over streets;
- ``top_pushers`` / ``top_absorbers``: the ``settings.top_n`` parties of ``flow`` with the most
  tasks pushed back / absorbed (ties by id), with ``share`` = that count / ``received``.

Levels: a chain organization has its own; a unit ranked county or above counts at level 1
(county/city), a section-rank unit at level 2, an unranked unit at ``other``; a unit's own party
organization as its unit; a platform, a mass organization or a territory at the level of its
territory; a member at the level of where they were sent down (else of their organization).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import pandas as pd

from graphmodel.index import model_index
from graphmodel.model import OrgModel, Rel
from graphmodel.schema import (
    EXPECTED_ORG,
    GRASSROOTS_ORG_KINDS,
    LEVEL_ZH,
    AdminRank,
    Entity,
    Level,
    OrgCategory,
    OrgKind,
    PlatformKind,
    ResourceKind,
    StepAction,
    TerritoryKind,
    UnitKind,
    zh,
)
from graphmodel.steps import hop_actions
from graphmodel.storage import LABEL_OF_ENTITY, REL_TABLES
from graphmodel.store import GraphStore
from queries.algorithms.cobuilding import street_of_nodes
from queries.algorithms.routes import (
    CYCLE,
    ROUND_TRIPS,
    ROUTE_COLUMNS,
    handled_by_rels,
    party_flow,
    task_routes,
)
from queries.checks.base import (
    CheckContext,
    Question,
    display_name,
    finding,
    query_of,
    read_back,
    rows,
)
from queries.derived import stored_routes
from queries.findings import Finding
from queries.run import run_query

__all__ = ["QUESTION", "backflow_metrics", "write_routes"]

QUESTION = Question("backflow")

_SHARED = "backflow"  # ctx.shared key: {"routes": frame, "backflow_tasks": {task: handler}}

# Assignees a backflow starts from: a unit ranked county or above, a functional department
# (any rank) or a platform (any kind). Unit and platform kinds do not overlap.
MIN_RANK_ORDER = AdminRank.COUNTY.order
BACKFLOW_ASSIGNEE_KINDS = [UnitKind.FUNCTIONAL_DEPARTMENT.value, *(k.value for k in PlatformKind)]
# Handlers a backflow ends at: street, township, community and village organizations, or the
# territory itself (a community and its committee are one party, DOMAIN.md).
GRASSROOTS_TERRITORY_KINDS = [TerritoryKind.STREET.value, TerritoryKind.TOWNSHIP.value,
                              TerritoryKind.COMMUNITY.value, TerritoryKind.VILLAGE.value]
BACKFLOW_HANDLER_KINDS = sorted(k.value for k in GRASSROOTS_ORG_KINDS) + GRASSROOTS_TERRITORY_KINDS
# misplaced_responsibility: assigned to a community or village committee (or the territory).
COMMITTEE_KINDS = [OrgKind.COMMUNITY_COMMITTEE.value, OrgKind.VILLAGE_COMMITTEE.value,
                   TerritoryKind.COMMUNITY.value, TerritoryKind.VILLAGE.value]
SENT_DOWN_CADRE = "sent_down_cadre"  # handler_role of a member with sent_to_id

# Where flow is reported (members are people: by id in findings, not in the flow tables).
_FLOW_ENTITIES = {Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM, Entity.TERRITORY}
_RANK_LEVEL = {AdminRank.PROVINCE.value: Level.CITY, AdminRank.CITY.value: Level.CITY,
               AdminRank.COUNTY.value: Level.CITY, AdminRank.SECTION.value: Level.STREET}
_OTHER_LEVEL = "other"
_PATTERN_ZH = {ROUND_TRIPS: "被来回推诿", CYCLE: "绕圈流转",
               f"{ROUND_TRIPS}+{CYCLE}": "被来回推诿、绕圈流转"}


# --- helpers ---------------------------------------------------------------------------------





def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _task_title(row: dict[str, Any]) -> str:
    return row.get("title") or row["subject"]


def _routes(ctx: CheckContext) -> pd.DataFrame:
    return ctx.shared[_SHARED]["routes"]


# --- preparation -----------------------------------------------------------------------------


def write_routes(store: GraphStore, model: OrgModel, routes: pd.DataFrame) -> None:
    """Write task routes onto the graph: the route properties of every ``Task`` node, and one
    ``HANDLED_BY`` relationship per closed task to its final handler (earlier ones removed).
    """
    props = routes[list(ROUTE_COLUMNS)].drop(columns="assigned_to_id").reset_index(drop=True)
    # An empty list, not null, for a task that does not bounce: "checked, no bounce" (null is
    # "never computed").
    props["ping_pong_path"] = props["ping_pong_path"].map(lambda p: [] if p is None else p)
    task = LABEL_OF_ENTITY[Entity.TASK]
    store.set_properties(task, "id", props)
    rels = handled_by_rels(routes)
    handled_by = next(r for r in REL_TABLES if r.name == Rel.HANDLED_BY)
    targets = {to for _, to in handled_by.pairs}
    rels["to_label"] = rels["to"].map(lambda v: _label_of(model, v))
    rels["from_label"] = task
    rels = rels[rels["to_label"].isin(targets)]
    store.replace_rels(Rel.HANDLED_BY, rels[["from_label", "from", "to_label", "to"]])


def _committee_of_territory(model: OrgModel) -> dict[str, str]:
    """Street, township, community and village territory -> the one chain organization of its
    level covering it (DOMAIN.md: a community and its committee are one party). A territory
    covered by none or by several is left out."""
    o = model.frame("organizations")
    t = model.frame("territories")
    kind_of = dict(zip(t["id"], t["kind"], strict=True))
    found: dict[str, list[str]] = {}
    for oid, kind, territory in zip(o["id"], o["kind"], o["territory_id"], strict=True):
        tkind = kind_of.get(territory) if isinstance(territory, str) else None
        if tkind in GRASSROOTS_TERRITORY_KINDS and kind == EXPECTED_ORG[TerritoryKind(tkind)]:
            found.setdefault(territory, []).append(oid)
    return {territory: orgs[0] for territory, orgs in found.items() if len(orgs) == 1}


def _prepare_routes(ctx: CheckContext) -> None:
    """Order every task's steps into a route; write the routes onto the graph."""
    model = ctx.model
    same_party = _committee_of_territory(model)
    routes = None
    if ctx.store.holds_derived:
        with read_back("task routes"):
            routes = stored_routes(ctx.store, model.frame("tasks"))
    if routes is None:
        routes = task_routes(model.frame("tasks"), model.frame("task_steps"),
                             same_party=same_party)
        write_routes(ctx.store, model, routes)
    ctx.shared[_SHARED] = {"routes": routes, "backflow_tasks": {}, "same_party": same_party}


QUESTION.prepare.append(_prepare_routes)


# --- checks ----------------------------------------------------------------------------------


def _label_of(model: OrgModel, entity_id: str) -> str | None:
    """The node label of the party ``entity_id`` (None for an unknown id)."""
    entity = model.entity_of.get(entity_id)
    return None if entity is None else LABEL_OF_ENTITY.get(entity)


def _assignee_zh(model: OrgModel, row: dict[str, Any]) -> str:
    """How a backflow's assignee is described: 县级单位, 县级驻区职能部门, 工作专班 ..."""
    kind = row["assignee_kind"]
    if model.entity_of.get(row["assignee_id"]) == Entity.PLATFORM:
        return zh(PlatformKind(kind))
    rank = AdminRank.parse(row["assignee_rank"]) if row["assignee_rank"] else None
    rank_zh = zh(rank) if rank is not None and rank.order >= MIN_RANK_ORDER else ""
    if kind == UnitKind.FUNCTIONAL_DEPARTMENT.value:
        return rank_zh + zh(UnitKind.FUNCTIONAL_DEPARTMENT)
    return f"{rank_zh}单位"


def _route_detail(ctx: CheckContext, task: str, path: list[str]) -> dict[str, Any]:
    """What pages draw of a route without reading the steps again: ``actions``, the action of
    each hop of ``path`` (None where no step records it), and ``handled``, whether its last
    party closed the task (:func:`graphmodel.steps.hop_actions`)."""
    steps = model_index(ctx.model).steps_by_task().get(task, [])
    last = path[-1] if path else None
    return {"actions": hop_actions(path, steps),
            "handled": any(src == last and act == StepAction.HANDLE.value
                           for src, _, act in steps)}


@QUESTION.check("backflow_path")
def backflow_path(ctx: CheckContext) -> Iterable[Finding]:
    """Tasks assigned to a high-ranked unit, a functional department or a platform and finally
    handled by a street, township, community or village organization."""
    model = ctx.model
    result = run_query(ctx.store, query_of("backflow_path"), min_rank_order=MIN_RANK_ORDER,
                       assignee_kinds=BACKFLOW_ASSIGNEE_KINDS,
                       handler_kinds=BACKFLOW_HANDLER_KINDS)
    found = ctx.shared[_SHARED]["backflow_tasks"]
    for row in rows(result):
        found[row["subject"]] = row["handler_id"]
        path = list(row["path"] or [])
        hops = _int(row["hops"])
        yield finding(
            "backflow_path", row["subject"],
            f"任务“{_task_title(row)}”交由{_assignee_zh(model, row)}"
            f"“{row['assignee_name'] or row['assignee_id']}”负责，"
            f"经{len(path) - 1}次转手最终由“{row['handler_name'] or row['handler_id']}”办结，"
            "责任回流到基层",
            path=path,
            detail={"assignee": row["assignee_id"], "assignee_kind": row["assignee_kind"],
                    "assignee_rank": row["assignee_rank"], "handler": row["handler_id"],
                    "handler_kind": row["handler_kind"],
                    "route_length": _int(row["route_length"]), "hops": hops,
                    "path_hops": len(path) - 1, **_route_detail(ctx, row["subject"], path)})


@QUESTION.check("ping_pong")
def ping_pong(ctx: CheckContext) -> Iterable[Finding]:
    """Tasks that make two round trips between the same two parties or go around a cycle."""
    model = ctx.model
    result = run_query(ctx.store, query_of("ping_pong"))
    for row in rows(result):
        path = list(row["path"] or [])
        pattern = row["pattern"]
        yield finding(
            "ping_pong", row["subject"],
            f"任务“{_task_title(row)}”{_PATTERN_ZH.get(pattern, '反复流转')}："
            + "→".join(display_name(model, p) for p in path),
            path=path,
            detail={"pattern": pattern, "moves": len(path) - 1, "parties": len(set(path)),
                    "route_length": _int(row["route_length"]), "status": row["status"],
                    "assignee": row["assignee_id"], **_route_detail(ctx, row["subject"], path)})


@QUESTION.check("misplaced_responsibility")
def misplaced_responsibility(ctx: CheckContext) -> Iterable[Finding]:
    """Tasks assigned to a community or village committee but handled by a sent-down cadre or
    a vanguard team."""
    model = ctx.model
    result = run_query(ctx.store, query_of("misplaced_responsibility"),
                       assignee_kinds=COMMITTEE_KINDS,
                       platform_kinds=[PlatformKind.VANGUARD_TEAM.value])
    for row in rows(result):
        handler = row["handler_id"]
        if row["handler_role"] == SENT_DOWN_CADRE:
            by = f"下沉干部{handler}"
        else:
            by = f"{zh(PlatformKind.VANGUARD_TEAM)}“{display_name(model, handler)}”"
        yield finding(
            "misplaced_responsibility", row["subject"],
            f"任务“{_task_title(row)}”交由“{row['assignee_name'] or row['assignee_id']}”负责，"
            f"却由{by}办结，主体责任错位",
            path=list(row["path"] or []),
            detail={"assignee": row["assignee_id"], "assignee_kind": row["assignee_kind"],
                    "handler": handler, "handler_role": row["handler_role"],
                    "sent_to": row["sent_to_id"], "route_length": _int(row["route_length"]),
                    **_route_detail(ctx, row["subject"], list(row["path"] or []))})


@QUESTION.check("no_feedback_channel")
def no_feedback_channel(ctx: CheckContext) -> Iterable[Finding]:
    """Street, township, community and village organizations with no tie to a work team."""
    result = run_query(ctx.store, query_of("no_feedback_channel"),
                       org_kinds=sorted(k.value for k in GRASSROOTS_ORG_KINDS),
                       platform_kind=PlatformKind.WORK_TEAM.value)
    for row in rows(result):
        kind = OrgKind(row["kind"])
        yield finding(
            "no_feedback_channel", row["subject"],
            f"{zh(kind)}“{row['name'] or row['subject']}”没有与任何{zh(PlatformKind.WORK_TEAM)}"
            "建立联系，缺少自下而上反馈纠偏的渠道",
            detail={"org_kind": kind.value, "territory_id": row["territory_id"],
                    "platform_ties": _int(row["platform_ties"]) or 0})


# --- metrics ---------------------------------------------------------------------------------


def _places(model: OrgModel, ids: Iterable[str]) -> pd.DataFrame:
    """Level (1-5, or None), level key (``street``, ..., ``other``) and street (id, or None)
    of each party whose id resolves; see the module docstring."""
    ids = sorted({i for i in ids if i in model.entity_of})

    def table(name: str, *columns: str, rows: pd.Series | None = None) -> dict[str, Any]:
        frame = model.frame(name)
        if rows is not None:
            frame = frame[frame["id"].isin(rows)]
        values = [frame[c].astype(object).where(frame[c].notna(), None).tolist()
                  for c in columns]
        return dict(zip(frame["id"].tolist(), zip(*values, strict=True), strict=True))

    terr_level = {k: v for k, (v,) in table("territories", "level").items()}
    orgs = table("organizations", "category", "level", "territory_id", "unit_id")
    unit_rank = {k: v for k, (v,) in table("units", "admin_rank").items()}
    platform_territory = {k: v for k, (v,) in table("platforms", "territory_id").items()}
    members = table("members", "sent_to_id", "org_id", rows=pd.Series(ids, dtype=object))

    def present(value: Any) -> Any:
        return None if value is None or pd.isna(value) else value

    def anchor(party: str, depth: int = 0) -> tuple[int | None, str | None]:
        """(level, the territory, unit or platform that places the party in a street)."""
        entity = model.entity_of.get(party)
        if entity == Entity.TERRITORY:
            return present(terr_level.get(party)), party
        if entity == Entity.UNIT:
            return _RANK_LEVEL.get(present(unit_rank.get(party))), party
        if entity == Entity.PLATFORM:
            territory = present(platform_territory.get(party))
            return present(terr_level.get(territory)), party
        if entity == Entity.ORGANIZATION:
            category, level, territory, unit = (present(v) for v in orgs[party])
            if category == OrgCategory.CHAIN.value:
                return level, territory
            if unit is not None and model.entity_of.get(unit) == Entity.UNIT:
                return anchor(unit, depth + 1)
            return present(terr_level.get(territory)), territory
        if entity == Entity.MEMBER and depth == 0:
            sent_to, org = (present(v) for v in members[party])
            target = sent_to or org
            return anchor(target, depth + 1) if target is not None else (None, None)
        return None, None

    anchors = [anchor(i) for i in ids]
    nodes = sorted({n for _, n in anchors if n is not None})
    street = street_of_nodes(model, nodes)
    levels = [None if lv is None else int(lv) for lv, _ in anchors]
    return pd.DataFrame({"level": levels, "level_key": [_level_key(lv) for lv in levels],
                         "street": [street.get(n) if n is not None else None
                                    for _, n in anchors]},
                        index=pd.Index(ids, dtype=object), dtype=object)


def _as_one_party(routes: pd.DataFrame, steps: pd.DataFrame, same_party: dict[str, str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Routes and steps with each territory written as its committee (one party, DOMAIN.md),
    so a task assigned to a community and handled by its committee counts once, for the
    committee."""
    if not same_party:
        return routes, steps

    def one(value: Any) -> Any:
        return same_party.get(value, value) if isinstance(value, str) else value

    routes = routes.assign(
        route=routes["route"].map(lambda r: [one(p) for p in r]),
        **{c: routes[c].map(one) for c in ("assigned_to_id", "current_holder_id",
                                           "final_handler_id")})
    steps = steps.assign(**{c: steps[c].astype(object).map(one) for c in ("from_id", "to_id")})
    return routes, steps


def _level_key(level: int | None) -> str:
    return Level(level).name.lower() if level is not None else _OTHER_LEVEL


def _share(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def _tallies(model: OrgModel, routes: pd.DataFrame, flow: pd.DataFrame,
             backflow_tasks: dict[str, str], places: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per level key or street (``by``, a column of ``places``): tasks assigned,
    handled, flowing back, pushed back and absorbed; resources received (delivered), funds
    received, resources provided."""
    resources = model.frame("resources")
    delivered = resources[resources["delivered"].fillna(False).astype(bool)]
    funds = delivered[delivered["kind"].eq(ResourceKind.FUNDS.value)]
    key = places[by]

    def per(ids: pd.Series, weights: pd.Series | None = None) -> pd.Series:
        keys = ids.map(key)
        frame = pd.DataFrame({"key": keys.to_numpy(dtype=object),
                              "w": 1 if weights is None else weights.to_numpy(dtype=float)})
        return frame.dropna(subset=["key"]).groupby("key")["w"].sum()

    closed = routes["final_handler_id"].dropna()
    flow_ids = flow.index.to_series()
    return pd.DataFrame({
        "tasks_assigned": per(routes["assigned_to_id"].dropna()),
        "tasks_handled": per(closed),
        "backflow_tasks": per(pd.Series(list(backflow_tasks.values()), dtype=object)),
        "pushed_back": per(flow_ids, flow["pushed_back"]),
        "absorbed": per(flow_ids, flow["absorbed"]),
        "resources_received": per(delivered["recipient_id"].dropna()),
        "funds_received": per(funds["recipient_id"],
                              funds["amount"].astype("float64").fillna(0.0)),
        "resources_provided": per(resources["provider_id"].dropna()),
    }).fillna(0)


def _with_shares(row: dict[str, Any], handled_total: int, resources_total: int) -> dict[str, Any]:
    handled_share = _share(row["tasks_handled"], handled_total)
    resource_share = _share(row["resources_received"], resources_total)
    gap = (round(handled_share - resource_share, 4)
           if handled_share is not None and resource_share is not None else None)
    return {**row, "handled_share": handled_share, "resource_share": resource_share, "gap": gap}


def _counts(tally: pd.DataFrame, key: str) -> dict[str, Any]:
    # One row (the index is unique), so a Series.
    values = (cast(pd.Series, tally.loc[key]) if key in tally.index
              else pd.Series(0, index=tally.columns))
    return {str(name): round(float(value), 4) if name == "funds_received" else int(value)
            for name, value in values.items()}


def _top(flow_rows: list[dict[str, Any]], count: str, n: int) -> list[dict[str, Any]]:
    ranked = sorted((r for r in flow_rows if r[count] > 0), key=lambda r: (-r[count], r["org"]))
    return [{"org": r["org"], "name": r["name"], "entity": r["entity"], "kind": r["kind"],
             count: r[count], "received": r["received"], "share": _share(r[count], r["received"])}
            for r in ranked[:n]]


def backflow_metrics(ctx: CheckContext) -> dict[str, Any]:
    """``flow``, ``flow_by_level``, ``flow_by_street``, ``top_pushers``, ``top_absorbers``
    (see the module docstring)."""
    model = ctx.model
    routes = _routes(ctx)
    backflow_tasks = ctx.shared[_SHARED]["backflow_tasks"]
    flow = party_flow(*_as_one_party(routes, model.frame("task_steps"),
                                     ctx.shared[_SHARED].get("same_party", {})))
    resources = model.frame("resources")
    parties = [*flow.index, *routes["assigned_to_id"].dropna(),
               *resources["recipient_id"].dropna(), *resources["provider_id"].dropna()]
    places = _places(model, parties)

    place = cast("dict[str, dict[str, Any]]", places[["level", "street"]].to_dict("index"))
    flow_rows: list[dict[str, Any]] = []
    # Index: party ids; columns: the count names (the stubs say Hashable).
    for party, counts in cast("dict[str, dict[str, Any]]", flow.to_dict("index")).items():
        entity = model.entity_of.get(party)
        if entity not in _FLOW_ENTITIES:
            continue
        node = model.node(party)
        flow_rows.append({"org": party, "entity": entity.value, "kind": node.get("kind"),
                          "name": node.get("name"), **place[party],
                          **{k: int(v) for k, v in counts.items()}})

    by_level = _tallies(model, routes, flow, backflow_tasks, places, "level_key")
    handled_total = int(by_level["tasks_handled"].sum())
    resources_total = int(by_level["resources_received"].sum())
    flow_by_level = []
    for level in [*Level, None]:
        key = _level_key(level)
        counts = _counts(by_level, key)
        if level is None and not any(counts.values()):
            continue
        flow_by_level.append(_with_shares(
            {"level": key, "level_zh": LEVEL_ZH[level] if level is not None else "其他",
             **counts}, handled_total, resources_total))

    below = places.loc[[lv is not None and lv >= Level.STREET for lv in places["level"]]]
    by_street = _tallies(model, routes, flow, backflow_tasks, below, "street")
    handled_total = int(by_street["tasks_handled"].sum())
    resources_total = int(by_street["resources_received"].sum())
    t = model.frame("territories")
    streets = t.loc[t["level"].eq(Level.STREET), ["id", "name"]].sort_values("id")
    flow_by_street = [
        _with_shares({"street": sid, "name": name if isinstance(name, str) else None,
                      **_counts(by_street, sid)}, handled_total, resources_total)
        for sid, name in zip(streets["id"], streets["name"], strict=True)
    ]
    n = ctx.settings.top_n
    return {"flow": flow_rows, "flow_by_level": flow_by_level, "flow_by_street": flow_by_street,
            "top_pushers": _top(flow_rows, "pushed_back", n),
            "top_absorbers": _top(flow_rows, "absorbed", n)}


QUESTION.metrics.append(backflow_metrics)
