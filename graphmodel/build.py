"""Build an :class:`~graphmodel.model.OrgModel` from validated frames.

References that do not resolve and cycles of parents are warnings: the edge is left out, the
raw id stays in its column, and the diagnosis reports what it breaks (DOMAIN.md).
"""

from __future__ import annotations

import gc
import logging
import math
from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphmodel.errors import Issue
from graphmodel.model import ENTITIES, IdLookup, OrgModel, Rel, _arrow_strings
from graphmodel.schema import TABLES, Entity, MemberStatus, OrgKind, TerritoryKind

__all__ = ["MAX_CHAIN_PATH", "ChainStatus", "build_model", "empty_frame"]

log = logging.getLogger(__name__)

# Per (table, column), how many unresolved references are listed one by one before a summary.
_MAX_LISTED = 20
MAX_CHAIN_PATH = 64
"""At most this many ids in an organization's ``chain_path`` (a real chain has five levels and
a unit organization's a few more): a parent chain thousands of levels deep then costs linear
time and memory, not one full path per organization."""


class ChainStatus:
    """How the walk up an organization's superiors ends (``organizations.chain_status``)."""

    OK = "ok"  # reaches a city committee
    NO_PARENT = "no_parent"  # stops at an organization that has no superior
    DANGLING = "dangling"  # stops at a parent id that does not resolve to an organization
    CYCLE = "cycle"  # walks into a cycle of superiors


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the columns of ``table``."""
    cols = [c.name for c in TABLES[table].columns]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols},
                        index=pd.Index([], name="row", dtype="int64"))


def _present(value: object) -> bool:
    """False for None, NaN and pandas' NA."""
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA


def _records(frame: pd.DataFrame, cols: Iterable[str]) -> Iterable[tuple]:
    return zip(frame.index, *(frame[c].tolist() for c in cols), strict=True)


def _attr_values(series: pd.Series, missing: object) -> list:
    """The column's values with ``missing`` where ``_present`` is False."""
    values = series.tolist()
    if series.dtype == object or series.dtype.kind == "M":
        return [v if _present(v) else missing for v in values]
    absent = series.isna().to_numpy(dtype=bool)
    if absent.any():
        for i in np.flatnonzero(absent).tolist():
            values[i] = missing
    return values


_MISSING = object()


def _map_kinds(kinds: pd.Series, func) -> pd.Series:
    """``kinds.map(func)``, calling ``func`` once per distinct kind (there are a handful)."""
    try:
        known = {k: func(k) for k in pd.unique(kinds.to_numpy(dtype=object))}
    except TypeError:  # an unhashable value: map as given
        return kinds.map(func)
    return kinds.map(lambda k: known[k] if k in known else func(k))


def _may_have_cycle(edges: list[tuple]) -> bool:
    """False when the edges (u, v, ...) surely form no cycle. Exact when no node has two
    outgoing edges (a forest of parent pointers: vectorized pointer doubling); True (unsure)
    otherwise."""
    if not edges:
        return False
    ends = pd.Series([e[0] for e in edges] + [e[1] for e in edges], dtype=object)
    codes, uniques = pd.factorize(ends)
    u, v = codes[: len(edges)], codes[len(edges):]
    if len(np.unique(u)) != len(u):
        return True
    ahead = np.full(len(uniques), -1, dtype=np.int64)
    ahead[u] = v
    # After k rounds, ahead[n] is the node 2**k steps up from n (-1: the walk ended). A walk
    # that has not ended after more steps than there are nodes is in a cycle.
    for _ in range(int(np.ceil(np.log2(len(uniques) + 1))) + 1):
        ahead = np.where(ahead >= 0, ahead[ahead], -1)
    return bool((ahead >= 0).any())


# Reference columns resolved while building: (table, column) -> allowed entities, expected.
_STRUCTURE = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM}
_ANY_ENTITY = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM,
               Entity.MEMBER}
