"""The diagnosis report for committees: one self-contained Chinese HTML page, print friendly.

:func:`write_report` writes ``DIR/index.html`` and the network pages it links to
(``DIR/network/city.html`` and one page per street, see :mod:`visualizations.network`).
The page holds the headline figures, coverage ratios per street as an inline SVG chart, the
findings of each question as sortable tables, the worst responsibility-backflow routes drawn
step by step, the task-flow and tie-strength tables, and the settings in force. Everything is
inline: it opens from ``file://`` with no network.

A report scoped to a street (``scope``) holds only that street's data: findings, metrics and
network pages are filtered as described in :mod:`visualizations._scope`.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from graphmodel import __version__
from graphmodel.atomic import write_text_atomic
from graphmodel.checks import CHECKS_BY_CODE, checks_of
from graphmodel.index import natural_key
from graphmodel.model import OrgModel
from graphmodel.schema import LEVEL_ZH, Entity, Level, LinkType, OrgKind, zh
from graphmodel.settings import Settings
from visualizations import styles
from visualizations._assets import environment
from visualizations._common import (
    LEVEL_ORDER,
    china_time,
    coverage_by_territory,
    coverage_ratio,
    party_level,
)
from visualizations._routes import routes_of
from visualizations._scope import FOREIGN, OUTSIDE, Scope, resolve_scope
from visualizations.charts import RouteBox, coverage_chart, route_svg
from visualizations.network import page_file, write_pages
from visualizations.pagemodel import PlaceTally, RunContext, run_context
from visualizations.rectification import rectification_section

__all__ = ["report_data", "write_report"]

log = logging.getLogger(__name__)

CARD_CHECKS = 3  # checks named under a question's card (all of them in the table beneath)
MAX_TABLE_ROWS = 2000  # findings rows per question shown in the page; the JSON has them all
NETWORK_DIR = "network"


def _settings(findings: Mapping[str, Any], settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    given = findings.get("settings") or {}
    keep = {k: given[k] for k in ("top_n", "aggregate_above_nodes", "weak_tie_threshold",
                                  "attendance_threshold") if isinstance(given.get(k), int | float)}
    for k in ("top_n", "aggregate_above_nodes"):
        if k in keep:
            keep[k] = int(keep[k])
    return Settings(**keep)


class _Names:
    """How the report names entities: Chinese names, members by id unless ``show_names``."""

    def __init__(self, model: OrgModel, scope: Scope, show_names: bool) -> None:
        self.model, self.scope, self.show_names = model, scope, show_names
        members = model.frame("members")
        self.member_name: dict[str, str] = {}
        self.sent_to: dict[str, str] = {}
        if len(members):
            for mid, name, sent in zip(members["id"], members["name"], members["sent_to_id"],
                                       strict=True):
                if show_names and isinstance(name, str) and name:
                    self.member_name[str(mid)] = name
                if isinstance(sent, str):
                    self.sent_to[str(mid)] = sent
        tasks = model.frame("tasks")
        self.task_title = ({str(t): str(n) for t, n in zip(tasks["id"], tasks["title"],
                                                           strict=True) if isinstance(n, str)}
                           if len(tasks) else {})

    def __call__(self, entity_id: str) -> str:
        if entity_id == OUTSIDE:
            return OUTSIDE
        entity = self.model.entity_of.get(entity_id)
        if entity == Entity.MEMBER:
            name = self.member_name.get(entity_id)
            return f"{name}（{entity_id}）" if name else f"党员{entity_id}"
        if entity == Entity.TASK:
            return self.task_title.get(entity_id, entity_id)
        if self.scope.classify(entity_id) == FOREIGN:
            return OUTSIDE
        return self.model.name(entity_id)

    def subject(self, finding: Mapping[str, Any]) -> str:
        return " — ".join(self(p) for p in str(finding.get("subject", "")).split("->"))

    def kind(self, entity_id: str) -> str:
        entity = self.model.entity_of.get(entity_id)
        if entity == Entity.MEMBER:
            return "下沉干部" if entity_id in self.sent_to else "党员"
        data = self.model.node(entity_id)
        return styles.kind_zh(data.get("entity") or entity, data.get("kind")) if data else ""


def _headline(model: OrgModel, scope: Scope, findings: list[dict[str, Any]],
              coverage: float | None) -> list[dict[str, Any]]:
    counts = scope.counts()
    G = model.G
    is_party: dict[Any, bool] = {}  # by kind: tens of thousands of organizations, few kinds

    def party_kind(kind: Any) -> bool:
        if kind not in is_party:
            parsed = OrgKind.parse(kind)
            is_party[kind] = isinstance(parsed, OrgKind) and parsed.is_party
        return is_party[kind]

    party = sum(1 for n in scope.nodes if G.nodes[n].get("entity") == Entity.ORGANIZATION
                and party_kind(G.nodes[n].get("kind")))
    by_check = Counter(f.get("check") for f in findings)
    high = sum(f.get("severity") == "high" for f in findings)
    red = styles.PROBLEM["coverage"]
    cards: list[dict[str, Any]] = [
        {"label": "区域", "value": counts["territories"], "sub": "街道、社区、网格、小区等"},
        {"label": "党组织", "value": party,
         "sub": f"另有群众组织 {counts['organizations'] - party} 个"},
        {"label": "共建单位", "value": counts["units"], "sub": f"平台 {counts['platforms']} 个"},
        {"label": "党员", "value": counts["members"], "sub": "按居住地统计"},
        {"label": "党组织覆盖率", "value": "—" if coverage is None else f"{coverage:.0%}",
         "sub": "下级各层区域有本级党组织的比例",
         "color": red if coverage is not None and coverage < 1 else None},
        {"label": "发现问题", "value": len(findings), "sub": f"其中高严重程度 {high} 条",
         "color": red if high else None},
    ]
    for q, q_zh in styles.QUESTION_ZH.items():  # each question: its findings, checks beneath
        mine = [f for f in findings if f.get("question") == q]
        checks = [(spec.title_zh, by_check[spec.code]) for spec in checks_of(q)
                  if by_check.get(spec.code)]
        top = sorted(checks, key=lambda c: -c[1])[:CARD_CHECKS]  # the rest: the table below
        sub = "，".join(f"{title} {n}" for title, n in top) or "未发现"
        if len(checks) > CARD_CHECKS:
            sub += f" 等{len(checks)}项（见下表）"
        if q == "backflow" and mine:
            tasks = {f["subject"] for f in mine
                     if getattr(CHECKS_BY_CODE.get(f.get("check", "")), "subject", "") == "task"}
            sub = f"涉及任务 {len(tasks)} 个：{sub}"
        cards.append({"label": q_zh, "value": len(mine), "unit": "条", "sub": sub,
                      "question": q, "color": styles.PROBLEM[q]})
    return [{"color": None, "unit": "", "question": None, **c} for c in cards]


def _check_summary(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tally: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for f in findings:
        tally[(f["question"], f["check"])][f.get("severity", "")] += 1
    order = list(styles.CHECK_ZH)
    rows = []
    for (question, check), c in sorted(tally.items(), key=lambda kv: (
            list(styles.QUESTION_ZH).index(kv[0][0]) if kv[0][0] in styles.QUESTION_ZH else 9,
            order.index(kv[0][1]) if kv[0][1] in order else 99, kv[0][1])):
        rows.append({"question": styles.QUESTION_ZH.get(question, question), "question_code":
                     question, "check": styles.CHECK_ZH.get(check, check), "code": check,
                     "total": sum(c.values()), "high": c.get("high", 0),
                     "medium": c.get("medium", 0), "low": c.get("low", 0)})
    return rows


def _areas(model: OrgModel, scope: Scope) -> list[str]:
    """The territories one level below the scope (streets of a city ...)."""
    if scope.root is None:
        return sorted((t for t in scope.territories if model.parent_territory(t) is None),
                      key=natural_key)
    level = (scope.level or 0) + 1
    return [t for t in _descendants(scope, scope.root)
            if model.node(t).get("level") == level]


def _descendants(scope: Scope, root: str) -> list[str]:
    out, stack = [], list(reversed(scope.children.get(root, [])))
    seen = set()
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        out.append(t)
        stack.extend(reversed(scope.children.get(t, [])))
    return out


def _coverage_section(model: OrgModel, scope: Scope, metrics: Mapping[str, Any],
                      ) -> dict[str, Any]:
    areas = _areas(model, scope)
    rows_by = coverage_by_territory(model, scope.children, metrics.get("coverage") or [],
                                    areas + ([scope.root] if scope.root else []))
    level_codes = sorted({str(r["level"]) for t in areas for r in rows_by.get(t, [])},
                         key=lambda c: LEVEL_ORDER.get(c, 9))
    level_zh = {c: LEVEL_ZH[Level(LEVEL_ORDER[c])] for c in level_codes if c in LEVEL_ORDER}
    table: list[dict[str, Any]] = []
    for t in areas:
        rows = {str(r["level"]): r for r in rows_by.get(t, [])}
        table.append({"id": t, "name": model.name(t), "ratio": coverage_ratio(rows.values()),
                      "levels": [rows.get(c) for c in level_codes]})
    table.sort(key=lambda r: (2 if r["ratio"] is None else r["ratio"], natural_key(r["id"])))
    area_zh = {2: "街道/乡镇", 3: "社区/村", 4: "网格", 5: "小区院落"}.get(
        (scope.level or 0) + 1, "区域")
    chart = None
    if table and level_codes:
        chart = Markup(coverage_chart(
            [(r["name"], {c: (lv or {}).get("ratio") for c, lv in zip(level_codes, r["levels"],
                                                                     strict=True)})
             for r in table],
            [(c, level_zh.get(c, c)) for c in level_codes],
            title=f"各{area_zh}党组织覆盖率（按层级，最低的在上）"))
    overall = coverage_ratio(rows_by.get(scope.root, [])) if scope.root else None
    pairs = [{"name": model.name(str(r.get("community"))), "id": r.get("community"),
              "compounds": r.get("compounds"), "pairs": r.get("pairs"),
              "ratio": r.get("ratio")} for r in metrics.get("compound_pairs") or []]
    pairs.sort(key=lambda r: (r["ratio"] if r["ratio"] is not None else 2,
                              natural_key(r["id"])))
    return {"chart": chart, "table": table, "levels": [level_zh.get(c, c) for c in level_codes],
            "area_zh": area_zh, "overall": overall, "pairs": pairs}


def _finding_rows(model: OrgModel, scope: Scope, findings: list[dict[str, Any]],
                  names: _Names, places: PlaceTally, pages: Mapping[str, str] | None = None,
                  ) -> dict[str, dict[str, Any]]:
    """Rows of the findings tables; ``pages``: the network page of an area, by id."""
    pages = pages or {}
    area_level = (scope.level or 1) + 1
    out: dict[str, dict[str, Any]] = {}
    for q, q_zh in styles.QUESTION_ZH.items():
        mine = [f for f in findings if f.get("question") == q]
        rows = []
        for f in mine[:MAX_TABLE_ROWS]:
            home = places.of(f)
            area = scope.index.ancestor_at(home, area_level) if home and area_level <= 5 \
                else None
            severity = f.get("severity", "")
            rows.append({
                "severity": severity, "severity_zh": styles.SEVERITY_ZH.get(severity, severity),
                "rank": styles.SEVERITY_RANK.get(severity, 9),
                "check": styles.CHECK_ZH.get(f.get("check", ""), f.get("check", "")),
                "subject": f.get("subject", ""), "name": names.subject(f),
                "area": model.name(area) if area else "—",
                "area_href": pages.get(area) if area else None,
                "message": f.get("message", ""),
                "path": " → ".join(names(str(p)) for p in f.get("path") or []),
            })
        out[q] = {"zh": q_zh, "color": styles.PROBLEM[q], "rows": rows, "total": len(mine),
                  "cut": max(0, len(mine) - MAX_TABLE_ROWS)}
    return out


def _route_section(model: OrgModel, findings: list[dict[str, Any]], names: _Names,
                   top_n: int) -> list[dict[str, Any]]:
    backflow = [f for f in findings if f.get("question") == "backflow"
                and len(f.get("path") or []) >= 2]
    routes = routes_of(model, backflow)
    by_task: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(backflow):
        by_task[str(f["subject"])].append(i)
    ranked = []
    for task, idx in by_task.items():
        best = max(idx, key=lambda i: (len(routes[i].hops), -i))
        severity = min(styles.SEVERITY_RANK.get(backflow[i].get("severity", ""), 9)
                       for i in idx)
        has_path = any(backflow[i].get("check") == "backflow_path" for i in idx)
        ranked.append(((0 if has_path else 1, severity, -len(routes[best].hops),
                        natural_key(task)), task, best, idx))
    ranked.sort(key=lambda r: r[0])
    out = []
    for n, (_, task, best, idx) in enumerate(ranked[:top_n]):
        route = routes[best]
        boxes = [RouteBox(names(p), names.kind(p) if p != OUTSIDE else "",
                          party_level(model, p) if p != OUTSIDE else 3.0)
                 for p in route.parties]
        actions = [styles.ACTION_ZH.get(h.action or "") or None for h in route.hops]
        steps = [{"n": k + 1, "source": names(h.source), "target": names(h.target),
                  "action": styles.ACTION_ZH.get(h.action or "", "交接（未记录）")}
                 for k, h in enumerate(route.hops)]
        title = names.task_title.get(task, task)
        out.append({
            "task": task, "title": title,
            "findings": [{"check": styles.CHECK_ZH.get(backflow[i]["check"], backflow[i]["check"]),
                          "severity": backflow[i].get("severity", ""),
                          "severity_zh": styles.SEVERITY_ZH.get(backflow[i].get("severity", ""),
                                                                ""),
                          "message": backflow[i].get("message", "")} for i in idx],
            "svg": Markup(route_svg(boxes, actions, handled=route.handled,
                                    label=f"任务“{title}”的流转路线", uid=f"route{n}")),
            "steps": steps, "handled": route.handled,
            "handler": names(route.parties[-1]) if route.handled else None,
        })
    return out


_Col = tuple[str, str, Callable[[Any], str] | None]


def _fmt_pct(v: Any) -> str:
    return "—" if v is None else f"{float(v):.0%}"


def _fmt_num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    return str(v)


_METRIC_TABLES: tuple[tuple[str, str, str, str | None, tuple[_Col, ...]], ...] = (
    ("top_pushers", "推回最多的组织（退回、上报、转出）", "org", "pushed_back",
     (("pushed_back", "推回次数", _fmt_num), ("received", "接收次数", _fmt_num),
      ("share", "推回比例", _fmt_pct))),
    ("top_absorbers", "承接最多的组织（最终办结）", "org", "absorbed",
     (("absorbed", "办结次数", _fmt_num), ("received", "接收次数", _fmt_num),
      ("share", "办结比例", _fmt_pct))),
    ("flow_by_street", "各街道任务与资源（“资源都在上面，责任都在下面”）", "street", None,
     (("tasks_assigned", "交办任务", _fmt_num), ("tasks_handled", "办结任务", _fmt_num),
      ("backflow_tasks", "回流任务", _fmt_num), ("pushed_back", "推回", _fmt_num),
      ("resources_received", "收到资源", _fmt_num), ("handled_share", "办结占比", _fmt_pct),
      ("resource_share", "资源占比", _fmt_pct), ("gap", "责任与资源差", _fmt_pct))),
    ("flow_by_level", "各层级任务与资源", "level_zh", None,
     (("tasks_assigned", "交办任务", _fmt_num), ("tasks_handled", "办结任务", _fmt_num),
      ("backflow_tasks", "回流任务", _fmt_num), ("resources_received", "收到资源", _fmt_num),
      ("handled_share", "办结占比", _fmt_pct), ("resource_share", "资源占比", _fmt_pct),
      ("gap", "责任与资源差", _fmt_pct))),
)


def _metric_tables(model: OrgModel, metrics: Mapping[str, Any], names: _Names,
                   top_n: int) -> list[dict[str, Any]]:
    tables = []
    for key, title, id_key, sort_key, cols in _METRIC_TABLES:
        rows = [r for r in metrics.get(key) or [] if isinstance(r, dict)]
        if not rows:
            continue
        if sort_key:
            rows = sorted(rows, key=lambda r: (-(r.get(sort_key) or 0),
                                               natural_key(r.get(id_key))))[:top_n]
        body = []
        for r in rows:
            ident = r.get(id_key)
            name = (str(ident) if id_key == "level_zh" else
                    names(str(ident)) if ident is not None else "—")
            body.append({"name": name, "id": "" if id_key == "level_zh" else str(ident or ""),
                         "cells": [(fmt(r.get(k)) if fmt else str(r.get(k)),
                                    r.get(k) if isinstance(r.get(k), int | float) else "")
                                   for k, _, fmt in cols]})
        tables.append({"title": title, "headers": [h for _, h, _ in cols], "rows": body})
    ties = [r for r in metrics.get("tie_strength") or [] if r.get("score") is not None]
    if ties:
        ties.sort(key=lambda r: (r["score"], natural_key(r.get("source")),
                                 natural_key(r.get("target"))))
        body = []
        for r in ties[:top_n]:
            link = LinkType.parse(r.get("type")) if r.get("type") else None
            body.append({"name": f"{names(str(r.get('source')))} — {names(str(r.get('target')))}",
                         "id": f"{r.get('source')}->{r.get('target')}",
                         "cells": [(zh(link) if link else str(r.get("type")), ""),
                                   (f"{float(r['score']):.2f}", r["score"])]})
        tables.append({"title": "关系强度最弱的共建关系", "headers": ["关系类型", "强度"],
                       "rows": body})
    return tables


def _settings_rows(findings: Mapping[str, Any], settings: Settings) -> list[tuple[str, str]]:
    given = findings.get("settings") or settings.to_dict()
    rows = [("弱关系阈值", given.get("weak_tie_threshold")),
            ("出勤率阈值", given.get("attendance_threshold")),
            ("建立党组织所需正式党员数", given.get("min_formal_members_for_org")),
            ("参考年份", given.get("reference_year"))]
    weights = given.get("weights") or {}
    zh_parts = {"meetings": "会议", "activities": "活动", "resources": "资源", "duration": "时长",
                "reciprocity": "互惠"}
    if weights:
        rows.append(("关系强度权重", "，".join(f"{zh_parts.get(k, k)} {v}"
                                         for k, v in weights.items())))
    return [(k, str(v)) for k, v in rows if v is not None]


def report_data(model: OrgModel, findings: dict[str, Any] | None, *,
                scope: str | None = None, show_names: bool = False,
                settings: Settings | None = None,
                network_links: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Everything the report page shows, as plain data (see :func:`write_report`)."""
    findings = findings or {}
    settings = _settings(findings, settings)
    ctx = run_context(model, findings, settings, show_names)
    return _report_data(ctx, resolve_scope(model, scope), network_links)


