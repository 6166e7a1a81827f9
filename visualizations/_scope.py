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
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphmodel.errors import OrgModelError
from graphmodel.model import OrgModel, Rel
from graphmodel.schema import LEVEL_ZH, Entity, Level

__all__ = ["CONTEXT", "FOREIGN", "IN", "OUTSIDE", "ModelIndex", "Scope", "ScopeError",
           "model_index", "natural_key", "resolve_scope", "safe_name"]

IN, CONTEXT, FOREIGN = "in", "context", "foreign"
OUTSIDE = "（范围外）"
CITY_SCOPES = frozenset({"", "city", "全市", "全县", "县市"})


class ScopeError(OrgModelError, ValueError):
    """A ``--scope`` that names no territory of the data."""


def natural_key(text: object) -> tuple:
    """Sort key that puts ``T-C2`` before ``T-C10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", str(text)) if p)


def safe_name(entity_id: str) -> str:
    """A file-name stem for an id (letters of any script, digits, ``-`` and ``_`` kept)."""
    stem = re.sub(r"[^\w\-]+", "_", str(entity_id), flags=re.UNICODE).strip("_")
    return stem or "page"


class ModelIndex:
    """Lookups of one model that every page of a run shares (built once per model): the
    territory tree, each id's territory (``home``), the tie ends, the ids in metric rows."""

    def __init__(self, model: OrgModel) -> None:
        self.model = model
        self.children, self.parent = _children(model)
        self._home: dict[str, str | None] = {}
        self._ties: list[tuple[str, str]] | None = None
        self._row_ids: dict[int, tuple[list[Any], list[frozenset[str]]]] = {}

    def home(self, entity_id: str) -> str | None:
        """The territory an id sits in (:meth:`OrgModel.territory_of`), cached."""
        try:
            return self._home[entity_id]
        except KeyError:
            model = self.model
            known = entity_id in model.entity_of or entity_id in model.G
            home = model.territory_of(entity_id) if known else None
            self._home[entity_id] = home
            return home

    def ties(self) -> list[tuple[str, str]]:
        """Both ends of every tie edge."""
        if self._ties is None:
            self._ties = [(u, v) for u, v, d in self.model.G.edges(data=True)
                          if d.get("rel") == Rel.TIE]
        return self._ties

    def row_ids(self, rows: list[Any], ids_in: Any) -> list[frozenset[str]]:
        """The known ids named in each metric row (cached per list of rows)."""
        cached = self._row_ids.get(id(rows))
        if cached is None or cached[0] is not rows:
            cached = (rows, [frozenset(ids_in(r, set())) for r in rows])
            self._row_ids[id(rows)] = cached
        return cached[1]


_INDEXES: dict[int, ModelIndex] = {}


def model_index(model: OrgModel) -> ModelIndex:
    """The shared :class:`ModelIndex` of ``model`` (dropped when the model is)."""
    index = _INDEXES.get(id(model))
    if index is None or index.model is not model:
        index = ModelIndex(model)
        _INDEXES[id(model)] = index
        weakref.finalize(model, _INDEXES.pop, id(model), None)
    return index


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

    def redact(self, finding: dict[str, Any]) -> dict[str, Any]:
        """A copy of a kept finding with foreign ids and names replaced by ``（范围外）``."""
        if self.is_city:
            return finding
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
        residence = members["residence_id"]
        inside = residence.isin(self.territories) | (
            residence.isna() & members["org_id"].isin(self.nodes))
        return members[inside]

    def counts(self) -> dict[str, int]:
        """Counts of what the scope holds, per input table with a meaning inside a scope."""
        G = self.model.G
        by_entity: dict[str, int] = defaultdict(int)
        for n in self.nodes:
            by_entity[G.nodes[n].get("entity", "")] += 1
        return {"territories": by_entity[Entity.TERRITORY], "organizations":
                by_entity[Entity.ORGANIZATION], "units": by_entity[Entity.UNIT],
                "platforms": by_entity[Entity.PLATFORM], "members": len(self.members())}


def _replace(value: Any, foreign: set[str]) -> Any:
    if isinstance(value, str):
        return OUTSIDE if value in foreign else value
    if isinstance(value, dict):
        return {k: _replace(v, foreign) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace(v, foreign) for v in value]
    return value


def _children(model: OrgModel) -> tuple[dict[str, list[str]], dict[str, str]]:
    children: dict[str, list[str]] = defaultdict(list)
    parent: dict[str, str] = {}
    for u, v, k in model.G.edges(keys=True):
        if k == Rel.PART_OF:
            children[v].append(u)
            parent[u] = v
    for kids in children.values():
        kids.sort(key=natural_key)
    return dict(children), parent


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
    subtree, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in subtree:
                subtree.add(child)
                stack.append(child)
    nodes = set(subtree)
    for n, data in G.nodes(data=True):
        if data.get("entity") != Entity.TERRITORY and index.home(n) in subtree:
            nodes.add(n)
    homed = frozenset(nodes)
    side = {Entity.UNIT, Entity.PLATFORM}
    for u, v in index.ties():
        for a, b in ((u, v), (v, u)):
            if a in homed and G.nodes[b].get("entity") in side:
                nodes.add(b)
    return Scope(model, root, frozenset(subtree), tuple(model.territory_ancestors(root)),
                 frozenset(nodes), children, False, index)
