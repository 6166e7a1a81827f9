"""Fixed positions for the network pages: the five levels top to bottom, computed in Python.

Positions are computed once here instead of by the browser's physics (a 1,500-node page would
otherwise run its simulation for minutes, pyvis #204): the page draws with physics off, and
the same data always gives the same picture.

Each level of the chain is a horizontal band. In a band, each territory sits under the party
organization(s) covering it, and the mass organizations it holds sit under the territory.
Territories are laid out as a tidy tree (each gets the width of its subtree, parents centred
over their children). Co-building units and platforms get a band of their own just above the
community level, each above the nodes it is tied to; a unit's own party organization sits
beside its unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphmodel.schema import LEVEL_ZH, Level

__all__ = ["Band", "Layout", "SideItem", "layered_layout"]

COL = 120  # pixels per column
BAND = 290  # height of a level band
ORG_DY, TERRITORY_DY, MASS_DY = 0, 95, 185
SIDE_TOP, SIDE_ROW = 45, 95


@dataclass(frozen=True)
class SideItem:
    """A unit or platform: ``anchors`` are the ids it is tied to (placed near their mean),
    ``home`` a fallback territory, ``attached`` ids drawn beside it (its unit party org)."""

    id: str
    anchors: tuple[str, ...] = ()
    home: str | None = None
    attached: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """A horizontal stripe of the page with its Chinese label."""

    y0: float
    y1: float
    label: str


@dataclass
class Layout:
    """Positions by id, the bands, and the x extent."""

    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0


def layered_layout(*, roots: Sequence[str], children: Mapping[str, Sequence[str]],
                   level_of: Mapping[str, int | None], above: Mapping[str, Sequence[str]],
                   below: Mapping[str, Sequence[str]], side: Sequence[SideItem] = (),
                   loose: Sequence[tuple[str, int]] = (), top_level: int = 1,
                   ) -> Layout:
    """Place territories (``roots`` and their ``children``), the nodes ``above`` each
    territory (covering organizations), ``below`` it (mass organizations), the ``side`` band
    (units, platforms) and ``loose`` nodes (organizations with no placed territory, by level).

    Territories not reachable from ``roots`` (a cycle of parents) are placed as extra roots.
    """
    top_level = max(1, min(int(top_level), 5))
    order, band_level = _tree_order(roots, children, level_of, top_level)
    placed: dict[str, list[str]] = {t: [] for t, _ in order}
    for t, parent in order:
        if parent is not None:
            placed[parent].append(t)
    width = _widths(order, placed, above, below)

    # vertical bands: one per level, and the side band just above the community level
    levels = range(top_level, 6)
    side_before = min(max(Level.COMMUNITY, top_level), 5) if side else None
    band_y: dict[int, float] = {}
    bands: list[Band] = []
    y = 0.0
    side_y = 0.0
    side_rows = 1
    total_cols = sum(width[t] for t, parent in order if parent is None) or 1
    if side:
        needed = sum(1 + 0.6 * len(s.attached) for s in side)
        side_rows = max(1, min(6, math.ceil(needed / max(total_cols, 1) * 1.15)))
    for level in levels:
        if level == side_before:
            side_y = y
            height = SIDE_TOP + side_rows * SIDE_ROW
            bands.append(Band(y - 40, y + height - 40, "共建单位与平台"))
            y += height
        band_y[level] = y
        bands.append(Band(y - 40, y + BAND - 40, f"第{level}级 {LEVEL_ZH[Level(level)]}"))
        y += BAND

    layout = Layout(bands=bands)
    pos = layout.pos
    start: dict[str, float] = {}
    cursor = 0.0
    for t, parent in order:  # pre-order: a parent is placed before its children
        if parent is None:
            start[t] = cursor
            cursor += width[t]
        kids = placed[t]
        offset = start[t] + (width[t] - sum(width[c] for c in kids)) / 2
        for c in kids:
            start[c] = offset
            offset += width[c]
        centre = start[t] + width[t] / 2
        by = band_y[band_level[t]]
        pos[t] = (centre * COL, by + TERRITORY_DY)
        _spread(pos, above.get(t, ()), centre, by + ORG_DY)
        _spread(pos, below.get(t, ()), centre, by + MASS_DY)

    right = cursor
    loose_by_level: dict[int, int] = {}
    for node_id, level in loose:
        lv = max(top_level, min(int(level or 5), 5))
        k = loose_by_level.get(lv, 0)
        loose_by_level[lv] = k + 1
        pos[node_id] = ((right + 0.5 + k) * COL, band_y[lv] + ORG_DY)
    right += max(loose_by_level.values(), default=0)

    if side:
        right = max(right, _place_side(pos, side, side_y, side_rows, right))
    layout.x0, layout.x1 = -COL, (right + 1) * COL
    return layout


def _tree_order(roots: Sequence[str], children: Mapping[str, Sequence[str]],
                level_of: Mapping[str, int | None], top_level: int,
                ) -> tuple[list[tuple[str, str | None]], dict[str, int]]:
    """Territories in pre-order as (id, placed parent), each once, and their band level."""
    order: list[tuple[str, str | None]] = []
    band: dict[str, int] = {}
    seen: set[str] = set()
    pending = list(roots) + sorted(set(level_of) - set(roots))
    for root in pending:
        if root in seen:
            continue
        stack: list[tuple[str, str | None]] = [(root, None)]
        while stack:
            t, parent = stack.pop()
            if t in seen:
                continue
            seen.add(t)
            own = level_of.get(t)
            if own is None:
                own = band[parent] + 1 if parent is not None else top_level
            band[t] = max(top_level, min(int(own), 5))
            order.append((t, parent))
            kids = [c for c in children.get(t, ()) if c in level_of and c not in seen]
            stack.extend((c, t) for c in reversed(kids))
    return order, band


def _widths(order: list[tuple[str, str | None]], placed: Mapping[str, list[str]],
            above: Mapping[str, Sequence[str]], below: Mapping[str, Sequence[str]],
            ) -> dict[str, float]:
    """Columns each territory's subtree needs (post-order)."""
    width: dict[str, float] = {}
    for t, _ in reversed(order):
        own = max(1, len(above.get(t, ())), len(below.get(t, ())))
        width[t] = max(own, sum(width[c] for c in placed[t]))
    return width


