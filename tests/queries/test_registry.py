"""The registry of checks (graphmodel.checks) is the one list of check codes: it equals
FINDINGS.md's table, the checks register under its codes with its question and severity, every
code has its named query, and no other module spells out the codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graphmodel.checks import BROKEN_CHAIN_CHECKS, CHECK_CODES, CHECKS, CHECKS_BY_CODE, QUESTIONS
from queries.checks.base import Question
from queries.diagnose import questions
from queries.library import get_query, list_queries
from synthetic import PlantRates
from synthetic.rates import CHECKS as PLANTED

ROOT = Path(__file__).resolve().parents[2]
# The shared brief sits beside the clone (../shared), in CI and in a work tree alike.
FINDINGS = next((p for p in (ROOT.parent / "shared" / "FINDINGS.md",
                             ROOT.parents[1] / "shared" / "FINDINGS.md") if p.exists()), None)
PACKAGES = ("graphmodel", "stores", "synthetic", "loaders", "queries", "visualizations", "orgnet",
            "bench", "tools")


def _table_codes(text: str) -> list[tuple[str, str]]:
    """(question, code) of each row of FINDINGS.md's table of check codes."""
    section = text.split("## Check codes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\|\s*(\w+)\s*\|\s*`(\w+)`\s*\|", section, flags=re.M)


@pytest.mark.skipif(FINDINGS is None, reason="../shared/FINDINGS.md is not beside the clone")
def test_the_registry_is_the_table_of_findings_md():
    assert FINDINGS is not None
    rows = _table_codes(FINDINGS.read_text(encoding="utf-8"))
    assert len(rows) == 20
    assert [(s.question, s.code) for s in CHECKS] == rows


def test_checks_register_every_code_of_the_registry_once_under_its_question():
    registered = {q.name: list(q.checks) for q in questions()}
    assert list(registered) == list(QUESTIONS)
    for name, codes in registered.items():
        assert codes == [s.code for s in CHECKS if s.question == name]


def test_a_code_outside_the_registry_or_of_another_question_is_refused():
    with pytest.raises(ValueError, match="not a check"):
        Question("coverage").check("no_such_check")
    with pytest.raises(ValueError, match="not a check"):
        Question("coverage").check("weak_tie")


def test_every_code_has_its_named_query_and_a_bare_code_finds_it():
    names = {q.name for q in list_queries()}
    for spec in CHECKS:
        assert spec.query in names
        assert get_query(spec.code) is get_query(spec.query)


def test_plant_rates_are_one_per_check_of_the_registry():
    assert tuple(PLANTED) == CHECK_CODES
    assert {c: PLANTED[c] for c in PLANTED} == {c: s.question for c, s in CHECKS_BY_CODE.items()}
    assert set(vars(PlantRates())) == set(CHECK_CODES)


def _literals_with_codes(tree: ast.AST) -> list[int]:
    """Line numbers of list, tuple, set or dict literals naming 3 or more check codes."""
    codes = set(CHECK_CODES)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None] + list(node.values)
        else:
            continue
        named = {i.value for i in items if isinstance(i, ast.Constant) and i.value in codes}
        if len(named) >= 3:
            lines.append(node.lineno)
    return lines


def test_no_other_module_spells_out_the_codes():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if name == "graphmodel/checks.py":
                continue
            lines = _literals_with_codes(ast.parse(path.read_text(encoding="utf-8")))
            if lines:
                found[name] = lines
    assert found == {}


def test_the_scan_sees_a_literal_list_of_codes():
    assert _literals_with_codes(ast.parse('X = ["weak_tie", "ping_pong", "bridge_unit"]')) == [1]
    assert _literals_with_codes(ast.parse('X = {"weak_tie": 1, "ping_pong": 2}')) == []


def test_the_broken_chain_checks_are_the_organization_checks_of_coverage():
    expected = {"org_unreachable", "org_skips_level", "org_territory_mismatch"}
    assert expected == BROKEN_CHAIN_CHECKS
