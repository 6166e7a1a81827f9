"""The co-building network: platforms, and the ties between units, platforms and communities.

Design of the clean part (why it has no articulation point that separates communities):

- in each street the clean ("ring") communities form a ring: unit *i* ties communities *i* and
  *i+1*, so removing any one unit leaves them connected; each has 2+ co-building units;
- the streets form a ring too, through city-level units tying a community of street *s* to one
  of street *s+1*; more city units, responsible units and platforms only add redundancy;
- a community outside the ring (no unit, or a single unit) is still a member of two platforms
  that reach the ring, so neither platform alone holds it;
- every other unit or platform hangs off the network without separating two communities.

Planted: a group of two communities joined to the rest only through one bridge unit (their
own units, work team and vanguard team touch nothing else); communities with no co-building
unit, with a single unit, with responsible units but no lead; weak ties; low attendance;
unmanaged compounds nobody claimed; organizations with no tie to any work team.

Clean ties score at least 0.55 under the default settings (meetings 10–24 a year, activities
8–20, 5–15 years old, initiated by both sides or the unit), planted weak ones at most 0.07
(0–1 meetings and activities, this or last year, initiated by the community, nothing delivered).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphmodel.schema import (
    SCORED_LINKS,
    Initiator,
    LinkType,
    PlatformKind,
    TerritoryKind,
    UnitKind,
)
from synthetic import _names as words
from synthetic._state import REF_YEAR, CityState, Community, Street, Unit

_UNIT_TIES = (LinkType.CO_BUILDING, LinkType.CO_BUILDING, LinkType.DUAL_REPORTING)


class _Builder:
    """Adds ties and platforms, remembering which units each community is tied to."""

    def __init__(self, state: CityState) -> None:
        self.state = state
        self.rng = state.rng("network")
        self.rows = state.link_rows
        self.seen: set[tuple[str, str, LinkType]] = set()
        self.comm_units: dict[str, list[Unit]] = {c.id: [] for c in state.communities}
        self.bridges: set[str] = set()  # planted bridge units: kept off platforms and claims

    # --- ties ----------------------------------------------------------------------------

    def tie(self, unit: Unit, comm: Community, kind: LinkType | None = None,
            lead: bool | None = None) -> None:
        """A clean, strong unit-to-community tie (skipped if the same one exists)."""
        rng = self.rng
        kind = kind or _UNIT_TIES[int(rng.integers(len(_UNIT_TIES)))]
        if (unit.id, comm.id, kind) in self.seen:
            return
        self.seen.add((unit.id, comm.id, kind))
        # Mostly the community itself, sometimes its committee: the same tie (DOMAIN.md).
        target = comm.committee if rng.random() < 0.15 else comm.id
        self.rows.append({
            "source_id": unit.id, "target_id": target, "type": kind,
            "since": REF_YEAR - int(rng.integers(5, 16)),
            "meetings_per_year": int(rng.integers(10, 25)),
            "activities": int(rng.integers(8, 21)),
            "initiated_by": Initiator.BOTH if rng.random() < 0.6 else Initiator.SOURCE,
            "lead": lead if kind is LinkType.RESPONSIBLE_UNIT else None,
            "attendance_rate": None, "_unit": unit, "_comm": comm,
        })
        if unit not in self.comm_units[comm.id]:
            self.comm_units[comm.id].append(unit)

    def member(self, source: str, platform: str) -> None:
        """A platform membership with good attendance."""
        if (source, platform, LinkType.MEMBERSHIP) in self.seen:
            return
        self.seen.add((source, platform, LinkType.MEMBERSHIP))
        rng = self.rng
        self.rows.append({
            "source_id": source, "target_id": platform, "type": LinkType.MEMBERSHIP,
            "since": REF_YEAR - int(rng.integers(1, 9)),
            "meetings_per_year": int(rng.integers(4, 13)), "activities": None,
            "initiated_by": None, "lead": None,
            "attendance_rate": round(float(rng.uniform(0.7, 1.0)), 2),
        })

    def comm_member(self, comm: Community, platform: str) -> None:
        """Membership of a community, as its committee or (sometimes) as the territory."""
        self.member(comm.committee if self.rng.random() < 0.8 else comm.id, platform)

    def platform(self, kind: PlatformKind, name: str, territory: str, convener: str) -> str:
        pid = self.state.mint.one("P", _PLATFORM_TAGS[kind], 4)
        self.state.platform_rows.append((pid, name, kind, territory, convener))
        return pid

    def claim(self, unit: Unit, compound_id: str) -> None:
        rng = self.rng
        self.rows.append({
            "source_id": unit.id, "target_id": compound_id, "type": LinkType.CLAIM,
            "since": REF_YEAR - int(rng.integers(1, 6)), "meetings_per_year": None,
            "activities": int(rng.integers(2, 11)), "initiated_by": Initiator.SOURCE,
            "lead": None, "attendance_rate": None,
        })

    def draw(self, pool: list[Unit], k: int) -> list[Unit]:
        """``k`` distinct free (not reserved) units of ``pool``."""
        free = [u for u in pool if not u.reserved]
        return [free[int(i)] for i in self.rng.permutation(len(free))[:k]]


_PLATFORM_TAGS = {
    PlatformKind.JOINT_MEETING: "JM", PlatformKind.EXPANDED_COMMITTEE: "EC",
    PlatformKind.SOCIAL_WORK_COMMITTEE: "SW", PlatformKind.WORK_TEAM: "WT",
    PlatformKind.VANGUARD_TEAM: "VT", PlatformKind.CLUSTER: "CL",
}


def build_network(state: CityState) -> None:
    """Add platforms, ties, claims and the planted network problems of ``state``."""
    b = _Builder(state)
    city_units = [u for u in state.units if u.street is None]
    by_street = {s.id: [u for u in state.units if u.street is s] for s in state.streets}

    for street in state.streets:
        _street_ties(b, street, by_street[street.id], city_units)
    _city_ring(b, city_units)
    for street in state.streets:
        _street_platforms(b, street, by_street[street.id], city_units)
    _community_platforms(b)
    _clusters(b)
    _claims(b)
    _plant_weak_ties(b)
    _plant_low_attendance(b)


def _street_ties(b: _Builder, street: Street, pool: list[Unit], city_units: list[Unit]) -> None:
    rng, state = b.rng, b.state
    ring = [c for c in street.communities if c.role == "ring"]
    # Units of the planted structures first (reserved: nothing else draws them). A bridge
    # group has two units of its own; the bridge unit alone ties it to the ring.
    for group in street.bridge_groups:
        local = b.draw(pool, 2)
        bridge = b.draw(pool, 1)[0]
        for u in (*local, bridge):
            u.reserved = True
        for c in group:
            for u in local:
                b.tie(u, c)
        for c, u in zip(group, local, strict=True):
            b.tie(u, c, LinkType.RESPONSIBLE_UNIT, lead=True)
        b.tie(bridge, group[0], LinkType.CO_BUILDING)
        for other in _sample(rng, ring, int(rng.integers(1, 3))):
            b.tie(bridge, other, LinkType.CO_BUILDING)
        state.plant("bridge_unit", bridge.id)
        b.bridges.add(bridge.id)
    for c in street.communities:
        if c.role == "single":
            single = b.draw(pool, 1)[0]
            single.reserved = True
            b.tie(single, c, LinkType.CO_BUILDING)
            b.tie(single, c, LinkType.RESPONSIBLE_UNIT, lead=True)
            for other in _sample(rng, ring, 2):  # a real unit with other partners too
                b.tie(single, other)
            state.plant("single_unit_dependency", c.id)
        elif c.role == "no_unit":
            state.plant("community_without_cobuilding_unit", c.id)

    # The ring: unit i ties ring communities i and i+1.
    ring_units = b.draw(pool, len(ring))
    if len(ring_units) < len(ring):
        msg = f"street {street.name} has too few units for its co-building ring; raise `units`"
        raise ValueError(msg)
    for i, u in enumerate(ring_units):
        b.tie(u, ring[i])
        b.tie(u, ring[(i + 1) % len(ring)])

    # More partners per ring community, and its responsible units (one of them the lead).
    responsible = [u for u in [*pool, *city_units]
                   if u.kind in (UnitKind.AGENCY, UnitKind.INSTITUTION)]
    for c in ring:
        for u in b.draw(pool, int(rng.integers(1, 4))):
            b.tie(u, c)
        chosen = b.draw(responsible, int(rng.integers(1, 4)))
        for k, u in enumerate(chosen):
            b.tie(u, c, LinkType.RESPONSIBLE_UNIT, lead=(k == 0 and not c.no_lead))
        if c.no_lead:
            state.plant("community_without_lead_unit", c.id)


def _city_ring(b: _Builder, city_units: list[Unit]) -> None:
    """City-level units join the streets into a ring, plus some wider partnerships."""
    rng, streets = b.rng, b.state.streets
    rings = [[c for c in s.communities if c.role == "ring"] for s in streets]
    connectors = b.draw(city_units, len(streets))
    for s, u in enumerate(connectors):
        b.tie(u, rings[s][int(rng.integers(len(rings[s])))])
        nxt = rings[(s + 1) % len(streets)]
        b.tie(u, nxt[int(rng.integers(len(nxt)))])
    every = [c for r in rings for c in r]
    for u in b.draw(city_units, len(city_units)):
        for c in _sample(rng, every, int(rng.integers(0, 4))):
            b.tie(u, c)


def _street_platforms(b: _Builder, street: Street, pool: list[Unit],
                      city_units: list[Unit]) -> None:
    rng, state = b.rng, b.state
    joined = [c for c in street.communities if c.role in ("ring", "single", "no_unit")]
    big = "大工委" if street.kind is TerritoryKind.STREET else "大党委"  # 街道大工委 / 乡镇大党委

    jm = b.platform(PlatformKind.JOINT_MEETING, f"{street.name}党建联席会议", street.id,
                    street.committee)
    state.task_platforms.append((jm, street))
    b.member(street.committee, jm)
    for c in joined:
        b.comm_member(c, jm)
    for u in [*b.draw(pool, int(rng.integers(3, 7))), *b.draw(city_units, int(rng.integers(1, 3)))]:
        b.member(u.id, jm)

    ec = b.platform(PlatformKind.EXPANDED_COMMITTEE, street.name + big, street.id,
                    street.committee)
    b.member(street.committee, ec)
    for u in [*b.draw(pool, int(rng.integers(3, 7))), *b.draw(city_units, int(rng.integers(1, 3)))]:
        b.member(u.id, ec)

    swc = b.platform(PlatformKind.SOCIAL_WORK_COMMITTEE, f"{street.name}社工委", street.id,
                     street.committee)
    b.member(street.committee, swc)
    for c in joined:
        if c.role == "no_unit" or rng.random() < 0.6:
            b.comm_member(c, swc)
    socials = [u for u in pool if u.kind is UnitKind.SOCIAL_ORGANIZATION]
    for u in b.draw(socials, 5):
        b.member(u.id, swc)

    _work_teams(b, street, joined, pool)
    for group in street.bridge_groups:  # the group's own feedback channel, tied to nothing else
        wt = b.platform(PlatformKind.WORK_TEAM,
                        f"{group[0].name}{words.pick(rng, words.WORK_TOPICS)}工作专班", group[0].id,
                        group[0].committee)
        for c in group:
            b.comm_member(c, wt)


def _work_teams(b: _Builder, street: Street, joined: list[Community], pool: list[Unit]) -> None:
    """Work teams (工作专班), the upward feedback channel of the street and its communities.

    A planted street gets only community-level teams it has no part in; planted communities
    are members of none.
    """
    rng, state = b.rng, b.state
    eligible = [c for c in joined if not c.no_feedback]
    for c in joined:
        if c.no_feedback:
            state.plant("no_feedback_channel", c.committee)
    topics = rng.permutation(words.WORK_TOPICS)
    teams = []
    for k in range(int(rng.integers(2, 4))):
        if street.no_feedback:
            host = eligible[k % len(eligible)]
            name, territory, convener = f"{host.name}{topics[k]}工作专班", host.id, host.committee
        else:
            name, territory, convener = f"{street.name}{topics[k]}工作专班", street.id, \
                street.committee
        wt = b.platform(PlatformKind.WORK_TEAM, name, territory, convener)
        teams.append(wt)
        state.task_platforms.append((wt, street))
        if street.no_feedback:
            b.comm_member(host, wt)
        else:
            b.member(street.committee, wt)
        for u in b.draw(pool, int(rng.integers(0, 3))):
            b.member(u.id, wt)
    if street.no_feedback:
        state.plant("no_feedback_channel", street.committee)
    for c in eligible:
        for wt in _sample(rng, teams, 1 + int(rng.random() < 0.3)):
            b.comm_member(c, wt)


def _community_platforms(b: _Builder) -> None:
    """Community expanded committees (社区大党委) and vanguard teams (尖刀班)."""
    rng = b.rng
    for c in b.state.communities:
        partners = [u for u in b.comm_units[c.id] if u.id not in b.bridges]
        if c.role == "ring" and rng.random() < 0.3:
            ec = b.platform(PlatformKind.EXPANDED_COMMITTEE, f"{c.name}大党委", c.id, c.committee)
            b.comm_member(c, ec)
            for u in _sample(rng, partners, 4):
                b.member(u.id, ec)
        if rng.random() < 0.5:
            c.vanguard = b.platform(PlatformKind.VANGUARD_TEAM, f"{c.name}尖刀班", c.id,
                                    c.committee)
            b.comm_member(c, c.vanguard)
            for u in _sample(rng, partners, int(rng.integers(0, 3))):
                b.member(u.id, c.vanguard)


def _clusters(b: _Builder) -> None:
    """Clusters (片区) of two or three neighbouring townships."""
    towns = [s for s in b.state.streets if s.kind is TerritoryKind.TOWNSHIP]
    k = 0
    while len(towns) - k >= 2:
        size = 3 if len(towns) - k in (3, 5) else 2
        group = towns[k: k + size]
        k += size
        name = "—".join(t.name.removesuffix("镇").removesuffix("乡") for t in group) + "片区"
        cl = b.platform(PlatformKind.CLUSTER, name, group[0].id, group[0].committee)
        for t in group:
            b.member(t.committee, cl)


def _claims(b: _Builder) -> None:
    """Units tied to a community claim its unmanaged compounds, except the planted ones."""
    rng, state = b.rng, b.state
    unmanaged = [(c, p) for c in state.communities for p in c.compounds if not p.managed]
    n = state.rates.count("unclaimed_unmanaged_compound", len(unmanaged))
    unclaimed = {int(i) for i in rng.permutation(len(unmanaged))[:n]}
    for i, (c, p) in enumerate(unmanaged):
        partners = [u for u in b.comm_units[c.id] if u.id not in b.bridges]
        if i in unclaimed or not partners:
            state.plant("unclaimed_unmanaged_compound", p.id)
            continue
        b.claim(partners[int(rng.integers(len(partners)))], p.id)


def _plant_weak_ties(b: _Builder) -> None:
    """Turn some clean scored ties into paper ties; record the strong ones for resources."""
    rng, state = b.rng, b.state
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in b.rows:
        if row["type"] in SCORED_LINKS:
            pairs.setdefault((row["_unit"].id, row["_comm"].id), []).append(row)
    # Only a pair with a single tie, between a free unit and a ring community: weakening it
    # changes nothing else (its resources are left out, other ties of the pair stay strong).
    candidates = [rows[0] for rows in pairs.values()
                  if len(rows) == 1 and not rows[0]["_unit"].reserved
                  and rows[0]["_comm"].role == "ring"]
    n = state.rates.count("weak_tie", sum(len(r) for r in pairs.values()))
    weak = {id(candidates[int(i)]) for i in rng.permutation(len(candidates))[:n]}
    for rows in pairs.values():
        row = rows[0]
        if id(row) in weak:
            row.update(since=REF_YEAR - int(rng.integers(0, 2)),
                       meetings_per_year=int(rng.integers(0, 2)),
                       activities=int(rng.integers(0, 2)), initiated_by=Initiator.TARGET)
            state.weak_ties.append((row["source_id"], row["target_id"]))
            state.plant("weak_tie", f"{row['source_id']}->{row['target_id']}")
        else:
            state.strong_ties.append((row["source_id"], row["target_id"]))


def _plant_low_attendance(b: _Builder) -> None:
    rng, state = b.rng, b.state
    members = [r for r in b.rows if r["type"] is LinkType.MEMBERSHIP]
    for i in rng.permutation(len(members))[: state.rates.count("low_attendance", len(members))]:
        row = members[int(i)]
        row["attendance_rate"] = round(float(rng.uniform(0.05, 0.28)), 2)
        state.plant("low_attendance", f"{row['source_id']}->{row['target_id']}")


def _sample(rng: np.random.Generator, items: list[Any], k: int) -> list[Any]:
    return [items[int(i)] for i in rng.permutation(len(items))[:k]]
