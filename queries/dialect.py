"""Neo4j habits that fail or mislead on the embedded LadybugDB, found in a query's text, with
what to write instead (shown when a query typed by an analyst fails)."""

from __future__ import annotations

import re

__all__ = ["neo4j_habits"]

_HABITS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), hint) for pattern, hint in (
        (r"\blabels\s*\(", "labels(n) is a string on LadybugDB: write label(n) = 'Territory'"),
        (r"\btype\s*\(", "type(r) is label(r) on LadybugDB"),
        (r"\bWHERE\s+(?:NOT\s+)?\w+:\w+", "WHERE n:Unit is label(n) = 'Unit' on LadybugDB "
         "(or put the label in the MATCH pattern)"),
        (r"\[\s*\w+\s+IN\s+(?:[^\[\]|]|\[[^\[\]]*\])*\|",
         "no list comprehension on LadybugDB: list_filter(xs, x -> ...), "
         "list_transform(xs, x -> ...)"),
        (r"\breduce\s*\(", "reduce is list_reduce(xs, (a, b) -> ...) on LadybugDB"),
        (r"\bto(?:Integer|Float|String)\s*\(", "toInteger/toFloat/toString are CAST(x AS "
         "INT64 / DOUBLE / STRING) on LadybugDB (CAST rounds, toInteger truncates)"),
        (r"\bshortestPath\s*\(", "shortestPath is -[:R* SHORTEST 1..5]- on LadybugDB"),
        (r"\bsplit\s*\(", "split is string_split on LadybugDB"),
        (r"\b(?:head|last)\s*\(", "head(xs) and last(xs) are xs[1] and xs[-1] on LadybugDB "
         "(lists are 1-based)"),
        (r"\bdatetime\s*\(\s*\)", "datetime() is current_timestamp() on LadybugDB"),
    ))


def neo4j_habits(text: str) -> list[str]:
    """Hints for the Neo4j-only forms in ``text``, in a fixed order (none: an empty list).

    Examples
    --------
    >>> neo4j_habits("MATCH (c) WHERE labels(c) = ['Territory'] RETURN c")
    ["labels(n) is a string on LadybugDB: write label(n) = 'Territory'"]
    >>> neo4j_habits("MATCH (c:Territory) RETURN label(c)")
    []
    """
    return [hint for pattern, hint in _HABITS if pattern.search(text)]
