"""Files for other network tools: GraphML and GEXF graphs (Gephi, Cytoscape, UCINET via
GraphML) and the findings as CSV or Excel tables.

The graph is the model's structure graph (territories, organizations, units, platforms and
their relationships; members, tasks and resources are not nodes of it), restricted to a scope,
with Chinese labels, kinds, levels and finding flags as attributes. Attribute values are plain
strings, numbers and booleans, as both formats require; a missing value is left out.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graphmodel.atomic import atomic_path
from graphmodel.checks import QUESTIONS, SEVERITIES
from graphmodel.model import OrgModel
from graphmodel.schema import (
    LEVEL_ZH,
    Category,
    Entity,
    Level,
    OrgKind,
    PlatformKind,
    TerritoryKind,
    UnitKind,
    zh,
)
from visualizations._scope import resolve_scope

__all__ = ["GRAPH_FORMATS", "TABLE_FORMATS", "export_graph", "write_graph", "write_table"]

GRAPH_FORMATS = ("graphml", "gexf")
TABLE_FORMATS = ("csv", "xlsx")

_KINDS: dict[str, type[Category]] = {Entity.TERRITORY: TerritoryKind,
                                     Entity.ORGANIZATION: OrgKind, Entity.UNIT: UnitKind,
                                     Entity.PLATFORM: PlatformKind}
_ENTITY_ZH = {Entity.TERRITORY: "区域", Entity.ORGANIZATION: "组织", Entity.UNIT: "单位",
              Entity.PLATFORM: "平台"}
# Node attributes copied from the model as they are (others, e.g. the input row, are not).
_NODE_KEEP = ("kind", "level", "parent_id", "territory_id", "category", "admin_rank",
              "party_members", "formal_members", "households", "managed", "formal_workers",
              "chain_status", "reaches_city", "convener_id", "unit_id")
_EDGE_KEEP = ("type", "since", "meetings_per_year", "activities", "initiated_by", "lead",
              "attendance_rate", "rid")


def _plain(value: Any) -> Any:
    """A value GraphML and GEXF can hold, or None to leave the attribute out."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _kind_zh(entity: str, kind: object) -> str | None:
    cls = _KINDS.get(entity)
    if cls is None or not isinstance(kind, str):
        return None
    try:
        return zh(cls(kind))
    except ValueError:
        return kind


