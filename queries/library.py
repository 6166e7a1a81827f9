"""The library of named Cypher queries: one ``.cypher`` file per query under ``queries/cypher``.

The file name (without ``.cypher``) under that folder is the query name, e.g.
``coverage/territory_without_org``. A file starts with a header of ``//`` comment lines::

    // name: coverage/territory_without_org
    // summary: 没有本级党组织覆盖的区域 — territories with no party organization of their level
    // why: (Chinese and English) why the finding matters
    // params: kinds
    // returns: subject, name, kind

A dialect difference gets a ``<name>.neo4j.cypher`` beside the default (LadybugDB) text, never
an ``if backend == ...`` in Python.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from graphmodel.checks import CHECKS_BY_CODE
from graphmodel.errors import QueryNotFoundError, QueryParameterError

__all__ = ["NamedQuery", "get_query", "holds_non_finite", "list_queries", "parse_query_file"]

_HEADER = re.compile(r"^//\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its header fields, default text and per-backend variants."""

    name: str
    summary: str
    params: tuple[str, ...]
    returns: tuple[str, ...]
    text: str
    why: str = ""
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, backend: str) -> str:
        """The query text for a backend (``ladybug`` or ``neo4j``)."""
        return self.variants.get(backend, self.text)

    def check_params(self, params: dict[str, Any]) -> None:
        """Raise QueryParameterError for missing or extra parameters, and for a value that
        is or holds a float that is not finite (NaN, an infinity)."""
        missing = sorted(set(self.params) - set(params))
        extra = sorted(set(params) - set(self.params))
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(f"${p}" for p in missing))
            if extra:
                parts.append("unexpected " + ", ".join(f"${p}" for p in extra))
            raise QueryParameterError(f"query {self.name}: " + "; ".join(parts))
        for key in sorted(params):
            if holds_non_finite(params[key]):
                msg = (f"query {self.name}: ${key} = {params[key]!r} is not a finite number "
                       "(NaN and infinities are refused)")
                raise QueryParameterError(msg)


def holds_non_finite(value: Any) -> bool:
    """Whether ``value`` is, or holds in a list or dict, a float that is NaN or infinite."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(holds_non_finite(v) for v in value.values())
    return False


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Parse a ``.cypher`` file's header and body into a NamedQuery (no variants)."""
    header: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match and not body:
            key, value = match.groups()
            header[key] = (header[key] + " " + value).strip() if key in header else value.strip()
        elif line.strip().startswith("//") and not body:
            continue
        else:
            body.append(line)
    query = "\n".join(body).strip()
    declared = tuple(p.strip() for p in header.get("params", "").split(",")
                     if p.strip() and p.strip() != "none")
    used = set(_PARAM.findall(query))
    if set(declared) != used:
        msg = f"{name}: header params {sorted(declared)} differ from the text's {sorted(used)}"
        raise QueryParameterError(msg)
    returns = tuple(r.strip() for r in header.get("returns", "").split(",") if r.strip())
    return NamedQuery(name=name, summary=header.get("summary", ""), params=declared,
                      returns=returns, text=query, why=header.get("why", ""))


@cache
def _catalogue() -> dict[str, NamedQuery]:
    root = resources.files("queries") / "cypher"
    defaults: dict[str, str] = {}
    variants: dict[str, dict[str, str]] = {}

    def walk(folder, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".cypher"):
                stem = entry.name[: -len(".cypher")]
                text = entry.read_text(encoding="utf-8")
                if "." in stem:
                    base, backend = stem.rsplit(".", 1)
                    variants.setdefault(prefix + base, {})[backend] = text
                else:
                    defaults[prefix + stem] = text

    walk(root, "")
    out = {}
    for name, text in defaults.items():
        query = parse_query_file(name, text)
        alt = {b: parse_query_file(name, t).text for b, t in variants.get(name, {}).items()}
        out[name] = NamedQuery(query.name, query.summary, query.params, query.returns,
                               query.text, query.why, alt)
    return out


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [q for _, q in sorted(_catalogue().items())]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``, or the one answering check ``name`` (a check code of
    :data:`graphmodel.checks.CHECKS`).

    Raises
    ------
    QueryNotFoundError
        No query has that name; the message suggests close matches.
    """
    catalogue = _catalogue()
    if name in catalogue:
        return catalogue[name]
    spec = CHECKS_BY_CODE.get(name)
    if spec is not None:  # a bare check code names the query that answers it
        return catalogue[spec.query]
    close = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `orgnet query --list`"
    raise QueryNotFoundError(f"no named query '{name}'{hint}")
