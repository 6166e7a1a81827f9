"""The terminal's summary counts a question as the report and the pages do (rule 12)."""

from __future__ import annotations

from collections import Counter

from graphmodel.checks import CHECKS_BY_CODE, QUESTIONS
from graphmodel.index import model_index
from graphmodel.places import count_by_place
from queries.summary import summarize_findings
from tests.helpers import run_diagnosis


def test_street_rows_split_each_question_by_place(tiny_dir, tiny_model, tmp_path):
    findings = run_diagnosis(tiny_dir, tmp_path)["findings"]
    summary = summarize_findings(tiny_model, findings)
    per_question = Counter(f["question"] for f in findings)
    assert summary["by_question"] == {q: per_question[q] for q in QUESTIONS}
    counts = count_by_place(findings, model_index(tiny_model))
    assert summary["nowhere"] == counts.nowhere
    for row in summary["by_street"]:
        assert row["findings"] == counts.by_street[row["street"]]
        assert sum(row[q] for q in QUESTIONS) == row["findings"]
    placed = Counter()
    for row in summary["by_street"]:
        placed.update({q: row[q] for q in QUESTIONS})
    assert sum(placed.values()) + summary["nowhere"] == len(findings)
    shown = [check for (_, check), _ in summary["by_check"]]
    assert shown == [code for code in CHECKS_BY_CODE if code in shown]  # FINDINGS.md order