def _flags(findings: list[dict[str, Any]]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Findings by node subject, and by tie (``rid``, or ``SRC->DST`` when there is none)."""
    by_node: dict[str, list[dict]] = defaultdict(list)
    by_tie: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        subject = str(f.get("subject", ""))
        if "->" in subject:
            rid = (f.get("detail") or {}).get("rid")
            by_tie[rid if isinstance(rid, str) else subject].append(f)
        else:
            by_node[subject].append(f)
    return by_node, by_tie


def _flag_attrs(found: list[dict]) -> dict[str, Any]:
    """``findings``, ``checks``, ``severity`` and one ``flag_<question>`` per question (every
    node and tie has them, so tools see the same columns everywhere)."""
    questions = {f["question"] for f in found}
    out: dict[str, Any] = {"findings": len(found),
                           **{f"flag_{q}": q in questions for q in QUESTIONS}}
    if found:
        out["checks"] = ";".join(sorted({f["check"] for f in found}))
        out["severity"] = min((f["severity"] for f in found), key=SEVERITIES.index)
    return out


def export_graph(model: OrgModel, findings: list[dict[str, Any]] | None = None, *,
                 scope: str | None = None) -> nx.MultiDiGraph:
    """The structure graph of ``scope`` with export attributes.

    Parameters
    ----------
    model
        The loaded model.
    findings
        The ``findings`` list of a diagnosis (FINDINGS.md), for the flags; None: no flags.
    scope
        ``city`` or None for everything, else a street or community id (or name), as
        ``orgnet viz --scope``.

    Returns
    -------
    networkx.MultiDiGraph
        The nodes of the scope and every relationship between them. Node attributes:
        ``label`` (Chinese name), ``entity``, ``entity_zh``, ``kind``, ``kind_zh``, ``level``,
        ``level_zh``, ``street_id``, ``scope_role`` (``in`` or ``context``/``foreign`` for a
        tie partner outside), the model's columns, and ``findings`` (count), ``checks``,
        ``severity`` (worst) and ``flag_<question>``. Edge attributes: ``rel`` and, for
        ties, the links columns, ``weak`` and the same finding flags.

    Raises
    ------
    ScopeError
        ``scope`` names nothing of the data.
    """
    chosen = resolve_scope(model, scope)
    by_node, by_tie = _flags(findings or [])
    G = model.G
    out = nx.MultiDiGraph(scope=chosen.title)
    for node in sorted(chosen.nodes):
        data = G.nodes[node]
        entity = data.get("entity", "")
        level = data.get("level")
        attrs = {
            "label": data.get("name") or node,
            "entity": entity,
            "entity_zh": _ENTITY_ZH.get(entity),
            "kind_zh": _kind_zh(entity, data.get("kind")),
            "level_zh": LEVEL_ZH.get(Level(level)) if level in set(Level) else None,
            "street_id": model.street_of(node),
            "scope_role": chosen.classify(node),
            **{k: data.get(k) for k in _NODE_KEEP},
            **_flag_attrs(by_node.get(node, [])),
        }
        out.add_node(node, **{k: v for k, v in map(lambda kv: (kv[0], _plain(kv[1])),
                                                    attrs.items()) if v is not None})
    for src, dst, key, data in G.edges(keys=True, data=True):
        if src not in out or dst not in out:
            continue
        attrs = {"rel": data.get("rel") or str(key).split(":", 1)[0],
                 **{k: data.get(k) for k in _EDGE_KEEP}}
        if attrs["rel"] == "TIE":
            found = by_tie.get(data.get("rid"), []) + by_tie.get(f"{src}->{dst}", [])
            attrs.update(_flag_attrs(found))
            attrs["weak"] = any(f["check"] == "weak_tie" for f in found)
            score = next(((f.get("detail") or {}).get("score") for f in found
                          if f["check"] == "weak_tie"), None)
            attrs["score"] = score
        out.add_edge(src, dst, key=str(key), **{k: v for k, v in (
            (k, _plain(v)) for k, v in attrs.items()) if v is not None})
    return out


def write_graph(G: nx.MultiDiGraph, path: str | Path, fmt: str = "graphml") -> Path:
    """Write ``G`` as GraphML or GEXF (UTF-8); return the path.

    Raises
    ------
    ValueError
        ``fmt`` is not ``graphml`` or ``gexf``.
    """
    path = Path(path)
    if fmt not in GRAPH_FORMATS:
        msg = f"graph format must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}"
        raise ValueError(msg)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as partial:
        if fmt == "graphml":
            nx.write_graphml(G, partial, encoding="utf-8", named_key_ids=True)
        else:
            nx.write_gexf(G, partial, encoding="utf-8")
    return path


def write_table(frame: pd.DataFrame, path: str | Path, fmt: str = "csv", *,
                sheet: str = "findings") -> Path:
    """Write a table as CSV (UTF-8 with BOM, so Excel reads the Chinese) or as an Excel
    workbook; lists and dicts are written as JSON text. Return the path.

    Raises
    ------
    ValueError
        ``fmt`` is not ``csv`` or ``xlsx``.
    """
    path = Path(path)
    if fmt not in TABLE_FORMATS:
        msg = f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}"
        raise ValueError(msg)
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = frame.copy()
    for col in flat.columns:
        if flat[col].map(lambda v: isinstance(v, list | dict)).any():
            flat[col] = flat[col].map(lambda v: json.dumps(v, ensure_ascii=False)
                                      if isinstance(v, list | dict) else v)
    with atomic_path(path) as partial:
        if fmt == "csv":
            flat.to_csv(partial, index=False, encoding="utf-8-sig")
        else:
            flat.to_excel(partial, index=False, sheet_name=sheet, engine="openpyxl")
    return path
