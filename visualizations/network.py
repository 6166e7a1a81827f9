"""Network pages of a scope: the five-level chain, co-building ties and the problem spots.

:func:`network_data` builds the nodes and edges of a page with pyvis's ``Network``;
:func:`render_network` writes them into our own page template around vis-network inlined from
pyvis's bundled copy (no CDN: the page works from ``file://`` with no network, unlike pyvis's
own ``in_line``/``local`` modes, pyvis #228/#229); :func:`write_network` writes the file and,
for an aggregated page, the drill-down pages beside it.

A page of a scope (:mod:`visualizations._scope`) with up to ``aggregate_above_nodes`` nodes is
drawn in detail: territories and party organizations level by level, mass organizations under
their territory, units and platforms in their own band with their ties (thicker when stronger,
dashed when weak), and the problems marked — red for missing or broken (coverage), orange for
weak (weak ties), purple for responsibility flowing back down (backflow routes). A larger scope
is drawn aggregated: the territories one or two levels below the scope as nodes, sized by
members and coloured by coverage ratio, with links to their own pages.

Members are never nodes (too many, and personal data): pages carry member counts, and member
names only with ``show_names``.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pyvis.network import Network

from graphmodel import __version__
from graphmodel.model import OrgModel, Rel
from graphmodel.schema import (
    EXPECTED_ORG,
    LEVEL_ZH,
    AdminRank,
    Entity,
    Level,
    LinkType,
    OrgCategory,
    OrgKind,
    TerritoryKind,
    zh,
)
from graphmodel.settings import Settings
from visualizations import styles
from visualizations._assets import environment, script_json, vis_assets
from visualizations._common import anchor_territory, coverage_by_territory, coverage_ratio
from visualizations._layout import Band, SideItem, layered_layout
from visualizations._routes import routes_of
from visualizations._scope import (
    FOREIGN,
    OUTSIDE,
    FindingsIndex,
    Scope,
    model_index,
    natural_key,
    resolve_scope,
    safe_name,
)

__all__ = ["network_data", "page_file", "render_network", "write_network"]

log = logging.getLogger(__name__)

BROKEN_CHAIN = frozenset({"org_unreachable", "org_skips_level", "org_territory_mismatch"})
TIP_FINDINGS = 12  # findings listed in a hover box; the rest are counted
TIP_NAMES = 30  # member names listed in a hover box (show_names)
WIDE = 2.5  # a detailed picture wider than this many times its height is stretched down


def page_file(entity_id: str) -> str:
    """File name of the page of a scope (``T-ST1.html``); ids that are not safe file names
    get a short hash so two ids never share a file."""
    stem = safe_name(entity_id)
    if stem != entity_id:
        stem += "-" + hashlib.sha1(entity_id.encode("utf-8")).hexdigest()[:6]
    return f"{stem}.html"


def _wrap(text: str, width: int = 7) -> str:
    text = str(text)
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def _pct(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.0%}"


@dataclass
class _Context:
    """What every page of one run shares: the model, findings object, settings, and the
    findings and metric rows indexed by where they are (built once, on first use)."""

    model: OrgModel
    findings: dict[str, Any]
    settings: Settings
    show_names: bool
    _index: FindingsIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> FindingsIndex:
        if self._index is None:
            self._index = FindingsIndex(model_index(self.model),
                                        list(self.findings.get("findings") or []),
                                        dict(self.findings.get("metrics") or {}))
        return self._index

    @property
    def weak_threshold(self) -> float:
        given = (self.findings.get("settings") or {}).get("weak_tie_threshold")
        return float(given if given is not None else self.settings.weak_tie_threshold)


@dataclass
class _Marks:
    """Findings of a page attached to what they are about."""

    nodes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    ties: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    broken: set[str] = field(default_factory=set)
    missing: dict[str, str] = field(default_factory=dict)  # territory -> expected org kind


class _Page:
    """One page: the scope, its findings and metrics, and the pyvis network being built."""

    def __init__(self, ctx: _Context, scope: Scope) -> None:
        self.ctx, self.scope, self.model = ctx, scope, ctx.model
        self.findings = ctx.index.findings(scope)
        self.metrics = ctx.index.metrics(scope)
        index = scope.index
        self.by_org, self.by_home = index.member_tallies(
            None if scope.is_city else index.member_positions(scope.territories, scope.nodes))
        self.residents: Counter = Counter()  # members living in a territory or below it
        ancestors = index.ancestors
        for home, n in self.by_home.items():
            self.residents[home] += n
            for t in ancestors(home):
                self.residents[t] += n
        self.names_by_org: dict[str, list[str]] = {}
        members = scope.members() if ctx.show_names else None
        if members is not None and len(members):
            named = members[members["name"].notna() & members["org_id"].notna()]
            for org, name in zip(named["org_id"], named["name"], strict=True):
                self.names_by_org.setdefault(str(org), []).append(str(name))

    # -- shared helpers --------------------------------------------------------------------
    def ref(self, entity_id: str | None) -> str:
        """Name of an entity for a hover box, ``（范围外）`` for a foreign one."""
        if not entity_id:
            return "—"
        if self.scope.classify(entity_id) == FOREIGN:
            return OUTSIDE
        return self.model.name(entity_id)

    def finding_line(self, f: dict[str, Any]) -> list[str]:
        text = str(f.get("message", ""))
        subject = str(f.get("subject", ""))
        if self.ctx.show_names and self.model.entity_of.get(subject) == Entity.MEMBER:
            name = self.member_names([subject]).get(subject)
            if name:
                text = f"{name}：{text}"
        return [f["question"], styles.SEVERITY_ZH.get(f.get("severity", ""), ""),
                styles.CHECK_ZH.get(f.get("check", ""), f.get("check", "")), text]

    def member_names(self, ids: Iterable[str]) -> dict[str, str]:
        if not self.ctx.show_names:
            return {}
        return {str(i): str(n) for i, n in self.scope.index.member_rows(ids, ("name",))
                if isinstance(n, str) and n}

    def tip(self, node_id: str, findings: list[int], extra: list[list[str]] | None = None,
            ) -> dict[str, Any]:
        data = self.model.node(node_id)
        entity = data.get("entity")
        facts = [["编号", node_id], ["类型", styles.kind_zh(entity, data.get("kind"))]]
        facts += self.facts(node_id, data)
        facts += extra or []
        tip: dict[str, Any] = {"t": data.get("name") or node_id,
                               "k": styles.ENTITY_ZH.get(str(entity), ""), "f": facts}
        self.add_findings(tip, findings)
        names = self.names_by_org.get(node_id) if entity == Entity.ORGANIZATION else None
        if names:
            more = f" 等{len(names)}人" if len(names) > TIP_NAMES else ""
            tip["n"] = "、".join(names[:TIP_NAMES]) + more
        return tip

    def add_findings(self, tip: dict[str, Any], findings: list[int]) -> None:
        if findings:
            lines = [self.finding_line(self.findings[i]) for i in findings[:TIP_FINDINGS]]
            tip["p"] = lines
            if len(findings) > TIP_FINDINGS:
                tip["more"] = len(findings) - TIP_FINDINGS

    def facts(self, node_id: str, data: dict[str, Any]) -> list[list[str]]:
        entity = data.get("entity")
        facts: list[list[str]] = []
        if entity == Entity.TERRITORY:
            level = data.get("level")
            if level in LEVEL_ZH:
                facts.append(["层级", f"第{int(level)}级 {LEVEL_ZH[Level(level)]}"])
            if data.get("households") is not None:
                facts.append(["户数", str(data["households"])])
            facts.append(["居住党员", f"{self.residents.get(node_id, 0)}人"])
            if data.get("managed") is False:
                facts.append(["物业管理", "无人管理"])
        elif entity == Entity.ORGANIZATION:
            index = self.scope.index
            facts.append(["覆盖区域", self.ref(index.first_out(node_id, Rel.COVERS))])
            facts.append(["上级组织", self.ref(index.first_out(node_id, Rel.REPORTS_TO))])
            facts.append(["直属党员", f"{self.by_org.get(node_id, 0)}人"])
        elif entity == Entity.UNIT:
            rank = AdminRank.parse(data.get("admin_rank")) if data.get("admin_rank") else None
            facts.append(["行政级别", zh(rank) if rank else "—"])
            facts.append(["党员人数", str(data.get("party_members", "—"))])
            facts.append(["所在区域", self.ref(self.scope.index.home(node_id))])
        elif entity == Entity.PLATFORM:
            convener = self.scope.index.first_out(node_id, Rel.CONVENED_BY)
            facts.append(["召集方", self.ref(convener)])
            facts.append(["所在区域", self.ref(self.scope.index.home(node_id))])
        return facts

    def question_counts(self) -> dict[str, int]:
        counts = Counter(f["question"] for f in self.findings)
        return {q: counts.get(q, 0) for q in styles.QUESTION_ZH}

    def header(self, aggregated: bool) -> dict[str, Any]:
        scope = self.scope
        return {
            "title": f"{scope.title} 组织网络图",
            "breadcrumb": scope.breadcrumb,
            "scope_id": scope.root or "city",
            "aggregated": aggregated,
            "questions": [{"code": q, "zh": styles.QUESTION_ZH[q], "count": n,
                           "color": styles.PROBLEM[q]} for q, n in self.question_counts().items()],
            "counts": scope.counts(),
            "generated_at": self.ctx.findings.get("generated_at", ""),
            "show_names": self.ctx.show_names,
        }


# --- detailed page ----------------------------------------------------------------------------


def _attach(page: _Page, nodes: set[str]) -> _Marks:
    model = page.model
    marks = _Marks()
    member_rows = _member_rows(page, [f["subject"] for f in page.findings])
    for i, f in enumerate(page.findings):
        subject = str(f.get("subject", ""))
        check = f.get("check", "")
        if "->" in subject:
            a, b = subject.split("->", 1)
            marks.ties[(a, b)].append(i)
            for end in (a, b):
                if end in nodes:
                    marks.nodes[end].append(i)
            continue
        entity = model.entity_of.get(subject)
        if entity == Entity.MEMBER:
            row = member_rows.get(subject, {})
            spots = ([row.get("sent_to_id")] if check == "cadre_low_contact" else []) + [
                row.get("org_id"), row.get("residence_id")]
            spot = next((s for s in spots if s in nodes), None)
            if spot:
                marks.nodes[spot].append(i)
        elif entity == Entity.TASK:
            path = [p for p in (f.get("path") or []) if p in nodes]
            for spot in dict.fromkeys(path[:1] + path[-1:]):
                marks.nodes[spot].append(i)
        elif subject in nodes:
            marks.nodes[subject].append(i)
        if check == "territory_without_org" and subject in nodes:
            expected = (f.get("detail") or {}).get("expected_org_kind")
            if not expected:
                kind = TerritoryKind.parse(model.node(subject).get("kind"))
                expected = EXPECTED_ORG[kind].value if kind in EXPECTED_ORG else ""
            marks.missing[subject] = str(expected)
            marks.nodes[_missing_id(subject)].append(i)
        if check in BROKEN_CHAIN:
            marks.broken.add(subject)
    return marks


_MEMBER_SPOTS = ("org_id", "residence_id", "sent_to_id")


def _member_rows(page: _Page, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = {str(i) for i in ids if page.model.entity_of.get(str(i)) == Entity.MEMBER}
    if not ids:
        return {}
    return {str(row[0]): {c: (v if isinstance(v, str) else None)
                          for c, v in zip(_MEMBER_SPOTS, row[1:], strict=True)}
            for row in page.scope.index.member_rows(ids, _MEMBER_SPOTS)}


def _missing_id(territory: str) -> str:
    return f"missing:{territory}"


def _page_nodes(scope: Scope) -> list[str]:
    structure = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM}
    G = scope.model.G
    return sorted((n for n in scope.nodes if G.nodes[n].get("entity") in structure),
                  key=scope.index.sort_key)


def _problem_style(page: _Page, findings: list[int], base: styles.NodeStyle,
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


def _detailed(page: _Page, nodes: list[str], marks: _Marks) -> dict[str, Any]:
    G, index = page.model.G, page.scope.index
    in_page = set(nodes)
    territories = [n for n in nodes if G.nodes[n].get("entity") == Entity.TERRITORY]
    terr_set = set(territories)
    above: dict[str, list[str]] = defaultdict(list)
    below: dict[str, list[str]] = defaultdict(list)
    attached: dict[str, list[str]] = defaultdict(list)
    loose: list[tuple[str, int]] = []
    for t in marks.missing:
        above[t].append(_missing_id(t))
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
        below=below, side=side, loose=loose, top_level=top, aspect=WIDE)

    net = Network(directed=True)
    for n in nodes:
        data = G.nodes[n]
        base = styles.node_style(data.get("entity", ""), data.get("kind"), data.get("level"))
        x, y = layout.pos.get(n, (0.0, 0.0))
        style = _problem_style(page, marks.nodes.get(n, []), base)
        members = (page.by_org.get(n, 0) if data.get("entity") == Entity.ORGANIZATION
                   else page.residents.get(n, 0) if data.get("entity") == Entity.TERRITORY
                   else None)
        extra = {"members": members} if members is not None else {}
        net.add_node(n, label=_wrap(data.get("name") or n), shape=base.shape, x=round(x, 1),
                     y=round(y, 1), tip=page.tip(n, marks.nodes.get(n, [])),
                     entity=str(data.get("entity")), kind=str(data.get("kind") or ""),
                     **extra, **style)
    for t, expected in sorted(marks.missing.items()):
        node_id = _missing_id(t)
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
                     font={"color": red}, tip=tip, entity="missing", kind=expected)
        net.add_edge(node_id, t, color={"color": red}, dashes=[4, 3], width=1.5,
                     arrows={"to": {"enabled": False}}, id=f"{node_id}|COVERS")

    _structure_edges(page, net, nodes, in_page, marks)
    _tie_edges(page, net, in_page, marks)
    _route_edges(page, net, in_page)
    headers = []
    for t in territories:  # names drawn at a fixed size when zoomed out (network.js)
        level = G.nodes[t].get("level")
        if level in LEVEL_ZH and int(level) <= top + 1 and t in layout.pos:
            x, y = layout.pos[t]
            headers.append({"x": round(x, 1), "y": round(y, 1),
                            "level": int(level), "text": G.nodes[t].get("name") or t,
                            "color": styles.PROBLEM["coverage"] if t in marks.missing
                            else None})
    headers.sort(key=lambda h: (h["level"], h["y"], h["x"]))
    return _network_payload(net, layout.bands, layout.x0, layout.x1, headers)


def _guess_level(page: _Page, org: str) -> int:
    superior = page.model.superior(org)
    level = page.model.node(superior).get("level") if superior else None
    return min(int(level) + 1, 5) if level else 5


def _structure_edges(page: _Page, net: Network, nodes: list[str], in_page: set[str],
                     marks: _Marks) -> None:
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
                                    "rel": key}
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


def _tie_edges(page: _Page, net: Network, in_page: set[str], marks: _Marks) -> None:
    scores: dict[Any, float] = {}
    for row in page.metrics.get("tie_strength", []) or []:
        score = row.get("score")
        if score is None:
            continue
        if row.get("rid"):
            scores[row["rid"]] = float(score)
        scores[(row.get("source"), row.get("target"), row.get("type"))] = float(score)
    ties = page.scope.index.ties_within(in_page)
    pair_count: Counter = Counter()
    weak_color = styles.PROBLEM["weak_ties"]
    for u, v, key, data in ties:
        kind = str(data.get("type") or "")
        score = scores.get(data.get("rid"), scores.get((u, v, kind), data.get("score")))
        found = [i for i in marks.ties.get((u, v), [])
                 if (page.findings[i].get("detail") or {}).get("type") in (None, kind)]
        weak = bool(found) or (score is not None and float(score) < page.ctx.weak_threshold)
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


def _route_edges(page: _Page, net: Network, in_page: set[str]) -> None:
    """Purple arrows along the route of each task with backflow findings: one route per task
    (the longest path among its findings), every finding of the task in the hover box."""
    backflow = [(i, f) for i, f in enumerate(page.findings) if f.get("question") == "backflow"]
    if not backflow:
        return
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
            net.add_edge(a, b, id=f"route:{task}:{k}", color={"color": purple},
                         width=3, label=f"{k + 1}{action}", rel="ROUTE", problem="backflow",
                         arrows={"to": {"enabled": True, "scaleFactor": 0.8}},
                         smooth={"enabled": True, "type": "curvedCCW",
                                 "roundness": round(0.2 + 0.12 * bend, 2)},
                         font={"color": purple, "size": 11, "strokeWidth": 3},
                         tip=tip)


def _stand_ins(page: _Page, in_page: set[str], ids: Iterable[str]) -> dict[str, str]:
    """Page node standing for each route party: itself, or a member's place (the team or
    community a cadre was sent to, else the member's organization)."""
    ids = set(ids)
    out = {i: i for i in ids if i in in_page}
    rows = _member_rows(page, ids - set(out))
    for member, row in rows.items():
        spot = next((row[c] for c in ("sent_to_id", "org_id", "residence_id")
                     if row.get(c) in in_page), None)
        if spot:
            out[member] = spot
    return out


