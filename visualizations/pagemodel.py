"""The page model of the network pages: what one run shares, one page's findings and counts.

:class:`RunContext` holds what every page of a run shares (the model, the findings object, the
settings, the findings indexed by place); :class:`Page` is one scope's page being built: its
findings and metric rows, member tallies, hover boxes and header. :func:`attach_findings`
attaches each finding to what a detailed page draws it on. The two layouts
(:mod:`visualizations.detailed`, :mod:`visualizations.aggregated`) build on these, and
:func:`graph_payload` packs what they built for the page's script.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network

from graphmodel.checks import BROKEN_CHAIN_CHECKS, CHECKS_BY_CODE, checks_of
from graphmodel.index import model_index
from graphmodel.model import OrgModel, Rel
from graphmodel.places import subject_territory
from graphmodel.schema import (
    EXPECTED_ORG,
    LEVEL_ZH,
    AdminRank,
    Entity,
    Level,
    TerritoryKind,
    zh,
)
from graphmodel.settings import Settings
from visualizations import styles
from visualizations._common import china_time
from visualizations._layout import Band
from visualizations._scope import FOREIGN, OUTSIDE, FindingsIndex, Scope

__all__ = ["BROKEN_CHAIN", "Marks", "Page", "PlaceTally", "RunContext", "attach_findings",
           "graph_payload", "member_spots", "missing_id", "page_nodes", "pct", "run_context",
           "wrap_label"]

# the checks of a broken chain (their subject is an organization whose superior edge is wrong)
BROKEN_CHAIN = BROKEN_CHAIN_CHECKS
TIP_FINDINGS = 12  # findings listed in a hover box; the rest are counted
TIP_NAMES = 30  # member names listed in a hover box (show_names)
WIDE = 2.5  # a detailed picture wider than this many times its height is stretched down


def wrap_label(text: str, width: int = 7) -> str:
    """A label cut into lines of ``width`` characters."""
    text = str(text)
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def pct(ratio: float | None) -> str:
    """A ratio as a whole percentage, ``—`` when unknown."""
    return "—" if ratio is None else f"{ratio:.0%}"


@dataclass
class RunContext:
    """What every page of one run shares: the model, findings object, settings, and the
    findings and metric rows indexed by where they are (built once, on first use)."""

    model: OrgModel
    findings: dict[str, Any]
    settings: Settings
    show_names: bool
    _index: FindingsIndex | None = field(default=None, repr=False)
    _places: PlaceTally | None = field(default=None, repr=False)

    @property
    def places(self) -> PlaceTally:
        """The run's findings counted by place (rule 12), built once."""
        if self._places is None:
            self._places = PlaceTally(model_index(self.model),
                                      list(self.findings.get("findings") or []))
        return self._places

    @property
    def index(self) -> FindingsIndex:
        if self._index is None:
            self._index = FindingsIndex(model_index(self.model),
                                        list(self.findings.get("findings") or []),
                                        dict(self.findings.get("metrics") or {}))
        return self._index



class PlaceTally:
    """Findings counted by place (DOMAIN.md rule 12, :func:`graphmodel.places.place_of`):
    each finding counts in the territory of its subject and in every territory above it, so
    a street's count is the sum of its communities' plus what sits in the street itself.

    ``counts(t)`` holds, per territory, the findings by question, by check and ``high``;
    ``tasks(t)`` the tasks with findings (routes, ping-pong ...); ``total`` all findings (the city's
    count, which includes the findings that belong to no street)."""

    def __init__(self, index: Any, findings: list[dict[str, Any]]) -> None:
        self.index = index
        self.total: Counter = Counter()
        self._counts: dict[str, Counter] = defaultdict(Counter)
        self._tasks: dict[str, set[str]] = defaultdict(set)
        for f in findings:
            keys = (str(f.get("question", "")), str(f.get("check", "")))
            high = f.get("severity") == "high"
            self.total.update(keys)
            self.total["high"] += high
            territory = subject_territory(f, index)
            if territory is None:
                continue
            for t in (territory, *index.ancestors(territory)):
                c = self._counts[t]
                c.update(keys)
                c["high"] += high
                if getattr(CHECKS_BY_CODE.get(keys[1]), "subject", "") == "task":
                    self._tasks[t].add(str(f.get("subject")))

    def counts(self, territory: str | None) -> Counter:
        """The findings placed in ``territory`` or below it (None: all of the run)."""
        return self.total if territory is None else self._counts.get(territory, Counter())

    def tasks(self, territory: str) -> set[str]:
        """The tasks with backflow findings placed in ``territory`` or below it."""
        return self._tasks.get(territory, set())

    def of(self, finding: dict[str, Any]) -> str | None:
        """The territory a finding is placed in (None: no street holds it)."""
        return subject_territory(finding, self.index)