_EDGE_REFS: dict[str, dict[str, tuple[set[Entity], str]]] = {
    "territories": {"parent_id": ({Entity.TERRITORY}, "a territory")},
    "organizations": {"parent_id": ({Entity.ORGANIZATION}, "an organization"),
                      "territory_id": ({Entity.TERRITORY}, "a territory"),
                      "unit_id": ({Entity.UNIT}, "a unit")},
    "units": {"territory_id": ({Entity.TERRITORY}, "a territory")},
    "platforms": {"territory_id": ({Entity.TERRITORY}, "a territory"),
                  "convener_id": (_STRUCTURE, "an organization, unit or platform")},
    "links": {"source_id": (_ANY_ENTITY, "an entity"), "target_id": (_ANY_ENTITY, "an entity")},
}
# The row-heavy tables: references checked (warned about) but not modelled as graph edges.
_CHECKED_REFS: dict[str, dict[str, tuple[set[Entity], str]]] = {
    "members": {"org_id": ({Entity.ORGANIZATION}, "an organization"),
                "residence_id": ({Entity.TERRITORY}, "a territory"),
                "workplace_id": ({Entity.UNIT, Entity.ORGANIZATION, Entity.TERRITORY},
                                 "a unit"),
                "registered_community_id": ({Entity.TERRITORY, Entity.ORGANIZATION},
                                            "a community"),
                "sent_to_id": (_ANY_ENTITY, "a community, platform or organization")},
    "tasks": {"assigned_to_id": (_ANY_ENTITY, "an entity")},
    "task_steps": {"task_id": ({Entity.TASK}, "a task"),
                   "from_id": (_ANY_ENTITY, "an entity"),
                   "to_id": (_ANY_ENTITY, "an entity")},
    "resources": {"provider_id": (_ANY_ENTITY, "an entity"),
                  "recipient_id": (_ANY_ENTITY, "an entity")},
}