def _spread(pos: dict[str, tuple[float, float]], ids: Sequence[str], centre: float,
            y: float) -> None:
    k = len(ids)
    for i, node_id in enumerate(ids):
        pos[node_id] = ((centre + (i - (k - 1) / 2)) * COL, y)


def _place_side(pos: dict[str, tuple[float, float]], side: Sequence[SideItem], y0: float,
                rows: int, right: float) -> float:
    """Greedy: each item at the mean x of its placed anchors, in the first row with room."""
    wanted: list[tuple[float, str, SideItem]] = []
    for item in side:
        xs = [pos[a][0] for a in item.anchors if a in pos]
        if not xs and item.home in pos:
            xs = [pos[item.home][0]]
        x = sum(xs) / len(xs) / COL if xs else right + 1
        wanted.append((x, item.id, item))
    wanted.sort(key=lambda w: (w[0], w[1]))
    row_end = [-math.inf] * rows
    far = right
    for x, _, item in wanted:
        span = 1 + 0.6 * len(item.attached)
        row = next((r for r in range(rows) if row_end[r] <= x - span / 2), None)
        if row is None:
            row = min(range(rows), key=lambda r: (row_end[r], r))
        cx = max(x, row_end[row] + span / 2)
        row_end[row] = cx + span / 2
        y = y0 + SIDE_TOP + row * SIDE_ROW
        pos[item.id] = (cx * COL, y)
        for j, attached in enumerate(item.attached):
            pos[attached] = ((cx + 0.6 * (j + 1)) * COL, y + 30)
        far = max(far, row_end[row])
    return far