@dataclass
class Marks:
    """Findings of a page attached to what they are about."""

    nodes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    ties: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    broken: set[str] = field(default_factory=set)
    missing: dict[str, str] = field(default_factory=dict)  # territory -> expected org kind


class Page:
    """One page: the scope, its findings and metrics, and the pyvis network being built."""

    def __init__(self, ctx: RunContext, scope: Scope) -> None:
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

    def place_counts(self) -> Counter:
        """The findings of the run placed in this scope (rule 12): by question, by check
        and ``high``; the city's are all findings."""
        return self.ctx.places.counts(None if self.scope.is_city else self.scope.root)

    def question_counts(self) -> dict[str, int]:
        """Findings placed in the scope, by question (rule 12)."""
        counts = self.place_counts()
        return {q: counts.get(q, 0) for q in styles.QUESTION_ZH}

    def question_rows(self) -> list[dict[str, Any]]:
        """Per question: its Chinese name, its findings (``count``) and, beneath, its checks
        with findings (registry titles), in registry order: the one vocabulary of counts."""
        by_check = self.place_counts()
        rows = []
        for q, n in self.question_counts().items():
            checks = [{"code": spec.code, "zh": spec.title_zh, "count": by_check[spec.code]}
                      for spec in checks_of(q) if by_check.get(spec.code)]
            rows.append({"code": q, "zh": styles.QUESTION_ZH[q], "count": n,
                         "color": styles.PROBLEM[q], "checks": checks})
        return rows

    def header(self, aggregated: bool) -> dict[str, Any]:
        scope = self.scope
        return {
            "title": f"{scope.title} 组织网络图",
            "breadcrumb": scope.breadcrumb,
            "scope_id": scope.root or "city",
            "aggregated": aggregated,
            "questions": self.question_rows(),
            "counts": scope.counts(),
            "generated_at": self.ctx.findings.get("generated_at", ""),
            "generated_zh": china_time(self.ctx.findings.get("generated_at")),
            "show_names": self.ctx.show_names,
        }



def attach_findings(page: Page, nodes: set[str]) -> Marks:
    model = page.model
    marks = Marks()
    member_rows = member_spots(page, [f["subject"] for f in page.findings])
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
            marks.nodes[missing_id(subject)].append(i)
        if check in BROKEN_CHAIN:
            marks.broken.add(subject)
    return marks


_MEMBER_SPOTS = ("org_id", "residence_id", "sent_to_id")


def member_spots(page: Page, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = {str(i) for i in ids if page.model.entity_of.get(str(i)) == Entity.MEMBER}
    if not ids:
        return {}
    return {str(row[0]): {c: (v if isinstance(v, str) else None)
                          for c, v in zip(_MEMBER_SPOTS, row[1:], strict=True)}
            for row in page.scope.index.member_rows(ids, _MEMBER_SPOTS)}


def missing_id(territory: str) -> str:
    return f"missing:{territory}"


def page_nodes(scope: Scope) -> list[str]:
    structure = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM}
    G = scope.model.G
    return sorted((n for n in scope.nodes if G.nodes[n].get("entity") in structure),
                  key=scope.index.sort_key)



# --- page assembly ----------------------------------------------------------------------------


def _options(n_nodes: int) -> dict[str, Any]:
    font = {"face": styles.FONT_STACK, "size": 14, "color": "#1c2833",
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


def graph_payload(net: Network, bands: list[Band], x0: float, x1: float,
                     headers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    nodes, edges, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": _options(len(nodes)),
            "bands": [{"y0": b.y0, "y1": b.y1, "label": b.label} for b in bands],
            "x0": x0, "x1": x1, "headers": headers or [],
            "questions": {q: {"zh": styles.QUESTION_ZH[q], "color": styles.PROBLEM[q]}
                          for q in styles.QUESTION_ZH}}


def run_context(model: OrgModel, findings: dict[str, Any] | None, settings: Settings | None,
             show_names: bool) -> RunContext:
    findings = findings or {}
    if settings is None:
        given = (findings.get("settings") or {}).get("aggregate_above_nodes")
        settings = Settings(aggregate_above_nodes=int(given)) if given else Settings()
    return RunContext(model, findings, settings, show_names)