class _Builder:
    def __init__(self, frames: dict[str, pd.DataFrame], origins: dict[str, str]) -> None:
        self.frames = {name: frames.get(name, empty_frame(name)).copy() for name in TABLES}
        self.origins = {name: origins.get(name, f"{name}.csv") for name in TABLES}
        self.G = nx.MultiDiGraph()
        self.warnings: list[Issue] = []
        self.entity_of: dict[str, Entity] = {}
        self._dangling: dict[tuple[str, str], int] = {}

    # -- warnings ----------------------------------------------------------------------------
    def header(self, table: str, column: str) -> str:
        """The column's header as the user wrote it (``parent_id`` or ``上级编号``)."""
        return self.frames[table].attrs.get("headers", {}).get(column, column)

    def warn_ref(self, table: str, row: int, column: str, value: object, expected: str) -> None:
        key = (table, column)
        count = self._dangling.get(key, 0) + 1
        self._dangling[key] = count
        if count <= _MAX_LISTED:
            self.warnings.append(Issue(self.origins[table], f"reference does not resolve to "
                                       f"{expected}; modelled without it", row=int(row),
                                       column=self.header(table, column), value=str(value)))

    def summarize_refs(self) -> None:
        for (table, column), count in sorted(self._dangling.items()):
            if count > _MAX_LISTED:
                self.warnings.append(Issue(self.origins[table], f"{count} references in all do "
                                           f"not resolve ({count - _MAX_LISTED} more not listed)",
                                           column=self.header(table, column)))

    def resolve_all(self) -> None:
        """Entity codes of every reference column, in one lookup (see ``IdLookup``)."""
        refs = [(table, column) for spec in (_EDGE_REFS, _CHECKED_REFS)
                for table, columns in spec.items() for column in columns]
        codes = self.lookup.codes_of([self.frames[t][c] for t, c in refs], keep=True)
        self._codes = dict(zip(refs, codes, strict=True))

    def check(self, table: str, column: str, allowed: set[Entity],
              blank_is_given: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Per row of a reference column, as bool arrays: does it resolve to an allowed
        entity; is it a given reference (not None, NaN, NA nor, unless ``blank_is_given``,
        "") that does not."""
        series = self.frames[table][column]
        present = series.notna().to_numpy(dtype=bool)
        if not blank_is_given:
            present = present & (series != "").to_numpy(dtype=bool)
        allowed_codes = [i for i, e in enumerate(ENTITIES) if e in allowed]
        ok = present & np.isin(self._codes[table, column], allowed_codes)
        return ok, present & ~ok

    def resolve_edges(self, table: str, rels: dict[str, str]) -> list[tuple[str, str, str]]:
        """Edges id -> reference (key: the relationship) for the references of ``table`` that
        resolve, a warning for those that do not; both row by row, in the columns' order.
        Returns the edges added."""
        frame = self.frames[table]
        specs = [(column, *_EDGE_REFS[table][column], rel) for column, rel in rels.items()]
        checked = [self.check(table, column, allowed) for column, allowed, _, _ in specs]
        # Edges, ordered by row then column.
        positions = [np.flatnonzero(ok) for ok, _ in checked]
        pos = np.concatenate(positions)
        order = np.lexsort((np.repeat(np.arange(len(specs)), [len(p) for p in positions]), pos))
        sources = frame["id"].to_numpy(dtype=object)[pos[order]].tolist()
        targets = np.concatenate([frame[column].to_numpy(dtype=object)[p]
                                  for (column, *_), p in zip(specs, positions, strict=True)])
        keys = np.repeat(np.array([rel for *_, rel in specs], dtype=object),
                         [len(p) for p in positions])
        edges = list(zip(sources, targets[order].tolist(), keys[order].tolist(), strict=True))
        add_edge = self.G.add_edge
        for u, v, k in edges:
            add_edge(u, v, key=k)
        # Warnings, ordered by row then column.
        bad_rows = np.flatnonzero(np.logical_or.reduce([bad for _, bad in checked]))
        if len(bad_rows):
            rows = frame.index.to_numpy()
            for i in bad_rows.tolist():
                for (column, _, expected, _), (_, bad) in zip(specs, checked, strict=True):
                    if bad[i]:
                        self.warn_ref(table, rows[i], column, frame[column].iat[i], expected)
        return edges

    # -- nodes -------------------------------------------------------------------------------
    def add_ids(self) -> None:
        keys, entities = [], []
        for name, spec in TABLES.items():
            if spec.key and spec.entity:
                values = self.frames[name][spec.key].dropna()
                self.entity_of.update(dict.fromkeys(values.tolist(), spec.entity))
                keys.append(values)
                entities.append(spec.entity)
        ids = codes = None
        if sum(len(k) for k in keys) == len(self.entity_of):  # no id twice: keys in order
            arrays = [_arrow_strings(k) for k in keys]
            if all(a is not None for a in arrays):
                import pyarrow as pa

                ids = pa.chunked_array([c for a in arrays for c in a.chunks],
                                       type=pa.large_string())
                codes = np.concatenate([np.full(len(k), ENTITIES.index(e), dtype=np.int8)
                                        for k, e in zip(keys, entities, strict=True)])
        self.lookup = IdLookup(self.entity_of, ids, codes)
        if codes is not None:  # no id twice: each table's ids are of its entity
            for name, spec in TABLES.items():
                if spec.key and spec.entity:
                    column = self.frames[name][spec.key]
                    code = np.int8(ENTITIES.index(spec.entity))
                    self.lookup.remember(column, np.where(column.notna().to_numpy(dtype=bool),
                                                          code, np.int8(-1)))
        self.resolve_all()

    def add_nodes(self, table: str, entity: Entity, extra: dict[str, pd.Series]) -> None:
        frame = self.frames[table]
        for col, series in extra.items():
            frame[col] = series
        cols = [c for c in frame.columns if c != "id"]
        keys = ["entity", "row", *cols]
        rows = [int(r) for r in frame.index.tolist()]
        columns = [_attr_values(frame[c], _MISSING) for c in cols]
        # Each node's attributes: entity, row, then the columns that have a value, in order.
        records = [dict(zip(keys, values, strict=True))
                   for values in zip([entity.value] * len(rows), rows, *columns, strict=True)]
        for col, values in zip(cols, columns, strict=True):
            for i in [i for i, v in enumerate(values) if v is _MISSING]:
                del records[i][col]
        add_node = self.G.add_node
        for node_id, attrs in zip(frame["id"].tolist(), records, strict=True):
            add_node(node_id, **attrs)

    def territories(self) -> None:
        t = self.frames["territories"]
        level = _map_kinds(t["kind"], lambda k: TerritoryKind(k).level if k else None)
        self.add_nodes("territories", Entity.TERRITORY, {"level": level.astype("Int64")})
        edges = self.resolve_edges("territories", {"parent_id": Rel.PART_OF})
        if _may_have_cycle(edges):
            self.territory_cycles()

    def territory_cycles(self) -> None:
        part_of = nx.DiGraph([(u, v) for u, v, k in self.G.edges(keys=True) if k == Rel.PART_OF])
        for cycle in nx.simple_cycles(part_of):
            first = min(cycle)
            self.warnings.append(Issue(self.origins["territories"], "territories contain each "
                                       "other in a cycle: " + " -> ".join([*cycle, cycle[0]]),
                                       row=self.G.nodes[first]["row"],
                                       column=self.header("territories", "parent_id"),
                                       value=first))

    def organizations(self) -> None:
        o = self.frames["organizations"]
        extra = {
            "category": _map_kinds(o["kind"], lambda k: OrgKind(k).category.value if k else None),
            "level": _map_kinds(o["kind"], lambda k: OrgKind(k).level if k else None
                                ).astype("Int64"),
        }
        self.add_nodes("organizations", Entity.ORGANIZATION, extra)
        self.resolve_edges("organizations", {"parent_id": Rel.REPORTS_TO,
                                             "territory_id": Rel.COVERS,
                                             "unit_id": Rel.BELONGS_TO})
        self.chains()

    def chains(self) -> None:
        """Walk every organization's superiors once (memoized): status, path, reach."""
        o = self.frames["organizations"]
        ids = o["id"].tolist()
        parent_of = dict(zip(ids, o["parent_id"].tolist(), strict=True))
        kind_of = dict(zip(ids, o["kind"].tolist(), strict=True))
        row_of = dict(zip(ids, o.index.tolist(), strict=True))
        result: dict[str, tuple[str, list[str]]] = {}
        reported_cycles: set[frozenset[str]] = set()
        # A cycle of parents through a city committee is a cycle too (its members are
        # org_unreachable); those below it still reach that committee.
        on_city_loop = _city_loops(ids, parent_of, kind_of)
        for loop in on_city_loop.values():
            for k, node in enumerate(loop):
                result[node] = (ChainStatus.CYCLE, _loop_path(loop, k))
        for start in ids:
            path: list[str] = []
            seen: dict[str, int] = {}
            current = start
            status: str  # a ChainStatus value
            rest: list[str]
            while True:
                if current in result and current not in on_city_loop:  # join a walk done
                    status, rest = result[current]
                    break
                if current in seen:
                    status, rest = ChainStatus.CYCLE, [current]
                    cycle = frozenset(path[seen[current]:])
                    if cycle not in reported_cycles:
                        reported_cycles.add(cycle)
                        members = path[seen[current]:]
                        first = min(members)
                        self.warnings.append(Issue(
                            self.origins["organizations"], "organizations report to each other "
                            "in a cycle: " + " -> ".join([*members, members[0]]),
                            row=int(row_of[first]),
                            column=self.header("organizations", "parent_id"), value=first))
                    break
                seen[current] = len(path)
                path.append(current)
                if kind_of.get(current) == OrgKind.CITY_COMMITTEE:
                    status, rest = ChainStatus.OK, []
                    break
                parent = parent_of.get(current)
                if parent is None or pd.isna(parent):
                    status, rest = ChainStatus.NO_PARENT, []
                    break
                if parent not in parent_of:
                    status, rest = ChainStatus.DANGLING, [parent]
                    break
                current = parent
            full = path + rest
            # Memoize each node on the walk with its own suffix. A node inside a newly found
            # cycle walks the whole loop back to itself (its suffix alone would stop short).
            joined = current in result
            loop_start = seen[current] if status == ChainStatus.CYCLE and not joined else None
            for i, node in enumerate(path):
                if node in result:
                    continue
                if loop_start is not None and i >= loop_start:
                    result[node] = (status, _loop_path(path[loop_start:], i - loop_start))
                else:
                    result[node] = (status, full[i:i + MAX_CHAIN_PATH])
        walks = [result[i] for i in ids]
        statuses = [w[0] for w in walks]
        o["chain_status"] = pd.Series(statuses, index=o.index)
        o["chain_path"] = pd.Series([w[1] for w in walks], index=o.index, dtype=object)
        o["reaches_city"] = o["chain_status"].eq(ChainStatus.OK)
        nodes = self.G.nodes
        for oid, status in zip(ids, statuses, strict=True):
            data = nodes[oid]
            data["chain_status"] = status
            data["reaches_city"] = status == ChainStatus.OK

    def units(self) -> None:
        u = self.frames["units"]
        formal_members = self._formal_count(u["id"], u["party_members"])
        self.add_nodes("units", Entity.UNIT, {"formal_members": formal_members})
        self.resolve_edges("units", {"territory_id": Rel.LOCATED_IN})
        # Formal members working in each territory (for new business areas): those of the
        # units located there plus members whose workplace is the territory itself.
        t = self.frames["territories"]
        by_area = u.assign(fm=formal_members).groupby("territory_id")["fm"].sum()
        direct = self._formal_count(t["id"], pd.Series([None] * len(t), index=t.index))
        t["formal_workers"] = (t["id"].map(by_area).fillna(0) + direct.fillna(0)).astype("Int64")
        for tid, n in zip(t["id"], t["formal_workers"], strict=True):
            self.G.nodes[tid]["formal_workers"] = int(n)

    def _formal_count(self, ids: pd.Series, declared: pd.Series) -> pd.Series:
        """Formal members working at each id (a mobile member is formal; no status counts as
        formal). The member rows decide when they list at least the declared party members;
        otherwise the declared count, less the probationary members listed, is used (member
        lists are often partial)."""
        if not hasattr(self, "_listed"):
            m = self.frames["members"]
            # A member without a status counts as formal: only a given status can be
            # probationary.
            probationary = m["status"].eq(MemberStatus.PROBATIONARY.value).fillna(False)
            self._listed = (m["workplace_id"].value_counts(),
                            m.loc[probationary, "workplace_id"].value_counts())
        listed, listed_probationary = self._listed
        # Plain float arrays (NaN for a missing declared count): pandas' nullable NA would
        # make the comparisons below ambiguous when some units declare no count.
        rows_total = ids.map(listed).fillna(0).to_numpy(dtype=float)
        rows_probationary = ids.map(listed_probationary).fillna(0).to_numpy(dtype=float)
        rows_formal = rows_total - rows_probationary
        declared_counts = pd.to_numeric(declared, errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)
        from_declared = np.clip(declared_counts - rows_probationary, 0, None)
        use_rows = np.isnan(declared_counts) | (rows_total >= np.nan_to_num(declared_counts,
                                                                             nan=0.0))
        counts = np.where(use_rows, rows_formal, np.fmax(from_declared, rows_formal))
        return pd.Series(np.nan_to_num(counts, nan=0.0), index=ids.index).round().astype("Int64")

    def platforms(self) -> None:
        self.add_nodes("platforms", Entity.PLATFORM, {})
        self.resolve_edges("platforms", {"territory_id": Rel.LOCATED_IN,
                                         "convener_id": Rel.CONVENED_BY})

    def drop_self_ties(self) -> None:
        """Leave out (with a warning) links whose two ends are the same id: a tie needs two
        parties, and graph stores count such a loop differently on undirected patterns."""
        links = self.frames["links"]
        same = (links["source_id"].notna() & links["source_id"].eq(links["target_id"])
                ).fillna(False).to_numpy(dtype=bool)
        if not same.any():
            return
        for row, value in zip(links.index[same].tolist(), links.loc[same, "source_id"].tolist(),
                              strict=True):
            self.warnings.append(Issue(self.origins["links"], "a tie from an entity to itself; "
                                       "modelled without it", row=int(row),
                                       column=self.header("links", "target_id"),
                                       value=str(value),
                                       hint="give the other party's id"))
        self.frames["links"] = links[~same]

    def links(self) -> None:
        links = self.frames["links"]
        if "rid" not in links.columns or links["rid"].isna().any():
            # A stable id per links row ("L<spreadsheet row>"), kept when read back from a store.
            links["rid"] = [f"L{row}" for row in links.index]
        (src_allowed, src_expected), (dst_allowed, dst_expected) = _EDGE_REFS["links"].values()
        src_ok, src_bad = (m.tolist() for m in self.check("links", "source_id", src_allowed))
        dst_ok, dst_bad = (m.tolist() for m in self.check("links", "target_id", dst_allowed))
        cols = [c for c in links.columns if c not in {"source_id", "target_id"}]
        for i, (row, src, dst, *values) in enumerate(
                _records(links, ["source_id", "target_id", *cols])):
            if src_bad[i]:
                self.warn_ref("links", row, "source_id", src, src_expected)
            if dst_bad[i]:
                self.warn_ref("links", row, "target_id", dst, dst_expected)
            if src_ok[i] and dst_ok[i] and src in self.G and dst in self.G:
                attrs = {c: v for c, v in zip(cols, values, strict=True) if _present(v)}
                self.G.add_edge(src, dst, key=f"{Rel.TIE}:{attrs['rid']}", rel=Rel.TIE, **attrs)

    def references(self) -> None:
        """Warn once per column about references of the row-heavy tables that do not resolve."""
        for table, columns in _CHECKED_REFS.items():
            for column, (allowed, expected) in columns.items():
                _, bad = self.check(table, column, allowed, blank_is_given=True)
                if not bad.any():
                    continue
                frame = self.frames[table]
                rows, values = frame.index.to_numpy(), frame[column].to_numpy(dtype=object)
                for i in np.flatnonzero(bad).tolist():
                    self.warn_ref(table, rows[i], column, values[i], expected)

    def build(self) -> OrgModel:
        self.drop_self_ties()
        self.add_ids()
        self.territories()
        self.organizations()
        self.units()
        self.platforms()
        self.links()
        self.references()
        self.summarize_refs()
        model = OrgModel(self.frames, self.G, self.warnings, self.origins, self.entity_of)
        model.__dict__["_id_lookup"] = self.lookup
        return model


def _loop_path(loop: list[str], k: int) -> list[str]:
    """The walk from ``loop[k]`` around its cycle back to itself, at most
    :data:`MAX_CHAIN_PATH` ids (a cycle longer than that is cut, not closed)."""
    if len(loop) < MAX_CHAIN_PATH:
        return loop[k:] + loop[:k] + [loop[k]]
    head = loop[k:k + MAX_CHAIN_PATH]
    return head + loop[:MAX_CHAIN_PATH - len(head)]


def _city_loops(ids: list[str], parent_of: dict, kind_of: dict) -> dict[str, list[str]]:
    """Organizations on a cycle of parents that passes through a city committee -> the
    cycle, from that node on (walking up from a city committee back to itself)."""
    out: dict[str, list[str]] = {}
    for start in ids:
        if kind_of.get(start) != OrgKind.CITY_COMMITTEE or start in out:
            continue
        loop, seen = [start], {start}
        current = parent_of.get(start)
        while isinstance(current, str) and current in parent_of and current not in seen:
            loop.append(current)
            seen.add(current)
            current = parent_of.get(current)
        if current == start:
            for node in loop:
                out[node] = loop
    return out


def build_model(frames: dict[str, pd.DataFrame], origins: dict[str, str] | None = None) -> OrgModel:
    """Build the model from validated frames (see :mod:`loaders.validate`).

    Parameters
    ----------
    frames
        Typed frames keyed by table name; absent tables are treated as empty.
    origins
        Table name -> file or sheet, used in warnings.

    Returns
    -------
    OrgModel
        With ``warnings`` listing unresolved references and cycles.
    """
    # Building allocates millions of small objects that all live on (no garbage): the cyclic
    # collector would only rescan them, again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        model = _Builder(frames, origins or {}).build()
    finally:
        if paused:
            gc.enable()
    for issue in model.warnings:
        log.debug("warning: %s", issue)
    return model