def _task_titles(page: _Page, ids: Iterable[str]) -> dict[str, str]:
    titles = page.scope.index.task_titles()
    return {i: titles[i] for i in ids if i in titles}


# --- aggregated page --------------------------------------------------------------------------


def _aggregated(page: _Page, href: dict[str, str]) -> tuple[dict[str, Any], list[dict]]:
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
        facts.append(["下级覆盖率", _pct(ratio)])
        facts += [[f"　{row['level_zh']}",
                   f"{row['covered']}/{row['total']}（{_pct(row['ratio'])}）"] for row in levels]
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
        net.add_node(t, label=f"{_wrap(data.get('name') or t, 8)}\n{_pct(ratio)}", shape="dot",
                     x=round(x, 1), y=round(y, 1), tip=tip, **opts)
        if data["level"] == top + 1 or (not scope.root and t in roots):
            drill.append({"id": t, "name": data.get("name") or t, "href": href.get(t),
                          "kind": styles.kind_zh("territory", data.get("kind")),
                          "members": n_members, "ratio": ratio, "ratio_text": _pct(ratio),
                          "color": fill, "high": q.get("high", 0),
                          "counts": [q.get(k, 0) for k in styles.QUESTION_ZH]})
    for t in shown:
        for c in children[t]:
            net.add_edge(c, t, id=f"{c}|{t}|PART_OF", color={"color": "#c3cacd"}, width=1.2,
                         arrows={"to": {"enabled": False}})
    bands = [b for b in layout.bands if b.y0 < max((p[1] for p in layout.pos.values()),
                                                    default=0)]
    return _network_payload(net, bands, layout.x0, layout.x1), drill


