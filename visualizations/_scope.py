"""What a page about one scope may show: a territory's subtree, and nothing of its siblings.

A scope is the whole city, or the subtree of one territory (a street, a community ...). Every
id the pages mention is classified against it:

- ``in``: part of the scope — a territory of the subtree, a node whose territory lies in it
  (organizations, units, platforms), a unit or platform tied to such a node, a member living
  there, a task assigned there;
- ``context``: above the scope or nowhere in particular — the city, city-level units, ids that
  resolve to no territory; they may be named in a finding's route, but are not drawn;
- ``foreign``: belongs to another part of the city (a sibling street, another community).

A scoped page keeps the findings and metric rows about its scope and replaces every foreign id,
and the name of every foreign entity a finding mentions, by ``（范围外）``, so a street can be
given its own file without seeing the others.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphmodel.errors import OrgModelError
from graphmodel.index import ModelIndex, model_index, natural_key
from graphmodel.model import OrgModel
from graphmodel.schema import LEVEL_ZH, Entity, Level

__all__ = ["CONTEXT", "FOREIGN", "IN", "OUTSIDE", "FindingsIndex", "ModelIndex", "Scope",
           "ScopeError", "model_index", "natural_key", "resolve_scope", "safe_name"]

IN, CONTEXT, FOREIGN = "in", "context", "foreign"
OUTSIDE = "（范围外）"
CITY_SCOPES = frozenset({"", "city", "全市", "全县", "县市"})


class ScopeError(OrgModelError, ValueError):
    """A ``--scope`` that names no territory of the data."""


def safe_name(entity_id: str) -> str:
    """A file-name stem for an id (letters of any script, digits, ``-`` and ``_`` kept)."""
    stem = re.sub(r"[^\w\-]+", "_", str(entity_id), flags=re.UNICODE).strip("_")
    return stem or "page"


@dataclass
class Scope:
    """The part of a model one page shows (see the module docstring)."""

    model: OrgModel
    root: str | None
    territories: frozenset[str]
    ancestors: tuple[str, ...]
    nodes: frozenset[str]
    children: dict[str, list[str]]
    is_city: bool
    index: ModelIndex = field(repr=False, compare=False)
    _classes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _counts: dict[str, int] | None = field(default=None, repr=False, compare=False)

    # -- naming ----------------------------------------------------------------------------
    @property
    def level(self) -> int | None:
        """Chain level of the root territory (1 for the city)."""
        return self.model.node(self.root).get("level") if self.root else None

    @property
    def title(self) -> str:
        """Chinese name of the scope: the root's name, or 全市 when there is no single root."""
        return self.model.name(self.root) if self.root else "全市"

    @property
    def breadcrumb(self) -> list[str]:
        """Names from the top of the city down to the root (ancestors are context)."""
        return [self.model.name(t) for t in reversed(self.ancestors)] + [self.title]

    @property
    def level_zh(self) -> str:
        """Chinese name of the root's level (``街道/乡镇`` ...)."""
        level = self.level
        return LEVEL_ZH[Level(level)] if level in LEVEL_ZH else "区域"

    # -- classification --------------------------------------------------------------------
    def classify(self, entity_id: str) -> str:
        """``in``, ``context`` or ``foreign`` (module docstring)."""
        if self.is_city or entity_id in self.nodes:
            return IN
        cls = self._classes.get(entity_id)
        if cls is None:
            home = self.index.home(entity_id)
            if home is None or home in self.ancestors:
                cls = CONTEXT
            elif home in self.territories:
                cls = IN
            else:
                cls = FOREIGN
            self._classes[entity_id] = cls
        return cls

    def _known(self, value: object) -> bool:
        return isinstance(value, str) and (value in self.model.entity_of
                                           or value in self.model.G)

    def _ids_in(self, value: Any, out: set[str]) -> set[str]:
        if isinstance(value, str):
            for part in value.split("->"):
                if self._known(part):
                    out.add(part)
        elif isinstance(value, dict):
            for v in value.values():
                self._ids_in(v, out)
        elif isinstance(value, list | tuple):
            for v in value:
                self._ids_in(v, out)
        return out

    # -- findings and metrics --------------------------------------------------------------
    def keeps(self, finding: dict[str, Any]) -> bool:
        """True when a finding is about this scope: no part of its subject is foreign, and
        its subject (or, for a subject above the scope, a step of its path) is in it."""
        if self.is_city:
            return True
        classes = [self.classify(p) for p in str(finding.get("subject", "")).split("->")]
        if FOREIGN in classes:
            return False
        if IN in classes:
            return True
        return any(self.classify(p) == IN for p in finding.get("path") or [] if
                   isinstance(p, str))

    def redact(self, finding: dict[str, Any], ids: Any = None) -> dict[str, Any]:
        """A copy of a kept finding with foreign ids and names replaced by ``（范围外）``
        (``ids``: the known ids of its path and detail, when already found)."""
        if self.is_city:
            return finding
        if ids is None:
            ids = self._ids_in([finding.get("path") or [], finding.get("detail") or {}], set())
        foreign = {i for i in ids if self.classify(i) == FOREIGN}
        if not foreign:
            return finding
        message = str(finding.get("message", ""))
        for entity_id in sorted(foreign, key=lambda i: (-len(i), i)):
            name = self.model.node(entity_id).get("name")
            if name:
                message = message.replace(str(name), OUTSIDE)
            message = message.replace(entity_id, OUTSIDE)
        return {**finding,
                "message": message,
                "path": [OUTSIDE if p in foreign else p for p in finding.get("path") or []],
                "detail": _replace(finding.get("detail") or {}, foreign)}

    def findings(self, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The findings about this scope, redacted, in their original order."""
        return [self.redact(f) for f in findings if self.keeps(f)]

    def metrics(self, metrics: dict[str, Any]) -> dict[str, Any]:
        """Metric rows about this scope. A scoped page keeps the rows (lists of objects) that
        name something in the scope and nothing foreign; other shapes cannot be filtered and
        are left out."""
        if self.is_city:
            return dict(metrics)
        out: dict[str, Any] = {}
        for key, value in metrics.items():
            if isinstance(value, list) and all(isinstance(r, dict) for r in value):
                ids = self.index.row_ids(value, self._ids_in)
                out[key] = [r for r, named in zip(value, ids, strict=True)
                            if self._named_in_scope(named)]
        return out

    def _named_in_scope(self, ids: frozenset[str]) -> bool:
        classes = {self.classify(i) for i in ids}
        return IN in classes and FOREIGN not in classes

    # -- members ---------------------------------------------------------------------------
    def members(self) -> pd.DataFrame:
        """The members frame restricted to the scope (where they live, else their
        organization's territory)."""
        members = self.model.frame("members")
        if self.is_city or members.empty:
            return members
        return members.iloc[self.index.member_positions(self.territories, self.nodes)]

    def counts(self) -> dict[str, int]:
        """Counts of what the scope holds, per input table with a meaning inside a scope."""
        if self._counts is None:
            G = self.model.G
            by_entity: dict[str, int] = defaultdict(int)
            for n in self.nodes:
                by_entity[G.nodes[n].get("entity", "")] += 1
            members = (len(self.model.frame("members")) if self.is_city else
                       len(self.index.member_positions(self.territories, self.nodes)))
            self._counts = {
                "territories": by_entity[Entity.TERRITORY],
                "organizations": by_entity[Entity.ORGANIZATION], "units": by_entity[Entity.UNIT],
                "platforms": by_entity[Entity.PLATFORM], "members": members}
        return dict(self._counts)


def _replace(value: Any, foreign: set[str]) -> Any:
    if isinstance(value, str):
        return OUTSIDE if value in foreign else value
    if isinstance(value, dict):
        return {k: _replace(v, foreign) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace(v, foreign) for v in value]
    return value


def _find_territory(model: OrgModel, scope: str) -> str:
    node = model.node(scope)
    if node.get("entity") == Entity.TERRITORY:
        return scope
    if node.get("entity") == Entity.ORGANIZATION:
        covered = model.covered_territory(scope)
        if covered:
            return covered
    named = sorted(t for t in model.nodes_of(Entity.TERRITORY) if model.name(t) == scope)
    if len(named) == 1:
        return named[0]
    hint = "; several territories have that name, give the id" if named else ""
    msg = (f"unknown scope {scope!r}: give `city`, a street or community id "
           f"(e.g. a territory id of the data){hint}")
    raise ScopeError(msg)


def resolve_scope(model: OrgModel, scope: str | None = None) -> Scope:
    """The scope named by ``scope``: None or ``city`` for the whole city, else a territory id
    (a street, a community ...), the id of the organization covering it, or its unique name.

    Raises
    ------
    ScopeError
        ``scope`` names nothing of the data.
    """
    G = model.G
    index = model_index(model)
    children, parent = index.children, index.parent
    if scope is None or str(scope).strip().lower() in CITY_SCOPES:
        territories = frozenset(model.nodes_of(Entity.TERRITORY))
        cities = [t for t in territories if t not in parent
                  and model.node(t).get("level") == Level.CITY]
        return Scope(model, cities[0] if len(cities) == 1 else None, territories, (),
                     frozenset(G.nodes), children, True, index)
    root = _find_territory(model, str(scope).strip())
    subtree = index.subtree(root)
    nodes = set(subtree)
    homed = index.homed()
    for t in subtree:
        nodes.update(homed.get(t, ()))
    sides = index.tie_sides()
    for a in list(nodes):
        nodes.update(sides.get(a, ()))
    return Scope(model, root, subtree, index.ancestors(root), frozenset(nodes), children, False,
                 index)


class FindingsIndex:
    """The findings and metric rows of one run, indexed by where they are (built once per
    run): a scope reads the findings and rows that can be about it instead of classifying
    every one of them.

    ``findings(scope)`` and ``metrics(scope)`` equal ``scope.findings(...)`` and
    ``scope.metrics(...)`` of the whole lists (cached per scope root)."""

    def __init__(self, index: ModelIndex, findings: list[dict[str, Any]],
                 metrics: dict[str, Any]) -> None:
        self.index, self.all_findings, self.all_metrics = index, findings, metrics
        model = index.model
        self._G = model.G
        # finding -> the places that can make it part of a scope: the home of each part of
        # its subject and path, and each part that is a structure node
        by_home: dict[str, list[int]] = defaultdict(list)
        by_node: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(findings):
            parts = str(f.get("subject", "")).split("->")
            parts += [p for p in f.get("path") or [] if isinstance(p, str)]
            self._add(i, parts, by_home, by_node)
        self._findings = (dict(by_home), dict(by_node))
        self._named: dict[int, frozenset[str]] = {}  # finding -> known ids of path and detail
        self._metrics: dict[str, tuple[Any, Any]] = {}
        self._found: dict[tuple[str | None, bool], list[dict[str, Any]]] = {}
        self._rows: dict[tuple[str | None, bool], dict[str, Any]] = {}

    def _add(self, i: int, parts: Any, by_home: dict[str, list[int]],
             by_node: dict[str, list[int]]) -> None:
        home, G = self.index.home, self._G
        seen: set[str] = set()
        for p in parts:
            if p in seen:
                continue
            seen.add(p)
            h = home(p)
            if h is not None and (not by_home[h] or by_home[h][-1] != i):
                by_home[h].append(i)
            if p in G:
                by_node[p].append(i)

    @staticmethod
    def _candidates(scope: Scope, where: tuple[dict[str, list[int]], dict[str, list[int]]],
                    ) -> list[int]:
        """Positions of what may be about ``scope``: something of it is in the scope (its
        home is a territory of the scope, or it is one of the scope's nodes)."""
        by_home, by_node = where
        found: set[int] = set()
        if len(scope.territories) < len(by_home):
            for t in scope.territories:
                found.update(by_home.get(t, ()))
        else:
            for t, idx in by_home.items():
                if t in scope.territories:
                    found.update(idx)
        if len(scope.nodes) < len(by_node):
            for n in scope.nodes:
                found.update(by_node.get(n, ()))
        else:
            for n, idx in by_node.items():
                if n in scope.nodes:
                    found.update(idx)
        return sorted(found)

    def findings(self, scope: Scope) -> list[dict[str, Any]]:
        """``scope.findings(all findings)``."""
        key = (scope.root, scope.is_city)
        kept = self._found.get(key)
        if kept is None:
            if scope.is_city:
                kept = scope.findings(self.all_findings)
            else:
                every = self.all_findings
                kept = [scope.redact(every[i], self._named_ids(scope, i))
                        for i in self._candidates(scope, self._findings) if scope.keeps(every[i])]
            self._found[key] = kept
        return list(kept)

    def _named_ids(self, scope: Scope, i: int) -> frozenset[str]:
        ids = self._named.get(i)
        if ids is None:
            f = self.all_findings[i]
            ids = self._named[i] = frozenset(
                scope._ids_in([f.get("path") or [], f.get("detail") or {}], set()))
        return ids

    def metrics(self, scope: Scope) -> dict[str, Any]:
        """``scope.metrics(all metrics)``."""
        key = (scope.root, scope.is_city)
        out = self._rows.get(key)
        if out is None:
            if scope.is_city:
                out = scope.metrics(self.all_metrics)
            else:
                out = {}
                for name, value in self.all_metrics.items():
                    rows = self._metric_rows(scope, name, value)
                    if rows is not None:
                        ids, where = rows
                        out[name] = [value[i] for i in self._candidates(scope, where)
                                     if scope._named_in_scope(ids[i])]
            self._rows[key] = out
        return dict(out)

    def _metric_rows(self, scope: Scope, name: str, value: Any) -> Any:
        """The known ids of each row of a metric and the rows indexed by where they are;
        None for a metric that is not a list of rows (cached per metric)."""
        cached = self._metrics.get(name)
        if cached is None or cached[0] is not value:
            rows = None
            if isinstance(value, list) and all(isinstance(r, dict) for r in value):
                ids = self.index.row_ids(value, scope._ids_in)
                by_home: dict[str, list[int]] = defaultdict(list)
                by_node: dict[str, list[int]] = defaultdict(list)
                for i, named in enumerate(ids):
                    self._add(i, named, by_home, by_node)
                rows = (ids, (dict(by_home), dict(by_node)))
            cached = self._metrics[name] = (value, rows)
        return cached[1]
