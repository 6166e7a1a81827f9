"""The report's 整改进展 section: this run compared with a baseline (FINDINGS.md "Findings over
time", :func:`graphmodel.baseline.compare_findings`).

Per area one level below the report's scope (the streets of a city, the communities of a
street), by rule 12 (:func:`graphmodel.places.place_of`): new findings, persisting ones,
resolved ones, and rows a returned worklist marked 已整改 whose problem is still there
(整改未见效), as a table and a matplotlib SVG chart; then the claimed-but-present findings one
by one. :func:`rectification_section` returns None when the findings were not compared with a
baseline, and the section is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from graphmodel.checks import CHECKS_BY_CODE, SEVERITY_ZH
from graphmodel.index import model_index, natural_key
from graphmodel.model import OrgModel
from graphmodel.places import place_of
from graphmodel.schema import Level

__all__ = ["SERIES", "progress_chart", "rectification_section"]

# (key, Chinese label, colour) of the four counts, in drawing order.
SERIES: tuple[tuple[str, str, str], ...] = (
    ("new", "新发现", "#c0392b"), ("persisting", "持续存在", "#e67e22"),
    ("resolved", "已解决", "#27ae60"), ("claimed", "整改未见效", "#7d3c98"))
OUTSIDE_AREA = "（其他）"


def progress_chart(rows: list[dict[str, Any]], *, title: str,
                   series: tuple[tuple[str, str, str], ...] = SERIES) -> str:
    """Grouped horizontal bars, one group per area, one bar per count of :data:`SERIES`.

    Parameters
    ----------
    rows
        ``{"name": ..., "new": n, "persisting": n, "resolved": n, "claimed": n}``, top down.
    title
        Chart title (Chinese).
    series
        The counts drawn, as (key, Chinese label, colour); default :data:`SERIES`.

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    from visualizations.charts import count_chart

    return count_chart(rows, series, title=title)


def rectification_section(model: OrgModel, findings: Mapping[str, Any],
                          scope: str | None = None) -> dict[str, Any] | None:
    """What the 整改进展 section shows, or None without a baseline.

    Parameters
    ----------
    model
        The diagnosed model.
    findings
        The findings object, compared with a baseline (it has ``baseline``).
    scope
        The report's scope: None for the city (areas: streets), a street id (its
        communities), or a community id (itself).
    """
    baseline = findings.get("baseline")
    if not baseline:
        return None
    index = model_index(model)
    level = model.node(scope).get("level") if scope else None
    if level is None or level == Level.CITY:
        scope = None  # the whole city: one area per street
    area_level = Level.STREET if scope is None else Level.COMMUNITY

    def area_of(finding: Mapping[str, Any]) -> tuple[bool, str | None]:
        place = place_of(finding, index)
        if scope is not None and scope not in (place.street_id, place.community_id):
            return False, None
        return True, place.street_id if area_level == Level.STREET else place.community_id

    tally: dict[str | None, dict[str, int]] = {}

    def row(area: str | None) -> dict[str, int]:
        return tally.setdefault(area, {key: 0 for key, _, _ in SERIES})

    claimed = []
    for finding in findings.get("findings") or []:
        keep, area = area_of(finding)
        status = finding.get("status")
        if not keep or status not in ("new", "persisting"):
            continue
        row(area)[status] += 1
        if finding.get("claimed_rectified"):
            row(area)["claimed"] += 1
            spec = CHECKS_BY_CODE.get(str(finding.get("check")))
            claimed.append({"check": spec.title_zh if spec else finding.get("check"),
                            "subject": finding.get("subject"),
                            "area": model.name(area) if area else OUTSIDE_AREA,
                            "severity": SEVERITY_ZH.get(str(finding.get("severity")), ""),
                            "since": str(finding.get("since") or "")[:10],
                            "message": finding.get("message", "")})
    for finding in baseline.get("resolved") or []:
        keep, area = area_of(finding)
        if keep:
            row(area)["resolved"] += 1
    rows: list[dict[str, Any]] = [
        {"id": area or "", "name": model.name(area) if area else OUTSIDE_AREA, **counts}
        for area, counts in tally.items()]
    rows.sort(key=lambda r: (r["id"] == "", -(r["new"] + r["persisting"]),
                             natural_key(r["id"])))
    totals = {key: sum(r[key] for r in rows) for key, _, _ in SERIES}
    area_zh = "街道/乡镇" if area_level == Level.STREET else "社区/村"
    from_worklist = baseline.get("source") == "worklist"
    # Claims exist only when the baseline is a returned worklist.
    series = SERIES if from_worklist else tuple(s for s in SERIES if s[0] != "claimed")
    chart = Markup(progress_chart(rows, title=f"各{area_zh}整改进展（与上轮对比）",
                                  series=series)) if rows else None
    return {"generated_at": baseline.get("generated_at", ""), "from_worklist": from_worklist,
            "area_zh": area_zh, "rows": rows, "totals": totals, "chart": chart,
            "claimed": claimed, "series": [{"key": k, "label": label} for k, label, _ in series]}
