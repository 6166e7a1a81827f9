"""The graph-database schema, shared by every backend (LadybugDB, Neo4j), and the frames
that fill it.

Labels, relationship types and property names are the same on every backend; docs/schema.md
describes them for analysts. Node tables::

    Territory     id name kind level parent_id households managed formal_workers
    Organization  id name kind category level parent_id territory_id unit_id
                  chain_status chain_path reaches_city
    Unit          id name kind admin_rank rank_order party_members territory_id formal_members
    Platform      id name kind territory_id convener_id
    Member        id name org_id residence_id workplace_id status registered_community_id sent_to_id
    Task          id title kind assigned_to_id created
                  route route_length hops status final_handler_id current_holder_id
                  route_from_assignee ping_pong_pattern ping_pong_path  (derived, see
                  queries.algorithms.routes; set by the backflow diagnosis)
    Resource      id provider_id recipient_id kind amount year delivered

Relationships (from -> to): PART_OF, REPORTS_TO, COVERS, BELONGS_TO, LOCATED_IN, CONVENED_BY,
TIE (a links row: type since meetings_per_year activities initiated_by lead attendance_rate rid
score), MEMBER_OF, LIVES_IN, WORKS_AT, REGISTERED_WITH, SENT_TO, ASSIGNED_TO, STEP (task_id step
seq action at; a handle step points from the handler to the Task), HANDLED_BY (Task -> final
handler, derived like the route properties), PROVIDED_BY, RECEIVED_BY.
Member names are stored (the database is the user's own) but never printed by default.

The properties the diagnosis derives (tie scores, task routes, structural metrics) are declared
in ``DERIVED``; every label, type and property has a one-line English and Chinese meaning
(``LABEL_MEANINGS``, ``MEANINGS``); :func:`stored_properties` combines them. ``orgnet schema``
shows them and writes docs/schema.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.model import ENTITIES, OrgModel, Rel
from graphmodel.schema import AdminRank, Entity

__all__ = ["COMPUTED_AT_LOAD", "DERIVED", "DERIVED_RELS", "LABEL_MEANINGS", "MEANINGS",
           "META_TABLE", "NODE_TABLES", "REL_TABLES", "Derived", "NodeTable", "RelTable",
           "StoredProperty", "declared_type", "meaning", "node_frames", "rel_frames",
           "stored_properties"]

# Neutral property types; each backend of `stores` maps them onto its own (one table each).
STRING, INT, DOUBLE, BOOL, TIMESTAMP, STRING_LIST = (
    "STRING",
    "INT64",
    "DOUBLE",
    "BOOLEAN",
    "TIMESTAMP",
    "STRING[]",
)


@dataclass(frozen=True)
class NodeTable:
    """A node label: the table it comes from and its typed properties (``id`` is the key)."""

    label: str
    table: str
    properties: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RelTable:
    """A relationship type: the (from, to) label pairs it joins and its typed properties."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: tuple[tuple[str, str], ...] = ()


NODE_TABLES: tuple[NodeTable, ...] = (
    NodeTable(
        "Territory",
        "territories",
        (
            ("id", STRING),
            ("name", STRING),
            ("kind", STRING),
            ("level", INT),
            ("parent_id", STRING),
            ("households", INT),
            ("managed", BOOL),
            ("formal_workers", INT),
        ),
    ),
    NodeTable(
        "Organization",
        "organizations",
        (
            ("id", STRING),
            ("name", STRING),
            ("kind", STRING),
            ("category", STRING),
            ("level", INT),
            ("parent_id", STRING),
            ("territory_id", STRING),
            ("unit_id", STRING),
            ("chain_status", STRING),
            ("chain_path", STRING_LIST),
            ("reaches_city", BOOL),
        ),
    ),
    NodeTable(
        "Unit",
        "units",
        (
            ("id", STRING),
            ("name", STRING),
            ("kind", STRING),
            ("admin_rank", STRING),
            ("rank_order", INT),
            ("party_members", INT),
            ("territory_id", STRING),
            ("formal_members", INT),
        ),
    ),
    NodeTable(
        "Platform",
        "platforms",
        (
            ("id", STRING),
            ("name", STRING),
            ("kind", STRING),
            ("territory_id", STRING),
            ("convener_id", STRING),
        ),
    ),
    NodeTable(
        "Member",
        "members",
        (
            ("id", STRING),
            ("name", STRING),
            ("org_id", STRING),
            ("residence_id", STRING),
            ("workplace_id", STRING),
            ("status", STRING),
            ("registered_community_id", STRING),
            ("sent_to_id", STRING),
        ),
    ),
    NodeTable(
        "Task",
        "tasks",
        (
            ("id", STRING),
            ("title", STRING),
            ("kind", STRING),
            ("assigned_to_id", STRING),
            ("created", TIMESTAMP),
            # Derived from the steps by the backflow diagnosis (queries.algorithms.routes); empty
            # until `orgnet diagnose` has run on the store.
            ("route", STRING_LIST),
            ("route_length", INT),
            ("hops", INT),
            ("status", STRING),
            ("final_handler_id", STRING),
            ("current_holder_id", STRING),
            ("route_from_assignee", STRING_LIST),
            ("ping_pong_pattern", STRING),
            ("ping_pong_path", STRING_LIST),
        ),
    ),
    NodeTable(
        "Resource",
        "resources",
        (
            ("id", STRING),
            ("provider_id", STRING),
            ("recipient_id", STRING),
            ("kind", STRING),
            ("amount", DOUBLE),
            ("year", INT),
            ("delivered", BOOL),
        ),
    ),
)

