"""Read a findings JSON file (``--findings``, ``--baseline``) and check its shape (FINDINGS.md).

The pages and the report draw what the file holds, so a file of another shape (a list, a
``findings`` that is not a list, a finding without its check or subject) is refused here with
the place of the first problems, never half drawn.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from graphmodel.checks import CHECKS_BY_CODE
from graphmodel.errors import InputError, Issue
from loaders.bounds import check_regular_file

__all__ = ["MAX_FINDINGS_BYTES", "read_findings"]

MAX_FINDINGS_BYTES = 2 << 30  # 2 GiB: a province's findings are a few hundred MB
_TEXT_FIELDS = ("question", "check", "subject", "severity")
_MAX_ISSUES = 20


def read_findings(path: str | Path, option: str = "--findings") -> dict[str, Any]:
    """The findings object of ``path``, checked.

    Raises
    ------
    InputError
        The file cannot be read, is not strict JSON, or is not shaped as FINDINGS.md says.
    """
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise InputError([Issue(where, f"{option}: no such file", hint="check the path")])
    if path.is_dir():
        raise InputError([Issue(where, f"{option}: is a folder, a file is needed",
                                hint="give the file's path")])
    check_regular_file(path, where)
    if path.stat().st_size > MAX_FINDINGS_BYTES:
        raise InputError([Issue(where, "the findings file is larger than 2 GiB",
                                hint="give the file written by orgnet diagnose --json")])
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_refuse_constant)
    except OSError as err:
        raise InputError([Issue(where, f"{option}: cannot be read ({err.strerror})")]) from err
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise InputError([Issue(where, f"not a readable findings JSON file: {err}",
                                hint="give the file written by orgnet diagnose --json")]) from err
    issues = _shape_issues(data, where)
    if issues:
        raise InputError(issues)
    return data


def _refuse_constant(name: str) -> float:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def _shape_issues(data: object, where: str) -> list[Issue]:
    hint = "give the file written by orgnet diagnose --json"
    if not isinstance(data, dict):
        return [Issue(where, "not a findings file: the top level is not an object", hint=hint)]
    findings = data.get("findings")
    if not isinstance(findings, list):
        return [Issue(where, "not a findings file: `findings` is missing or not a list",
                      hint=hint)]
    issues: list[Issue] = []
    for key in ("settings", "metrics", "dataset"):
        if key in data and not isinstance(data[key], dict):
            issues.append(Issue(where, f"`{key}` is not an object", hint=hint))
    for name, rows in (data.get("metrics") or {}).items() if isinstance(
            data.get("metrics"), dict) else ():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            issues.append(Issue(where, f"`metrics.{name}` is not a list of objects", hint=hint))
        elif not all(_finite_numbers(r) for r in rows):
            issues.append(Issue(where, f"`metrics.{name}` holds a value of the wrong type",
                                hint=hint))
    for i, finding in enumerate(findings):
        if len(issues) >= _MAX_ISSUES:
            break
        issues += _finding_issues(finding, f"{where}, findings[{i}]")
    return issues


def _finite_numbers(row: dict[str, Any]) -> bool:
    """Every value of a metrics row is text, a finite number, a bool, None, a list or an
    object."""
    for value in row.values():
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if not isinstance(value, (str, int, float, bool, list, dict, type(None))):
            return False
    return True


def _finding_issues(finding: object, where: str) -> list[Issue]:
    if not isinstance(finding, dict):
        return [Issue(where, "a finding is not an object")]
    out = []
    for key in _TEXT_FIELDS:
        if not isinstance(finding.get(key), str) or not finding.get(key):
            out.append(Issue(where, f"`{key}` is missing or not text"))
    check = finding.get("check")
    if isinstance(check, str) and check and check not in CHECKS_BY_CODE:
        out.append(Issue(where, f"unknown check `{check[:80]}`",
                         hint="the check codes are those of FINDINGS.md"))
    if "message" in finding and not isinstance(finding["message"], str):
        out.append(Issue(where, "`message` is not text"))
    path = finding.get("path", [])
    if not isinstance(path, list) or not all(isinstance(p, str) for p in path):
        out.append(Issue(where, "`path` is not a list of ids"))
    if not isinstance(finding.get("detail", {}), dict):
        out.append(Issue(where, "`detail` is not an object"))
    return out
