"""Decide which communities and streets carry a planted network problem, before any tie exists.

The roles are disjoint, so one planted problem does not produce another by accident, and each
street keeps a ring of at least three clean communities: the ring is what makes the clean part
of the co-building network free of articulation points (see ``_network``).
"""

from __future__ import annotations

from synthetic._state import CityState, Community

MIN_RING = 3


def plan_roles(state: CityState) -> None:
    """Set ``role``, ``no_lead`` and ``no_feedback`` on communities and streets of ``state``."""
    rng = state.rng("plan")
    rates = state.rates
    comms = state.communities

    def ring(street_comms: list[Community]) -> list[Community]:
        return [c for c in street_comms if c.role == "ring"]

    # Bridge groups: two neighbouring communities cut off from their street but for one unit.
    for si in rng.permutation(len(state.streets))[: rates.count("bridge_unit",
                                                               len(state.streets))]:
        street = state.streets[int(si)]
        members = ring(street.communities)
        if len(members) - 2 < MIN_RING:
            continue
        start = int(rng.integers(len(members)))
        group = [members[start], members[(start + 1) % len(members)]]
        for c in group:
            c.role = "bridge"
        street.bridge_groups.append(group)

    # Communities taken out of the ring: no co-building unit at all, or a single unit.
    for role, check in (("no_unit", "community_without_cobuilding_unit"),
                        ("single", "single_unit_dependency")):
        wanted = rates.count(check, len(comms))
        for ci in rng.permutation(len(comms)):
            if wanted == 0:
                break
            c = comms[int(ci)]
            if c.role == "ring" and len(ring(c.street.communities)) > MIN_RING:
                c.role = role
                wanted -= 1

    # Flags that leave the community in the ring.
    free = [c for c in comms if c.role == "ring"]
    order = rng.permutation(len(free))
    n_lead = rates.count("community_without_lead_unit", len(comms))
    n_feedback = rates.count("no_feedback_channel", len(comms))
    for k, ci in enumerate(order[: n_lead + n_feedback]):
        if k < n_lead:
            free[int(ci)].no_lead = True
        else:
            free[int(ci)].no_feedback = True
    for si in rng.permutation(len(state.streets))[: rates.count("no_feedback_channel",
                                                               len(state.streets))]:
        state.streets[int(si)].no_feedback = True

    # A community without co-building units is claimed by nobody: keep its compounds managed,
    # so it does not also show up as unclaimed_unmanaged_compound.
    for c in comms:
        if c.role == "no_unit":
            for p in c.compounds:
                p.managed = True
