"""Build an :class:`~graphmodel.model.OrgModel` from validated frames.

References that do not resolve and cycles of parents are warnings: the edge is left out, the
raw id stays in its column, and the diagnosis reports what it breaks (DOMAIN.md).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from graphmodel.errors import Issue
from graphmodel.model import OrgModel, Rel
from graphmodel.schema import TABLES, Entity, MemberStatus, OrgCategory, OrgKind, TerritoryKind

__all__ = ["ChainStatus", "build_model", "empty_frame"]

log = logging.getLogger(__name__)

# Per (table, column), how many unresolved references are listed one by one before a summary.
_MAX_LISTED = 20


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


class _Builder:
    def __init__(self, frames: dict[str, pd.DataFrame], origins: dict[str, str]) -> None:
        self.frames = {name: frames.get(name, empty_frame(name)).copy() for name in TABLES}
        self.origins = {name: origins.get(name, f"{name}.csv") for name in TABLES}
        self.G = nx.MultiDiGraph()
        self.warnings: list[Issue] = []
        self.entity_of: dict[str, Entity] = {}
        self._dangling: dict[tuple[str, str], int] = {}

    # -- warnings ----------------------------------------------------------------------------
    def warn_ref(self, table: str, row: int, column: str, value: str, expected: str) -> None:
        key = (table, column)
        count = self._dangling.get(key, 0) + 1
        self._dangling[key] = count
        if count <= _MAX_LISTED:
            self.warnings.append(Issue(self.origins[table], f"reference does not resolve to "
                                       f"{expected}; modelled without it", row=int(row),
                                       column=column, value=str(value)))

    def summarize_refs(self) -> None:
        for (table, column), count in sorted(self._dangling.items()):
            if count > _MAX_LISTED:
                self.warnings.append(Issue(self.origins[table], f"{count} references in all do "
                                           f"not resolve ({count - _MAX_LISTED} more not listed)",
                                           column=column))

    def resolves(self, table: str, row: int, column: str, value: object,
                 allowed: set[Entity], expected: str) -> bool:
        if value is None or value == "" or pd.isna(value):
            return False
        if self.entity_of.get(value) in allowed:
            return True
        self.warn_ref(table, row, column, value, expected)
        return False

    # -- nodes -------------------------------------------------------------------------------
    def add_ids(self) -> None:
        for name, spec in TABLES.items():
            if spec.key and spec.entity:
                for value in self.frames[name][spec.key].dropna():
                    self.entity_of[value] = spec.entity

    def add_nodes(self, table: str, entity: Entity, extra: dict[str, pd.Series]) -> None:
        frame = self.frames[table]
        for col, series in extra.items():
            frame[col] = series
        cols = [c for c in frame.columns if c != "id"]
        for row, node_id, *values in _records(frame, ["id", *cols]):
            attrs = {c: v for c, v in zip(cols, values, strict=True) if _present(v)}
            self.G.add_node(node_id, entity=entity.value, row=int(row), **attrs)

    def territories(self) -> None:
        t = self.frames["territories"]
        level = t["kind"].map(lambda k: TerritoryKind(k).level if k else None)
        self.add_nodes("territories", Entity.TERRITORY, {"level": level.astype("Int64")})
        structure = {Entity.TERRITORY}
        for row, tid, parent in _records(t, ["id", "parent_id"]):
            if self.resolves("territories", row, "parent_id", parent, structure, "a territory"):
                self.G.add_edge(tid, parent, key=Rel.PART_OF)
        self.territory_cycles()

    def territory_cycles(self) -> None:
        part_of = nx.DiGraph([(u, v) for u, v, k in self.G.edges(keys=True) if k == Rel.PART_OF])
        for cycle in nx.simple_cycles(part_of):
            first = min(cycle)
            self.warnings.append(Issue(self.origins["territories"], "territories contain each "
                                       "other in a cycle: " + " -> ".join([*cycle, cycle[0]]),
                                       row=self.G.nodes[first]["row"], column="parent_id",
                                       value=first))

    def organizations(self) -> None:
        o = self.frames["organizations"]
        extra = {
            "category": o["kind"].map(lambda k: OrgKind(k).category.value if k else None),
            "level": o["kind"].map(lambda k: OrgKind(k).level if k else None).astype("Int64"),
        }
        self.add_nodes("organizations", Entity.ORGANIZATION, extra)
        for row, oid, parent, territory, unit in _records(
                o, ["id", "parent_id", "territory_id", "unit_id"]):
            if self.resolves("organizations", row, "parent_id", parent, {Entity.ORGANIZATION},
                             "an organization"):
                self.G.add_edge(oid, parent, key=Rel.REPORTS_TO)
            if self.resolves("organizations", row, "territory_id", territory, {Entity.TERRITORY},
                             "a territory"):
                self.G.add_edge(oid, territory, key=Rel.COVERS)
            if self.resolves("organizations", row, "unit_id", unit, {Entity.UNIT}, "a unit"):
                self.G.add_edge(oid, unit, key=Rel.BELONGS_TO)
        self.chains()

    def chains(self) -> None:
        """Walk every organization's superiors once (memoized): status, path, reach."""
        o = self.frames["organizations"]
        parent_of = dict(zip(o["id"], o["parent_id"], strict=True))
        kind_of = dict(zip(o["id"], o["kind"], strict=True))
        row_of = dict(zip(o["id"], o.index, strict=True))
        result: dict[str, tuple[str, list[str]]] = {}
        reported_cycles: set[frozenset[str]] = set()
        for start in o["id"]:
            path: list[str] = []
            seen: dict[str, int] = {}
            current = start
            while True:
                if current in result:  # join a walk already done
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
                            row=int(row_of[first]), column="parent_id", value=first))
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
            # Memoize each node on the walk with its own suffix; nodes inside a cycle share it.
            for i, node in enumerate(path):
                if node not in result:
                    result[node] = (status, full[i:])
        o["chain_status"] = o["id"].map(lambda i: result[i][0])
        o["chain_path"] = o["id"].map(lambda i: result[i][1])
        o["reaches_city"] = o["chain_status"].eq(ChainStatus.OK)
        for oid, status in zip(o["id"], o["chain_status"], strict=True):
            self.G.nodes[oid]["chain_status"] = status
            self.G.nodes[oid]["reaches_city"] = status == ChainStatus.OK

    def units(self) -> None:
        u, m = self.frames["units"], self.frames["members"]
        formal_members = self._formal_count(u["id"], u["party_members"])
        self.add_nodes("units", Entity.UNIT, {"formal_members": formal_members})
        for row, uid, territory in _records(u, ["id", "territory_id"]):
            if self.resolves("units", row, "territory_id", territory, {Entity.TERRITORY},
                             "a territory"):
                self.G.add_edge(uid, territory, key=Rel.LOCATED_IN)
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
        m = self.frames["members"]
        status = m["status"].map(lambda s: s if isinstance(s, str) else MemberStatus.FORMAL.value)
        probationary = status.eq(MemberStatus.PROBATIONARY.value)
        listed = m["workplace_id"].value_counts()
        listed_probationary = m.loc[probationary, "workplace_id"].value_counts()
        rows_total = ids.map(listed).fillna(0)
        rows_probationary = ids.map(listed_probationary).fillna(0)
        rows_formal = rows_total - rows_probationary
        declared = pd.to_numeric(declared, errors="coerce")
        from_declared = (declared - rows_probationary).clip(lower=0)
        use_rows = declared.isna() | (rows_total >= declared)
        counts = rows_formal.where(use_rows, from_declared.combine(rows_formal, max))
        return counts.fillna(0).astype("Int64")

    def platforms(self) -> None:
        p = self.frames["platforms"]
        self.add_nodes("platforms", Entity.PLATFORM, {})
        structure = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM}
        for row, pid, territory, convener in _records(p, ["id", "territory_id", "convener_id"]):
            if self.resolves("platforms", row, "territory_id", territory, {Entity.TERRITORY},
                             "a territory"):
                self.G.add_edge(pid, territory, key=Rel.LOCATED_IN)
            if self.resolves("platforms", row, "convener_id", convener, structure,
                             "an organization, unit or platform"):
                self.G.add_edge(pid, convener, key=Rel.CONVENED_BY)

    def links(self) -> None:
        links = self.frames["links"]
        if "rid" not in links.columns or links["rid"].isna().any():
            # A stable id per links row ("L<spreadsheet row>"), kept when read back from a store.
            links["rid"] = [f"L{row}" for row in links.index]
        endpoints = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM,
                     Entity.MEMBER}
        cols = [c for c in links.columns if c not in {"source_id", "target_id"}]
        for row, src, dst, *values in _records(links, ["source_id", "target_id", *cols]):
            ok_src = self.resolves("links", row, "source_id", src, endpoints, "an entity")
            ok_dst = self.resolves("links", row, "target_id", dst, endpoints, "an entity")
            if ok_src and ok_dst and src in self.G and dst in self.G:
                attrs = {c: v for c, v in zip(cols, values, strict=True) if _present(v)}
                self.G.add_edge(src, dst, key=f"{Rel.TIE}:{attrs['rid']}", rel=Rel.TIE, **attrs)

    def references(self) -> None:
        """Warn once per column about references of the row-heavy tables that do not resolve."""
        any_entity = {Entity.TERRITORY, Entity.ORGANIZATION, Entity.UNIT, Entity.PLATFORM,
                      Entity.MEMBER}
        checks = {
            "members": {"residence_id": ({Entity.TERRITORY}, "a territory"),
                        "workplace_id": ({Entity.UNIT, Entity.ORGANIZATION, Entity.TERRITORY},
                                         "a unit"),
                        "registered_community_id": ({Entity.TERRITORY, Entity.ORGANIZATION},
                                                    "a community"),
                        "sent_to_id": (any_entity, "a community, platform or organization")},
            "tasks": {"assigned_to_id": (any_entity, "an entity")},
            "task_steps": {"task_id": ({Entity.TASK}, "a task"),
                           "from_id": (any_entity, "an entity"),
                           "to_id": (any_entity, "an entity")},
            "resources": {"provider_id": (any_entity, "an entity"),
                          "recipient_id": (any_entity, "an entity")},
        }
        for table, columns in checks.items():
            frame = self.frames[table]
            for column, (allowed, expected) in columns.items():
                values = frame[column]
                present = values.notna()
                ok = values[present].map(lambda v, a=allowed: self.entity_of.get(v) in a)
                for row in ok.index[~ok.astype(bool)]:
                    self.warn_ref(table, row, column, values.loc[row], expected)

    def build(self) -> OrgModel:
        self.add_ids()
        self.territories()
        self.organizations()
        self.units()
        self.platforms()
        self.links()
        self.references()
        self.summarize_refs()
        return OrgModel(self.frames, self.G, self.warnings, self.origins, self.entity_of)


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
    model = _Builder(frames, origins or {}).build()
    for issue in model.warnings:
        log.debug("warning: %s", issue)
    return model


def is_party_chain(kind: str | None) -> bool:
    """True for a kind of the five-level party chain."""
    return kind is not None and OrgKind(kind).category is OrgCategory.CHAIN
