"""Summaries of a findings list: counts per check, worst streets first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphmodel.checks import CHECKS_BY_CODE, QUESTIONS
from graphmodel.index import model_index
from graphmodel.model import OrgModel
from graphmodel.places import place_of

__all__ = ["finding_street", "summarize_findings"]


def finding_street(model: OrgModel, finding: dict[str, Any]) -> str | None:
    """The street or township a finding belongs to (:func:`graphmodel.places.place_of`)."""
    return place_of(finding, model_index(model)).street_id


def summarize_findings(model: OrgModel, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of a findings list as the terminal shows them.

    Returns
    -------
    dict
        ``by_question``: {question: count} in FINDINGS.md order (覆盖盲区, 弱关系, 责任回流
        each count the whole question); ``by_check``: ((question, check), count) in registry
        order; ``by_street``: one row per street (``street``, ``name``, ``findings``, ``high``
        and a count per question), sorted by high-severity then total findings, descending;
        ``nowhere``: findings that belong to no street. Places follow
        :func:`graphmodel.places.place_of` (DOMAIN.md rule 12), as every other view does.
    """
    index = model_index(model)
    by_check = Counter((f["question"], f["check"]) for f in findings)
    order = {code: i for i, code in enumerate(CHECKS_BY_CODE)}
    total: Counter[str] = Counter()
    high: Counter[str] = Counter()
    per_question: dict[str, Counter[str]] = {q: Counter() for q in QUESTIONS}
    nowhere = 0
    for finding in findings:
        street = place_of(finding, index).street_id
        if street is None:
            nowhere += 1
            continue
        total[street] += 1
        high[street] += finding.get("severity") == "high"
        per_question.setdefault(finding["question"], Counter())[street] += 1
    streets = sorted(total, key=lambda s: (-high[s], -total[s], s))
    return {
        "by_question": {q: sum(n for (question, _), n in by_check.items() if question == q)
                        for q in QUESTIONS},
        "by_check": sorted(by_check.items(), key=lambda kv: (
            QUESTIONS.index(kv[0][0]), order.get(kv[0][1], len(order)), kv[0][1])),
        "by_street": [{"street": s, "name": model.name(s), "findings": total[s], "high": high[s],
                       **{q: per_question[q][s] for q in QUESTIONS}} for s in streets],
        "nowhere": nowhere,
    }
