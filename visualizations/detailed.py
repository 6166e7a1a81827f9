"""The detailed layout of a network page: every territory, organization, unit and platform.

Territories and party organizations level by level, mass organizations under their territory,
units and platforms in their own band with their ties (thicker when stronger, dashed when
weak), the missing organizations drawn where they should be, and the problems marked — red
for missing or broken (coverage), orange for weak (weak ties), purple for responsibility
flowing back down (backflow routes, step by step). Every edge carries its ``layer`` (组织链
``chain``, 共驻共建 ``ties``, 责任回流 ``routes``, 成员/群众组织 ``mass``) for the page's switches.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from pyvis.network import Network

from graphmodel.index import natural_key
from graphmodel.model import Rel
from graphmodel.schema import LEVEL_ZH, Entity, Level, LinkType, OrgCategory, OrgKind, zh
from visualizations import styles
from visualizations._layout import SideItem, layered_layout
from visualizations._routes import routes_of
from visualizations.pagemodel import (
    Marks,
    Page,
    graph_payload,
    member_spots,
    missing_id,
    wrap_label,
)

__all__ = ["detailed_graph"]

WIDE = 2.5  # a detailed picture wider than this many times its height is stretched down
# compounds two abreast under each grid (not four): a street's picture is then about as wide
# as a screen is, not a thin strip, and a community's compounds' names read at the opening zoom
LEAF_WRAP = 2


def _problem_style(page: Page, findings: list[int], base: styles.NodeStyle,
                   ) -> dict[str, Any]:
    questions = {page.findings[i]["question"] for i in findings}
    worst = next((q for q in styles.PROBLEM_ORDER if q in questions), None)
    color: dict[str, Any] = {"background": base.color, "border": "#ffffff"}
    out: dict[str, Any] = {"size": base.size, "borderWidth": 1.5}
    if worst:
        border = styles.PROBLEM[worst]
        color = {"background": base.color, "border": border,
                 "highlight": {"background": base.color, "border": border},
                 "hover": {"background": base.color, "border": border}}
        out.update(size=base.size + 4, borderWidth=5, problem=worst)
    out["color"] = color
    return out


def detailed_graph(page: Page, nodes: list[str], marks: Marks) -> dict[str, Any]:
    G, index = page.model.G, page.scope.index
    in_page = set(nodes)
    territories = [n for n in nodes if G.nodes[n].get("entity") == Entity.TERRITORY]
    terr_set = set(territories)
    above: dict[str, list[str]] = defaultdict(list)
    below: dict[str, list[str]] = defaultdict(list)
    attached: dict[str, list[str]] = defaultdict(list)
    loose: list[tuple[str, int]] = []
    for t in marks.missing:
        above[t].append(missing_id(t))
    for n in nodes:
        data = G.nodes[n]
        if data.get("entity") != Entity.ORGANIZATION:
            continue
        kind = OrgKind.parse(data.get("kind"))
        category = kind.category if isinstance(kind, OrgKind) else OrgCategory.MASS
        covered = index.first_out(n, Rel.COVERS)
        unit = index.first_out(n, Rel.BELONGS_TO)
        if category is OrgCategory.UNIT and unit in in_page:
            attached[unit].append(n)
        elif covered in terr_set:
            (below if category is OrgCategory.MASS else above)[covered].append(n)
        else:
            level = data.get("level") or _guess_level(page, n)
            loose.append((n, level))
    for group in (*above.values(), *below.values(), *attached.values()):
        group.sort(key=lambda n: (not n.startswith("missing:"),
                                  G.nodes[n].get("level") or 9 if n in G else 0,
                                  index.sort_key(n) if n in G else natural_key(n)))
    side = []
    for n in nodes:
        entity = G.nodes[n].get("entity")
        if entity not in (Entity.UNIT, Entity.PLATFORM):
            continue
        anchors = [v for v in index.tie_neighbours(n) if v in in_page
                   and G.nodes[v].get("entity") in (Entity.TERRITORY, Entity.ORGANIZATION)]
        anchors += [v for v in index.out_of(n, Rel.CONVENED_BY) if v in in_page]
        home = page.scope.index.home(n)
        side.append(SideItem(n, tuple(sorted(set(anchors), key=natural_key)),
                             home if home in terr_set else None, tuple(attached.get(n, ()))))
    parent_of = {t: index.first_out(t, Rel.PART_OF) for t in territories}
    roots = [t for t in territories if parent_of[t] not in terr_set]
    if page.scope.root in roots:
        roots.remove(page.scope.root)
        roots.insert(0, page.scope.root)
    top = page.scope.level or min((G.nodes[t].get("level") or 5 for t in territories),
                                  default=1)
    layout = layered_layout(
        roots=roots, children={t: page.scope.children.get(t, []) for t in territories},
        level_of={t: G.nodes[t].get("level") for t in territories}, above=above,
        below=below, side=side, loose=loose, top_level=top, aspect=WIDE,
        wrap=LEAF_WRAP)

    net = Network(directed=True)
    for n in nodes:
        data = G.nodes[n]
        base = styles.node_style(data.get("entity", ""), data.get("kind"), data.get("level"))
        x, y = layout.pos.get(n, (0.0, 0.0))
        style = _problem_style(page, marks.nodes.get(n, []), base)
        members = (page.by_org.get(n, 0) if data.get("entity") == Entity.ORGANIZATION
                   else page.residents.get(n, 0) if data.get("entity") == Entity.TERRITORY
                   else None)
        extra: dict[str, Any] = {"members": members} if members is not None else {}
        if data.get("category") == OrgCategory.MASS:
            extra["layer"] = "mass"
        if data.get("level") in LEVEL_ZH:
            extra["level"] = int(data["level"])
        if marks.nodes.get(n):
            extra["f"] = sorted(set(marks.nodes[n]))
        net.add_node(n, label=wrap_label(data.get("name") or n), shape=base.shape, x=round(x, 1),
                     y=round(y, 1), tip=page.tip(n, marks.nodes.get(n, [])),
                     entity=str(data.get("entity")), kind=str(data.get("kind") or ""),
                     **extra, **style)
    for t, expected in sorted(marks.missing.items()):
        node_id = missing_id(t)
        kind = OrgKind.parse(expected)
        label = "缺" + (zh(kind) if kind else "党组织")
        x, y = layout.pos.get(node_id, (0.0, 0.0))
        tip = {"t": label, "k": "应有而缺失的组织",
               "f": [["应覆盖", page.ref(t)]]}
        page.add_findings(tip, marks.nodes.get(node_id, []))
        red = styles.PROBLEM["coverage"]
        net.add_node(node_id, label=label, shape="dot", x=round(x, 1), y=round(y, 1),
                     size=styles.MISSING.size, borderWidth=2.5, problem="coverage",
                     color={"background": styles.MISSING.color, "border": red,
                            "highlight": {"background": styles.MISSING.color, "border": red}},
                     shapeProperties={"borderDashes": [4, 3]},
                     font={"color": red}, tip=tip, entity="missing", kind=expected,
                     level=G.nodes[t].get("level"), f=sorted(set(marks.nodes.get(node_id, []))))
        net.add_edge(node_id, t, color={"color": red}, dashes=[4, 3], width=1.5,
                     arrows={"to": {"enabled": False}}, id=f"{node_id}|COVERS", layer="chain")

    _structure_edges(page, net, nodes, in_page, marks)
    _tie_edges(page, net, in_page, marks)
    routes = _route_edges(page, net, in_page)
    headers = []
    for t in territories:  # names drawn at a fixed size when zoomed out (network.js)
        level = G.nodes[t].get("level")
        if level in LEVEL_ZH and int(level) <= top + (2 if top >= Level.COMMUNITY else 1) \
                and t in layout.pos:
            x, y = layout.pos[t]
            headers.append({"id": t, "x": round(x, 1), "y": round(y, 1),
                            "level": int(level), "text": _short_name(page, t),
                            "color": styles.PROBLEM["coverage"] if t in marks.missing
                            else None})
    headers.sort(key=lambda h: (h["level"], h["y"], h["x"]))
    payload = graph_payload(net, layout.bands, layout.x0, layout.x1, headers)
    payload["findings"] = _finding_list(page, marks, payload, routes)
    payload["own_level"] = min(top + 1, 5) if page.scope.root else top + 1
    return payload


def _short_name(page: Page, territory: str) -> str:
    """A territory's name without its parent's name in front (星光坊社区第一网格 under
    星光坊社区 is 第一网格), so that neighbours' names fit beside each other."""
    name = str(page.model.node(territory).get("name") or territory)
    parent = page.scope.index.first_out(territory, Rel.PART_OF)
    prefix = str(page.model.node(parent).get("name") or "") if parent else ""
    if prefix and name.startswith(prefix) and len(name) - len(prefix) >= 2:
        return name[len(prefix):]
    return name


