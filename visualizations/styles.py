"""Colours, shapes and Chinese labels of the pages, keyed by the schema enums.

Nothing here draws; :mod:`visualizations.network` and :mod:`visualizations.report` look styles
up by entity, kind and check code. Three colours are reserved for problems and used for
nothing else: red (missing or broken, coverage findings), orange (weak, weak-tie findings) and
purple (responsibility backflow routes).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from graphmodel import checks
from graphmodel.schema import (
    Entity,
    Level,
    LinkType,
    OrgCategory,
    OrgKind,
    PlatformKind,
    StepAction,
    TerritoryKind,
    UnitKind,
    zh,
)

__all__ = [
    "ACTION_ZH",
    "CHECK_ZH",
    "ENTITY_ZH",
    "FONT_STACK",
    "PROBLEM",
    "QUESTION_ZH",
    "SEVERITY_ZH",
    "TIE_COLOR",
    "NodeStyle",
    "coverage_color",
    "kind_zh",
    "node_style",
    "share_color",
]

# Fonts that carry Chinese on Windows, macOS and Linux; the page never downloads a font.
FONT_STACK = ('"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
              '"Source Han Sans SC", "WenQuanYi Micro Hei", SimHei, sans-serif')

# Problem colours, by question (FINDINGS.md).
PROBLEM: dict[str, str] = {
    "coverage": "#d62728",  # red: missing or broken
    "weak_ties": "#f08c00",  # orange: weak
    "backflow": "#8e44ad",  # purple: responsibility flows back down
}
# Which problem colour wins on a node with findings of several questions.
PROBLEM_ORDER: tuple[str, ...] = ("coverage", "backflow", "weak_ties")

# Names of the questions and severities, and the checks' Chinese titles: from the registry.
QUESTION_ZH: dict[str, str] = {q: checks.QUESTION_ZH[q] for q in checks.QUESTIONS}
SEVERITY_ZH: dict[str, str] = dict(checks.SEVERITY_ZH)
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(checks.SEVERITIES)}
CHECK_ZH: dict[str, str] = {spec.code: spec.title_zh for spec in checks.CHECKS}

ENTITY_ZH: dict[str, str] = {
    Entity.TERRITORY.value: "区域",
    Entity.ORGANIZATION.value: "组织",
    Entity.UNIT.value: "共建单位",
    Entity.PLATFORM.value: "平台",
    Entity.MEMBER.value: "党员",
    Entity.TASK.value: "任务",
    Entity.RESOURCE.value: "资源",
}

ACTION_ZH: dict[str, str] = {a.value: zh(a) for a in StepAction}

# Tie colours by link type; a weak tie is drawn orange and dashed instead.
TIE_COLOR: dict[str, str] = {
    LinkType.CO_BUILDING.value: "#2471a3",
    LinkType.DUAL_REPORTING.value: "#138d75",
    LinkType.RESPONSIBLE_UNIT.value: "#1b4f72",
    LinkType.CLAIM.value: "#7b5e3b",
    LinkType.MEMBERSHIP.value: "#95a5a6",
}

# Structure edges (not ties).
EDGE_COLOR = {
    "REPORTS_TO": "#4a5a7a",
    "PART_OF": "#b8c4b0",
    "COVERS": "#c9c9c9",
    "BELONGS_TO": "#9aa7b8",
    "CONVENED_BY": "#b0b0b0",
}


@dataclass(frozen=True)
class NodeStyle:
    """How a node is drawn: vis-network ``shape``, fill ``color``, ``size`` in pixels."""

    shape: str
    color: str
    size: int
    legend: str  # Chinese legend entry


_TERRITORY = NodeStyle("square", "#9cc68f", 10, "区域（块）")
_BUSINESS_AREA = NodeStyle("hexagon", "#c5d86d", 11, "新业态区域（商圈/楼宇/园区）")
_CHAIN_ORG = NodeStyle("dot", "#1f5fa8", 12, "党组织（五级组织链）")
_BUSINESS_ORG = NodeStyle("dot", "#5b8fd1", 11, "商圈/楼宇/园区党组织")
_UNIT_ORG = NodeStyle("triangleDown", "#5b8fd1", 10, "单位党组织")
_MASS_ORG = NodeStyle("dot", "#a9cce3", 7, "群众自治组织及其他组织")
_UNIT = NodeStyle("triangle", "#16a085", 13, "共建单位")
_PLATFORM = NodeStyle("diamond", "#7f8c8d", 13, "平台（联席会议、工作专班等）")
MISSING = NodeStyle("dot", "#fdecea", 11, "应有而缺失的组织")

# Larger nodes at the top of the chain.
_LEVEL_BONUS: dict[Level, int] = {Level.CITY: 8, Level.STREET: 5, Level.COMMUNITY: 2}

LEGEND_NODES: tuple[NodeStyle, ...] = (_CHAIN_ORG, _TERRITORY, _MASS_ORG, _UNIT, _UNIT_ORG,
                                       _PLATFORM, _BUSINESS_AREA, MISSING)


@functools.lru_cache(maxsize=4096, typed=True)
def node_style(entity: str, kind: str | None, level: int | None = None) -> NodeStyle:
    """Style of a structure node from its ``entity`` and ``kind`` attributes (cached: a
    city's pages draw tens of thousands of nodes of a few dozen kinds)."""
    if entity == Entity.TERRITORY:
        base = _BUSINESS_AREA if kind == TerritoryKind.BUSINESS_AREA else _TERRITORY
    elif entity == Entity.ORGANIZATION:
        org_kind = OrgKind.parse(kind) if kind else None
        category = org_kind.category if isinstance(org_kind, OrgKind) else OrgCategory.MASS
        base = {OrgCategory.CHAIN: _CHAIN_ORG, OrgCategory.UNIT: _UNIT_ORG,
                OrgCategory.BUSINESS: _BUSINESS_ORG}.get(category, _MASS_ORG)
    elif entity == Entity.UNIT:
        base = _UNIT
    elif entity == Entity.PLATFORM:
        base = _PLATFORM
    else:
        base = _MASS_ORG
    bonus = _LEVEL_BONUS.get(level, 0) if level is not None else 0  # type: ignore[call-overload]
    return NodeStyle(base.shape, base.color, base.size + bonus, base.legend)


_KIND_ENUMS = {
    Entity.TERRITORY.value: TerritoryKind,
    Entity.ORGANIZATION.value: OrgKind,
    Entity.UNIT.value: UnitKind,
    Entity.PLATFORM.value: PlatformKind,
}


@functools.lru_cache(maxsize=4096, typed=True)
def kind_zh(entity: str | None, kind: str | None) -> str:
    """Chinese name of a node's kind (``社区党委``, ``驻区职能部门`` ...), or its entity's
    (cached)."""
    enum = _KIND_ENUMS.get(str(entity))
    member = enum.parse(kind) if enum is not None and kind else None
    if member is not None:
        return zh(member)
    return ENTITY_ZH.get(str(entity), str(kind or entity or ""))


COVERAGE_STOPS = (0.8, 0.95, 1.0)


def coverage_color(ratio: float | None) -> str:
    """Fill colour for a coverage ratio: red at 80 % and below, amber at 95 %, green at 100 %
    (a street at 95 % still has one grid or compound in twenty without its organization)."""
    if ratio is None:
        return "#d5d8dc"
    stops = ((COVERAGE_STOPS[0], (214, 39, 40)), (COVERAGE_STOPS[1], (243, 156, 18)),
             (COVERAGE_STOPS[2], (39, 174, 96)))
    if ratio <= stops[0][0]:
        rgb: tuple[int, ...] = stops[0][1]
    else:
        rgb = stops[-1][1]
        for (x0, c0), (x1, c1) in itertools.pairwise(stops):
            if ratio <= x1:
                t = (ratio - x0) / (x1 - x0)
                rgb = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
                break
    return "#{:02x}{:02x}{:02x}".format(*rgb)


SHARE_FROM = (232, 246, 239)  # a pale green: nothing of the question here


def share_color(value: float | None, question: str) -> str:
    """Fill colour for a share of one question (weak ties among the ties, backflow tasks
    against the most of any area): pale green at 0, the question's problem colour at 0.5
    and above (weak ties) or at 1 (backflow); grey when unknown."""
    if value is None:
        return "#d5d8dc"
    top = 0.5 if question == "weak_ties" else 1.0
    t = max(0.0, min(1.0, value / top))
    end = PROBLEM[question].lstrip("#")
    rgb = tuple(int(end[i:i + 2], 16) for i in (0, 2, 4))
    mixed = tuple(round(a + (b - a) * t) for a, b in zip(SHARE_FROM, rgb, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)