def _finding_counts(page: _Page, shown: set[str]) -> dict[str, Counter]:
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


# --- page assembly ----------------------------------------------------------------------------


def _options(n_nodes: int) -> dict[str, Any]:
    font = {"face": styles.FONT_STACK, "size": 12, "color": "#1c2833",
            "strokeWidth": 3, "strokeColor": "#ffffff"}
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}, "improvedLayout": False,
                   "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": {"enabled": False},
                        "hideEdgesOnDrag": n_nodes > 400, "hideEdgesOnZoom": n_nodes > 800,
                        "multiselect": False},
        "nodes": {"font": font, "borderWidth": 1.5, "shapeProperties": {"interpolation": False}},
        "edges": {"smooth": False, "color": {"inherit": False}, "selectionWidth": 1.5,
                  "font": {**font, "size": 10, "align": "middle"}},
    }


def _network_payload(net: Network, bands: list[Band], x0: float, x1: float,
                     headers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    nodes, edges, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": _options(len(nodes)),
            "bands": [{"y0": b.y0, "y1": b.y1, "label": b.label} for b in bands],
            "x0": x0, "x1": x1, "headers": headers or [],
            "questions": {q: {"zh": styles.QUESTION_ZH[q], "color": styles.PROBLEM[q]}
                          for q in styles.QUESTION_ZH}}


