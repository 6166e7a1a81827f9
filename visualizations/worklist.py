"""Worklists (问题清单): the findings as Excel workbooks the streets fill in and send back.

:func:`write_worklists` writes one workbook for the whole scope and, with ``split="street"``,
one per street holding only that street's findings (DOMAIN.md rule 12, through
:func:`graphmodel.places.place_of`), plus one for the findings that lie in no street. Each
workbook has a sheet 汇总 (counts by question, check and community; with a baseline, the
progress per street) and one sheet per question, rows sorted by severity and place, with the
columns 序号, 街道, 社区, 问题类别, 检查项, 对象编号, 对象名称, 问题描述, 严重程度, 首次发现 (and
整改跟踪 when compared with a baseline), then the columns the street fills in: 整改责任人,
整改措施, 整改时限, 整改情况 (a dropdown 未整改/整改中/已整改), 备注. Two hidden columns keep
the check code and the full first-seen time, so a returned workbook can serve as the next
run's baseline (:mod:`loaders.worklist`). Filters, frozen panes, and print setup (landscape,
header rows repeated, fit to width). Members appear by id unless ``show_names``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmodel.atomic import atomic_workbook
from graphmodel.baseline import RECTIFICATION_STATES, progress_by_street
from graphmodel.checks import (
    CHECKS,
    CHECKS_BY_CODE,
    QUESTION_ZH,
    QUESTIONS,
    SEVERITIES,
    SEVERITY_ZH,
)
from graphmodel.index import ModelIndex, model_index, natural_key
from graphmodel.model import OrgModel
from graphmodel.places import place_of
from graphmodel.schema import Entity

__all__ = ["COLUMNS", "FILL_COLUMNS", "HIDDEN_COLUMNS", "SUMMARY_SHEET", "WorkRow",
           "worklist_rows", "write_worklist", "write_worklists"]

SUMMARY_SHEET = "汇总"
RESOLVED_SHEET = "已解决"
COLUMNS: tuple[str, ...] = ("序号", "街道", "社区", "问题类别", "检查项", "对象编号", "对象名称",
                            "问题描述", "严重程度", "首次发现")
TRACKING = "整改跟踪"  # only when compared with a baseline
FILL_COLUMNS: tuple[str, ...] = ("整改责任人", "整改措施", "整改时限", "整改情况", "备注")
HIDDEN_COLUMNS: tuple[str, ...] = ("检查代码", "首次发现时间")
STAMP_LABEL = "诊断时间："
NO_STREET = "（不属于任何街道）"
NO_COMMUNITY = "（街道本级）"
_WIDTHS = {"序号": 5, "街道": 10, "社区": 12, "问题类别": 8, "检查项": 16, "对象编号": 14,
           "对象名称": 18, "问题描述": 36, "严重程度": 6, "首次发现": 11, TRACKING: 12,
           "整改责任人": 10, "整改措施": 20, "整改时限": 11, "整改情况": 9, "备注": 10,
           "检查代码": 10, "首次发现时间": 10}
_MAX_WIDTH = {"街道": 14, "社区": 16, "检查项": 20, "对象编号": 18, "对象名称": 24}
_WRAPPED = ("问题描述", "检查项", "对象名称")  # measured at their base width
_TRACKING_ZH = {"new": "新发现", "persisting": "持续存在"}
_CLAIMED_ZH = "整改未见效（上轮报已整改）"


@dataclass(frozen=True)
class WorkRow:
    """One finding as a worklist row."""

    street_id: str | None
    street: str
    community_id: str | None
    community: str
    question: str
    check: str
    subject: str
    name: str
    message: str
    severity: str
    since: str
    tracking: str | None

    def cells(self, number: int, tracking: bool) -> list[Any]:
        """The row's cells in column order (the fill-in columns empty)."""
        spec = CHECKS_BY_CODE.get(self.check)
        cells: list[Any] = [number, self.street, self.community,
                            QUESTION_ZH.get(self.question, self.question),
                            spec.title_zh if spec else self.check, self.subject, self.name,
                            self.message, SEVERITY_ZH.get(self.severity, self.severity),
                            self.since[:10]]
        if tracking:
            cells.append(self.tracking or "")
        return [*cells, *([""] * len(FILL_COLUMNS)), self.check, self.since]


