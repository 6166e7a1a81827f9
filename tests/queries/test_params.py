"""--param values: plain or JSON, lists where the named query expects one."""

from __future__ import annotations

import doctest

import pytest

import queries.params
from graphmodel.errors import QueryParameterError
from queries.library import get_query
from queries.params import list_params, parse_param, parse_params


def test_doctests() -> None:
    assert doctest.testmod(queries.params).failed == 0


def test_list_params_of_the_library() -> None:
    assert list_params(get_query("coverage/territory_without_org")) == {"kinds"}
    assert list_params(get_query("weak_ties/weak_tie")) == {"types"}
    assert list_params(get_query("backflow/task_route")) == set()


@pytest.mark.parametrize(("text", "value"), [
    ("kinds=grid", ["grid"]), ("kinds=grid,compound", ["grid", "compound"]),
    ("kinds= grid , compound ", ["grid", "compound"]), ('kinds=["grid"]', ["grid"]),
    ("kinds=", []), ("kinds=网格", ["网格"]),
])
def test_plain_and_json_lists(text: str, value: list[str]) -> None:
    query = get_query("coverage/territory_without_org")
    assert parse_params([text], query) == {"kinds": value}


@pytest.mark.parametrize(("text", "value"), [
    ("x=0.3", 0.3), ("x=3", 3), ("x=true", True), ("x=T-01", "T-01"), ("x=007", "007"),
    ('x="007"', "007"), ("x=a=b", "a=b"), ('x="NaN"', "NaN"), ("x=[1, 2]", [1, 2]),
    ("x=幸福社区", "幸福社区"), ('x="[red]x[/red]"', "[red]x[/red]"), ("x=a\\b", "a\\b"),
])
def test_free_query_values(text: str, value: object) -> None:
    assert parse_params([text]) == {"x": value}


@pytest.mark.parametrize(("texts", "match"), [
    (["kinds"], "key=value"), (["=grid"], "name before '=' is empty"),
    (['kinds=["grid"'], r"--param kinds: .* is not valid JSON"),
    (['kinds={"a": 1}'], "--param kinds takes a list"),
    (["threshold=[0.3]", "types=co_building"], "--param threshold takes a single value"),
    (["types=a", "types=b", "threshold=1"], "--param types is given twice"),
])
def test_errors_name_the_parameter(texts: list[str], match: str) -> None:
    query = get_query("weak_ties/weak_tie") if "threshold" in " ".join(texts) or "types" in \
        " ".join(texts) else get_query("coverage/territory_without_org")
    with pytest.raises(QueryParameterError, match=match):
        parse_params(texts, query)


def test_free_query_bad_json_names_the_parameter() -> None:
    with pytest.raises(QueryParameterError, match="--param k:"):
        parse_param("k=[1,")


@pytest.mark.parametrize("raw", [
    "Infinity", "-Infinity", "NaN", "nan", "inf", "-inf", "+Inf", "infinity", "1e999", "-1e999",
    "[1e999]", "[NaN]", '{"a": -Infinity}', '[1, [2, Infinity]]',
])
def test_non_finite_values_are_refused(raw: str) -> None:
    """No query means NaN or an infinity: a comparison with one is silently always false."""
    with pytest.raises(QueryParameterError, match=r"--param threshold: .*not finite|"
                       r"--param threshold: .*finite number") as info:
        parse_params([f"threshold={raw}", "types=co_building"], get_query("weak_ties/weak_tie"))
    assert repr(raw) in str(info.value)
    with pytest.raises(QueryParameterError, match="--param x"):
        parse_params([f"x={raw}"])


def test_the_text_nan_is_written_as_a_json_string() -> None:
    assert parse_params(['x="Infinity"', "y=nanny", "z=1e308"]) == {
        "x": "Infinity", "y": "nanny", "z": 1e308}


@pytest.mark.parametrize("value", [float("inf"), float("nan"), [0.5, float("-inf")]])
def test_named_queries_refuse_non_finite_values_from_python(value: object) -> None:
    query = get_query("weak_ties/weak_tie")
    with pytest.raises(QueryParameterError, match=r"\$threshold = .* not a finite number"):
        query.check_params({"threshold": value, "types": ["co_building"]})