def _build(ctx: _Context, scope: Scope, href: dict[str, str]) -> dict[str, Any]:
    page = _Page(ctx, scope)
    nodes = _page_nodes(scope)
    marks = _attach(page, set(nodes))
    total = len(nodes) + len(marks.missing)
    aggregated = total > ctx.settings.aggregate_above_nodes
    if aggregated:
        payload, drill = _aggregated(page, href)
        log.info("%s: %d nodes > %d, drawn aggregated", scope.title, total,
                 ctx.settings.aggregate_above_nodes)
    else:
        payload, drill = _detailed(page, nodes, marks), []
    return {**page.header(aggregated), "graph": payload, "drill": drill, "total_nodes": total}


def _context(model: OrgModel, findings: dict[str, Any] | None, settings: Settings | None,
             show_names: bool) -> _Context:
    findings = findings or {}
    if settings is None:
        given = (findings.get("settings") or {}).get("aggregate_above_nodes")
        settings = Settings(aggregate_above_nodes=int(given)) if given else Settings()
    return _Context(model, findings, settings, show_names)


def network_data(model: OrgModel, findings: dict[str, Any] | None = None, *,
                 scope: str | None = None, show_names: bool = False,
                 settings: Settings | None = None,
                 href: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything a network page shows, as plain data.

    Parameters
    ----------
    model
        The model (its structure graph ``G`` and frames).
    findings
        The diagnosis object of FINDINGS.md (``findings``, ``metrics``, ``settings`` ...).
    scope
        None or ``city``, or a territory id (street, community ...); see
        :func:`visualizations._scope.resolve_scope`.
    show_names
        Put member names into hover boxes (they are personal data; off by default).
    settings
        ``aggregate_above_nodes`` decides when the page is aggregated; default: the value
        echoed in ``findings["settings"]``, else the built-in default.
    href
        Links of the drill-down pages of an aggregated page, by territory id.

    Returns
    -------
    dict
        ``title``, ``breadcrumb``, ``aggregated``, ``questions`` (counts), ``counts``,
        ``graph`` (vis-network ``nodes``, ``edges``, ``options``, level ``bands``) and
        ``drill`` (the territories an aggregated page links to).

    Raises
    ------
    ScopeError
        ``scope`` names no territory.
    """
    ctx = _context(model, findings, settings, show_names)
    return _build(ctx, resolve_scope(model, scope), href or {})


def _legend() -> list[dict[str, Any]]:
    items = [{"svg": _shape_svg(s.shape, s.color, "#ffffff"), "text": s.legend}
             for s in styles.LEGEND_NODES if s is not styles.MISSING]
    red, orange, purple = (styles.PROBLEM[q] for q in ("coverage", "weak_ties", "backflow"))
    items += [
        {"svg": _shape_svg("dot", styles.MISSING.color, red, dashed=True),
         "text": "应有而缺失的组织（红色虚线）"},
        {"svg": _shape_svg("dot", "#1f5fa8", red, width=4),
         "text": "红框：缺失或断链（覆盖盲区）"},
        {"svg": _shape_svg("dot", "#1f5fa8", orange, width=4),
         "text": "橙框：弱关系、依赖单一单位"},
        {"svg": _shape_svg("dot", "#1f5fa8", purple, width=4), "text": "紫框：责任回流、推诿"},
        {"svg": _line_svg("#4a5a7a", 2, arrow=True), "text": "组织隶属（指向上级）"},
        {"svg": _line_svg("#b8c4b0", 1.5), "text": "区域包含"},
        {"svg": _line_svg(styles.TIE_COLOR["co_building"], 5), "text": "共建关系：越粗越强"},
        {"svg": _line_svg(orange, 2.5, dashed=True), "text": "弱关系（虚线）"},
        {"svg": _line_svg(red, 3, dashed=True), "text": "断裂或错位的隶属关系"},
        {"svg": _line_svg(purple, 3, arrow=True), "text": "责任回流路线（紫色箭头，标步骤与动作）"},
    ]
    return items


def _aggregated_legend() -> list[dict[str, Any]]:
    return [
        {"svg": _shape_svg("dot", styles.coverage_color(1.0), "#ffffff"), "text": "覆盖率 100%"},
        {"svg": _shape_svg("dot", styles.coverage_color(0.95), "#ffffff"), "text": "覆盖率 95%"},
        {"svg": _shape_svg("dot", styles.coverage_color(0.8), "#ffffff"),
         "text": "覆盖率 80% 及以下"},
        {"svg": _shape_svg("dot", "#ffffff", styles.PROBLEM["coverage"], width=4),
         "text": "红框：本级党组织缺失"},
        {"svg": _shape_svg("dot", "#d5d8dc", "#ffffff"), "text": "圆越大，党员越多"},
    ]


def _shape_svg(shape: str, fill: str, border: str, *, width: float = 1.5,
               dashed: bool = False) -> Markup:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    common = f'fill="{fill}" stroke="{border}" stroke-width="{width}"{dash}'
    body = {
        "dot": f'<circle cx="9" cy="9" r="6" {common}/>',
        "square": f'<rect x="3" y="3" width="12" height="12" {common}/>',
        "triangle": f'<polygon points="9,2 16,15 2,15" {common}/>',
        "triangleDown": f'<polygon points="2,3 16,3 9,16" {common}/>',
        "diamond": f'<polygon points="9,1 17,9 9,17 1,9" {common}/>',
        "hexagon": f'<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" {common}/>',
    }.get(shape, f'<circle cx="9" cy="9" r="6" {common}/>')
    return Markup(f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
                  f"{body}</svg>")


def _line_svg(color: str, width: float, *, dashed: bool = False, arrow: bool = False) -> Markup:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    head = (f'<polygon points="30,9 23,5 23,13" fill="{color}"/>' if arrow else "")
    return Markup(f'<svg width="32" height="18" viewBox="0 0 32 18" aria-hidden="true">'
                  f'<line x1="1" y1="9" x2="{24 if arrow else 31}" y2="9" stroke="{color}" '
                  f'stroke-width="{width}"{dash}/>{head}</svg>')


def render_network(model: OrgModel, findings: dict[str, Any] | None = None, *,
                   scope: str | None = None, show_names: bool = False,
                   settings: Settings | None = None, href: dict[str, str] | None = None,
                   links: dict[str, str] | None = None) -> str:
    """The HTML of a network page (see :func:`network_data` for the parameters).

    ``links`` adds navigation links to the header (Chinese label -> relative address), e.g.
    ``{"返回诊断报告": "../index.html"}``.
    """
    data = network_data(model, findings, scope=scope, show_names=show_names,
                        settings=settings, href=href)
    return _render(data, links or {})


ASSETS = ("inline", "folder", "auto")
LIB = "lib"


def _render(data: dict[str, Any], links: dict[str, str], assets: str = "inline") -> str:
    vis_version, vis_js, vis_css = vis_assets()
    template = environment().get_template("network.html")
    legend = _aggregated_legend() if data["aggregated"] else _legend()
    inline = assets == "inline"
    return template.render(page=data, legend=legend, links=links,
                           graph_json=script_json(data["graph"]), version=__version__,
                           vis_version=vis_version, vis_inline=inline,
                           vis_js=Markup(vis_js) if inline else "",
                           vis_css=Markup(vis_css) if inline else "")


def _write_lib(folder: Path) -> list[Path]:
    """vis-network's script (with its licence header) and style, for pages that share them."""
    _, vis_js, vis_css = vis_assets()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in (("vis-network.min.js", vis_js), ("vis-network.css", vis_css)):
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def write_network(model: OrgModel, findings: dict[str, Any] | None, out: str | Path, *,
                  scope: str | None = None, show_names: bool = False,
                  settings: Settings | None = None, drill_down: bool = False,
                  links: dict[str, str] | None = None, assets: str = "inline") -> list[Path]:
    """Write the network page of ``scope`` to ``out``; return the pages written.

    An aggregated page links to a page per territory one level down (``<id>.html`` beside
    ``out``, see :func:`page_file`). With ``drill_down`` those pages are written too (and
    theirs, when they are aggregated in turn); without it the links name pages that
    ``orgnet viz --scope ID`` would write.

    ``assets="inline"`` (default) puts vis-network inside every page, so each file stands
    alone; ``"folder"`` writes it once into ``lib/`` beside the pages, which keeps a city's
    hundreds of drill-down pages small (the folder must travel with them); ``"auto"`` is
    inline when one page is written and the folder when drill-down pages are written too.

    Without ``drill_down``, an aggregated page links only to the drill-down pages that
    already exist beside ``out`` (no link leads to a missing file); the others are listed
    without a link, with the command that writes them.
    """
    ctx = _context(model, findings, settings, show_names)
    return _write_network(ctx, out, resolve_scope(model, scope), drill_down=drill_down,
                          links=links, assets=assets)


def _write_network(ctx: _Context, out: str | Path, scope: Scope, *, drill_down: bool,
                   links: dict[str, str] | None, assets: str) -> list[Path]:
    """:func:`write_network` within a run (``ctx`` shared by the run's pages)."""
    if assets not in ASSETS:
        msg = f"`assets` must be one of {', '.join(ASSETS)}, got {assets!r}"
        raise ValueError(msg)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    first = None
    if assets == "auto":
        first = _build(ctx, scope, _drill_href(ctx, scope, out, drill_down))
        assets = "folder" if drill_down and first["aggregated"] else "inline"
    if assets == "folder":
        _write_lib(out.parent / LIB)
    written: list[Path] = []
    _write(ctx, scope, out, drill_down, links or {}, written, assets, first)
    return written


def _drill_href(ctx: _Context, scope: Scope, out: Path, drill_down: bool) -> dict[str, str]:
    """Links of an aggregated page to the pages one level down: all of them when they are
    written in this run, else only those already beside ``out``."""
    G = ctx.model.G
    next_level = (scope.level or 0) + 1
    targets = sorted((t for t in scope.territories
                      if G.nodes[t].get("level") == next_level or
                      (scope.root is None and ctx.model.parent_territory(t) is None)),
                     key=natural_key)
    href = {t: page_file(t) for t in targets if t != scope.root}
    if not drill_down:
        href = {t: f for t, f in href.items() if (out.parent / f).is_file()}
    return href


def _write(ctx: _Context, scope: Scope, out: Path, drill_down: bool, links: dict[str, str],
           written: list[Path], assets: str, data: dict[str, Any] | None = None) -> None:
    if data is None:
        data = _build(ctx, scope, _drill_href(ctx, scope, out, drill_down))
    out.write_text(_render(data, links, assets), encoding="utf-8")
    written.append(out)
    if not (drill_down and data["aggregated"]):
        return
    back = {**links, f"返回{scope.title}": out.name}
    for row in data["drill"]:
        if row.get("href") and (out.parent / row["href"]) not in written:
            _write(ctx, resolve_scope(ctx.model, row["id"]), out.parent / row["href"], True,
                   back, written, assets)
