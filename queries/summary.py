"""Summaries of a findings list: counts per check, worst streets first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphmodel.model import OrgModel
from queries.findings import QUESTIONS

__all__ = ["finding_street", "summarize_findings"]


def finding_street(model: OrgModel, finding: dict[str, Any]) -> str | None:
    """The street or township a finding belongs to (a tie: its first end that has one)."""
    for part in str(finding["subject"]).split("->"):
        street = model.street_of(part)
        if street:
            return street
    return None


def summarize_findings(model: OrgModel, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """``by_check``: ((question, check), count) in FINDINGS.md order; ``by_street``: streets
    sorted by high-severity then total findings, descending."""
    by_check = Counter((f["question"], f["check"]) for f in findings)
    total: Counter = Counter()
    high: Counter = Counter()
    for f in findings:
        street = finding_street(model, f)
        if street:
            total[street] += 1
            high[street] += f["severity"] == "high"
    streets = sorted(total, key=lambda s: (-high[s], -total[s], s))
    return {
        "by_check": sorted(by_check.items(), key=lambda kv: (QUESTIONS.index(kv[0][0]), kv[0][1])),
        "by_street": [{"street": s, "name": model.name(s), "findings": total[s], "high": high[s]}
                      for s in streets],
    }