def placed_findings(ctx: RunContext, sc: Scope) -> list[dict[str, Any]]:
    """The findings of a scope by their place (DOMAIN.md rule 12), redacted for the scope: all
    of them for the city, else those whose subject lies in the scope's territories."""
    kept = ctx.index.findings(sc)
    if sc.is_city:
        return kept
    return [f for f in kept if ctx.places.of(f) in sc.territories]


def _report_data(ctx: RunContext, sc: Scope, network_links: list[dict[str, Any]] | None,
                 area_pages: Mapping[str, str] | None = None) -> dict[str, Any]:
    """:func:`report_data` within a run (``ctx`` shared with the run's network pages);
    ``area_pages``: the network page written for an area, by id (the findings tables link
    each finding's area to it)."""
    model, findings, settings, show_names = ctx.model, ctx.findings, ctx.settings, \
        ctx.show_names
    kept = placed_findings(ctx, sc)
    metrics = ctx.index.metrics(sc)
    names = _Names(model, sc, show_names)
    coverage = _coverage_section(model, sc, metrics)
    return {
        "title": f"{sc.title}基层党组织网络诊断报告",
        "scope": sc.title, "scope_id": sc.root or "city", "breadcrumb": sc.breadcrumb,
        "is_city": sc.is_city, "show_names": show_names,
        "generated_at": findings.get("generated_at", ""),
        "generated_zh": china_time(findings.get("generated_at")),
        "orgnet_version": findings.get("orgnet_version", __version__),
        "headline": _headline(model, sc, kept, coverage["overall"]),
        "summary": _check_summary(kept),
        "coverage": coverage,
        "questions": _finding_rows(model, sc, kept, names, ctx.places, area_pages),
        "routes": _route_section(model, kept, names, settings.top_n),
        "tables": _metric_tables(model, metrics, names, settings.top_n),
        "settings": _settings_rows(findings, settings),
        "network": network_links or [],
        "top_n": settings.top_n,
        "rectification": rectification_section(model, findings, sc.root),
        # sections other modules add to the report (each ``{"template": name, ...}``, a
        # template in visualizations/templates rendered with ``r`` and ``extra``)
        "extra_sections": [],
    }


