"""Fixed positions for the network pages: the five levels top to bottom, computed in Python.

Positions are computed once here instead of by the browser's physics (a 1,500-node page would
otherwise run its simulation for minutes, pyvis #204): the page draws with physics off, and
the same data always gives the same picture.

Each level of the chain is a horizontal band. In a band, each territory sits under the party
organization(s) covering it, and the mass organizations it holds are stacked under the
territory. Territories are laid out as a tidy tree: each gets the width of its subtree, and
parents are centred over their children. Children that have no children of their own (the
compounds of a grid) are wrapped into a block of at most ``WRAP`` columns, so that a grid with
twelve compounds is three rows of four rather than one long row. Co-building units and
platforms get a band of their own just above the community level, each above the nodes it is
tied to; a unit's own party organization sits beside its unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphmodel.schema import LEVEL_ZH, Level

__all__ = ["Band", "Layout", "SideItem", "layered_layout"]

COL = 120  # pixels per column
WRAP = 4  # columns of a block of leaf territories
ORG_DY, TERRITORY_DY, MASS_DY, MASS_STEP = 0, 95, 175, 55
CELL_PAD = 60  # below the last node of a cell
BAND_PAD = 50  # above the first row of a band
SIDE_TOP, SIDE_ROW = 45, 95
MAX_STRETCH = 2.5  # of the heights, for very wide pictures
MASS_COLS, MASS_COL = 4, 1.0  # mass organizations under a wide territory: columns, spacing


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
                   wrap: int = WRAP, aspect: float | None = None) -> Layout:
    """Place territories (``roots`` and their ``children``), the nodes ``above`` each
    territory (covering organizations), ``below`` it (mass organizations), the ``side`` band
    (units, platforms) and ``loose`` nodes (organizations with no placed territory, by level).

    Territories not reachable from ``roots`` (a cycle of parents) are placed as extra roots.
    ``aspect``: a picture wider than this many times its height is stretched vertically
    (up to ``MAX_STRETCH`` times), so that a street of a hundred compounds is not drawn as a
    thin strip whose levels cannot be told apart.
    """
    top_level = max(1, min(int(top_level), 5))
    order, band_level = _tree_order(roots, children, level_of, top_level)
    placed: dict[str, list[str]] = {t: [] for t, _ in order}
    for t, parent in order:
        if parent is not None:
            placed[parent].append(t)
    leafy = {t for t, kids in placed.items() if kids and not any(placed[c] for c in kids)}
    width, cell = _widths(order, placed, leafy, above, wrap)

    # vertical sizes: per level, the tallest cell (stacked mass orgs) and the most rows
    stack: dict[int, int] = {}
    rows: dict[int, int] = {}
    for t, _ in order:
        lv = band_level[t]
        stack[lv] = max(stack.get(lv, 0),
                        math.ceil(len(below.get(t, ())) / _below_cols(width[t])))
        if t in leafy:
            n = len(placed[t])
            child_level = band_level[placed[t][0]]
            rows[child_level] = max(rows.get(child_level, 1), math.ceil(n / min(wrap, n)))
    cell_h = {lv: (MASS_DY + (stack.get(lv, 0) - 1) * MASS_STEP if stack.get(lv) else
                   TERRITORY_DY) + CELL_PAD for lv in range(top_level, 6)}

    total_cols = sum(width[t] for t, parent in order if parent is None) or 1
    side_rows = 1
    if side:
        needed = sum(1 + 0.6 * len(s.attached) for s in side)
        side_rows = max(1, min(6, math.ceil(needed / total_cols * 1.15)))
    side_before = min(max(Level.COMMUNITY, top_level), 5) if side else None
    band_y: dict[int, float] = {}
    bands: list[Band] = []
    y = 0.0
    side_y = 0.0
    for level in range(top_level, 6):
        if level == side_before:
            side_y = y
            height = SIDE_TOP + side_rows * SIDE_ROW
            bands.append(Band(y - BAND_PAD, y + height - BAND_PAD, "共建单位与平台"))
            y += height
        band_y[level] = y
        height = rows.get(level, 1) * cell_h[level] + BAND_PAD
        bands.append(Band(y - BAND_PAD, y + height - BAND_PAD,
                          f"第{level}级 {LEVEL_ZH[Level(level)]}"))
        y += height

    layout = Layout(bands=bands)
    pos = layout.pos
    start: dict[str, float] = {}
    row_of: dict[str, int] = {}
    cursor = 0.0
    for t, parent in order:  # pre-order: a parent is placed before its children
        if parent is None:
            start[t] = cursor
            row_of[t] = 0
            cursor += width[t]
        kids = placed[t]
        if t in leafy:
            cols = min(wrap, len(kids))
            offset = start[t] + (width[t] - cols * cell[t]) / 2
            for i, c in enumerate(kids):
                start[c] = offset + (i % cols) * cell[t] + (cell[t] - width[c]) / 2
                row_of[c] = i // cols
        else:
            offset = start[t] + (width[t] - sum(width[c] for c in kids)) / 2
            for c in kids:
                start[c] = offset
                row_of[c] = 0
                offset += width[c]
        centre = start[t] + width[t] / 2
        level = band_level[t]
        by = band_y[level] + row_of[t] * cell_h[level]
        pos[t] = (centre * COL, by + TERRITORY_DY)
        ids = above.get(t, ())
        for i, node_id in enumerate(ids):
            pos[node_id] = ((centre + (i - (len(ids) - 1) / 2)) * COL, by + ORG_DY)
        under = below.get(t, ())
        cols = min(len(under), _below_cols(width[t])) or 1
        for i, node_id in enumerate(under):  # rows of up to `cols` under a wide territory
            row, col = divmod(i, cols)
            in_row = min(cols, len(under) - row * cols)
            pos[node_id] = ((centre + (col - (in_row - 1) / 2) * MASS_COL) * COL,
                            by + MASS_DY + row * MASS_STEP)

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
    if aspect and bands:
        drawn = bands[-1].y1 - bands[0].y0
        stretch = min(MAX_STRETCH, (layout.x1 - layout.x0) / (aspect * drawn)) if drawn else 1.0
        if stretch > 1.0:
            layout.pos = {n: (x, y * stretch) for n, (x, y) in pos.items()}
            layout.bands = [Band(b.y0 * stretch, b.y1 * stretch, b.label) for b in bands]
    return layout


def _below_cols(width: float) -> int:
    """Columns of the mass organizations stacked under a territory ``width`` columns wide
    (a community spanning its grids holds them in rows of up to four, not one tall stack)."""
    return max(1, min(MASS_COLS, int(width / MASS_COL)))


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
            # a child drawn at or above its parent's level (a cycle of parents, a misfiled
            # level) is placed as a root of its own instead, so nothing is drawn on top
            kids = [c for c in children.get(t, ()) if c in level_of and c not in seen
                    and ((kid_level := level_of[c]) is None or int(kid_level) > band[t])]
            stack.extend((c, t) for c in reversed(kids))
    return order, band


def _widths(order: list[tuple[str, str | None]], placed: Mapping[str, list[str]],
            leafy: set[str], above: Mapping[str, Sequence[str]], wrap: int,
            ) -> tuple[dict[str, float], dict[str, float]]:
    """Columns each territory's subtree needs (post-order), and the cell width of each
    wrapped block."""
    width: dict[str, float] = {}
    cell: dict[str, float] = {}
    for t, _ in reversed(order):
        own = max(1, len(above.get(t, ())))
        kids = placed[t]
        if t in leafy:
            cell[t] = max(width[c] for c in kids)
            inner = min(wrap, len(kids)) * cell[t]
        else:
            inner = sum(width[c] for c in kids)
        width[t] = max(own, inner)
    return width, cell


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
        span = 1 + 0.7 * len(item.attached)
        row = next((r for r in range(rows) if row_end[r] <= x - span / 2), None)
        if row is None:
            row = min(range(rows), key=lambda r: (row_end[r], r))
        cx = max(x, row_end[row] + span / 2)
        row_end[row] = cx + span / 2
        y = y0 + SIDE_TOP + row * SIDE_ROW
        pos[item.id] = (cx * COL, y)
        for j, attached in enumerate(item.attached):
            pos[attached] = ((cx + 0.7 * (j + 1)) * COL, y + 30)
        far = max(far, row_end[row])
    return far
