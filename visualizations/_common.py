"""Helpers shared by the network pages and the report: coverage per territory, where a finding
belongs, how an entity is named, at which level a party of a task route sits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from graphmodel.model import OrgModel, Rel
from graphmodel.schema import LEVEL_ZH, AdminRank, Entity, Level

__all__ = ["anchor_territory", "china_time", "coverage_by_territory", "coverage_ratio",
           "party_level"]

LEVEL_ORDER = {lv.name.lower(): int(lv) for lv in Level}


def coverage_ratio(rows: Iterable[Mapping[str, Any]]) -> float | None:
    """Covered over total, summed over coverage rows (None when there is nothing to cover)."""
    rows = list(rows)
    total = sum(int(r.get("total") or 0) for r in rows)
    return sum(int(r.get("covered") or 0) for r in rows) / total if total else None


def coverage_by_territory(model: OrgModel, children: Mapping[str, list[str]],
                          metric_rows: Iterable[Mapping[str, Any]], territories: Iterable[str],
                          ) -> dict[str, list[dict[str, Any]]]:
    """Coverage rows (``level``, ``level_zh``, ``covered``, ``total``, ``ratio``) of the levels
    below each territory: the diagnosis's ``metrics.coverage`` rows whose ``scope`` is that
    territory, else counted from the model (a territory is covered when an organization of
    its level covers it)."""
    given: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in metric_rows:
        given[str(row.get("scope"))].append(dict(row))
    out: dict[str, list[dict[str, Any]]] = {}
    for t in territories:
        if t in given:
            out[t] = sorted(given[t], key=lambda r: LEVEL_ORDER.get(str(r.get("level")), 9))
            continue
        tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        stack = list(children.get(t, []))
        seen = set(stack)
        while stack:
            c = stack.pop()
            level = model.node(c).get("level")
            if level in LEVEL_ZH:
                tally[level][1] += 1
                tally[level][0] += any(model.node(o).get("level") == level
                                       for o in model.covering_orgs(c))
            for g in children.get(c, []):
                if g not in seen:
                    seen.add(g)
                    stack.append(g)
        out[t] = [{"scope": t, "level": Level(level).name.lower(),
                   "level_zh": LEVEL_ZH[Level(level)], "covered": covered, "total": total,
                   "ratio": covered / total if total else None}
                  for level, (covered, total) in sorted(tally.items())]
    return out


def anchor_territory(model: OrgModel, finding: Mapping[str, Any],
                     home: Callable[[str], str | None]) -> str | None:
    """The territory a finding is about: the deepest territory among its subject's parts (a
    tie: its community end), and for a backflow finding also where its route ends. ``home``
    gives an id's territory (``model_index(model).home``)."""
    parts = str(finding.get("subject", "")).split("->")
    path = finding.get("path") or []
    if finding.get("question") == "backflow" and path:
        parts.append(str(path[-1]))
    best, best_level = None, -1
    for p in parts:
        territory = home(p)
        if territory is None:
            continue
        level = model.node(territory).get("level") or 0
        if level > best_level:
            best, best_level = territory, level
    return best


def party_level(model: OrgModel, entity_id: str) -> float:
    """Where a party of a task route sits on the chain, for drawing routes: its level for
    organizations and territories, its rank for units (county and above at the top), its
    convener's level for platforms, the level of where a member was sent or lives."""
    data = model.node(entity_id)
    entity = data.get("entity") or model.entity_of.get(entity_id)
    if data.get("level") in LEVEL_ZH:
        return float(data["level"])
    if entity == Entity.UNIT:
        rank = AdminRank.parse(data.get("admin_rank")) if data.get("admin_rank") else None
        if rank is not None and rank.order >= AdminRank.COUNTY.order:
            return 1.0
        if rank is AdminRank.SECTION:
            return 2.0
    if entity == Entity.PLATFORM:
        convener = model._out(entity_id, Rel.CONVENED_BY)
        if convener and model.node(convener[0]).get("level") in LEVEL_ZH:
            return float(model.node(convener[0])["level"])
    if entity == Entity.MEMBER:
        members = model.frame("members")
        row = members[members["id"] == entity_id]
        if len(row):
            sent = row["sent_to_id"].iloc[0]
            if isinstance(sent, str):
                return min(party_level(model, sent), 3.0)
        return 3.0
    home = model.territory_of(entity_id) if entity is not None else None
    level = model.node(home).get("level") if home else None
    return float(level) if level in LEVEL_ZH else 3.0


CHINA = timezone(timedelta(hours=8), "CST")


def china_time(stamp: object) -> str:
    """An ISO time (``generated_at``) as people in China read it, in China Standard Time:
    ``2026年12月3日 18:57``. A time without offset is taken as UTC; text that is not an ISO
    time is returned as it is, and an empty value as ``—``.

    Examples
    --------
    >>> china_time("2026-12-03T10:57:12+00:00")
    '2026年12月3日 18:57'
    """
    text = str(stamp or "").strip()
    if not text:
        return "—"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"
