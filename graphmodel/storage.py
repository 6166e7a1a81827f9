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
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from graphmodel.model import OrgModel, Rel
from graphmodel.schema import AdminRank, Entity

__all__ = ["NODE_TABLES", "REL_TABLES", "NodeTable", "RelTable", "node_frames", "rel_frames"]

# Property type names, mapped per backend (LadybugDB DDL types; Neo4j infers them).
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


def _label_index(model: OrgModel) -> pd.Series:
    """Id -> node label as a Series (hash lookups for whole columns), built once per model."""
    cached = model.__dict__.get("_label_index")
    if cached is None:
        ids = list(model.entity_of)
        cached = pd.Series([LABEL_OF_ENTITY[model.entity_of[i]] for i in ids], index=ids,
                           dtype=object)
        model.__dict__["_label_index"] = cached
    return cached


def _endpoint_frame(
    model: OrgModel, frame: pd.DataFrame, src: str, dst: str, props: list[str]
) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """Split rows into (from label, to label) groups; rows with an unresolved end are dropped."""
    labels = _label_index(model)
    data = frame.assign(
        _src_label=frame[src].map(labels),
        _dst_label=frame[dst].map(labels),
    ).dropna(subset=["_src_label", "_dst_label"])
    for (s, t), group in data.groupby(["_src_label", "_dst_label"], sort=True):
        out = pd.DataFrame({"from": group[src].to_numpy(), "to": group[dst].to_numpy()})
        for p in props:
            out[p] = group[p].to_numpy()
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
    for rel in REL_TABLES:
        allowed = set(rel.pairs)
        props = [p for p, _ in rel.properties]
        if rel.name in extra:
            frame, src, dst = extra[rel.name], "from", "to"
        elif rel.name in sources:
            frame, src, dst = sources[rel.name]
        else:
            continue
        frame = frame.assign(**{p: None for p in props if p not in frame.columns})
        frame = frame[frame[src].notna() & frame[dst].notna()]
        for s, t, out in _endpoint_frame(model, frame, src, dst, props):
            if (s, t) in allowed:
                yield rel, s, t, out
