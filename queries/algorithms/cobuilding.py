"""The co-building network (共驻共建网络) of a model, and which side of a tie each end is on.

DOMAIN.md defines the network: units, platforms and communities joined by ``co_building``,
``dual_reporting``, ``responsible_unit``, ``claim`` and ``membership`` ties; the organization
chain is not part of it. The links file names many other things as tie ends (committees, grid
branches, compounds ...), so every end is first mapped onto a node of the network:

==============================================  ===========================================
links endpoint                                  network node
==============================================  ===========================================
unit                                            itself
platform                                        itself
community or village territory                  itself
grid or compound territory                      the community (village) that contains it
unit's own party organization (``unit_id``)     its unit
any other organization                          the territory it covers, mapped as above
                                                (community committee -> its community; grid
                                                branch, compound group, 业委会 -> their
                                                community)
street, city, business area and their           left out: not part of the co-building network
committees; members; unresolved ids
==============================================  ===========================================

Tie scoring (:mod:`queries.algorithms.ties`) uses a narrower reading, the one DOMAIN.md states
for ties: an organization covering a community (its committee) counts as that community, and a
unit's own organization as its unit (:func:`tie_anchors`, :func:`tie_roles`).

Everything here reads the in-memory model only; nothing touches a database.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

import networkx as nx
import pandas as pd

from graphmodel.index import model_index
from graphmodel.model import OrgModel
from graphmodel.schema import COBUILDING_LINKS, Entity, OrgCategory, TerritoryKind

__all__ = [
    "COMMUNITY_KINDS",
    "cobuilding_graph",
    "community_of_territories",
    "network_nodes",
    "street_of_nodes",
    "tie_anchors",
    "tie_roles",
]

COMMUNITY_KINDS: tuple[str, ...] = (TerritoryKind.COMMUNITY.value, TerritoryKind.VILLAGE.value)
"""Territory kinds that count as a community (社区 or 村)."""

UNIT_SIDE, COMMUNITY_SIDE = "unit", "community"


def community_of_territories(model: OrgModel) -> dict[str, str]:
    """Territory id -> the community (or village) it is, or that contains it.

    Only communities, villages and the grids and compounds below them appear; streets, cities
    and business areas (and territories outside any community) do not.
    """
    t = model.frame("territories")
    out: dict[str, str] = {}
    below = {TerritoryKind.GRID.value, TerritoryKind.COMPOUND.value}
    index = model_index(model)
    for tid, kind in zip(t["id"], t["kind"], strict=True):
        if kind in COMMUNITY_KINDS:
            out[tid] = tid
        elif kind in below:
            community = index.community_of_territory(tid)
            if community is not None:
                out[tid] = community
    return out


def _unit_orgs(model: OrgModel) -> pd.Series:
    """Organization id -> its unit id, for units' own organizations whose unit resolves."""
    o = model.frame("organizations")
    units = set(model.frame("units")["id"])
    mask = o["unit_id"].isin(units)
    return pd.Series(o.loc[mask, "unit_id"].to_numpy(), index=o.loc[mask, "id"].to_numpy(),
                     dtype=object)


def network_nodes(model: OrgModel) -> dict[str, str]:
    """Links endpoint id -> its node in the co-building network (see the module docstring)."""
    community = community_of_territories(model)
    out: dict[str, str] = dict(community)
    out.update({u: u for u in model.frame("units")["id"]})
    out.update({p: p for p in model.frame("platforms")["id"]})
    unit_org = _unit_orgs(model)
    out.update(cast("dict[str, str]", unit_org.to_dict()))  # org id -> unit id
    o = model.frame("organizations")
    others = o[~o["id"].isin(unit_org.index) & (o["category"] != OrgCategory.UNIT.value)]
    for oid, territory in zip(others["id"], others["territory_id"], strict=True):
        if isinstance(territory, str) and territory in community:
            out[oid] = community[territory]
    return out


def street_of_nodes(model: OrgModel, nodes: list[str]) -> dict[str, str | None]:
    """Node id -> the street or township containing it (a community's street, a unit's or a
    platform's territory's street); None when there is none."""
    kind_of = dict(zip(model.frame("territories")["id"], model.frame("territories")["kind"],
                       strict=True))
    located: dict[str, Any] = {}
    for table in ("units", "platforms"):
        f = model.frame(table)
        located.update(zip(f["id"], f["territory_id"], strict=True))
    index = model_index(model)
    out: dict[str, str | None] = {}
    for node in nodes:
        territory = node if node in kind_of else located.get(node)
        out[node] = index.street_of_territory(territory) if isinstance(territory, str) else None
    return out


