"""Question 2: weak ties (弱关系) and structural fragility.

Preparation (Python, on the in-memory model), written back into the graph store so analysts can
query it in Cypher:

- tie strength of every co-building, dual-reporting and responsible-unit tie
  (:mod:`queries.algorithms.ties`), on the ``TIE`` relationships: ``score``, its parts
  ``score_meetings``, ``score_activities``, ``score_resources``, ``score_duration``,
  ``score_reciprocity``, and ``resources_delivered`` (delivered resources over the tie) and
  ``unit_end`` ("source" or "target": which end is the unit side);
- structural metrics of the co-building network (:mod:`queries.algorithms.cobuilding`,
  :mod:`queries.algorithms.structure`) on ``Unit``, ``Platform`` and community ``Territory``
  nodes: ``street_id``, ``degree``, ``betweenness``, ``burt_constraint``, ``effective_size``,
  ``articulation_point``, ``bridge_count`` (bridges touching the node), ``brokerage_<role>``
  for the five Gould–Fernandez roles with streets as groups and ``brokerage_total``,
  ``is_bridge_unit``, ``bridge_groups`` and ``bridge_parts``.

Then every check runs its named query (``queries/cypher/weak_ties/<check>.cypher``) on the store
and turns the rows into findings. Metrics: ``tie_strength`` (every scored tie with its parts),
``structure`` (one entry per unit, platform and community) and ``bridges`` (ties whose removal
disconnects the co-building network).

Severities: ``medium`` for ``weak_tie``, ``single_unit_dependency`` and ``bridge_unit`` — the
network exists but is fragile, a matter for follow-up with the units rather than a missing
organization or broken chain (``high`` in FINDINGS.md); ``low`` for ``low_attendance`` and
``cadre_low_contact`` — they concern the conduct of single members of a platform or single
cadres, and an attendance rate or a missing task step is weak evidence on its own.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.model import ENTITIES, Rel
from graphmodel.schema import SCORED_LINKS, Entity, LinkType, TerritoryKind, zh
from queries.algorithms.cobuilding import (
    COMMUNITY_KINDS,
    cobuilding_graph,
    tie_anchors,
    tie_roles,
)
from queries.algorithms.structure import (
    BROKERAGE_ROLES,
    bridges,
    cobuilding_articulation_units,
    gould_fernandez_brokerage,
    structural_holes,
)
from queries.algorithms.ties import PARTS, reference_year, score_ties
from queries.checks.base import (
    CheckContext,
    Question,
    display_name,
    finding,
    query_of,
    read_back,
    rows,
)
from queries.derived import stored_structure, stored_tie_scores
from queries.findings import Finding
from queries.run import run_query

__all__ = ["QUESTION", "weak_ties_metrics"]

QUESTION = Question("weak_ties")

SCORED_TYPES: list[str] = sorted(t.value for t in SCORED_LINKS)
_TIE_ENDS = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM, Entity.MEMBER}
_ENTITY_ZH = {Entity.UNIT.value: "单位", Entity.PLATFORM.value: "平台"}
_NODE_LABELS = {e.value: e.label for e in (Entity.UNIT, Entity.PLATFORM, Entity.TERRITORY)}


# --- helpers ---------------------------------------------------------------------------------

# The raw value behind each part of the score that can be blank (DOMAIN.md rule 6: a blank
# scores 0, and the finding names it).
_BLANK_OF = {"meetings": "meetings_per_year", "activities": "activities", "duration": "since",
             "reciprocity": "initiated_by"}


def _blank_parts(row: dict[str, Any]) -> list[str]:
    """The parts of a tie's score whose raw value was blank (scored 0)."""
    return [part for part, column in _BLANK_OF.items() if _missing(row.get(column))]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _count_zh(value: Any, unit: str, missing: str) -> str:
    number = _number(value)
    return missing if number is None else f"{number:g}{unit}"


def _initiator_zh(initiated_by: str | None, unit_end: str | None) -> str:
    if initiated_by == "both":
        return "双方共同发起"
    if initiated_by in {"source", "target"}:
        return "仅单位方发起" if initiated_by == unit_end else "仅社区方发起"
    return "发起方不详"


def _link_zh(value: str) -> str:
    member = LinkType.parse(value)
    return zh(member) if member is not None else value


# --- preparation -----------------------------------------------------------------------------


