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

import numpy as np
import pandas as pd

from graphmodel.model import ENTITIES, OrgModel, Rel
from graphmodel.schema import AdminRank, Entity

__all__ = ["NODE_TABLES", "REL_TABLES", "NodeTable", "RelTable", "node_frames", "rel_frames"]

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