def cobuilding_graph(model: OrgModel) -> nx.MultiGraph:
    """The co-building network as an undirected multigraph.

    Nodes are every unit, platform and community (village) of the model, isolated or not, with
    attributes ``entity``, ``kind``, ``name`` and ``street`` (the street or township id, None if
    unknown). Each links row of a co-building type whose two ends map onto two different nodes
    is one edge, keyed by its ``rid``, with attributes ``type``, ``source_id``, ``target_id``.
    Rows whose ends map onto the same node (a community tied to its own compound) are left out.
    """
    G = nx.MultiGraph()
    t = model.frame("territories")
    communities = t.loc[t["kind"].isin(COMMUNITY_KINDS), ["id", "kind", "name"]]
    tables = (
        (Entity.UNIT, model.frame("units")[["id", "kind", "name"]]),
        (Entity.PLATFORM, model.frame("platforms")[["id", "kind", "name"]]),
        (Entity.TERRITORY, communities),
    )
    ids: list[str] = []
    for entity, frame in tables:
        for nid, kind, name in zip(frame["id"], frame["kind"], frame["name"], strict=True):
            G.add_node(nid, entity=entity.value, kind=kind,
                       name=name if isinstance(name, str) else None)
            ids.append(nid)
    nx.set_node_attributes(G, street_of_nodes(model, ids), "street")

    node_of = network_nodes(model)
    links = model.frame("links")
    links = links[links["type"].isin([t.value for t in COBUILDING_LINKS])]
    src = links["source_id"].map(node_of)
    dst = links["target_id"].map(node_of)
    keep = src.notna() & dst.notna() & (src != dst)
    for rid, u, v, kind, s, d in zip(links.loc[keep, "rid"], src[keep], dst[keep],
                                     links.loc[keep, "type"], links.loc[keep, "source_id"],
                                     links.loc[keep, "target_id"], strict=True):
        G.add_edge(u, v, key=rid, type=kind, source_id=s, target_id=d)
    return G


def tie_anchors(model: OrgModel) -> pd.Series:
    """Id -> the id a tie end or a resource end stands for, when matching resources to ties.

    An organization covering a community or village stands for it (DOMAIN.md: a tie to a
    community committee counts as a tie to its community), and a unit's own party organization
    for its unit. Ids not in the index stand for themselves.
    """
    anchors = _unit_orgs(model)
    o = model.frame("organizations")
    t = model.frame("territories")
    communities = set(t.loc[t["kind"].isin(COMMUNITY_KINDS), "id"])
    covering = o[o["territory_id"].isin(communities) & ~o["id"].isin(anchors.index)
                 & (o["category"] != OrgCategory.UNIT.value)]
    extra = pd.Series(covering["territory_id"].to_numpy(), index=covering["id"].to_numpy(),
                      dtype=object)
    return pd.concat([anchors, extra]).astype(object)


def tie_roles(model: OrgModel) -> pd.Series:
    """Id -> ``"unit"`` or ``"community"``: which side of a co-building tie an end is on.

    The unit side: a unit, a unit's own party organization, or a platform convened by a unit
    or by a unit's own organization. The community side: a community or village, or an
    organization covering one. Other ids (streets, platforms of the chain, members) have no
    role and are not in the index.
    """
    units = set(model.frame("units")["id"])
    roles: dict[Hashable, str] = {}
    t = model.frame("territories")
    for tid in t.loc[t["kind"].isin(COMMUNITY_KINDS), "id"]:
        roles[tid] = COMMUNITY_SIDE
    for oid, anchor in tie_anchors(model).items():
        roles[oid] = UNIT_SIDE if anchor in units else COMMUNITY_SIDE
    o = model.frame("organizations")
    for oid in o.loc[o["category"] == OrgCategory.UNIT.value, "id"]:
        roles[oid] = UNIT_SIDE
    for uid in units:
        roles[uid] = UNIT_SIDE
    unit_side = [k for k, v in roles.items() if v == UNIT_SIDE]
    p = model.frame("platforms")
    for pid in p.loc[p["convener_id"].isin(unit_side), "id"]:
        roles[pid] = UNIT_SIDE
    return pd.Series(roles, dtype=object)