def _write_networks(ctx: RunContext, folder: Path, sc: Scope,
                    ) -> tuple[list[dict[str, Any]], list[Path]]:
    """City page (city scope) and one page per street, with drill-downs; the link rows and
    the pages written."""
    model = ctx.model
    folder.mkdir(parents=True, exist_ok=True)
    back = {"返回诊断报告": "../index.html"}
    written: list[Path] = []
    links: list[dict[str, Any]] = []
    places = ctx.places
    if sc.is_city:
        written += write_pages(ctx, folder / "city.html", resolve_scope(model, None),
                                  drill_down=True, links=back, assets="folder")
        links.append({"name": f"{sc.title}（全市）", "id": "", "href": f"{NETWORK_DIR}/city.html",
                      "counts": [places.counts(None)[q] for q in styles.QUESTION_ZH]})
        streets = [t for t in sorted(sc.territories, key=natural_key)
                   if model.node(t).get("level") == Level.STREET]
        city_back = {**back, f"返回{sc.title}": "city.html"}
    else:
        streets = [sc.root] if sc.root else []
        city_back = back
    for t in streets:
        path = folder / page_file(t)
        if path not in written:
            written += write_pages(ctx, path, resolve_scope(model, t), drill_down=True,
                                      links=city_back, assets="folder")
        links.append({"name": model.name(t), "id": t, "href": f"{NETWORK_DIR}/{path.name}",
                      "counts": [places.counts(t)[q] for q in styles.QUESTION_ZH]})
    _remove_stale_pages(folder, written)
    log.info("wrote %d network page(s) into %s", len(written), folder)
    return links, written


