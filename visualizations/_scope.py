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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.errors import OrgModelError
from graphmodel.model import OrgModel, Rel
from graphmodel.schema import LEVEL_ZH, Entity, Level

__all__ = ["CONTEXT", "FOREIGN", "IN", "OUTSIDE", "FindingsIndex", "ModelIndex", "Scope",
           "ScopeError", "model_index", "natural_key", "resolve_scope", "safe_name"]

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
    """Lookups of one model that every page of a run shares (built once per model, each on
    first use): the territory tree and subtrees, each id's territory (``home``), the nodes
    sitting in each territory, the tie edges and their ends, the members living in (or
    organized in) each territory, the steps of each task, the ids in metric rows.

    A run writes hundreds of pages; each page reads its slice of these instead of scanning
    the whole model again."""

    def __init__(self, model: OrgModel) -> None:
        self.model = model
        self.children, self.parent = _children(model)
        self._home: dict[str, str | None] = {}
        self._ties: list[tuple[str, str]] | None = None
        self._row_ids: dict[int, tuple[list[Any], list[frozenset[str]]]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._subtrees: dict[str, frozenset[str]] = {}
        self._homed: dict[str, list[str]] | None = None
        self._tie_sides: dict[str, list[str]] | None = None
        self._tie_edges: tuple[list[tuple[str, str, Any, dict]], dict[str, list[int]]] | None \
            = None
        self._member_groups: tuple[dict[Any, Any], dict[Any, Any]] | None = None
        self._member_pos: dict[Any, Any] | None = None
        self._member_cols: tuple[list[Any], list[Any]] | None = None
        self._steps: dict[str, list[tuple[str, str, str]]] | None = None
        self._task_titles: dict[str, str] | None = None
        self._out: dict[str, list[tuple[str, Any]]] | None = None
        self._first: dict[tuple[str, Any], str] = {}
        self._sort_keys: dict[str, int] = {}

    def home(self, entity_id: str) -> str | None:
        """The territory an id sits in (:meth:`OrgModel.territory_of`), cached."""
        try:
            return self._home[entity_id]
        except KeyError:
            model = self.model
            if entity_id in model.G:
                entity = model.G.nodes[entity_id].get("entity")
                # a territory is its own home, an organization covering one has it as home
                # (the first answers of territory_of, without walking up the chain)
                home = (entity_id if entity == Entity.TERRITORY else
                        (entity == Entity.ORGANIZATION and self.first_out(entity_id, Rel.COVERS))
                        or model.territory_of(entity_id))
            elif entity_id in model.entity_of:
                home = model.territory_of(entity_id)
            else:
                home = None
            self._home[entity_id] = home
            return home

    def sort_key(self, entity_id: str) -> Any:
        """A sort key of a structure node that orders like :func:`natural_key` (its rank
        in the natural order of all nodes; computed once)."""
        if not self._sort_keys:
            ranked = sorted(self.model.G.nodes, key=natural_key)
            self._sort_keys = {n: i for i, n in enumerate(ranked)}
        return self._sort_keys[entity_id]

    def out(self, node_id: str) -> list[tuple[str, Any]]:
        """``(target, key)`` of the edges leaving a node, in the graph's order (built once
        for all nodes: a networkx edge view per call is what made pages slow)."""
        if self._out is None:
            out: dict[str, list[tuple[str, Any]]] = defaultdict(list)
            first: dict[tuple[str, Any], str] = {}
            for u, v, k in self.model.G.edges(keys=True):
                out[u].append((v, k))
                first.setdefault((u, k), v)
            self._out, self._first = dict(out), first
        return self._out.get(node_id, [])

    def out_of(self, node_id: str, rel: str) -> list[str]:
        """:meth:`OrgModel._out`: targets of a node's edges of one relationship."""
        return [v for v, k in self.out(node_id) if k == rel]

    def first_out(self, node_id: str, rel: str) -> str | None:
        """The first target of a node's edges of one relationship (``superior``,
        ``covered_territory``, ``parent_territory`` ... of :class:`OrgModel`)."""
        if self._out is None:
            self.out(node_id)
        return self._first.get((node_id, rel))

    def ancestors(self, territory_id: str) -> tuple[str, ...]:
        """:meth:`OrgModel.territory_ancestors`, cached."""
        try:
            return self._ancestors[territory_id]
        except KeyError:
            chain = tuple(self.model.territory_ancestors(territory_id))
            self._ancestors[territory_id] = chain
            return chain

    def subtree(self, root: str) -> frozenset[str]:
        """``root`` and every territory below it (following ``PART_OF`` down), cached."""
        cached = self._subtrees.get(root)
        if cached is None:
            children = self.children
            subtree, stack = {root}, [root]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in subtree:
                        subtree.add(child)
                        stack.append(child)
            cached = self._subtrees[root] = frozenset(subtree)
        return cached

    def homed(self) -> dict[str, list[str]]:
        """Territory -> the structure nodes other than territories whose home it is."""
        if self._homed is None:
            homed: dict[str, list[str]] = defaultdict(list)
            for n, data in self.model.G.nodes(data=True):
                if data.get("entity") != Entity.TERRITORY:
                    home = self.home(n)
                    if home is not None:
                        homed[home].append(n)
            self._homed = dict(homed)
        return self._homed

    def ties(self) -> list[tuple[str, str]]:
        """Both ends of every tie edge."""
        if self._ties is None:
            self._ties = [(u, v) for u, v, d in self.model.G.edges(data=True)
                          if d.get("rel") == Rel.TIE]
        return self._ties

    def tie_sides(self) -> dict[str, list[str]]:
        """Node -> the units and platforms it has a tie with (either direction)."""
        if self._tie_sides is None:
            nodes = self.model.G.nodes
            side = {Entity.UNIT, Entity.PLATFORM}
            out: dict[str, list[str]] = defaultdict(list)
            for u, v in self.ties():
                for a, b in ((u, v), (v, u)):
                    if nodes[b].get("entity") in side:
                        out[a].append(b)
            self._tie_sides = dict(out)
        return self._tie_sides

    def tie_edges(self) -> tuple[list[tuple[str, str, Any, dict]], dict[str, list[int]]]:
        """Every tie edge ``(u, v, key, data)`` in drawing order (natural order of ``u``,
        ``v``, ``key``; graph order among equals), and node -> positions of its ties."""
        if self._tie_edges is None:
            edges = [(u, v, key, data) for u, v, key, data
                     in self.model.G.edges(keys=True, data=True) if data.get("rel") == Rel.TIE]
            edges.sort(key=lambda e: (natural_key(e[0]), natural_key(e[1]), natural_key(e[2])))
            by_node: dict[str, list[int]] = defaultdict(list)
            for i, (u, v, _, _) in enumerate(edges):
                by_node[u].append(i)
                if v != u:
                    by_node[v].append(i)
            self._tie_edges = (edges, dict(by_node))
        return self._tie_edges

    def tie_neighbours(self, node_id: str) -> list[str]:
        """The other end of each tie of a node (in drawing order of the ties)."""
        edges, by_node = self.tie_edges()
        return [edges[i][1] if edges[i][0] == node_id else edges[i][0]
                for i in by_node.get(node_id, ())]

    def ties_within(self, nodes: Any) -> list[tuple[str, str, Any, dict]]:
        """The tie edges with both ends in ``nodes``, in drawing order."""
        edges, by_node = self.tie_edges()
        found: set[int] = set()
        for n in nodes:
            found.update(by_node.get(n, ()))
        return [edges[i] for i in sorted(found)
                if edges[i][0] in nodes and edges[i][1] in nodes]

    # -- members ---------------------------------------------------------------------------
    def _groups(self) -> tuple[dict[Any, np.ndarray], dict[Any, np.ndarray]]:
        """Row positions of the members frame by residence, and of the members without a
        residence by organization (ascending within each group)."""
        if self._member_groups is None:
            members = self.model.frame("members")
            by_home: dict[Any, list[int]] = defaultdict(list)
            by_org: dict[Any, list[int]] = defaultdict(list)
            if not members.empty:
                for i, (home, org, no_home, no_org) in enumerate(zip(
                        members["residence_id"].tolist(), members["org_id"].tolist(),
                        members["residence_id"].isna().tolist(),
                        members["org_id"].isna().tolist(), strict=True)):
                    if not no_home:
                        by_home[home].append(i)
                    elif not no_org:
                        by_org[org].append(i)
            self._member_groups = (
                {k: np.asarray(v, dtype=np.intp) for k, v in by_home.items()},
                {k: np.asarray(v, dtype=np.intp) for k, v in by_org.items()})
        return self._member_groups

    def member_positions(self, territories: frozenset[str], nodes: frozenset[str],
                         ) -> np.ndarray:
        """Row positions (ascending) of the members living in one of ``territories``, or
        living nowhere given and organized in one of ``nodes``."""
        by_home, by_org = self._groups()
        parts = [by_home[t] for t in territories if t in by_home]
        if len(nodes) < len(by_org):
            parts += [by_org[n] for n in nodes if n in by_org]
        else:
            parts += [v for o, v in by_org.items() if o in nodes]
        if not parts:
            return np.zeros(0, dtype=np.intp)
        return np.sort(np.concatenate(parts), kind="stable")

    def member_tallies(self, positions: np.ndarray | None) -> tuple[Counter, Counter]:
        """Members per organization and per residence (``Counter`` of the non-missing
        ``org_id`` and ``residence_id``) among the member rows at ``positions`` (None: all)."""
        if self._member_cols is None:
            members = self.model.frame("members")
            self._member_cols = tuple(
                [None if na else v for v, na in zip(members[c].tolist(),
                                                    members[c].isna().tolist(), strict=True)]
                for c in ("org_id", "residence_id"))
        orgs, homes = self._member_cols
        if positions is None:
            return (Counter(o for o in orgs if o is not None),
                    Counter(h for h in homes if h is not None))
        rows = positions.tolist()
        return (Counter(orgs[i] for i in rows if orgs[i] is not None),
                Counter(homes[i] for i in rows if homes[i] is not None))

    def _member_index(self) -> dict[Any, Any]:
        """Member id -> its row positions (a tuple, or one int when the id is unique)."""
        if self._member_pos is None:
            ids = self.model.frame("members")["id"].tolist()
            pos: dict[Any, Any] = {m: i for i, m in enumerate(ids)}
            if len(pos) != len(ids):  # repeated ids (the loader warns): keep every row
                many: dict[Any, list[int]] = defaultdict(list)
                for i, m in enumerate(ids):
                    many[m].append(i)
                pos = {m: p[0] if len(p) == 1 else tuple(p) for m, p in many.items()}
            self._member_pos = pos
        return self._member_pos

    def member_rows(self, ids: Any, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """``(id, *columns)`` of the member rows whose id is one of ``ids``, in frame
        order."""
        members = self.model.frame("members")
        if members.empty:
            return []
        index = self._member_index()
        found: list[int] = []
        for i in set(ids):
            p = index.get(i)
            if isinstance(p, tuple):
                found.extend(p)
            elif p is not None:
                found.append(p)
        found.sort()
        if not found:
            return []
        cols = [members["id"].to_numpy()[found]] + [members[c].to_numpy()[found]
                                                     for c in columns]
        return list(zip(*cols, strict=True))

    # -- tasks -----------------------------------------------------------------------------
    def steps_by_task(self) -> dict[str, list[tuple[str, str, str]]]:
        """Task -> its steps ``(from, to, action)`` in order (``step``, then ``at``, then file
        order)."""
        if self._steps is None:
            steps = self.model.frame("task_steps")
            out: dict[str, list[tuple[str, str, str]]] = {}
            if not steps.empty:
                part = steps[[isinstance(t, str) for t in steps["task_id"]]].copy()
                part["_row"] = range(len(part))
                part = part.sort_values(["task_id", "step", "at", "_row"], na_position="last",
                                        kind="mergesort")
                no_dst = part["to_id"].isna().tolist()
                for task, src, dst, none, action in zip(
                        part["task_id"].tolist(), part["from_id"].tolist(),
                        part["to_id"].tolist(), no_dst, part["action"].tolist(), strict=True):
                    out.setdefault(str(task), []).append(
                        (str(src), "" if none else str(dst), str(action)))
            self._steps = out
        return self._steps

    def task_titles(self) -> dict[str, str]:
        """Task id -> title (of the last row of that id with a title)."""
        if self._task_titles is None:
            tasks = self.model.frame("tasks")
            self._task_titles = ({} if tasks.empty else
                                 {i: t for i, t in zip(tasks["id"], tasks["title"], strict=True)
                                  if isinstance(i, str) and isinstance(t, str)})
        return self._task_titles

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
