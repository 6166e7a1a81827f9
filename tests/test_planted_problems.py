"""The real diagnosis finds exactly the problems the synthetic generator planted.

Each variant writes a generated city as the input contract (CSV files and ``answer_key.json``),
loads it, writes it to LadybugDB and runs every check of FINDINGS.md with the default settings.
For every check code the subjects found must equal the planted ones: every planted subject is
found (recall) and nothing else is (precision). A failure lists, per check, what was missed and
what was found besides.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from queries.diagnose import questions
from synthetic import ANSWER_KEY, CHECKS, PlantRates, write_dataset
from tests.helpers import TWO_CITIES, found, run_diagnosis

SHOWN = 8  # ids shown per difference in a failure message


def _diagnose_generated(folder: Path, **options) -> tuple[dict[str, list[str]], dict]:
    """Write a generated dataset into ``folder``/data, diagnose it; (answer key, findings)."""
    write_dataset(folder / "data", **options)
    key = json.loads((folder / "data" / ANSWER_KEY).read_text(encoding="utf-8"))
    return key, run_diagnosis(folder / "data", folder)


def _differences(key: dict[str, list[str]], result: dict) -> list[str]:
    """One line per check whose findings differ from the key; empty when they agree."""
    lines = []
    for check in CHECKS:
        planted, got = set(key[check]), set(found(result, check))
        missed, extra = sorted(planted - got), sorted(got - planted)
        if missed or extra:
            lines.append(f"{check}: planted {len(planted)}, found {len(got)}; "
                         f"missed {len(missed)} {missed[:SHOWN]}; "
                         f"extra {len(extra)} {extra[:SHOWN]}")
    unknown = sorted({f["check"] for f in result["findings"]} - set(CHECKS))
    if unknown:
        lines.append(f"check codes not in FINDINGS.md: {unknown}")
    return lines


def _assert_matches_key(key: dict[str, list[str]], result: dict, *, planted: bool) -> None:
    assert list(key) == list(CHECKS)
    if planted:  # every check has something to find, so recall is tested for each
        assert all(key.values()), [c for c, subjects in key.items() if not subjects]
    else:
        assert not any(key.values()), "PlantRates.none() planted something"
    problems = _differences(key, result)
    assert not problems, "diagnosis differs from the answer key:\n" + "\n".join(problems)
    if not planted:
        assert result["findings"] == []


def test_diagnosis_runs_every_check_of_findings():
    """The diagnosis registers exactly the check codes of the key (those of FINDINGS.md,
    asserted in tests/synthetic), in the same order."""
    assert [code for q in questions() for code in q.checks] == list(CHECKS)


@pytest.mark.parametrize(("options", "planted"), [
    pytest.param({"seed": 0}, True, id="seed0-en-utf8"),
    pytest.param({"seed": 1, "headers": "zh", "encoding": "gbk"}, True, id="seed1-zh-gbk"),
    pytest.param({"seed": 3, "encoding": "gbk"}, True, id="seed3-en-gbk"),
    pytest.param({"seed": 4, "headers": "zh", "format": "xlsx"}, True, id="seed4-zh-xlsx"),
    pytest.param({"seed": 2, "scale": TWO_CITIES}, True, id="seed2-two-cities"),
    pytest.param({"seed": 5, "rates": PlantRates.none()}, False, id="clean"),
])
def test_diagnosis_finds_exactly_the_planted_problems(tmp_path, options, planted):
    key, result = _diagnose_generated(tmp_path, **options)
    _assert_matches_key(key, result, planted=planted)


@pytest.mark.slow
def test_city_scale_diagnosis_finds_exactly_the_planted_problems(tmp_path):
    key, result = _diagnose_generated(tmp_path, scale="city", seed=0)
    assert result["dataset"]["members"] == 150_000
    _assert_matches_key(key, result, planted=True)