class _Names:
    """Display names: structure nodes by name, tasks by title, members by id (their name only
    with ``show_names``)."""

    def __init__(self, model: OrgModel, index: ModelIndex, show_names: bool) -> None:
        self.model = model
        self.titles = index.task_titles()
        self.members: dict[str, str] = {}
        members = model.frame("members")
        if show_names and len(members):
            self.members = {str(m): str(n) for m, n in zip(members["id"], members["name"],
                                                          strict=True) if isinstance(n, str)}

    def __call__(self, entity_id: str) -> str:
        entity = self.model.entity_of.get(entity_id)
        if entity == Entity.MEMBER:
            name = self.members.get(entity_id)
            return f"{name}（{entity_id}）" if name else f"党员{entity_id}"
        if entity == Entity.TASK:
            return self.titles.get(entity_id, entity_id)
        return self.model.name(entity_id)

    def subject(self, subject: str) -> str:
        return " — ".join(self(part) for part in subject.split("->"))


def worklist_rows(model: OrgModel, result: Mapping[str, Any], *, show_names: bool = False,
                  street: str | None = None, key: str = "findings") -> list[WorkRow]:
    """The findings of ``result`` as worklist rows, sorted by severity, then place (street,
    community) and subject; only those of ``street`` when given (rule 12). ``key``:
    ``findings``, or ``resolved`` for the baseline's resolved findings."""
    index = model_index(model)
    names = _Names(model, index, show_names)
    stamp = str(result.get("generated_at", ""))
    source = result.get(key) if key == "findings" else (result.get("baseline") or {}).get(key)
    rows = []
    for finding in source or []:
        place = place_of(finding, index)
        if street is not None and place.street_id != street:
            continue
        tracking = None
        if "status" in finding:
            tracking = _CLAIMED_ZH if finding.get("claimed_rectified") else \
                _TRACKING_ZH.get(str(finding["status"]), str(finding["status"]))
        rows.append(WorkRow(
            place.street_id, model.name(place.street_id) if place.street_id else NO_STREET,
            place.community_id,
            model.name(place.community_id) if place.community_id else NO_COMMUNITY,
            str(finding.get("question", "")), str(finding.get("check", "")),
            str(finding.get("subject", "")), names.subject(str(finding.get("subject", ""))),
            str(finding.get("message", "")), str(finding.get("severity", "")),
            str(finding.get("since") or stamp), tracking))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda r: (rank.get(r.severity, 9), r.street_id is None,
                             natural_key(r.street_id or ""), r.community_id is None,
                             natural_key(r.community_id or ""), natural_key(r.subject), r.check))
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _formats(book) -> dict[str, Any]:
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14, "valign": "vcenter"}),
        "note": book.add_format({**base, "font_color": "#555555"}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "align": "center", "valign": "vcenter"}),
        "fill_header": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC",
                                        "border": 1, "text_wrap": True, "align": "center",
                                        "valign": "vcenter"}),
        "cell": book.add_format({**base, "border": 1, "text_wrap": True}),
        "fill": book.add_format({**base, "border": 1, "text_wrap": True,
                                 "bg_color": "#FFFBEB"}),
        "date": book.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd",
                                 "bg_color": "#FFFBEB"}),
        "high": book.add_format({**base, "border": 1, "font_color": "#C00000", "bold": True,
                                 "align": "center"}),
        "center": book.add_format({**base, "border": 1, "align": "center"}),
        "number": book.add_format({**base, "border": 1, "num_format": "0"}),
        "section": book.add_format({**base, "bold": True, "font_size": 11}),
        "warn": book.add_format({**base, "bold": True, "font_color": "#C00000"}),
    }


