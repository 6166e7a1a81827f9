"""Read what serves as a baseline: an earlier findings JSON, or a worklist (问题清单) workbook
that a street filled in and sent back.

:func:`read_baseline` returns a findings object either way: ``generated_at`` and
``findings`` (``check``, ``subject``, ``question``, ``severity``, ``message``, ``since``),
and from a worklist also each row's ``claim`` (its 整改情况: 未整改, 整改中 or 已整改) and
``worklist: true``. The worklist columns are found by their headers (序号 ... 整改情况, and the
hidden 检查代码 / 首次发现时间 orgnet writes), on every sheet that has them; a check is read
from its code, else from its Chinese title. Errors name the file, sheet, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graphmodel.checks import CHECKS, CHECKS_BY_CODE, SEVERITY_ZH
from graphmodel.errors import InputError, Issue
from loaders.bounds import checked_extents, read_sheet_rows
from loaders.findings_file import read_findings

__all__ = ["read_baseline", "read_baselines", "read_findings_json", "read_worklist"]

_TITLE_TO_CODE = {spec.title_zh: spec.code for spec in CHECKS}
_SEVERITY = {zh: code for code, zh in SEVERITY_ZH.items()}
_STAMP = re.compile(r"诊断时间[：:]\s*([^；;\s]+)")
_NEEDED = ("对象编号", "检查项")


def read_findings_json(path: str | Path) -> dict[str, Any]:
    """A findings JSON file (``orgnet diagnose --json``) given as a baseline, its shape checked
    (:func:`loaders.findings_file.read_findings`).

    Raises
    ------
    InputError
        The file cannot be read, is not strict JSON, or is not shaped as FINDINGS.md says.
    """
    return read_findings(path, option="--baseline")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_worklist(path: str | Path) -> dict[str, Any]:
    """A returned worklist workbook as a findings object (see the module docstring).

    Raises
    ------
    InputError
        The workbook cannot be opened, holds no worklist sheet, or a row names an unknown
        check or no subject.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    extents = checked_extents(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own types for corrupt files
        raise InputError([Issue(path.name, f"cannot open the workbook: {err}")]) from err
    stamp = ""
    findings: dict[tuple[str, str], dict[str, Any]] = {}
    issues: list[Issue] = []
    found_sheet = False
    for sheet_name in book.sheet_names:
        rows = read_sheet_rows(book, path, sheet_name, extents)
        if not stamp:
            for row in rows[:5]:
                match = next((_STAMP.search(_text(c)) for c in row if _STAMP.search(_text(c))),
                             None)
                if match:
                    stamp = match.group(1)
                    break
        header_at = next((i for i, row in enumerate(rows[:10])
                          if all(h in [_text(c) for c in row] for h in _NEEDED)), None)
        if header_at is None or sheet_name == "已解决":  # resolved rows are no longer open
            continue
        found_sheet = True
        header = [_text(c) for c in rows[header_at]]
        col = {name: i for i, name in enumerate(header) if name}
        origin = f"{path.name}[{sheet_name}]"
        for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            cells = [_text(c) for c in row] + [""] * (len(header) - len(row))

            def cell(name: str, cells: list[str] = cells, col: dict[str, int] = col) -> str:
                return cells[col[name]] if name in col else ""

            subject = cell("对象编号")
            if not any(cells):
                continue
            code = cell("检查代码") or _TITLE_TO_CODE.get(cell("检查项"), cell("检查项"))
            if not subject or code not in CHECKS_BY_CODE:
                column = "对象编号" if not subject else "检查项"
                issues.append(Issue(origin, "not a worklist row orgnet can follow up: "
                                    + ("no subject id" if not subject else "unknown check"),
                                    row=number, column=column, value=cell(column) or None,
                                    hint="keep the rows and columns orgnet wrote; add notes "
                                    "in 备注"))
                continue
            spec = CHECKS_BY_CODE[code]
            finding = {"check": code, "subject": subject, "question": spec.question,
                       "severity": _SEVERITY.get(cell("严重程度"), spec.severity),
                       "message": cell("问题描述"),
                       "since": cell("首次发现时间") or cell("首次发现") or None}
            claim = cell("整改情况")
            if claim:
                finding["claim"] = claim
            findings.setdefault((code, subject), finding)
    if not found_sheet:
        issues.append(Issue(path.name, "no worklist sheet (with columns 检查项 and 对象编号)",
                            hint="give a worklist written by orgnet worklist, or a findings "
                            "JSON file"))
    if issues:
        raise InputError(issues)
    return {"generated_at": stamp, "findings": list(findings.values()), "worklist": True}


def read_baseline(path: str | Path) -> dict[str, Any]:
    """A findings JSON (``.json``) or a returned worklist workbook (``.xlsx`` ...), as a
    findings object for :func:`graphmodel.baseline.compare_findings`.

    Raises
    ------
    InputError
        As :func:`read_findings_json` or :func:`read_worklist`.
    """
    path = Path(path)
    if not path.exists():
        raise InputError([Issue(str(path), "no such file")])
    if path.suffix.lower() == ".json":
        return read_findings_json(path)
    return read_worklist(path)


def read_baselines(paths: list[str | Path]) -> dict[str, Any]:
    """Several baselines as one: the worklists every street sent back (and, if given, the
    findings JSON of the same run). Findings are united by (check, subject); a row's
    ``claim`` is kept from whichever file has it; ``generated_at`` is the earliest given.

    Raises
    ------
    InputError
        As :func:`read_baseline`, for every file at once.
    """
    issues: list[Issue] = []
    read: list[dict[str, Any]] = []
    for path in paths:
        try:
            read.append(read_baseline(path))
        except InputError as err:
            issues.extend(err.issues)
    if issues:
        raise InputError(issues)
    if len(read) == 1:
        return read[0]
    findings: dict[tuple[str, str], dict[str, Any]] = {}
    for data in read:
        for finding in data.get("findings") or []:
            key = (str(finding.get("check", "")), str(finding.get("subject", "")))
            kept = findings.setdefault(key, dict(finding))
            if "claim" in finding and "claim" not in kept:
                kept["claim"] = finding["claim"]
    stamps = sorted(str(d["generated_at"]) for d in read if d.get("generated_at"))
    return {"generated_at": stamps[0] if stamps else "", "findings": list(findings.values()),
            "worklist": any(d.get("worklist") for d in read)}
