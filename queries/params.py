"""Query parameters written on a command line: ``key=value``, plain or JSON.

``kinds=grid`` and ``kinds=grid,compound`` give a list when the named query uses ``$kinds`` as
a list (``x IN $kinds``); ``threshold=0.3`` gives a number, ``name=幸福社区`` a string, and
``kinds=["grid"]`` or ``name="007"`` are read as JSON. A value that is not a finite number
(``NaN``, ``Infinity``, ``-inf``, ``1e999``, also inside JSON) is refused: no query means it,
and a comparison with it is silently always false; the text itself is written as a JSON
string (``name='"NaN"'``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from graphmodel.errors import QueryParameterError
from queries.library import NamedQuery, holds_non_finite

__all__ = ["list_params", "parse_param", "parse_params"]

_LIST_USE = re.compile(r"(?:\bIN\s+|\bUNWIND\s+|\blist_contains\s*\(\s*|\bsize\s*\(\s*)\$(\w+)",
                       re.IGNORECASE)


def list_params(query: NamedQuery) -> set[str]:
    """The parameters ``query`` uses as lists (``x IN $p``, ``UNWIND $p``, ``size($p)`` ...).

    Examples
    --------
    >>> from queries.library import get_query
    >>> sorted(list_params(get_query("weak_ties/weak_tie")))
    ['types']
    """
    texts = [query.text, *query.variants.values()]
    return {name for text in texts for name in _LIST_USE.findall(text)}


# What float() would read as a non-finite number: nan, inf, infinity, with a sign, any case.
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf(?:inity)?)", re.IGNORECASE)


def _non_finite(key: str, raw: str) -> QueryParameterError:
    if _NON_FINITE.fullmatch(raw):
        what = "is not a finite number"
        hint = f"give a number, or write the text as a JSON string ({key}='\"{raw}\"')"
    elif raw[:1] in ("[", "{"):
        what, hint = "holds a number that is not finite", "give finite numbers"
    else:
        what, hint = "is too large to be a finite number", "give a finite number"
    msg = f"--param {key}: {raw!r} {what} (NaN and infinities are refused); {hint}"
    return QueryParameterError(msg)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity, -Infinity: JSON extensions, refused


def _loads(key: str, raw: str) -> Any:
    """``json.loads`` without the NaN/Infinity extensions and without numbers that overflow."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except ValueError as err:
        if isinstance(err, json.JSONDecodeError):
            raise
        raise _non_finite(key, raw) from None
    if holds_non_finite(value):
        raise _non_finite(key, raw)
    return value


def _json(key: str, raw: str) -> Any:
    try:
        return _loads(key, raw)
    except json.JSONDecodeError as err:
        msg = (f"--param {key}: {raw!r} is not valid JSON ({err.msg}, column {err.pos + 1}); "
               f"write plain text without brackets or quotes ({key}=grid), or text that "
               f"starts with a bracket as a JSON string ({key}='\"[x]\"')")
        raise QueryParameterError(msg) from err


def parse_param(text: str, *, as_list: bool | None = None) -> tuple[str, Any]:
    """Split ``key=value`` and read the value.

    Parameters
    ----------
    text
        ``key=value`` as typed.
    as_list
        True: the value must be a list (plain ``a,b`` is split at commas); False: a single
        value; None: not known (a free query), JSON when it parses, else the text.

    Raises
    ------
    QueryParameterError
        No ``=``, an empty name, bad JSON in a value that starts like JSON, a value that is
        not a finite number (``NaN``, ``inf``, ``1e999``), or a list where a single value is
        expected (and the other way round); the message names the parameter and the value.

    Examples
    --------
    >>> parse_param("kinds=grid,compound", as_list=True)
    ('kinds', ['grid', 'compound'])
    >>> parse_param("threshold=0.3", as_list=False)
    ('threshold', 0.3)
    >>> parse_param("name=幸福社区")
    ('name', '幸福社区')
    """
    if "=" not in text:
        msg = f"--param takes key=value, got {text!r}"
        raise QueryParameterError(msg)
    key, raw = (part.strip() for part in text.split("=", 1))
    if not key:
        msg = f"--param {text!r}: the parameter name before '=' is empty"
        raise QueryParameterError(msg)
    looks_json = raw[:1] in ('[', '{', '"')
    if as_list:
        if looks_json:
            value = _json(key, raw)
            if not isinstance(value, list):
                msg = f"--param {key} takes a list: write {key}=a,b or {key}='[\"a\", \"b\"]'"
                raise QueryParameterError(msg)
            return key, value
        return key, [part.strip() for part in raw.split(",") if part.strip()]
    if looks_json:
        value = _json(key, raw)
    elif _NON_FINITE.fullmatch(raw):
        raise _non_finite(key, raw)
    else:
        try:
            value = _loads(key, raw)  # numbers, true, false, null
        except json.JSONDecodeError:
            value = raw
    if as_list is False and isinstance(value, list | dict):
        msg = f"--param {key} takes a single value, got {raw!r}"
        raise QueryParameterError(msg)
    return key, value


def parse_params(texts: Iterable[str], query: NamedQuery | None = None) -> dict[str, Any]:
    """Every ``key=value`` of ``texts``; for a named ``query`` its list parameters are lists.

    Raises
    ------
    QueryParameterError
        As :func:`parse_param`, or the same parameter given twice.
    """
    lists = list_params(query) if query is not None else set()
    declared = set(query.params) if query is not None else set()
    out: dict[str, Any] = {}
    for text in texts:
        key = text.split("=", 1)[0].strip()
        as_list = (key in lists) if key in declared else None
        key, value = parse_param(text, as_list=as_list)
        if key in out:
            msg = f"--param {key} is given twice"
            raise QueryParameterError(msg)
        out[key] = value
    return out