_ACTORS = ("Territory", "Organization", "Unit", "Platform", "Member")


def _all_pairs(sources: tuple[str, ...], targets: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((s, t) for s in sources for t in targets)


REL_TABLES: tuple[RelTable, ...] = (
    RelTable(Rel.PART_OF, (("Territory", "Territory"),)),
    RelTable(Rel.REPORTS_TO, (("Organization", "Organization"),)),
    RelTable(Rel.COVERS, (("Organization", "Territory"),)),
    RelTable(Rel.BELONGS_TO, (("Organization", "Unit"),)),
    RelTable(Rel.LOCATED_IN, (("Unit", "Territory"), ("Platform", "Territory"))),
    RelTable(Rel.CONVENED_BY, _all_pairs(("Platform",), ("Organization", "Unit", "Platform"))),
    RelTable(
        Rel.TIE,
        _all_pairs(_ACTORS, _ACTORS),
        (
            ("type", STRING),
            ("since", INT),
            ("meetings_per_year", DOUBLE),
            ("activities", DOUBLE),
            ("initiated_by", STRING),
            ("lead", BOOL),
            ("attendance_rate", DOUBLE),
            ("rid", STRING),
            ("score", DOUBLE),
        ),
    ),
    RelTable(Rel.MEMBER_OF, (("Member", "Organization"),)),
    RelTable(Rel.LIVES_IN, (("Member", "Territory"),)),
    RelTable(Rel.WORKS_AT, _all_pairs(("Member",), ("Unit", "Organization", "Territory"))),
    RelTable(Rel.REGISTERED_WITH, _all_pairs(("Member",), ("Territory", "Organization"))),
    RelTable(
        Rel.SENT_TO, _all_pairs(("Member",), ("Territory", "Organization", "Platform", "Unit"))
    ),
    RelTable(Rel.ASSIGNED_TO, _all_pairs(("Task",), _ACTORS)),
    RelTable(
        Rel.STEP,
        _all_pairs(_ACTORS, (*_ACTORS, "Task")),
        (("task_id", STRING), ("step", INT), ("seq", INT), ("action", STRING), ("at", TIMESTAMP)),
    ),
    RelTable(Rel.HANDLED_BY, _all_pairs(("Task",), _ACTORS)),
    RelTable(Rel.PROVIDED_BY, _all_pairs(("Resource",), _ACTORS)),
    RelTable(Rel.RECEIVED_BY, _all_pairs(("Resource",), _ACTORS)),
)

LABEL_OF_ENTITY: dict[Entity, str] = {entity: entity.label for entity in Entity}


def node_frames(model: OrgModel) -> Iterator[tuple[NodeTable, pd.DataFrame]]:
    """One frame per node label, columns exactly the table's properties, in order."""
    for table in NODE_TABLES:
        frame = model.frames[table.table]
        if table.label == "Unit":
            frame = frame.assign(
                rank_order=frame["admin_rank"]
                .map(lambda r: AdminRank(r).order if isinstance(r, str) else None)
                .astype("Int64")
            )
        yield table, frame.reindex(columns=[p for p, _ in table.properties])


_LABELS = [LABEL_OF_ENTITY[entity] for entity in ENTITIES]


def _take(series: pd.Series, idx: np.ndarray):
    """The values at positions ``idx`` (Arrow strings stay Arrow strings)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.array.take(idx)
    return series.take(idx).to_numpy()


def _endpoint_frame(
    frame: pd.DataFrame, src: str, dst: str, props: list[str], src_codes: np.ndarray,
    dst_codes: np.ndarray,
) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """Split rows into (from label, to label) groups, in label order; rows with an unresolved
    end are dropped. ``*_codes``: the entity codes of the ends (see ``IdLookup``)."""
    keep = (src_codes >= 0) & (dst_codes >= 0)
    pair = src_codes.astype(np.int16) * len(ENTITIES) + dst_codes
    groups = sorted(((_LABELS[p // len(ENTITIES)], _LABELS[p % len(ENTITIES)]), p)
                    for p in np.unique(pair[keep]).tolist())
    for (s, t), p in groups:
        idx = np.flatnonzero(keep & (pair == p))
        out = pd.DataFrame({"from": _take(frame[src], idx), "to": _take(frame[dst], idx)})
        for prop in props:
            out[prop] = frame[prop].take(idx).to_numpy()
        yield s, t, out


def rel_frames(
    model: OrgModel, extra: dict[str, pd.DataFrame] | None = None
) -> Iterator[tuple[RelTable, str, str, pd.DataFrame]]:
    """Every relationship as frames (columns ``from``, ``to``, then properties), grouped by
    relationship type and (from, to) labels. Only pairs declared in REL_TABLES appear.

    ``extra`` may supply derived relationship frames keyed by relationship name (e.g. the
    ``HANDLED_BY`` of task routes) with columns ``from``, ``to`` and the properties.
    """
    f = model.frames
    steps = f["task_steps"].copy()
    steps["seq"] = range(1, len(steps) + 1)
    steps["to_or_task"] = steps["to_id"].where(steps["to_id"].notna(), steps["task_id"])
    sources = {
        Rel.PART_OF: (f["territories"], "id", "parent_id"),
        Rel.REPORTS_TO: (f["organizations"], "id", "parent_id"),
        Rel.COVERS: (f["organizations"], "id", "territory_id"),
        Rel.BELONGS_TO: (f["organizations"], "id", "unit_id"),
        Rel.LOCATED_IN: (
            pd.concat([f["units"][["id", "territory_id"]], f["platforms"][["id", "territory_id"]]]),
            "id",
            "territory_id",
        ),
        Rel.CONVENED_BY: (f["platforms"], "id", "convener_id"),
        Rel.TIE: (f["links"], "source_id", "target_id"),
        Rel.MEMBER_OF: (f["members"], "id", "org_id"),
        Rel.LIVES_IN: (f["members"], "id", "residence_id"),
        Rel.WORKS_AT: (f["members"], "id", "workplace_id"),
        Rel.REGISTERED_WITH: (f["members"], "id", "registered_community_id"),
        Rel.SENT_TO: (f["members"], "id", "sent_to_id"),
        Rel.ASSIGNED_TO: (f["tasks"], "id", "assigned_to_id"),
        Rel.STEP: (steps, "from_id", "to_or_task"),
        Rel.PROVIDED_BY: (f["resources"], "id", "provider_id"),
        Rel.RECEIVED_BY: (f["resources"], "id", "recipient_id"),
    }
    extra = extra or {}
    chosen = []
    for rel in REL_TABLES:
        if rel.name in extra:
            chosen.append((rel, extra[rel.name], "from", "to"))
        elif rel.name in sources:
            chosen.append((rel, *sources[rel.name]))
    # The entity of every end, in one lookup; a column shared by relationships once.
    columns: dict[tuple[int, str], pd.Series] = {}
    for _, frame, src, dst in chosen:
        for col in (src, dst):
            if (frame is steps and col == "to_or_task"):  # derived: from its two columns
                columns.setdefault((id(steps), "to_id"), steps["to_id"])
                columns.setdefault((id(steps), "task_id"), steps["task_id"])
            else:
                columns.setdefault((id(frame), col), frame[col])
    codes = dict(zip(columns, model.id_lookup().codes_of(list(columns.values())), strict=True))
    if (id(steps), "to_id") in codes:
        codes[id(steps), "to_or_task"] = np.where(steps["to_id"].notna().to_numpy(dtype=bool),
                                                  codes[id(steps), "to_id"],
                                                  codes[id(steps), "task_id"])
    for rel, frame, src, dst in chosen:
        allowed = set(rel.pairs)
        props = [p for p, _ in rel.properties]
        src_codes, dst_codes = codes[id(frame), src], codes[id(frame), dst]
        data = frame.assign(**{p: None for p in props if p not in frame.columns})
        for s, t, out in _endpoint_frame(data, src, dst, props, src_codes, dst_codes):
            if (s, t) in allowed:
                yield rel, s, t, out


# --- Derived properties and the meaning of every property ------------------------------------
#
# NODE_TABLES and REL_TABLES hold what the input tables fill (plus the Task route columns and
# TIE.score, created empty at load). The diagnosis' preparation steps (queries/checks/*.py,
# run by `orgnet load` unless --data-only, and by `orgnet diagnose` on a store) write more:
# DERIVED declares each of them with its type, so a store adds the column with that type.


@dataclass(frozen=True)
class Derived:
    """A property written after the load by a step of the diagnosis."""

    owner: str  # node label or relationship type
    name: str
    type: str
    by: str  # the step that writes it: routes, tie_scores or structure


_STRUCTURE_OWNERS = ("Unit", "Platform", "Territory")
_STRUCTURE: tuple[tuple[str, str], ...] = (
    ("street_id", STRING), ("degree", INT), ("betweenness", DOUBLE),
    ("burt_constraint", DOUBLE), ("effective_size", DOUBLE), ("articulation_point", BOOL),
    ("bridge_count", INT),
    *((f"brokerage_{r}", INT) for r in ("coordinator", "itinerant", "representative",
                                         "gatekeeper", "liaison", "total")),
    ("is_bridge_unit", BOOL), ("bridge_groups", INT), ("bridge_parts", STRING_LIST),
)
_ROUTE: tuple[tuple[str, str], ...] = (
    ("route", STRING_LIST), ("route_length", INT), ("hops", INT), ("status", STRING),
    ("final_handler_id", STRING), ("current_holder_id", STRING),
    ("route_from_assignee", STRING_LIST), ("ping_pong_pattern", STRING),
    ("ping_pong_path", STRING_LIST),
)
_TIE_SCORE: tuple[tuple[str, str], ...] = (
    ("score", DOUBLE),
    *((f"score_{p}", DOUBLE) for p in ("meetings", "activities", "resources", "duration",
                                       "reciprocity")),
    ("resources_delivered", INT), ("unit_end", STRING),
)

DERIVED: tuple[Derived, ...] = (
    *(Derived("Task", name, kind, "routes") for name, kind in _ROUTE),
    *(Derived("TIE", name, kind, "tie_scores") for name, kind in _TIE_SCORE),
    *(Derived(owner, name, kind, "structure") for owner in _STRUCTURE_OWNERS
      for name, kind in _STRUCTURE),
)
"""Every derived property. ``HANDLED_BY`` (Task -> final handler) is a derived relationship
with no properties, written by the routes step."""

DERIVED_RELS: dict[str, str] = {"HANDLED_BY": "routes"}
"""Relationship types written by a derivation step, not by the load."""

COMPUTED_AT_LOAD: frozenset[tuple[str, str]] = frozenset({
    ("Territory", "level"), ("Territory", "formal_workers"), ("Organization", "level"),
    ("Organization", "category"), ("Organization", "chain_status"),
    ("Organization", "chain_path"), ("Organization", "reaches_city"), ("Unit", "rank_order"),
    ("Unit", "formal_members"),
})
"""Table properties the model computes while loading (graphmodel.build), not input columns;
shown as derived by ``load``."""

# One line in English and one in Chinese per label, relationship type and property.
LABEL_MEANINGS: dict[str, tuple[str, str]] = {
    "OrgnetMeta": ("What the load recorded about itself (one key/value node each)",
                   "载入记录：版本、已派生内容与所用设置（每项一个键值节点）"),
    "Territory": ("A place: city, street/township, community/village, grid, compound, "
                  "business area", "区域：市县、街道/乡镇、社区/村、网格、小区院落、商圈楼宇"),
    "Organization": ("A party organization (committee, branch, group) or a mass organization",
                     "党组织（党委、党总支、党支部、党小组）或群团/自治组织"),
    "Unit": ("A co-building unit: agency, state enterprise, school, company ...",
             "共驻共建单位：机关、国企、学校、企业等"),
    "Platform": ("A joint meeting, work team, vanguard team, cluster ...",
                 "平台：联席会议、工作专班、尖刀班、党建联盟等"),
    "Member": ("A party member (personal data: names never shown by default)",
               "党员（个人信息，默认不显示姓名）"),
    "Task": ("A task or issue passed between organizations", "任务或诉求事项"),
    "Resource": ("A resource offered or delivered by one party to another",
                 "资源：一方向另一方提供或承诺的资源"),
    "PART_OF": ("Territory inside its parent territory", "区域隶属于上级区域"),
    "REPORTS_TO": ("Organization under its superior organization", "党组织隶属于上级党组织"),
    "COVERS": ("Organization covering its territory", "党组织覆盖所在区域"),
    "BELONGS_TO": ("Organization of a unit", "单位党组织所属单位"),
    "LOCATED_IN": ("Unit or platform located in a territory", "单位或平台所在区域"),
    "CONVENED_BY": ("Platform convened by an organization, unit or platform",
                    "平台的牵头（召集）方"),
    "TIE": ("A links row: co-building, dual reporting, responsible unit, claim, membership ...",
            "联系：共驻共建、双报到、责任单位、认领、平台成员等"),
    "MEMBER_OF": ("Member in their party organization", "党员所在党组织"),
    "LIVES_IN": ("Member living in a territory", "党员居住区域"),
    "WORKS_AT": ("Member working at a unit, organization or territory", "党员工作单位"),
    "REGISTERED_WITH": ("Member registered (双报到) with a community", "党员报到的社区"),
    "SENT_TO": ("Member sent down (下沉) to a place or body", "党员下沉到的区域或单位"),
    "ASSIGNED_TO": ("Task assigned to its first holder", "任务交办给的对象"),
    "STEP": ("One step of a task from the party doing it to the next holder (a handle step "
             "points to the Task)", "任务的一步流转：从办理方到下一方（办结步指向任务本身）"),
    "HANDLED_BY": ("Closed task -> its final handler (derived from the steps)",
                   "已办结任务的最终办理方（由流转步骤推导）"),
    "PROVIDED_BY": ("Resource -> who provides it", "资源的提供方"),
    "RECEIVED_BY": ("Resource -> who receives it", "资源的接收方"),
}

# Property meanings: (owner, name), or ("*", name) for the same meaning on every owner.
MEANINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("OrgnetMeta", "key"): ("orgnet_version, derived or settings", "记录项：版本、派生内容或设置"),
    ("OrgnetMeta", "value"): ("The recorded value (JSON text)", "记录值（JSON 文本）"),
    ("*", "id"): ("Input id, unique across the whole dataset", "编号，全数据集唯一"),
    ("*", "name"): ("Name as entered", "名称"),
    ("*", "kind"): ("Kind (English value of the schema's category)", "类型（英文取值）"),
    ("*", "territory_id"): ("Territory it lies in or covers", "所在或覆盖的区域编号"),
    ("*", "parent_id"): ("Parent id as entered", "上级编号"),
    ("*", "level"): ("Level 1-5: city, street/township, community/village, grid, compound "
                     "(empty for a kind outside the chain)",
                     "层级 1-5：县市、街道/乡镇、社区/村、网格、小区院落（链外类型为空）"),
    ("Territory", "households"): ("Households", "户数"),
    ("Territory", "managed"): ("Has property management (compounds)", "是否有物业管理"),
    ("Territory", "formal_workers"): ("Formal party members working there: its units' and "
                                      "those whose workplace it is",
                                      "在此工作的正式党员数（区域内单位及工作地为此的党员）"),
    ("Organization", "category"): ("chain, unit, business or mass (from the kind): which "
                                   "checks apply", "类别：组织链、单位、商圈、群团（由类型得出）"),
    ("Organization", "unit_id"): ("Unit of a unit organization", "所属单位编号"),
    ("Organization", "chain_status"): ("How the walk up the superiors ends: ok, no_parent, "
                                       "dangling or cycle",
                                       "上溯上级组织的结果：ok、无上级、上级不存在、循环"),
    ("Organization", "chain_path"): ("Ids from the organization up to the city committee "
                                     "(at most 64)", "上溯至县市党委的组织编号链（至多64个）"),
    ("Organization", "reaches_city"): ("Its chain reaches a city committee",
                                       "组织链能否到达县市党委"),
    ("Unit", "admin_rank"): ("Administrative rank (province ... section)", "行政级别"),
    ("Unit", "rank_order"): ("Rank as a number (higher is higher)", "行政级别序号（越大越高）"),
    ("Unit", "party_members"): ("Declared number of party members", "填报党员人数"),
    ("Unit", "formal_members"): ("Formal members counted (DOMAIN.md rule 5)",
                                 "正式党员人数（按规则5计算）"),
    ("Platform", "convener_id"): ("Convener: organization, unit or platform", "牵头方编号"),
    ("Member", "name"): ("Member name (personal data)", "党员姓名（个人信息）"),
    ("Member", "org_id"): ("Party organization", "所在党组织编号"),
    ("Member", "residence_id"): ("Territory of residence", "居住区域编号"),
    ("Member", "workplace_id"): ("Workplace", "工作单位编号"),
    ("Member", "status"): ("formal, probationary or mobile", "党员状态：正式、预备、流动"),
    ("Member", "registered_community_id"): ("Community registered with (双报到)", "报到社区编号"),
    ("Member", "sent_to_id"): ("Where sent down (下沉)", "下沉去向编号"),
    ("Task", "title"): ("Title", "事项标题"),
    ("Task", "assigned_to_id"): ("Assignee", "交办对象编号"),
    ("Task", "created"): ("When created", "创建时间"),
    ("Task", "route"): ("Holders in order, from the assignee to the last",
                        "流转路径（依次经手方）"),
    ("Task", "route_length"): ("Number of holders on the route", "路径上的经手方数"),
    ("Task", "hops"): ("Number of hand-overs", "转交次数"),
    ("Task", "status"): ("open or closed", "状态：未办结或已办结"),
    ("Task", "final_handler_id"): ("Who handled (closed) it", "最终办理方编号"),
    ("Task", "current_holder_id"): ("Who holds it now (open tasks)", "当前持有方编号"),
    ("Task", "route_from_assignee"): ("Route from the assignee's side only",
                                      "从交办对象起的路径"),
    ("Task", "ping_pong_pattern"): ("round_trips, cycle or both: how it bounced",
                                    "推诿模式：来回往返、绕圈"),
    ("Task", "ping_pong_path"): ("The bouncing part of the route (empty: no bounce)",
                                 "推诿段路径（空表示无推诿）"),
    ("Resource", "provider_id"): ("Provider", "提供方编号"),
    ("Resource", "recipient_id"): ("Recipient", "接收方编号"),
    ("Resource", "amount"): ("Amount", "数量或金额"),
    ("Resource", "year"): ("Year", "年份"),
    ("Resource", "delivered"): ("Delivered (not only promised)", "是否已兑现"),
    ("TIE", "type"): ("Link type: co_building, dual_reporting, claim ...", "联系类型"),
    ("TIE", "since"): ("Year the tie started", "建立年份"),
    ("TIE", "meetings_per_year"): ("Meetings per year", "每年会议次数"),
    ("TIE", "activities"): ("Joint activities per year", "每年共同活动次数"),
    ("TIE", "initiated_by"): ("Who initiates: source, target or both", "发起方：源、目标或双方"),
    ("TIE", "lead"): ("Source leads (e.g. lead unit of a community)", "是否为牵头方"),
    ("TIE", "attendance_rate"): ("Attendance rate 0-1", "出席率 0-1"),
    ("TIE", "rid"): ("Row id of the links row", "联系记录编号"),
    ("TIE", "score"): ("Tie score 0-1 (weighted parts; below the threshold: weak tie)",
                       "联系强度 0-1（低于阈值为弱关系）"),
    ("TIE", "score_meetings"): ("Score part: meetings against the target", "强度分项：会议"),
    ("TIE", "score_activities"): ("Score part: activities", "强度分项：活动"),
    ("TIE", "score_resources"): ("Score part: resources delivered", "强度分项：资源兑现"),
    ("TIE", "score_duration"): ("Score part: years since the tie started", "强度分项：持续年限"),
    ("TIE", "score_reciprocity"): ("Score part: who initiates", "强度分项：互惠"),
    ("TIE", "resources_delivered"): ("Resources delivered between the two ends",
                                     "两端之间已兑现的资源数"),
    ("TIE", "unit_end"): ("Which end is the unit side: source or target", "单位一端：源或目标"),
    ("STEP", "task_id"): ("Task of the step", "所属任务编号"),
    ("STEP", "step"): ("Step number as entered", "步骤序号"),
    ("STEP", "seq"): ("Row order of the step (unique)", "步骤行序（唯一）"),
    ("STEP", "action"): ("transfer, escalate, return or handle", "动作：转交、上报、退回、办结"),
    ("STEP", "at"): ("When", "时间"),
    ("*", "street_id"): ("Street of the node in the co-building network", "所在街道编号"),
    ("*", "degree"): ("Ties in the co-building network", "共建网络中的联系数"),
    ("*", "betweenness"): ("Betweenness centrality in the co-building network",
                           "中介中心性"),
    ("*", "burt_constraint"): ("Burt's constraint (high: few independent contacts)",
                               "伯特约束系数（越高越依赖少数联系）"),
    ("*", "effective_size"): ("Burt's effective size", "伯特有效规模"),
    ("*", "articulation_point"): ("Removing it disconnects its component", "是否为割点"),
    ("*", "bridge_count"): ("Bridges (ties whose loss disconnects) it touches", "所连桥边数"),
    ("*", "brokerage_coordinator"): ("Gould-Fernandez coordinator roles", "协调者中介角色数"),
    ("*", "brokerage_itinerant"): ("Gould-Fernandez itinerant roles", "巡回者中介角色数"),
    ("*", "brokerage_representative"): ("Gould-Fernandez representative roles",
                                        "代表者中介角色数"),
    ("*", "brokerage_gatekeeper"): ("Gould-Fernandez gatekeeper roles", "守门者中介角色数"),
    ("*", "brokerage_liaison"): ("Gould-Fernandez liaison roles", "联络者中介角色数"),
    ("*", "brokerage_total"): ("All Gould-Fernandez brokerage roles", "中介角色总数"),
    ("*", "is_bridge_unit"): ("Bridge unit: the only link between parts of a community's "
                              "support", "是否为桥接单位"),
    ("*", "bridge_groups"): ("Communities it bridges", "桥接的社区数"),
    ("*", "bridge_parts"): ("The parts it joins, as comma-separated ids", "所连接的各部分"),
}


@dataclass(frozen=True)
class StoredProperty:
    """A property as the schema declares it: type, where it comes from, what it means."""

    owner: str
    name: str
    type: str
    derived_by: str | None  # None: an input column; "load": computed by the model build
    en: str
    zh: str


def meaning(owner: str, name: str) -> tuple[str, str]:
    """The (English, Chinese) meaning of property ``name`` of label or type ``owner``.

    Raises
    ------
    KeyError
        The property has no declared meaning.
    """
    return MEANINGS.get((owner, name)) or MEANINGS[("*", name)]


META_TABLE = NodeTable("OrgnetMeta", "orgnet_meta", (("key", STRING), ("value", STRING)))
"""What a load records about itself (orgnet version, what it derived, the settings in force):
written by the stores beside the data, read by a diagnosis to decide whether to derive again."""


def stored_properties(owner: str) -> list[StoredProperty]:
    """Every property a label or relationship type may hold, the input's first, then the
    derived ones, in declaration order."""
    tables = {t.label: t.properties for t in (*NODE_TABLES, META_TABLE)} | {
        r.name: r.properties for r in REL_TABLES}
    derived = {d.name: d for d in DERIVED if d.owner == owner}
    out = []
    for name, kind in tables[owner]:
        by = derived[name].by if name in derived else (
            "load" if (owner, name) in COMPUTED_AT_LOAD else None)
        out.append(StoredProperty(owner, name, kind, by, *meaning(owner, name)))
    given = {name for name, _ in tables[owner]}
    for d in derived.values():
        if d.name not in given:
            out.append(StoredProperty(owner, d.name, d.type, d.by, *meaning(owner, d.name)))
    return out


def declared_type(owner: str, name: str) -> str | None:
    """The storage type of a property of ``owner``, or None when it is not declared."""
    return next((p.type for p in stored_properties(owner) if p.name == name), None)
