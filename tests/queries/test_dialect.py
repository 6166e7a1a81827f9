"""Hints for Neo4j habits in an analyst's Cypher: every hinted form really fails (or differs)
on LadybugDB, and the suggested form works."""

from __future__ import annotations

import doctest

import pytest

import queries.dialect
from graphmodel.errors import QueryExecutionError
from queries.dialect import neo4j_habits


def test_doctests() -> None:
    assert doctest.testmod(queries.dialect).failed == 0


@pytest.mark.parametrize(("neo4j", "ladybug"), [
    ("MATCH (c) WHERE labels(c) = ['Territory'] RETURN count(*)",
     "MATCH (c) WHERE label(c) = 'Territory' RETURN count(*)"),
    ("MATCH ()-[r]->() RETURN type(r) LIMIT 1", "MATCH ()-[r]->() RETURN label(r) LIMIT 1"),
    ("MATCH (n) WHERE n:Unit RETURN count(*)",
     "MATCH (n) WHERE label(n) = 'Unit' RETURN count(*)"),
    ("RETURN [x IN [1, 2] | x * 2]", "RETURN list_transform([1, 2], x -> x * 2)"),
    ("RETURN toInteger(3.7)", "RETURN CAST(3.7 AS INT64)"),
    ("RETURN split('a,b', ',')", "RETURN string_split('a,b', ',')"),
    ("RETURN head([1, 2])", "RETURN [1, 2][1]"),
])
def test_hinted_forms_fail_and_the_hint_works(tiny_store, neo4j: str, ladybug: str) -> None:
    assert neo4j_habits(neo4j)
    assert not neo4j_habits(ladybug)
    with pytest.raises(QueryExecutionError):
        tiny_store.run(neo4j)
    tiny_store.run(ladybug)