def _print_setup(sheet, repeat_to: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # fit to width, as many pages down as needed
    sheet.repeat_rows(0, repeat_to)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _question_sheet(book, fmt: dict[str, Any], title: str, rows: list[WorkRow],
                    tracking: bool) -> None:
    sheet = book.add_worksheet(title[:31])
    columns = [*COLUMNS, *([TRACKING] if tracking else []), *FILL_COLUMNS, *HIDDEN_COLUMNS]
    sheet.write(0, 0, title, fmt["title"])
    sheet.set_row(0, 24)
    for c, name in enumerate(columns):
        sheet.write_string(1, c, name, fmt["fill_header" if name in FILL_COLUMNS
                                           else "header"])
    widths = [_WIDTHS.get(name, 12) for name in columns]
    fill_start = len(COLUMNS) + (1 if tracking else 0)
    for r, row in enumerate(rows, start=2):
        lines = 1
        for c, value in enumerate(row.cells(r - 1, tracking)):
            name = columns[c]
            if name in FILL_COLUMNS:
                style = fmt["date"] if name == "整改时限" else fmt["fill"]
                sheet.write_blank(r, c, None, style)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, fmt["number"])
            elif name == "严重程度":
                sheet.write_string(r, c, value, fmt["high" if row.severity == "high"
                                                    else "center"])
            else:
                sheet.write_string(r, c, str(value), fmt["cell"])
            if name in _MAX_WIDTH and r < 300:
                widths[c] = max(widths[c], min(_width(str(value)) + 1, _MAX_WIDTH[name]))
            if name in _WRAPPED:
                lines = max(lines, -(-_width(str(value)) // max(1, _WIDTHS[name] - 1)))
        if lines > 1:  # wrapped text: set the height, since not every program fits it
            sheet.set_row(r, 14 * min(lines, 8))
    last = max(2, len(rows) + 1)
    state_col = columns.index("整改情况")
    sheet.data_validation(2, state_col, last, state_col, {
        "validate": "list", "source": list(RECTIFICATION_STATES),
        "input_title": "整改情况", "input_message": "请选择：" + "/".join(RECTIFICATION_STATES),
        "error_title": "整改情况", "error_message": "请从下拉列表中选择"})
    deadline = columns.index("整改时限")
    sheet.data_validation(2, deadline, last, deadline, {
        "validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1),
        "error_type": "warning", "error_title": "整改时限",
        "error_message": "填日期，如 2027-03-31"})
    for c, name in enumerate(columns):
        hidden = name in HIDDEN_COLUMNS
        sheet.set_column(c, c, widths[c], None, {"hidden": True} if hidden else None)
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, last, fill_start + len(FILL_COLUMNS) - 1)
    _print_setup(sheet, 1)


def _summary_sheet(book, fmt: dict[str, Any], title: str, result: Mapping[str, Any],
                   rows: list[WorkRow], progress: list[dict[str, Any]] | None,
                   names: Mapping[str | None, str], show_names: bool = False) -> None:
    sheet = book.add_worksheet(SUMMARY_SHEET)
    sheet.write(0, 0, title, fmt["title"])
    note = f"{STAMP_LABEL}{result.get('generated_at', '')}；共 {len(rows)} 条问题"
    baseline = result.get("baseline")
    if baseline:
        note += f"；对比上轮：{baseline.get('generated_at', '')}"
    sheet.write(1, 0, note, fmt["note"])
    if show_names:
        sheet.write(2, 0, "本清单含党员姓名（个人信息），请勿外传。", fmt["warn"])
    r = 3

    def table(heading: str, header: list[str], body: list[list[Any]]) -> None:
        nonlocal r
        sheet.write(r, 0, heading, fmt["section"])
        r += 1
        for c, h in enumerate(header):
            sheet.write_string(r, c, h, fmt["header"])
        r += 1
        for values in body:
            for c, v in enumerate(values):
                if isinstance(v, int):
                    sheet.write_number(r, c, v, fmt["number"])
                else:
                    sheet.write_string(r, c, str(v), fmt["cell"])
            r += 1
        r += 1

    sev = [SEVERITY_ZH[s] for s in SEVERITIES]
    by_question: dict[str, Counter] = defaultdict(Counter)
    by_check: dict[str, Counter] = defaultdict(Counter)
    by_community: dict[tuple[str | None, str | None], Counter] = defaultdict(Counter)
    place_names: dict[tuple[str | None, str | None], tuple[str, str]] = {}
    for row in rows:
        by_question[row.question][row.severity] += 1
        by_check[row.check][row.severity] += 1
        key = (row.street_id, row.community_id)
        by_community[key][row.severity] += 1
        place_names[key] = (row.street, row.community)

    def counts(c: Counter) -> list[int]:
        return [sum(c.values()), *(c.get(s, 0) for s in SEVERITIES)]

    table("按问题类别", ["问题类别", "合计", *sev],
          [[QUESTION_ZH[q], *counts(by_question[q])] for q in QUESTIONS if q in by_question])
    table("按检查项", ["问题类别", "检查项", "合计", *sev],
          [[QUESTION_ZH[s.question], s.title_zh, *counts(by_check[s.code])] for s in CHECKS
           if s.code in by_check])
    ordered = sorted(by_community, key=lambda k: (k[0] is None, natural_key(k[0] or ""),
                                                  k[1] is None, natural_key(k[1] or "")))
    table("按社区", ["街道", "社区", "合计", *sev],
          [[*place_names[k], *counts(by_community[k])] for k in ordered])
    if progress is not None:
        table("整改进展（与上轮对比）", ["街道", "新发现", "持续存在", "已解决", "整改未见效"],
              [[names.get(p["street"], NO_STREET), p["new"], p["persisting"], p["resolved"],
                p["claimed"]] for p in progress])
    for c, width in enumerate((16, 24, 9, 9, 9, 9)):
        sheet.set_column(c, c, width)
    _print_setup(sheet, 0)


def write_worklist(model: OrgModel, result: Mapping[str, Any], out: str | Path, *,
                   street: str | None = None, nowhere: bool = False,
                   show_names: bool = False) -> Path:
    """Write one worklist workbook.

    Parameters
    ----------
    model
        The diagnosed model (places and names come from it).
    result
        The findings object (FINDINGS.md), compared with a baseline or not.
    out
        The ``.xlsx`` file.
    street
        Only this street's findings (rule 12); default: all of them.
    nowhere
        Only the findings that lie in no street (``street`` must be None).
    show_names
        Show member names (personal data) instead of their ids.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = worklist_rows(model, result, show_names=show_names, street=street)
    if nowhere:
        rows = [r for r in rows if r.street_id is None]
    resolved = worklist_rows(model, result, show_names=show_names, street=street,
                             key="resolved") if result.get("baseline") else []
    if nowhere:
        resolved = [r for r in resolved if r.street_id is None]
    tracking = bool(result.get("baseline"))
    scope_name = model.name(street) if street else (NO_STREET if nowhere else "全部")
    progress = None
    if tracking:
        progress = progress_by_street(result, model_index(model))
        if street is not None:
            progress = [p for p in progress if p["street"] == street]
        elif nowhere:
            progress = [p for p in progress if p["street"] is None]
    names = {p: model.name(p) for p in {r.street_id for r in rows} | {
        p["street"] for p in progress or []} if p}
    with atomic_workbook(path) as book:
        fmt = _formats(book)
        _summary_sheet(book, fmt, f"问题清单 汇总 — {scope_name}", result, rows, progress,
                       names, show_names)
        for question in QUESTIONS:
            mine = [r for r in rows if r.question == question]
            _question_sheet(book, fmt, QUESTION_ZH[question], mine, tracking)
        if tracking:
            _question_sheet(book, fmt, RESOLVED_SHEET, resolved, False)
        book.set_properties({"title": f"问题清单 — {scope_name}", "comments":
                             f"orgnet {result.get('orgnet_version', '')} "
                             f"{result.get('generated_at', '')}"})
    return path


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def write_worklists(model: OrgModel, result: Mapping[str, Any], out_dir: str | Path, *,
                    split: str | None = None, scope: str | None = None,
                    show_names: bool = False) -> list[Path]:
    """Write the worklists into ``out_dir``: ``问题清单.xlsx`` for the whole scope and, with
    ``split="street"``, ``问题清单_<街道>_<编号>.xlsx`` per street with findings, plus
    ``问题清单_不属于街道.xlsx`` when some findings lie in no street. ``scope``: one street
    only (its workbook alone).

    Raises
    ------
    ValueError
        ``split`` is not ``street``, or ``scope`` is not a street of the model.
    """
    if split not in (None, "street"):
        msg = f"--split takes `street`, not `{split}`"
        raise ValueError(msg)
    folder = Path(out_dir)
    index = model_index(model)
    if scope is not None:
        if index.street_of_territory(scope) != scope:
            msg = f"`{scope}` is not a street or township id of the data"
            raise ValueError(msg)
        name = _UNSAFE.sub("_", model.name(scope))
        return [write_worklist(model, result, folder / f"问题清单_{name}_{scope}.xlsx",
                               street=scope, show_names=show_names)]
    written = [write_worklist(model, result, folder / "问题清单.xlsx", show_names=show_names)]
    if split == "street":
        streets: set[str | None] = {place_of(f, index).street_id
                                    for f in result.get("findings") or []}
        for street in sorted((s for s in streets if s), key=natural_key):
            name = _UNSAFE.sub("_", model.name(street))
            written.append(write_worklist(model, result, folder / f"问题清单_{name}_{street}.xlsx",
                                          street=street, show_names=show_names))
        if None in streets:
            written.append(write_worklist(model, result, folder / "问题清单_不属于街道.xlsx",
                                          nowhere=True, show_names=show_names))
    return written
