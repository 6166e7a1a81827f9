"""Pictures of the report as inline SVG: the coverage chart (matplotlib) and task-route step
diagrams (drawn directly).

The matplotlib SVG keeps its text as text (``svg.fonttype = "none"``) and names our Chinese
font list, so the browser draws the Chinese with the reader's own fonts; no font file is
embedded or needed. Output is deterministic (fixed hash salt, no date).
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from graphmodel.schema import LEVEL_ZH, Level
from visualizations import styles

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["RouteBox", "count_chart", "coverage_chart", "route_svg"]

LEVEL_COLORS = {"street": "#1f5fa8", "community": "#5b8fd1", "grid": "#48a999",
                "compound": "#9cc68f"}


def _mpl_fonts() -> list[str]:
    """Chinese fonts matplotlib can find here (for text measurement), then DejaVu Sans."""
    from matplotlib import font_manager

    wanted = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
              "WenQuanYi Micro Hei", "SimHei"]
    present = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in wanted if name in present] + ["DejaVu Sans"]


def _inline(svg: str, label: str) -> str:
    """matplotlib's SVG made fit to sit inside HTML: no XML prolog, no metadata, scalable,
    our font list."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg)  # implied inside HTML
    svg = re.sub(r'<svg ([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt"',
                 lambda m: (f'<svg {m.group(1)}class="chart" role="img" '
                            f'aria-label="{escape(label)}" style="max-width: '
                            f'{float(m.group(2)) * 4 / 3:.0f}px"'), svg, count=1)
    stack = styles.FONT_STACK.replace('"', "'")
    return re.sub(r"font-family: [^;\"]*", f"font-family: {stack}", svg)


@contextlib.contextmanager
def _bar_axes(height: float) -> Iterator[Any]:
    """A figure of horizontal bars, 8.2 inches wide, with our fonts and SVG settings; yields
    its axes (the caller draws, then :func:`_finish_bars`)."""
    import matplotlib
    from matplotlib.figure import Figure

    rc: dict[RcKeyType, Any] = {
        "svg.fonttype": "none", "svg.hashsalt": "orgnet", "font.family": _mpl_fonts(),
        "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the measuring font
        yield Figure(figsize=(8.2, height)).add_subplot()


def _finish_bars(ax: Any, *, title: str, groups: int, longest: int, height: float) -> str:
    """Title, legend above the bars and margins fitted to the longest label; the SVG."""
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=groups, frameon=False,
              fontsize=8.5)
    ax.figure.subplots_adjust(left=min(0.08 + longest * 0.016, 0.4), right=0.97,
                              top=1 - 0.55 / height, bottom=0.35 / height)
    buf = io.StringIO()
    ax.figure.savefig(buf, format="svg", metadata={"Date": None})
    return _inline(buf.getvalue(), title)