def _without_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns with no value at all (Burt's measures when nothing is tied, ...).

    LadybugDB types an UNWIND parameter field that is null in every row as STRING and then
    refuses to set it on a DOUBLE property; a property never set reads as null anyway.
    """
    empty = [c for c in frame.columns if not frame[c].notna().any()]
    return frame.drop(columns=empty)


def _score_ties(ctx: CheckContext) -> None:
    """Score every co-building, dual-reporting and responsible-unit tie; write the scores onto
    the TIE relationships."""
    model, settings = ctx.model, ctx.settings
    year = settings.reference_year
    if year is None:
        year = reference_year(model.frames)
    ctx.shared["reference_year"] = year
    links = model.frame("links")
    # Ties with an end that does not resolve are not in the store (the loader warned). One
    # vectorized lookup (a set of every id, members included, makes isin slow at scale).
    allowed = [i for i, entity in enumerate(ENTITIES) if entity in _TIE_ENDS]
    src, dst = model.id_lookup().codes_of([links["source_id"], links["target_id"]])
    resolved = links[np.isin(src, allowed) & np.isin(dst, allowed)]
    if ctx.store.holds_derived:
        with read_back("tie scores"):
            ctx.shared["tie_scores"] = stored_tie_scores(ctx.store, resolved, SCORED_TYPES, year)
            return
    scores = score_ties(resolved, model.frame("resources"), anchors=tie_anchors(model),
                        roles=tie_roles(model), reference_year=year, weights=settings.weights,
                        targets=settings.targets, types=SCORED_TYPES)
    ctx.shared["tie_scores"] = scores
    props = ["rid", "score", *(f"score_{p}" for p in PARTS), "resources_delivered", "unit_end"]
    frame = scores[props].reset_index(drop=True)
    frame["resources_delivered"] = frame["resources_delivered"].astype("int64")
    ctx.store.set_rel_properties(Rel.TIE, "rid", _without_empty_columns(frame))


def _structure(ctx: CheckContext) -> None:
    """Structural metrics of the co-building network; bridge units; written onto Unit,
    Platform and community Territory nodes."""
    G = cobuilding_graph(ctx.model)
    if ctx.store.holds_derived:
        with read_back("structural metrics"):
            ctx.shared["cobuilding"] = {"graph": G, "structure": stored_structure(ctx.store, G),
                                        "bridges": bridges(G)}
            return
    street = dict(G.nodes(data="street"))
    # A node outside every street is a group of its own, so it brokers between streets
    # rather than joining the others without a street.
    groups = {n: s if s is not None else ("no street", n) for n, s in street.items()}
    holes = structural_holes(G, sample_k=ctx.settings.betweenness_sample_k)
    brokerage = gould_fernandez_brokerage(G, groups)
    bridge_edges = bridges(G)
    entity = dict(G.nodes(data="entity"))
    bridge_units = cobuilding_articulation_units(
        G,
        is_community=lambda n: entity[n] == Entity.TERRITORY.value,
        is_candidate=lambda n: entity[n] in {Entity.UNIT.value, Entity.PLATFORM.value},
    )
    touching: dict[Hashable, int] = {}
    for u, v in bridge_edges:
        touching[u] = touching.get(u, 0) + 1
        touching[v] = touching.get(v, 0) + 1

    records = []
    for node in sorted(G.nodes):
        data = G.nodes[node]
        parts = bridge_units.get(node, [])
        records.append({
            "id": node,
            "entity": data["entity"],
            "kind": data["kind"],
            "name": data["name"],
            "street_id": street[node],
            **{k: holes[node][k] for k in ("degree", "betweenness")},
            "burt_constraint": holes[node]["constraint"],
            "effective_size": holes[node]["effective_size"],
            "articulation_point": bool(holes[node]["articulation_point"]),
            "bridge_count": touching.get(node, 0),
            **{f"brokerage_{role}": brokerage[node][role]
               for role in (*BROKERAGE_ROLES, "total")},
            "is_bridge_unit": node in bridge_units,
            "bridge_groups": len(parts),
            "bridge_parts": [",".join(map(str, part)) for part in parts],
        })
    table = pd.DataFrame.from_records(records, columns=list(records[0]) if records else None)
    ctx.shared["cobuilding"] = {"graph": G, "structure": table, "bridges": bridge_edges}
    if table.empty:
        return
    table = table.astype({"degree": "int64", "betweenness": "float64",
                          "burt_constraint": "float64", "effective_size": "float64",
                          "articulation_point": "bool", "bridge_count": "int64",
                          "is_bridge_unit": "bool", "bridge_groups": "int64",
                          **{f"brokerage_{r}": "int64" for r in (*BROKERAGE_ROLES, "total")}})
    props = [c for c in table.columns if c not in {"entity", "kind", "name"}]
    for entity_value, label in _NODE_LABELS.items():
        part = table.loc[table["entity"] == entity_value, props].reset_index(drop=True)
        ctx.store.set_properties(label, "id", _without_empty_columns(part))


QUESTION.prepare.append(_score_ties)
QUESTION.prepare.append(_structure)


# --- checks ----------------------------------------------------------------------------------


@QUESTION.check("weak_tie")
def weak_tie(ctx: CheckContext) -> Iterable[Finding]:
    """Co-building, dual-reporting and responsible-unit ties scoring below the threshold."""
    if ctx.shared["tie_scores"].empty:
        return  # nothing scored, so no score property was written for the query to read
    threshold = ctx.settings.weak_tie_threshold
    year = ctx.shared.get("reference_year")
    result = run_query(ctx.store, query_of("weak_tie"), threshold=float(threshold),
                       types=SCORED_TYPES)
    weak = ctx.shared.setdefault("weak_rids", set())
    for row in rows(result):
        weak.add(row["rid"])
        source, target = row["source"], row["target"]
        since = _number(row["since"])
        years = None if since is None or year is None else max(year - since, 0)
        reasons = "、".join([
            "年会议" + _count_zh(row["meetings_per_year"], "次", "未记录"),
            "活动" + _count_zh(row["activities"], "次", "未记录"),
            f"到位资源{row['resources_delivered'] or 0}项",
            "已建立" + _count_zh(years, "年", "年限不详"),
            _initiator_zh(row["initiated_by"], row["unit_end"]),
        ])
        yield finding(
            "weak_tie", row["subject"],
            f"“{display_name(ctx.model, source)}”与“{display_name(ctx.model, target)}”的"
            f"{_link_zh(row['type'])}关系强度为{row['score']:.2f}，低于弱关系阈值"
            f"{threshold:g}（{reasons}）",
            {"type": row["type"], "rid": row["rid"], "score": row["score"],
             "threshold": threshold,
             "parts": {p: row[f"score_{p}"] for p in PARTS},
             "meetings_per_year": row["meetings_per_year"], "activities": row["activities"],
             "resources_delivered": row["resources_delivered"],
             "since": None if since is None else int(since), "years": years,
             "initiated_by": row["initiated_by"],
             "unit_end": row["unit_end"], "weak": True, "blank": _blank_parts(row)})


@QUESTION.check("single_unit_dependency")
def single_unit_dependency(ctx: CheckContext) -> Iterable[Finding]:
    """Communities whose ties and delivered resources all come from one unit."""
    result = run_query(ctx.store, query_of("single_unit_dependency"),
                       kinds=list(COMMUNITY_KINDS), types=SCORED_TYPES)
    for row in rows(result):
        kind = TerritoryKind.parse(row["kind"])
        yield finding(
            "single_unit_dependency", row["subject"],
            f"{zh(kind) if kind else '社区'}“{row['name'] or row['subject']}”的共驻共建支持"
            f"（{row['ties']}条关系、{row['resources']}项到位资源）全部来自单位"
            f"“{row['unit_name'] or row['unit_id']}”，一旦该单位退出即无支持",
            {"territory_kind": row["kind"], "unit_id": row["unit_id"], "ties": row["ties"],
             "delivered_resources": row["resources"]})


@QUESTION.check("bridge_unit")
def bridge_unit(ctx: CheckContext) -> Iterable[Finding]:
    """Units and platforms that are the only link between groups of communities."""
    structure = ctx.shared["cobuilding"]["structure"]
    if structure.empty or not structure["entity"].isin(list(_ENTITY_ZH)).any():
        return  # no unit or platform, so no is_bridge_unit property was written
    result = run_query(ctx.store, query_of("bridge_unit"))
    for row in rows(result):
        entity = ctx.model.entity_of.get(row["subject"])
        what = _ENTITY_ZH.get(entity.value if entity else "", "单位")
        parts = [p.split(",") for p in (row["bridge_parts"] or [])]
        yield finding(
            "bridge_unit", row["subject"],
            f"{what}“{row['name'] or row['subject']}”是共驻共建网络中几组社区之间唯一的连接点，"
            f"移除后网络分裂为{row['bridge_groups']}个各含社区的部分",
            {"entity": entity.value if entity else None, "kind": row["kind"],
             "groups": row["bridge_groups"], "communities": parts,
             "degree": row["degree"], "betweenness": row["betweenness"]})


@QUESTION.check("low_attendance")
def low_attendance(ctx: CheckContext) -> Iterable[Finding]:
    """Platform memberships whose attendance is below the attendance threshold."""
    threshold = ctx.settings.attendance_threshold
    result = run_query(ctx.store, query_of("low_attendance"), threshold=float(threshold))
    for row in rows(result):
        yield finding(
            "low_attendance", row["subject"],
            f"“{display_name(ctx.model, row['source'])}”参加"
            f"“{display_name(ctx.model, row['target'])}”"
            f"的出勤率为{row['attendance_rate']:.0%}，低于{threshold:.0%}",
            {"type": LinkType.MEMBERSHIP.value, "rid": row["rid"],
             "attendance_rate": row["attendance_rate"], "threshold": threshold})


@QUESTION.check("cadre_low_contact")
def cadre_low_contact(ctx: CheckContext) -> Iterable[Finding]:
    """Sent-down cadres who appear in no task step (member ids only, never names)."""
    result = run_query(ctx.store, query_of("cadre_low_contact"))
    # A step whose other end (or task) did not resolve is not in the store, but the cadre is
    # still in a task step: the task_steps rows decide.
    steps = ctx.model.frame("task_steps")
    in_steps = set(steps["from_id"].dropna()) | set(steps["to_id"].dropna())
    for row in rows(result):
        if row["subject"] in in_steps:
            continue
        sent_to = row["sent_to_id"]
        yield finding(
            "cadre_low_contact", row["subject"],
            f"下沉干部{row['subject']}（下沉至“{display_name(ctx.model, sent_to)}”）"
            "没有参与任何任务的流转或办理，与群众联系偏少",
            {"sent_to_id": sent_to, "org_id": row["org_id"]})


# --- metrics ---------------------------------------------------------------------------------


def weak_ties_metrics(ctx: CheckContext) -> dict[str, Any]:
    """``tie_strength``, ``structure`` and ``bridges`` (see the module docstring)."""
    scores: pd.DataFrame = ctx.shared["tie_scores"]
    weak = ctx.shared.get("weak_rids", set())  # the weak_tie check's answer, not a new rule
    tie_strength = []
    for row in rows(scores.sort_values(["source_id", "target_id", "type", "rid"])):
        tie_strength.append({
            "source": row["source_id"], "target": row["target_id"], "type": row["type"],
            "score": row["score"], "rid": row["rid"], "weak": row["rid"] in weak,
            "blank": _blank_parts(row),
            "parts": {p: row[f"score_{p}"] for p in PARTS},
            "values": {"meetings_per_year": row["meetings_per_year"],
                       "activities": row["activities"],
                       "resources_delivered": row["resources_delivered"],
                       "since": None if row["since"] is None else int(row["since"]),
                       "years": row["years"], "initiated_by": row["initiated_by"],
                       "unit_end": row["unit_end"]},
        })
    cobuilding = ctx.shared["cobuilding"]
    structure = []
    for row in rows(cobuilding["structure"]):
        structure.append({
            "id": row["id"], "entity": row["entity"], "kind": row["kind"],
            "name": row["name"], "street": row["street_id"], "degree": row["degree"],
            "betweenness": row["betweenness"], "constraint": row["burt_constraint"],
            "effective_size": row["effective_size"],
            "articulation_point": row["articulation_point"],
            "bridges": row["bridge_count"],
            "brokerage": {r: row[f"brokerage_{r}"] for r in (*BROKERAGE_ROLES, "total")},
            "bridge_unit": row["is_bridge_unit"],
            "bridge_parts": [p.split(",") for p in row["bridge_parts"]],
        })
    G = cobuilding["graph"]
    bridge_list = []
    for u, v in cobuilding["bridges"]:
        ties = sorted((data["source_id"], data["target_id"], data["type"], key)
                      for key, data in G.get_edge_data(u, v).items())
        bridge_list.append({"source": u, "target": v,
                            "ties": [{"source": s, "target": t, "type": k, "rid": r}
                                     for s, t, k, r in ties]})
    return {"tie_strength": tie_strength, "structure": structure, "bridges": bridge_list}


QUESTION.metrics.append(weak_ties_metrics)
