"""Summaries of a findings list: counts per check, worst streets first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphmodel.index import model_index
from graphmodel.model import OrgModel
from graphmodel.places import count_by_place, place_of
from queries.findings import QUESTIONS

__all__ = ["finding_street", "summarize_findings"]


def finding_street(model: OrgModel, finding: dict[str, Any]) -> str | None:
    """The street or township a finding belongs to (:func:`graphmodel.places.place_of`)."""
    return place_of(finding, model_index(model)).street_id


def summarize_findings(model: OrgModel, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """``by_check``: ((question, check), count) in FINDINGS.md order; ``by_street``: streets
    sorted by high-severity then total findings, descending (places by
    :func:`graphmodel.places.count_by_place`, DOMAIN.md rule 12)."""
    by_check = Counter((f["question"], f["check"]) for f in findings)
    counts = count_by_place(findings, model_index(model))
    total, high = counts.by_street, counts.high_by_street
    streets = sorted(total, key=lambda s: (-high[s], -total[s], s))
    return {
        "by_check": sorted(by_check.items(), key=lambda kv: (QUESTIONS.index(kv[0][0]), kv[0][1])),
        "by_street": [{"street": s, "name": model.name(s), "findings": total[s], "high": high[s]}
                      for s in streets],
    }