def coverage_chart(areas: Sequence[tuple[str, dict[str, float | None]]],
                   levels: Sequence[tuple[str, str]], *, title: str) -> str:
    """Horizontal grouped bars: one group per area (street or community), one bar per level.

    Parameters
    ----------
    areas
        ``(name, {level code: ratio})`` in drawing order, top to bottom.
    levels
        ``(level code, Chinese name)`` of the bars, in order.
    title
        Chart title (Chinese).

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    n, k = max(len(areas), 1), max(len(levels), 1)
    bar = 0.8 / k
    height = 1.3 + n * (0.16 * k + 0.22)
    longest = max((len(name) for name, _ in areas), default=4)
    with _bar_axes(height) as ax:
        for j, (code, name) in enumerate(levels):
            ys = [i + (j - (k - 1) / 2) * bar for i in range(len(areas))]
            values = [(ratios.get(code) if ratios.get(code) is not None else 0.0)
                      for _, ratios in areas]
            ax.barh(ys, values, height=bar * 0.92, label=name,
                    color=LEVEL_COLORS.get(code, "#7f8c8d"))
            for y, (_, ratios) in zip(ys, areas, strict=True):
                ratio = ratios.get(code)
                text = "无" if ratio is None else f"{ratio:.0%}"
                ax.text((ratio or 0) + 0.01, y, text, va="center", fontsize=7.5,
                        color=styles.PROBLEM["coverage"] if ratio is not None and ratio < 1
                        else "#566573")
        ax.set_yticks(range(len(areas)), [name for name, _ in areas])
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25%", "50%", "75%", "100%"])
        ax.axvline(1.0, color="#aab7b8", linewidth=0.8, linestyle="--")
        return _finish_bars(ax, title=title, groups=k, longest=longest, height=height)


def count_chart(rows: Sequence[Mapping[str, Any]], series: Sequence[tuple[str, str, str]], *,
                title: str) -> str:
    """Grouped horizontal bars of counts: one group per row (``row["name"]``), one bar per
    ``(key, Chinese label, colour)`` of ``series``, each bar labelled with its count.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    n, k = max(len(rows), 1), len(series)
    bar = 0.8 / k
    height = 1.3 + n * (0.13 * k + 0.22)
    longest = max((len(str(r["name"])) for r in rows), default=4)
    top = max((max(r[key] for key, _, _ in series) for r in rows), default=1) or 1
    with _bar_axes(height) as ax:
        for j, (key, label, color) in enumerate(series):
            ys = [i + (j - (k - 1) / 2) * bar for i in range(len(rows))]
            values = [r[key] for r in rows]
            ax.barh(ys, values, height=bar * 0.92, label=label, color=color)
            for y, value in zip(ys, values, strict=True):
                ax.text(value + top * 0.01, y, str(value), va="center", fontsize=7.5,
                        color="#566573")
        ax.set_yticks(range(len(rows)), [str(r["name"]) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.12)
        return _finish_bars(ax, title=title, groups=k, longest=longest, height=height)


@dataclass(frozen=True)
class RouteBox:
    """One party of a route: its name, kind (Chinese) and chain level (for the height)."""

    name: str
    kind: str
    level: float


BOX_W, BOX_H, GAP, ROW_H, PAD = 136, 44, 50, 62, 14
NAME_CHARS = 9  # Chinese characters of 14px that fit in a box (the full name is its tooltip)


def route_svg(boxes: Sequence[RouteBox], actions: Sequence[str | None], *, handled: bool,
              label: str, uid: str = "r") -> str:
    """A step diagram of a route: each party a box at the height of its level (the higher
    the organization, the higher the box), an arrow per hand-over labelled with its action
    (转办, 上报, 退回), purple when the task moves down the chain, and a final 办结 mark.

    ``actions`` has one entry per hop (``len(boxes) - 1``), Chinese or None; ``uid`` makes
    the arrow-head ids unique when several diagrams share a page.
    """
    uid = re.sub(r"[^\w-]", "_", uid)
    purple, grey = styles.PROBLEM["backflow"], "#5d6d7e"
    top = min((b.level for b in boxes), default=1.0)
    bottom = max((b.level for b in boxes), default=1.0)
    rows = [lv for lv in range(1, 6) if top - 0.01 <= lv <= bottom + 0.99]
    y_of = {b: PAD + 18 + (b.level - top) * ROW_H for b in boxes}
    width = 70 + len(boxes) * (BOX_W + GAP) + (60 if handled else 0)
    height = PAD * 2 + 18 + (bottom - top) * ROW_H + BOX_H + 4
    parts = [f'<svg class="route-svg" role="img" aria-label="{escape(label)}" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" style="max-width: {width:.0f}px">',
             f"<defs><marker id=\"{uid}-down\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
             "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
             f"<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{purple}\"/></marker>"
             f"<marker id=\"{uid}-up\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
             "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
             f"<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{grey}\"/></marker></defs>"]
    for lv in rows:
        y = PAD + 18 + (lv - top) * ROW_H + BOX_H / 2
        parts.append(f'<line x1="60" y1="{y:.1f}" x2="{width - 6:.0f}" y2="{y:.1f}" '
                     'stroke="#e5e8e8" stroke-width="1"/>'
                     f'<text x="4" y="{y + 4:.1f}" class="lvl">'
                     f"{escape(LEVEL_ZH[Level(lv)])}</text>")
    xs = [66 + i * (BOX_W + GAP) for i in range(len(boxes))]
    for i, action in enumerate(actions):
        a, b = boxes[i], boxes[i + 1]
        x1, x2 = xs[i] + BOX_W, xs[i + 1]
        y1, y2 = y_of[a] + BOX_H / 2, y_of[b] + BOX_H / 2
        down = b.level > a.level + 0.01
        color = purple if down or (b.level == a.level and action in (None, "转办")) else grey
        marker = f"{uid}-down" if color == purple else f"{uid}-up"
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1 + GAP / 2:.1f},{y1:.1f} '
                     f'{x2 - GAP / 2:.1f},{y2:.1f} {x2 - 2:.1f},{y2:.1f}" fill="none" '
                     f'stroke="{color}" stroke-width="{2.6 if down else 1.8}" '
                     f'marker-end="url(#{marker})"/>')
        mid_y = min(y1, y2) - 6
        parts.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{mid_y:.1f}" class="act" '
                     f'fill="{color}" text-anchor="middle">{i + 1}.{escape(action or "交接")}'
                     "</text>")
    for i, box in enumerate(boxes):
        x, y = xs[i], y_of[box]
        name = box.name if len(box.name) <= NAME_CHARS else box.name[:NAME_CHARS - 1] + "…"
        parts.append(f'<g class="box"><title>{escape(box.name)}（{escape(box.kind)}）</title>'
                     f'<rect x="{x}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                     f'fill="#ffffff" stroke="{purple if i == len(boxes) - 1 else "#85929e"}"'
                     f' stroke-width="{2 if i == len(boxes) - 1 else 1.2}"/>'
                     f'<text x="{x + BOX_W / 2}" y="{y + 19:.1f}" text-anchor="middle" '
                     f'class="nm">{escape(name)}</text>'
                     f'<text x="{x + BOX_W / 2}" y="{y + 35:.1f}" text-anchor="middle" '
                     f'class="kd">{escape(box.kind)}</text></g>')
    if handled and boxes:
        x, y = xs[-1] + BOX_W + 10, y_of[boxes[-1]] + BOX_H / 2
        parts.append(f'<g class="done"><circle cx="{x + 20}" cy="{y:.1f}" r="17" '
                     f'fill="{purple}"/><text x="{x + 20}" y="{y + 5:.1f}" '
                     'text-anchor="middle" fill="#ffffff" class="nm">办结</text></g>')
    parts.append("</svg>")
    return "".join(parts)
