"""The aggregated layout of a network page: the areas one or two levels below the scope.

A scope too large to draw node by node (a city, a big street) is drawn as its areas: each a
circle sized by members, coloured by the question chosen on the page (coverage ratio, weak-tie
share, backflow tasks), carrying small counts of the three questions, its ring marking what is
missing, and linking to its own page.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from pyvis.network import Network

from graphmodel.checks import QUESTION_SHORT_ZH
from graphmodel.index import natural_key
from graphmodel.schema import LEVEL_ZH, Entity, LinkType
from visualizations import styles
from visualizations._common import coverage_by_territory, coverage_ratio
from visualizations._layout import layered_layout
from visualizations.pagemodel import Page, graph_payload, pct, wrap_label

__all__ = ["aggregated_graph"]

# the three questions as the short words a circle carries (盲区3 弱关系5 回流2)
SUPPORT = frozenset({LinkType.CO_BUILDING.value, LinkType.DUAL_REPORTING.value,
                     LinkType.RESPONSIBLE_UNIT.value})
TIP_UNITS = 12
SPREAD = 1.7  # of the detailed layout's column width


def aggregated_graph(page: Page, href: dict[str, str]) -> tuple[dict[str, Any], list[dict]]:
    """The scope and the territories one level below it (the streets of a city, the
    communities of a street), each a node sized by members and coloured by coverage."""
    model, G, scope = page.model, page.model.G, page.scope
    chain = {t for t in scope.territories if G.nodes[t].get("level") in LEVEL_ZH}
    top = scope.level or min((G.nodes[t]["level"] for t in chain), default=1)
    roots = [scope.root] if scope.root else sorted(
        (t for t in chain if model.parent_territory(t) not in chain), key=natural_key)
    shown = [t for t in chain if G.nodes[t]["level"] <= top + 1]
    shown_set = set(shown)
    children = {t: [c for c in scope.children.get(t, []) if c in shown_set] for t in shown}

    coverage = coverage_by_territory(model, scope.children, page.metrics.get("coverage") or [],
                                     shown)
    places = page.ctx.places
    counts = {t: places.counts(t) for t in shown}
    leaves = {t for t in shown if G.nodes[t]["level"] == top + 1}
    ties, between = _ties_by_area(page, leaves)
    members = {t: page.residents.get(t, 0) for t in shown}
    biggest: dict[int, int] = defaultdict(int)  # sizes compare within a level
    for t in shown:
        biggest[G.nodes[t]["level"]] = max(biggest[G.nodes[t]["level"]], members[t])
    # the areas in rows about as wide as a screen is wide (12 streets: 2 rows of 6)
    most = max((len(kids) for kids in children.values()), default=1)
    layout = layered_layout(roots=roots, children=children,
                            level_of={t: G.nodes[t]["level"] for t in shown}, above={},
                            below={}, top_level=top,
                            wrap=max(4, math.ceil(math.sqrt(2.5 * most))))
    # circles further apart than the detailed columns: each carries three lines of text
    layout.pos = {t: (x * SPREAD, y) for t, (x, y) in layout.pos.items()}
    layout.x0, layout.x1 = layout.x0 * SPREAD, layout.x1 * SPREAD
    most_tasks = max((len(places.tasks(t)) for t in leaves), default=0)
    net = Network(directed=True)
    own = {f["subject"] for f in page.findings if f.get("check") == "territory_without_org"}
    drill = []
    for t in sorted(shown, key=natural_key):
        data = G.nodes[t]
        levels = coverage.get(t, [])
        ratio = coverage_ratio(levels)
        fill = styles.coverage_color(ratio)
        n_ties, n_weak = ties.get(t, (0, 0))
        share = n_weak / n_ties if n_ties else None
        n_tasks = len(places.tasks(t))
        n_members = members.get(t, 0)
        size = 12 + 30 * math.sqrt(n_members / (biggest[data["level"]] or 1))
        q = counts.get(t, Counter())
        facts = [["编号", t], ["类型", styles.kind_zh(data.get("entity"), data.get("kind"))],
                 ["居住党员", f"{n_members}人"]]
        if data.get("households") is not None:
            facts.append(["户数", str(data["households"])])
        facts.append(["下级覆盖率", pct(ratio)])
        facts += [[f"　{row['level_zh']}",
                   f"{row['covered']}/{row['total']}（{pct(row['ratio'])}）"] for row in levels]
        facts.append(["弱关系占比", f"{pct(share)}（{n_weak}/{n_ties}条共建关系）"
                      if n_ties else "—（无共建关系）"])
        facts.append(["回流任务", f"{n_tasks}个"])
        facts += [[styles.QUESTION_ZH[k], f"{q.get(k, 0)}条"] for k in styles.QUESTION_ZH]
        tip: dict[str, Any] = {"t": data.get("name") or t, "k": "汇总", "f": facts}
        opts: dict[str, Any] = {
            "color": {"background": fill, "border": "#ffffff"}, "borderWidth": 2,
            "size": round(size, 1), "members": n_members, "ratio": ratio,
            "entity": "territory", "kind": str(data.get("kind") or ""),
            "level": int(data["level"]),
            "colors": {"coverage": fill, "weak_ties": styles.share_color(share, "weak_ties"),
                       "backflow": styles.share_color(n_tasks / most_tasks if most_tasks
                                                      else 0.0, "backflow")},
            "values": {"coverage": f"覆盖率 {pct(ratio)}",
                       "weak_ties": f"弱关系占比 {pct(share)}",
                       "backflow": f"回流任务 {n_tasks}个"},
            "counts": [q.get(k, 0) for k in styles.QUESTION_ZH],
        }
        if t in own:
            red = styles.PROBLEM["coverage"]
            opts.update(color={"background": fill, "border": red}, borderWidth=5,
                        problem="coverage")
            tip["p"] = [page.finding_line(f) for f in page.findings
                        if f.get("check") == "territory_without_org" and f["subject"] == t]
        if t in href:
            opts["href"] = href[t]
            tip["link"] = "点击打开本区域的网络图"
        x, y = layout.pos.get(t, (0.0, 0.0))
        small = " ".join(f"{QUESTION_SHORT_ZH[k]}{q.get(k, 0)}" for k in styles.QUESTION_ZH)
        net.add_node(t, label=f"{wrap_label(data.get('name') or t, 8)}\n覆盖率 {pct(ratio)}\n"
                     f"{small}", shape="dot",
                     x=round(x, 1), y=round(y, 1), tip=tip, **opts)
        if data["level"] == top + 1 or (not scope.root and t in roots):
            drill.append({"id": t, "name": data.get("name") or t, "href": href.get(t),
                          "kind": styles.kind_zh("territory", data.get("kind")),
                          "members": n_members, "ratio": ratio, "ratio_text": pct(ratio),
                          "color": fill, "high": q.get("high", 0), "tasks": n_tasks,
                          "weak_share": share, "weak_text": pct(share),
                          "counts": [q.get(k, 0) for k in styles.QUESTION_ZH]})
    for t in shown:
        for c in children[t]:
            net.add_edge(c, t, id=f"{c}|{t}|PART_OF", color={"color": "#c3cacd"}, width=1.2,
                         arrows={"to": {"enabled": False}}, layer="chain")
    _unit_edges(page, net, between)
    bands = [b for b in layout.bands if b.y0 < max((p[1] for p in layout.pos.values()),
                                                    default=0)]
    return graph_payload(net, bands, layout.x0, layout.x1), drill


def _area_of(home: str | None, page: Page, areas: set[str]) -> str | None:
    """The shown area holding a territory (itself or its first ancestor shown)."""
    if home is None:
        return None
    if home in areas:
        return home
    return next((a for a in page.scope.index.ancestors(home) if a in areas), None)


def _ties_by_area(page: Page, areas: set[str],
                  ) -> tuple[dict[str, tuple[int, int]], dict[tuple[str, str], list[str]]]:
    """Co-building ties (co-building, dual reporting, responsible unit) per area, by the area
    of their community end: ``(ties, weak ties)``, a tie weak when it has a ``weak_tie``
    finding; and the units serving communities of several areas, by pair of areas."""
    weak = {str(f["subject"]) for f in page.findings if f.get("check") == "weak_tie"}
    G = page.model.G
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    served: dict[str, set[str]] = defaultdict(set)
    edges, _ = page.scope.index.tie_edges()
    for u, v, _, data in edges:
        if str(data.get("type") or "") not in SUPPORT:
            continue
        unit = u if G.nodes[u].get("entity") == Entity.UNIT else v
        if G.nodes[unit].get("entity") != Entity.UNIT or unit not in page.scope.nodes:
            continue
        area = _area_of(page.ctx.places.of({"subject": f"{u}->{v}"}), page, areas)
        if area is None:
            continue
        tally[area][0] += 1
        tally[area][1] += f"{u}->{v}" in weak
        served[unit].add(area)
    between: dict[tuple[str, str], list[str]] = defaultdict(list)
    for unit, where in served.items():
        ordered = sorted(where, key=natural_key)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                between[(a, b)].append(unit)
    for units in between.values():
        units.sort(key=natural_key)
    return {a: (n, w) for a, (n, w) in tally.items()}, dict(between)


def _unit_edges(page: Page, net: Network, between: dict[tuple[str, str], list[str]]) -> None:
    """The units serving communities of two areas, as a tie between the two circles."""
    color = styles.TIE_COLOR[LinkType.CO_BUILDING.value]
    for (a, b), units in sorted(between.items(), key=lambda kv: (natural_key(kv[0][0]),
                                                                natural_key(kv[0][1]))):
        names = "、".join(page.ref(u) for u in units[:TIP_UNITS])
        more = f" 等{len(units)}个" if len(units) > TIP_UNITS else ""
        tip = {"t": f"{len(units)}个共建单位同时服务两地", "k": "共建单位",
               "f": [["区域", f"{page.ref(a)} — {page.ref(b)}"], ["单位", names + more]]}
        net.add_edge(a, b, id=f"units:{a}|{b}", layer="ties", rel="UNITS", units=len(units),
                     width=round(1.5 + min(6.0, 1.5 * len(units)), 1), tip=tip,
                     color={"color": color, "opacity": 0.7}, arrows={"to": {"enabled": False}},
                     smooth={"enabled": True, "type": "curvedCW", "roundness": 0.25})
