"""The model's index: lookups built once per model and shared by the checks and the pages.

``model_index(model)`` is cached on the model. It holds the territory tree (children, parent,
subtrees), the chain lookups of every territory at once (ancestors, the street and the
community containing it: vectorised over the whole territory table, computed once), each id's
territory (``home``), the edges leaving each node, the tie edges and their ends, the members
living in (or organized in) each territory, and the steps of each task in the one order of
:func:`graphmodel.steps.order_steps`.

A run asks these questions hundreds of thousands of times (a diagnosis places every finding,
a report writes hundreds of pages); each answer is a dictionary or array lookup instead of a
walk on the networkx graph.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.model import OrgModel, Rel
from graphmodel.schema import Entity, Level
from graphmodel.steps import order_steps

__all__ = ["ModelIndex", "model_index", "natural_key"]


def natural_key(text: object) -> tuple:
    """Sort key that puts ``T-C2`` before ``T-C10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", str(text)) if p)


class ModelIndex:
    """Lookups of one model that the checks and every page of a run share (built once per
    model, each on first use; see the module docstring). Get it with :func:`model_index`.

    Attributes
    ----------
    model
        The model indexed.
    children
        Territory -> the territories directly inside it (natural order).
    parent
        Territory -> the territory that contains it."""

    def __init__(self, model: OrgModel) -> None:
        self.model = model
        self.children, self.parent = _children(model)
        self._home: dict[str, str | None] = {}
        self._ties: list[tuple[str, str]] | None = None
        self._row_ids: dict[int, tuple[list[Any], list[frozenset[str]]]] = {}
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
        self._positions: dict[str, int] | None = None
        self._territory_ids: list[str] = []
        self._parent_pos = np.zeros(0, dtype=np.int64)
        self._levels = np.zeros(0, dtype=np.int64)
        self._at_level: dict[int, np.ndarray] = {}
        self._all_ancestors: dict[str, tuple[str, ...]] | None = None
        self._member_refs: dict[str, tuple[str | None, str | None]] | None = None
        self._assignees: dict[str, str | None] | None = None

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

    # -- the territory chain (computed once for every territory) ---------------------------
    def _chain(self) -> dict[str, int]:
        """Territory id -> position in the arrays of parents and levels (built once)."""
        if self._positions is None:
            ids = [n for n, d in self.model.G.nodes(data=True)
                   if d.get("entity") == Entity.TERRITORY]
            positions = {t: i for i, t in enumerate(ids)}
            parent = self.parent
            self._parent_pos = np.fromiter(
                (positions.get(parent.get(t), -1) for t in ids), dtype=np.int64, count=len(ids))
            nodes = self.model.G.nodes
            self._levels = np.fromiter(
                (int(lv) if (lv := nodes[t].get("level")) is not None and not pd.isna(lv) else 0
                 for t in ids), dtype=np.int64, count=len(ids))
            self._territory_ids, self._positions = ids, positions
        return self._positions

    def _at_level_positions(self, level: int) -> np.ndarray:
        """For every territory position, the position of the territory at ``level`` that is
        it or contains it (-1: none). Vectorised: one array step per level of depth."""
        found = self._at_level.get(level)
        if found is None:
            self._chain()
            parent, levels = self._parent_pos, self._levels
            n = len(parent)
            found = np.full(n, -1, dtype=np.int64)
            cur = np.arange(n, dtype=np.int64)
            active = np.arange(n, dtype=np.int64)
            for _ in range(_MAX_VECTOR_DEPTH):
                if not len(active):
                    break
                here = cur[active]
                hit = levels[here] == level
                found[active[hit]] = here[hit]
                active, here = active[~hit], here[~hit]
                up = parent[here]
                keep = up >= 0
                active = active[keep]
                cur[active] = up[keep]
            for i in active.tolist():  # deeper than any real chain: a cycle; walk it
                found[i] = self._walk_to_level(i, level)
            self._at_level[level] = found
        return found

    def _walk_to_level(self, position: int, level: int) -> int:
        seen = set()
        while position >= 0 and position not in seen:
            if self._levels[position] == level:
                return position
            seen.add(position)
            position = int(self._parent_pos[position])
        return -1

    def territory_at(self, level: Level | int) -> dict[str, str]:
        """Territory -> the territory at ``level`` that is it or contains it, for every
        territory that has one (:meth:`OrgModel.ancestor_at` of all territories at once)."""
        self._chain()
        found = self._at_level_positions(int(level))
        ids = self._territory_ids
        return {ids[i]: ids[j] for i, j in enumerate(found.tolist()) if j >= 0}

    def ancestor_at(self, territory_id: str | None, level: Level | int) -> str | None:
        """The territory at ``level`` that is ``territory_id`` or contains it
        (:meth:`OrgModel.ancestor_at`); None for an id that is no territory."""
        position = self._chain().get(territory_id) if territory_id is not None else None
        if position is None:
            return None
        j = int(self._at_level_positions(int(level))[position])
        return self._territory_ids[j] if j >= 0 else None

    def street_of_territory(self, territory_id: str | None) -> str | None:
        """The street or township that is or contains a territory."""
        return self.ancestor_at(territory_id, Level.STREET)

    def community_of_territory(self, territory_id: str | None) -> str | None:
        """The community or village that is or contains a territory (DOMAIN.md rule 1)."""
        return self.ancestor_at(territory_id, Level.COMMUNITY)

    def street_of(self, entity_id: str) -> str | None:
        """The street or township containing an entity's ``home``."""
        return self.street_of_territory(self.home(entity_id))

    def community_of(self, entity_id: str) -> str | None:
        """The community or village containing an entity's ``home``."""
        return self.community_of_territory(self.home(entity_id))

    def ancestors(self, territory_id: str) -> tuple[str, ...]:
        """:meth:`OrgModel.territory_ancestors` (containing territories, nearest first,
        stopping before any repeat); those of every territory are computed at once."""
        if self._all_ancestors is None:
            self._all_ancestors = self._every_ancestors()
        found = self._all_ancestors.get(territory_id)
        return found if found is not None else tuple(self._walk(territory_id))

    def _every_ancestors(self) -> dict[str, tuple[str, ...]]:
        parent = self.parent
        memo: dict[str, tuple[str, ...]] = {}
        for start in self._chain():
            path: list[str] = []
            seen: set[str] = set()
            current: str | None = start
            while current is not None and current not in memo and current not in seen:
                path.append(current)
                seen.add(current)
                current = parent.get(current)
            if current is not None and current in seen:  # a cycle: walk each one by hand
                for node in path:
                    memo[node] = tuple(self._walk(node))
                continue
            tail = () if current is None else (current, *memo[current])
            for node in reversed(path):
                memo[node] = tail
                tail = (node, *tail)
        return memo

    def _walk(self, territory_id: str) -> list[str]:
        chain, seen = [], {territory_id}
        current = self.parent.get(territory_id)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.parent.get(current)
        return chain

    def counts_up(self, per_territory: Iterable[tuple[str, int]]) -> Counter:
        """Sum numbers given per territory into each territory and all that contain it."""
        out: Counter = Counter()
        for territory, n in per_territory:
            if territory in self._chain():
                out[territory] += n
                for ancestor in self.ancestors(territory):
                    out[ancestor] += n
        return out

    # -- rows of the members and tasks tables ----------------------------------------------
    def member_refs(self) -> dict[str, tuple[str | None, str | None]]:
        """Member id -> (its ``org_id``, its ``residence_id``), None for missing (the last
        row of a repeated id)."""
        if self._member_refs is None:
            members = self.model.frame("members")
            self._member_refs = {} if members.empty else dict(zip(
                members["id"].tolist(),
                zip(_plain(members["org_id"]), _plain(members["residence_id"]), strict=True),
                strict=True))
        return self._member_refs

    def task_assignees(self) -> dict[str, str | None]:
        """Task id -> its ``assigned_to_id`` (None for missing)."""
        if self._assignees is None:
            tasks = self.model.frame("tasks")
            self._assignees = {} if tasks.empty else dict(zip(
                tasks["id"].tolist(), _plain(tasks["assigned_to_id"]), strict=True))
        return self._assignees

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
            orgs, homes = (
                [None if na else v for v, na in zip(members[c].tolist(),
                                                    members[c].isna().tolist(), strict=True)]
                for c in ("org_id", "residence_id"))
            self._member_cols = (orgs, homes)
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
        """Task -> its steps ``(from, to, action)`` in the order of
        :func:`graphmodel.steps.order_steps` (``to`` is ``""`` when empty)."""
        if self._steps is None:
            steps = self.model.frame("task_steps")
            out: dict[str, list[tuple[str, str, str]]] = {}
            if not steps.empty:
                part = order_steps(steps[[isinstance(t, str) for t in steps["task_id"]]])
                for task, src, dst, action in zip(
                        part["task_id"].tolist(), part["from_id"].tolist(),
                        part["to_id"].tolist(), part["action"].tolist(), strict=True):
                    out.setdefault(str(task), []).append(
                        (str(src), "" if dst is None or pd.isna(dst) else str(dst),
                         str(action)))
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


# Chains deeper than this are walked one by one (only a cycle of parents makes one: the
# five-level chain is five deep, business areas and badly nested data a few more).
_MAX_VECTOR_DEPTH = 64


def model_index(model: OrgModel) -> ModelIndex:
    """The shared :class:`ModelIndex` of ``model``, cached on the model (built again if the
    structure graph was replaced or gained nodes, or the id table changed size since).

    The key is O(1): counting a multigraph's edges walks every node, and this is called once
    per finding."""
    key = (id(model.G), model.G.number_of_nodes(), len(model.entity_of))
    cached = model.__dict__.get("_model_index")
    if cached is None or cached[0] != key:
        cached = (key, ModelIndex(model))
        model.__dict__["_model_index"] = cached
    return cached[1]


def _plain(series: pd.Series) -> list:
    return series.astype(object).where(series.notna(), None).tolist()
