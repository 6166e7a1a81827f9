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

from graphmodel.schema import LEVEL_ZH
from visualizations import styles
from visualizations._common import anchor_territory, coverage_by_territory, coverage_ratio
from visualizations._layout import layered_layout
from visualizations._scope import natural_key
from visualizations.pagemodel import Page, graph_payload, pct, wrap_label

__all__ = ["aggregated_graph"]


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
    counts = _finding_counts(page, shown_set)
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
    net = Network(directed=True)
    own = {f["subject"] for f in page.findings if f.get("check") == "territory_without_org"}
    drill = []
    for t in sorted(shown, key=natural_key):
        data = G.nodes[t]
        levels = coverage.get(t, [])
        ratio = coverage_ratio(levels)
        fill = styles.coverage_color(ratio)
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
        facts += [[styles.QUESTION_ZH[k], f"{q.get(k, 0)}条"] for k in styles.QUESTION_ZH]
        tip: dict[str, Any] = {"t": data.get("name") or t, "k": "汇总", "f": facts}
        opts: dict[str, Any] = {
            "color": {"background": fill, "border": "#ffffff"}, "borderWidth": 2,
            "size": round(size, 1), "members": n_members, "ratio": ratio,
            "entity": "territory", "kind": str(data.get("kind") or ""),
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
        net.add_node(t, label=f"{wrap_label(data.get('name') or t, 8)}\n{pct(ratio)}", shape="dot",
                     x=round(x, 1), y=round(y, 1), tip=tip, **opts)
        if data["level"] == top + 1 or (not scope.root and t in roots):
            drill.append({"id": t, "name": data.get("name") or t, "href": href.get(t),
                          "kind": styles.kind_zh("territory", data.get("kind")),
                          "members": n_members, "ratio": ratio, "ratio_text": pct(ratio),
                          "color": fill, "high": q.get("high", 0),
                          "counts": [q.get(k, 0) for k in styles.QUESTION_ZH]})
    for t in shown:
        for c in children[t]:
            net.add_edge(c, t, id=f"{c}|{t}|PART_OF", color={"color": "#c3cacd"}, width=1.2,
                         arrows={"to": {"enabled": False}})
    bands = [b for b in layout.bands if b.y0 < max((p[1] for p in layout.pos.values()),
                                                    default=0)]
    return graph_payload(net, bands, layout.x0, layout.x1), drill


def _finding_counts(page: Page, shown: set[str]) -> dict[str, Counter]:
    """Findings per shown territory (its whole subtree), by question and ``high``."""
    model = page.model
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in page.findings:
        home = anchor_territory(model, f, page.scope.index.home)
        if home is None:
            continue
        for t in [home, *page.scope.index.ancestors(home)]:
            if t in shown:
                counts[t][f["question"]] += 1
                counts[t]["high"] += f.get("severity") == "high"
    return counts