GENERATOR = '<meta name="generator" content="orgnet'


def _remove_stale_pages(folder: Path, written: list[Path]) -> None:
    """Remove the network pages an earlier report left in ``folder`` and this one did not
    write (a street's report written where the city's was must not carry the other
    streets' pages along). Only pages orgnet wrote (its generator tag) are removed."""
    keep = {p.resolve() for p in written}
    for path in folder.glob("*.html"):
        if path.resolve() in keep:
            continue
        try:
            with path.open(encoding="utf-8") as fh:
                head = fh.read(600)
        except (OSError, UnicodeDecodeError):
            continue
        if GENERATOR in head:
            path.unlink()
            log.info("removed %s (left by an earlier report)", path)


def write_report(model: OrgModel, findings: dict[str, Any] | None, out_dir: str | Path, *,
                 scope: str | None = None, show_names: bool = False,
                 settings: Settings | None = None, network: bool = True) -> Path:
    """Write the diagnosis report ``out_dir/index.html`` and its network pages.

    Parameters
    ----------
    model
        The model (structure graph and frames).
    findings
        The diagnosis object of FINDINGS.md.
    out_dir
        Folder of the report (created); network pages go to ``out_dir/network/``.
    scope
        None for the whole city, or a street (or community) id: then the report and its
        pages hold only that subtree's data.
    show_names
        Show member names (personal data; off by default: members appear by id).
    settings
        ``top_n`` (routes and top lists shown) and ``aggregate_above_nodes`` (network pages);
        default: the values echoed in ``findings["settings"]``.
    network
        Write the network pages (``False`` leaves them out, and their links).

    Returns
    -------
    Path
        The ``index.html`` written.

    Raises
    ------
    ScopeError
        ``scope`` names no territory.
    """
    findings = findings or {}
    settings = _settings(findings, settings)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sc = resolve_scope(model, scope)
    ctx = run_context(model, findings, settings, show_names)
    links, pages = _write_networks(ctx, out_dir / NETWORK_DIR, sc) if network else ([], [])
    names = {p.name for p in pages}
    area_pages = {t: f"{NETWORK_DIR}/{page_file(t)}" for t in sc.territories
                  if page_file(t) in names}
    data = _report_data(ctx, sc, links, area_pages)
    html = environment().get_template("report.html").render(
        r=data, version=__version__,
        questions=[{"code": q, "zh": z, "color": styles.PROBLEM[q]}
                   for q, z in styles.QUESTION_ZH.items()])
    index = out_dir / "index.html"
    write_text_atomic(index, html)
    return index