def _finding_list(page: Page, marks: Marks, payload: dict[str, Any],
                  routes: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The page's findings for its side list: what each is drawn on (``n``: nodes), the
    path it is about (``e``: the edges of the chain walked or the task route), and whether it
    is counted here (``here``: placed in the scope by rule 12; a route that only passes
    through the scope is listed but counted where its task was assigned)."""
    on: dict[int, list[str]] = defaultdict(list)
    for node_id, found in marks.nodes.items():
        for i in found:
            on[i].append(node_id)
    edge_ids = {e["id"] for e in payload["edges"]}
    rows = []
    for i, f in enumerate(page.findings):
        subject = str(f.get("subject", ""))
        path = [str(p) for p in f.get("path") or []]
        edges: list[str] = []
        if f.get("question") == "backflow":
            edges = routes.get(subject, [])
        elif "->" in subject:
            a, b = subject.split("->", 1)
            edges = [e for e in edge_ids if e.startswith(f"{a}|{b}|")]
        elif len(path) >= 2:
            edges = [f"{u}|{v}|{Rel.REPORTS_TO}" for u, v in itertools.pairwise(path)
                     if f"{u}|{v}|{Rel.REPORTS_TO}" in edge_ids]
        here = page.scope.is_city or page.ctx.places.of(f) in page.scope.territories
        rows.append({"i": i, "q": f.get("question", ""), "sev": f.get("severity", ""),
                     "here": here,
                     "check": styles.CHECK_ZH.get(f.get("check", ""), f.get("check", "")),
                     "msg": str(f.get("message", "")),
                     "n": sorted(set(on.get(i, [])), key=natural_key), "e": sorted(edges)})
    rank = {q: k for k, q in enumerate(styles.QUESTION_ZH)}
    rows.sort(key=lambda r: (rank.get(r["q"], 9), styles.SEVERITY_RANK.get(r["sev"], 9),
                             r["i"]))
    return rows


def _guess_level(page: Page, org: str) -> int:
    superior = page.model.superior(org)
    level = page.model.node(superior).get("level") if superior else None
    return min(int(level) + 1, 5) if level else 5


def _structure_edges(page: Page, net: Network, nodes: list[str], in_page: set[str],
                     marks: Marks) -> None:
    G = page.model.G
    red = styles.PROBLEM["coverage"]
    out = page.scope.index.out
    for u in nodes:
        for v, key in out(u):
            if v not in in_page or key == Rel.LOCATED_IN or str(key).startswith(Rel.TIE):
                continue
            color = styles.EDGE_COLOR.get(key, "#bbbbbb")
            opts: dict[str, Any] = {"id": f"{u}|{v}|{key}", "color": {"color": color},
                                    "width": 1, "arrows": {"to": {"enabled": False}},
                                    "rel": key, "layer": _structure_layer(G, u, v, key)}
            if key == Rel.REPORTS_TO:
                mass = G.nodes[u].get("category") == OrgCategory.MASS
                opts.update(width=1 if mass else 1.8,
                            arrows={"to": {"enabled": True, "scaleFactor": 0.5}})
                if u in marks.broken:
                    opts.update(color={"color": red}, width=3, dashes=[8, 5],
                                tip={"t": "隶属关系有问题", "k": "组织链",
                                     "f": [["下级", page.ref(u)], ["上级", page.ref(v)]]})
                    page.add_findings(opts["tip"], marks.nodes.get(u, []))
            elif key == Rel.CONVENED_BY:
                opts.update(dashes=[2, 4])
            elif key == Rel.COVERS:
                opts.update(dashes=[2, 3])
            net.add_edge(u, v, **opts)


def _structure_layer(G: Any, u: str, v: str, key: str) -> str:
    """The page layer of a structure edge: ``mass`` for an edge of a mass organization,
    ``ties`` for a unit's own organization to its unit and a platform to its convener,
    ``chain`` for the organization chain and the territory tree."""
    if OrgCategory.MASS in (G.nodes[u].get("category"), G.nodes[v].get("category")):
        return "mass"
    if key in (Rel.BELONGS_TO, Rel.CONVENED_BY):
        return "ties"
    return "chain"


def _tie_edges(page: Page, net: Network, in_page: set[str], marks: Marks) -> None:
    scores: dict[Any, float] = {}
    flagged: set[Any] = set()  # the ties the diagnosis called weak (metrics rows' ``weak``)
    for row in page.metrics.get("tie_strength", []) or []:
        keys = [(row.get("source"), row.get("target"), row.get("type"))]
        if row.get("rid"):
            keys.append(row["rid"])
        if row.get("weak"):
            flagged.update(keys)
        score = row.get("score")
        if score is None:
            continue
        for one in keys:
            scores[one] = float(score)
    ties = page.scope.index.ties_within(in_page)
    pair_count: Counter = Counter()
    weak_color = styles.PROBLEM["weak_ties"]
    for u, v, key, data in ties:
        kind = str(data.get("type") or "")
        score = scores.get(data.get("rid"), scores.get((u, v, kind), data.get("score")))
        found = [i for i in marks.ties.get((u, v), [])
                 if (page.findings[i].get("detail") or {}).get("type") in (None, kind)]
        weak = bool(found) or data.get("rid") in flagged or (u, v, kind) in flagged or any(
            (page.findings[i].get("detail") or {}).get("weak") for i in found)
        link = LinkType.parse(kind)
        facts = [["关系", zh(link) if link else kind], ["起点", page.ref(u)],
                 ["终点", page.ref(v)]]
        if score is not None:
            facts.append(["关系强度", f"{float(score):.2f}"])
        for field_name, label in (("meetings_per_year", "年会议次数"), ("activities", "活动次数"),
                                  ("since", "建立年份"), ("attendance_rate", "出勤率")):
            value = data.get(field_name)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                facts.append([label, f"{value:.0%}" if field_name == "attendance_rate"
                              else str(int(value) if float(value).is_integer() else value)])
        if data.get("lead"):
            facts.append(["牵头单位", "是"])
        tip: dict[str, Any] = {"t": f"{zh(link) if link else kind}关系", "k": "共建关系",
                               "f": facts}
        page.add_findings(tip, found)
        pair = tuple(sorted((u, v)))
        k = pair_count[pair]
        pair_count[pair] += 1
        width = 1.5 if score is None else 1 + 5 * max(0.0, min(float(score), 1.0))
        opts: dict[str, Any] = {
            "id": f"{u}|{v}|{key}", "width": round(width, 2), "tip": tip, "rel": "TIE",
            "layer": "ties",
            "type": kind, "arrows": {"to": {"enabled": False}},
            "color": {"color": weak_color if found else styles.TIE_COLOR.get(kind, "#888888")},
        }
        if score is not None:
            opts["score"] = round(float(score), 4)
        if weak:
            opts["dashes"] = [6, 4]
            opts["weak"] = True
        if found:
            opts["problem"] = "weak_ties"
        if k:
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 * k}
        net.add_edge(u, v, **opts)


def _route_edges(page: Page, net: Network, in_page: set[str]) -> dict[str, list[str]]:
    """Purple arrows along the route of each task with backflow findings: one route per task
    (the longest path among its findings), every finding of the task in the hover box.
    Returns the ids of the edges drawn, by task."""
    backflow = [(i, f) for i, f in enumerate(page.findings) if f.get("question") == "backflow"]
    drawn_edges: dict[str, list[str]] = defaultdict(list)
    if not backflow:
        return drawn_edges
    routes = routes_of(page.model, [f for _, f in backflow], page.scope.index)
    by_task: dict[str, list[int]] = defaultdict(list)
    for i, f in backflow:
        by_task[str(f["subject"])].append(i)
    drawn: dict[str, Any] = {}
    for _, route in sorted(routes.items()):
        best = drawn.get(route.task)
        if best is None or len(route.hops) > len(best.hops):
            drawn[route.task] = route
    stand_in = _stand_ins(page, in_page, [p for r in drawn.values() for p in r.parties])
    titles = _task_titles(page, drawn)
    purple = styles.PROBLEM["backflow"]
    pair_count: Counter = Counter()
    for task in sorted(drawn, key=natural_key):
        route = drawn[task]
        for k, hop in enumerate(route.hops):
            a, b = stand_in.get(hop.source), stand_in.get(hop.target)
            if not a or not b or a == b:
                continue
            action = styles.ACTION_ZH.get(hop.action or "", "")
            tip = {"t": titles.get(task) or task, "k": "责任回流路线",
                   "f": [["任务", task], ["第几步", str(k + 1)],
                         ["交接", f"{page.ref(hop.source)} → {page.ref(hop.target)}"
                                  + (f"（{action}）" if action else "")]]}
            page.add_findings(tip, by_task[task])
            pair = tuple(sorted((a, b)))
            bend = pair_count[pair]
            pair_count[pair] += 1
            drawn_edges[task].append(f"route:{task}:{k}")
            net.add_edge(a, b, id=f"route:{task}:{k}", color={"color": purple},
                         width=3, label=f"{k + 1}{action}", rel="ROUTE", problem="backflow",
                         layer="routes",
                         arrows={"to": {"enabled": True, "scaleFactor": 0.8}},
                         smooth={"enabled": True, "type": "curvedCCW",
                                 "roundness": round(0.2 + 0.12 * bend, 2)},
                         font={"color": purple, "size": 12, "strokeWidth": 3},
                         tip=tip)
    return drawn_edges


def _stand_ins(page: Page, in_page: set[str], ids: Iterable[str]) -> dict[str, str]:
    """Page node standing for each route party: itself, or a member's place (the team or
    community a cadre was sent to, else the member's organization)."""
    ids = set(ids)
    out = {i: i for i in ids if i in in_page}
    rows = member_spots(page, ids - set(out))
    for member, row in rows.items():
        spot = next((row[c] for c in ("sent_to_id", "org_id", "residence_id")
                     if row.get(c) in in_page), None)
        if spot:
            out[member] = spot
    return out


def _task_titles(page: Page, ids: Iterable[str]) -> dict[str, str]:
    titles = page.scope.index.task_titles()
    return {i: titles[i] for i in ids if i in titles}


