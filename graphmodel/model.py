"""The in-memory model: validated tables plus a typed networkx graph of the structure.

``OrgModel.G`` is a ``networkx.MultiDiGraph`` holding the organizational structure — territories,
organizations, units and platforms as nodes (attribute ``entity`` names the kind of node) — and
the edges between them, keyed by relationship type (``PART_OF``, ``REPORTS_TO``, ``COVERS``,
``BELONGS_TO``, ``LOCATED_IN``, ``CONVENED_BY``, ``TIE``). Members, tasks, task steps and
resources stay in the frames: at city scale they are hundreds of thousands of rows, handled by
vectorized pandas, and drawing them as graph nodes would cost gigabytes for nothing.

Derived columns are added to the frames by :func:`graphmodel.build.build_model`:
``territories.level``, ``organizations.category/level/chain_status/chain_path/reaches_city``,
``units.formal_members``, ``links.rid``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graphmodel.errors import Issue
from graphmodel.schema import Entity, Level

__all__ = ["ENTITIES", "IdLookup", "OrgModel", "Rel"]

# Entity kinds in a fixed order: IdLookup codes index this tuple (-1: no entity).
ENTITIES: tuple[Entity, ...] = tuple(Entity)
# Looked up with ``entity_of.get(v)``, which is None for an unknown id (then -1).
_CODE: dict[Entity | None, int] = {entity: i for i, entity in enumerate(ENTITIES)}


class IdLookup:
    """The entity of every value of whole columns at once (codes into ``ENTITIES``, -1 for a
    missing value or an unknown id): one Arrow hash join per call instead of a Python dict
    lookup per value. Equivalent to ``entity_of.get(value)`` for every value."""

    def __init__(self, entity_of: dict[str, Entity], ids=None, codes=None) -> None:
        """``ids``, if given, is an Arrow array of the keys of ``entity_of`` in its order (and
        ``codes``, if given, their entity codes)."""
        import pyarrow as pa

        self.entity_of = entity_of
        self.size = len(entity_of)
        if codes is None or ids is None:
            codes = np.fromiter((_CODE[e] for e in entity_of.values()), dtype=np.int8,
                                count=len(entity_of))
        self.codes = codes
        if ids is None:
            ids = _arrow_strings(pd.Series(list(entity_of), dtype=object))
        elif len(ids) != len(entity_of):
            raise ValueError("ids and entity_of differ")
        self.ids = ids
        self._known: dict[int, tuple[object, np.ndarray]] = {}
        if self.ids is not None:
            self.ids = pa.chunked_array([self.ids]) if isinstance(self.ids, pa.Array) else self.ids
            self.ids = self.ids.cast(pa.large_string()).combine_chunks()

    def remember(self, column: pd.Series, codes: np.ndarray) -> None:
        """Record the codes of a column's values, known otherwise (e.g. a table's own ids)."""
        source = _arrow_source(column)
        if source is not None:
            self._known[id(source)] = (source, codes)

    def codes_of(self, columns: list[pd.Series], keep: bool = False) -> list[np.ndarray]:
        """Entity codes of each column's values (one lookup for all the columns). With
        ``keep``, the codes of Arrow columns are kept with the immutable Arrow data they
        belong to, so later calls on the same data (the model's storage frames share the
        builder's columns) do not ask again."""
        import pyarrow as pa
        import pyarrow.compute as pc

        known: list[np.ndarray | None] = []
        for column in columns:
            source = _arrow_source(column)
            hit = self._known.get(id(source)) if source is not None else None
            known.append(hit[1] if hit is not None and hit[0] is source else None)
        ask = [c for c, k in zip(columns, known, strict=True) if k is None]
        # Hashing every id costs about as much as looking up as many values one by one:
        # only worth it for many values.
        many = sum(len(c) for c in ask) * 4 > len(self.entity_of)
        arrays = [_arrow_strings(c) if self.ids is not None and many else None for c in ask]
        out: list[np.ndarray] = []
        text = [a for a in arrays if a is not None]
        if text:
            joined = pa.chunked_array([chunk for a in text for chunk in a.chunks],
                                      type=pa.large_string())
            pos = pc.fill_null(pc.index_in(joined, value_set=self.ids), -1)
            # Position -1 (not found) picks the -1 appended after the codes.
            codes = np.append(self.codes, np.int8(-1))[pos.to_numpy()]
        start = 0
        for column, array in zip(ask, arrays, strict=True):
            if array is None:  # few values, or not all text: dict lookups
                out.append(np.fromiter(
                    (_CODE.get(self.entity_of.get(v), -1) if _hashable(v) else -1
                     for v in column.tolist()), dtype=np.int8, count=len(column)))
            else:
                out.append(codes[start:start + len(array)])
                start += len(array)
                if keep:
                    self.remember(column, out[-1])
        asked = iter(out)
        return [k if k is not None else next(asked) for k in known]


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _arrow_source(series: pd.Series):
    """The Arrow data behind an Arrow string column (the same object while the column is
    unchanged), or None."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return series.array.__arrow_array__()
    return None


def _arrow_strings(series: pd.Series):
    """The column as an Arrow large_string ChunkedArray (nulls for missing), or None when it
    holds anything but text."""
    import pyarrow as pa

    array = series.array
    if hasattr(array, "__arrow_array__") and isinstance(series.dtype, pd.StringDtype):
        data = pa.array(array)
    elif series.dtype == object:
        try:
            data = pa.array(series.to_numpy(dtype=object), type=pa.large_string(),
                            from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
    else:
        return None
    if isinstance(data, pa.Array):
        data = pa.chunked_array([data])
    return data.cast(pa.large_string())


class Rel:
    """Relationship types, as edge keys in ``G`` and relationship labels in graph databases."""

    PART_OF = "PART_OF"  # territory -> containing territory
    REPORTS_TO = "REPORTS_TO"  # organization -> superior (or leading) organization
    COVERS = "COVERS"  # organization -> territory it covers
    BELONGS_TO = "BELONGS_TO"  # unit_org -> its unit
    LOCATED_IN = "LOCATED_IN"  # unit or platform -> territory
    CONVENED_BY = "CONVENED_BY"  # platform -> convener
    TIE = "TIE"  # a row of the links table (attribute ``type``)
    MEMBER_OF = "MEMBER_OF"  # member -> organization
    LIVES_IN = "LIVES_IN"  # member -> territory
    WORKS_AT = "WORKS_AT"  # member -> unit (or organization)
    REGISTERED_WITH = "REGISTERED_WITH"  # member -> community (双报到)
    SENT_TO = "SENT_TO"  # sent-down cadre -> community, platform or organization
    ASSIGNED_TO = "ASSIGNED_TO"  # task -> responsible party
    STEP = "STEP"  # one task step: from -> to (handle: handler -> task)
    HANDLED_BY = "HANDLED_BY"  # task -> final handler (derived)
    PROVIDED_BY = "PROVIDED_BY"  # resource -> provider
    RECEIVED_BY = "RECEIVED_BY"  # resource -> recipient


@dataclass
class OrgModel:
    """Validated tables, the structure graph and the warnings raised while building it.

    Attributes
    ----------
    frames
        One typed DataFrame per table of the contract (empty frames for absent tables), indexed
        by the spreadsheet row number.
    G
        The structure graph (see the module docstring).
    warnings
        Problems that still allowed modelling (dangling references, cycles ...).
    origins
        Table name -> file or sheet it came from, for messages.
    entity_of
        Id -> entity kind, for every id of the dataset.
    """

    frames: dict[str, pd.DataFrame]
    G: nx.MultiDiGraph
    warnings: list[Issue] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    entity_of: dict[str, Entity] = field(default_factory=dict)

    # -- lookups ---------------------------------------------------------------------------
    def id_lookup(self) -> IdLookup:
        """Vectorized ``entity_of`` lookups for whole columns, built once per model."""
        cached = self.__dict__.get("_id_lookup")
        if cached is None or cached.entity_of is not self.entity_of \
                or cached.size != len(self.entity_of):
            cached = IdLookup(self.entity_of)
            self.__dict__["_id_lookup"] = cached
        return cached

    def node(self, node_id: str) -> dict:
        """Attributes of a structure node (empty dict if unknown)."""
        return self.G.nodes[node_id] if node_id in self.G else {}

    def name(self, node_id: str) -> str:
        """Display name of a structure node, or its id."""
        return self.node(node_id).get("name") or node_id

    def nodes_of(self, entity: Entity, kind: str | None = None) -> Iterator[str]:
        """Ids of structure nodes of an entity kind (and optionally a ``kind`` value)."""
        for n, data in self.G.nodes(data=True):
            if data.get("entity") == entity and (kind is None or data.get("kind") == kind):
                yield n

    def _out(self, node_id: str, rel: str) -> list[str]:
        if node_id not in self.G:
            return []
        return [v for _, v, k in self.G.out_edges(node_id, keys=True) if k == rel]

    def _in(self, node_id: str, rel: str) -> list[str]:
        if node_id not in self.G:
            return []
        return [u for u, _, k in self.G.in_edges(node_id, keys=True) if k == rel]

    # -- the chain -------------------------------------------------------------------------
    def _first_out(self, rel: str) -> dict[str, str]:
        """{node: the first target of its ``rel`` edge}, built once per graph (rebuilt when
        nodes are added), so walks up a chain of any length cost one dict lookup per step."""
        key = (id(self.G), len(self.G))
        cache = self.__dict__.setdefault("_first_out_cache", {})
        hit = cache.get(rel)
        if hit is None or hit[0] != key:
            targets: dict[str, str] = {}
            for u, v, k in self.G.edges(keys=True):
                if k == rel and u not in targets:
                    targets[u] = v
            hit = cache[rel] = (key, targets)
        return hit[1]

    def superior(self, org_id: str) -> str | None:
        """The organization ``org_id`` reports to, if that id resolves."""
        return self._first_out(Rel.REPORTS_TO).get(org_id)

    def superiors(self, org_id: str) -> list[str]:
        """Superiors of an organization, nearest first, stopping before any repeat (cycle)."""
        return _walk(self._first_out(Rel.REPORTS_TO), org_id)

    def parent_territory(self, territory_id: str) -> str | None:
        """The territory that contains ``territory_id``."""
        return self._first_out(Rel.PART_OF).get(territory_id)

    def territory_ancestors(self, territory_id: str) -> list[str]:
        """Containing territories, nearest first, stopping before any repeat."""
        return _walk(self._first_out(Rel.PART_OF), territory_id)

    def ancestors_at_levels(self, territory_id: str, levels: frozenset[int]) -> list[str]:
        """``territory_ancestors`` restricted to territories of ``levels``, memoised: over all
        territories of a chain of any depth this costs time linear in the territories."""
        parent = self._first_out(Rel.PART_OF)
        key = (levels, id(parent))
        memo = self.__dict__.setdefault("_levels_memo", {}).setdefault(key, {})
        if territory_id in memo:
            return memo[territory_id]
        path: list[str] = []
        on_path: set[str] = {territory_id}
        current = territory_id
        while True:
            path.append(current)
            up = parent.get(current)
            if up is None or up in memo:
                base = [] if up is None else memo[up]
                break
            if up in on_path:  # a cycle: such walks are short and rare; no memo for them
                return [t for t in self.territory_ancestors(territory_id)
                        if self.node(t).get("level") in levels]
            on_path.add(up)
            current = up
        # Fill the memo from the top of the walk down.
        for node in reversed(path):
            up = parent.get(node)
            above = ([up] if up is not None and self.node(up).get("level") in levels else [])
            base = memo[node] = above + base if above else base
        return memo[territory_id]

    def ancestor_at(self, territory_id: str, level: Level) -> str | None:
        """The territory at ``level`` containing ``territory_id`` (itself if at that level)."""
        if self.node(territory_id).get("level") == level:
            return territory_id
        above = self.ancestors_at_levels(territory_id, frozenset({int(level)}))
        return above[0] if above else None

    def covering_orgs(self, territory_id: str) -> list[str]:
        """Organizations that cover ``territory_id``."""
        return sorted(self._in(territory_id, Rel.COVERS))

    def covered_territory(self, org_id: str) -> str | None:
        """The territory an organization covers, if that id resolves."""
        return self._first_out(Rel.COVERS).get(org_id)

    def territory_of(self, entity_id: str) -> str | None:
        """The territory an entity sits in: itself for a territory, the covered territory of
        an organization (else its superior's), the territory of a unit or platform, the
        residence (else the organization's territory) of a member, the assignee's of a task."""
        if entity_id in self.G:
            data = self.G.nodes[entity_id]
            entity = data.get("entity")
            if entity == Entity.TERRITORY:
                return entity_id
            if entity == Entity.ORGANIZATION:  # its own territory, else the nearest superior's
                covers = self._first_out(Rel.COVERS)
                superior = self._first_out(Rel.REPORTS_TO)
                org: str | None = entity_id
                seen: set[str] = set()
                while org is not None and org not in seen:
                    if org in covers:
                        return covers[org]
                    seen.add(org)
                    org = superior.get(org)
                unit = self._out(entity_id, Rel.BELONGS_TO)
                return self.territory_of(unit[0]) if unit else None
            out = self._out(entity_id, Rel.LOCATED_IN)
            return out[0] if out else None
        lookup = self._row_lookup()
        ref = lookup.get(entity_id)
        return self.territory_of(ref) if ref and ref != entity_id else None

    def _row_lookup(self) -> dict[str, str]:
        """Member -> residence (or organization), task -> assignee; built once."""
        cache = self.__dict__.get("_row_lookup_cache")
        if cache is None:
            cache = {}
            members = self.frames["members"]
            ref = members["residence_id"].where(members["residence_id"].notna(),
                                                members["org_id"])
            cache.update({m: r for m, r in zip(members["id"], ref, strict=True)
                          if isinstance(r, str)})
            tasks = self.frames["tasks"]
            cache.update({t: a for t, a in zip(tasks["id"], tasks["assigned_to_id"], strict=True)
                          if isinstance(a, str)})
            self.__dict__["_row_lookup_cache"] = cache
        return cache

    def street_of(self, entity_id: str) -> str | None:
        """The street or township territory containing an entity (see ``territory_of``)."""
        territory = self.territory_of(entity_id)
        return self.ancestor_at(territory, Level.STREET) if territory else None

    def frame(self, table: str) -> pd.DataFrame:
        """The typed frame of a table (empty if the table was not given)."""
        return self.frames[table]

    def counts(self) -> dict[str, int]:
        """Row count per input table."""
        return {name: len(frame) for name, frame in self.frames.items()}


def _walk(parent: dict[str, str], start: str) -> list[str]:
    """The chain above ``start`` in a {node: parent} map, nearest first, stopping before any
    repeat (cycle)."""
    chain: list[str] = []
    seen = {start}
    current = parent.get(start)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent.get(current)
    return chain
