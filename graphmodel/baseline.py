"""Findings over time (整改 follow-up, FINDINGS.md "Findings over time"): a run compared with
an earlier one.

A finding is the same finding in two runs when its ``check`` and ``subject`` are the same.
:func:`compare_findings` adds to a findings object, without changing any field it has:

- on every finding ``status`` (``new`` or ``persisting``) and ``since`` (the ``generated_at``
  of the earliest run in which it was present: the baseline's own ``since`` when it has one,
  else the baseline's ``generated_at``; this run's for a new finding);
- ``baseline``: ``generated_at`` of the baseline, the counts ``new`` and ``persisting``, the
  ``resolved`` list (the baseline's findings that are gone, with the fields they had), and,
  for a returned worklist, ``claimed_but_present``: the rows marked 已整改 whose finding is
  still there (整改未见效); those findings also get ``claimed_rectified: true``.

:func:`progress_by_street` counts the four per street by rule 12 (:mod:`graphmodel.places`),
for the terminal, the report and the worklists alike. Pure functions on dicts.

Examples
--------
>>> earlier = {"generated_at": "2026-06-30T10:00:00+08:00", "findings": [
...     {"check": "weak_tie", "subject": "U-1->T-1", "question": "weak_ties"},
...     {"check": "ping_pong", "subject": "K-9", "question": "backflow"}]}
>>> now = {"generated_at": "2026-12-01T10:00:00+08:00", "findings": [
...     {"check": "weak_tie", "subject": "U-1->T-1"}, {"check": "weak_tie", "subject": "U-2->T-1"}]}
>>> out = compare_findings(now, earlier)
>>> [(f["subject"], f["status"], f["since"][:10]) for f in out["findings"]]
[('U-1->T-1', 'persisting', '2026-06-30'), ('U-2->T-1', 'new', '2026-12-01')]
>>> out["baseline"]["new"], out["baseline"]["persisting"], out["baseline"]["resolved"][0]["subject"]
(1, 1, 'K-9')
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from graphmodel.index import ModelIndex
from graphmodel.places import place_of

__all__ = ["CLAIMED_DONE", "RECTIFICATION_STATES", "compare_findings", "finding_key",
           "progress_by_street"]

# The values of a worklist's 整改情况 column; the last one claims the problem is fixed.
RECTIFICATION_STATES: tuple[str, ...] = ("未整改", "整改中", "已整改")
CLAIMED_DONE = "已整改"
# Fields of a resolved finding as the baseline had them (FINDINGS.md lists these).
_RESOLVED_FIELDS = ("check", "subject", "question", "severity", "message", "path", "detail",
                    "since")


def finding_key(finding: Mapping[str, Any]) -> tuple[str, str]:
    """The identity of a finding across runs: (check, subject)."""
    return str(finding.get("check", "")), str(finding.get("subject", ""))


def compare_findings(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` (a findings object) with the comparison to ``baseline`` added.

    Parameters
    ----------
    current
        The findings object of this run (FINDINGS.md); not modified.
    baseline
        An earlier findings object, or what :func:`loaders.worklist.read_worklist` reads from a
        returned worklist (its findings may carry ``claim``, the 整改情况 of their row).

    Returns
    -------
    dict
        A copy of ``current`` with ``status``/``since`` on every finding and the ``baseline``
        object (see the module docstring).
    """
    out = dict(current)
    stamp = str(current.get("generated_at", ""))
    base_stamp = str(baseline.get("generated_at", ""))
    earlier: dict[tuple[str, str], Mapping[str, Any]] = {}
    for finding in baseline.get("findings") or []:
        earlier.setdefault(finding_key(finding), finding)
    findings = []
    seen: set[tuple[str, str]] = set()
    new = persisting = 0
    claimed: list[dict[str, Any]] = []
    for finding in current.get("findings") or []:
        key = finding_key(finding)
        seen.add(key)
        before = earlier.get(key)
        item = dict(finding)
        if before is None:
            item["status"], item["since"] = "new", stamp
            new += 1
        else:
            item["status"] = "persisting"
            item["since"] = str(before.get("since") or base_stamp or stamp)
            persisting += 1
            if before.get("claim") == CLAIMED_DONE:
                item["claimed_rectified"] = True
                claimed.append({k: item[k] for k in ("check", "subject", "question",
                                                     "severity", "message") if k in item}
                               | {"since": item["since"], "claim": CLAIMED_DONE})
        findings.append(item)
    resolved = [{k: copy.deepcopy(f[k]) for k in _RESOLVED_FIELDS if k in f}
                for key, f in earlier.items() if key not in seen]
    out["findings"] = findings
    summary: dict[str, Any] = {"generated_at": base_stamp, "new": new, "persisting": persisting,
                               "resolved": resolved}
    if baseline.get("worklist") or any("claim" in f for f in baseline.get("findings") or []):
        summary["source"] = "worklist"
        summary["claimed_but_present"] = claimed
    else:
        summary["source"] = "findings"
    out["baseline"] = summary
    return out


def progress_by_street(result: Mapping[str, Any], index: ModelIndex) -> list[dict[str, Any]]:
    """Per street (rule 12): ``new``, ``persisting``, ``resolved`` and ``claimed`` (整改未见效)
    counts of a compared findings object; the street ``None`` gathers what lies in no street.
    Resolved findings are placed on this run's model (a subject that is gone: no street).
    Streets with most open problems first."""
    rows: dict[str | None, dict[str, Any]] = {}

    def row(street: str | None) -> dict[str, Any]:
        if street not in rows:
            rows[street] = {"street": street, "new": 0, "persisting": 0, "resolved": 0,
                            "claimed": 0}
        return rows[street]

    for finding in result.get("findings") or []:
        status = finding.get("status")
        if status not in ("new", "persisting"):
            continue
        r = row(place_of(finding, index).street_id)
        r[status] += 1
        r["claimed"] += bool(finding.get("claimed_rectified"))
    for finding in (result.get("baseline") or {}).get("resolved") or []:
        row(place_of(finding, index).street_id)["resolved"] += 1
    return sorted(rows.values(), key=lambda r: (r["street"] is None, -(r["new"] + r["persisting"]),
                                                str(r["street"])))
