"""The five-level party chain and the mass organizations, with planted chain defects.

Clean: every territory has the organization of its level, whose parent is the organization of
the parent territory (city committee at the top); every compound has a 业委会 led by its group.
Planted (recorded in the answer key): territories without their organization (a compound, or a
grid together with its compounds), compounds without 业委会, compound groups with no or a
dangling parent (org_unreachable), grid branches reporting to the street (org_skips_level) or to
another community's committee (org_territory_mismatch). Cycles of unit organizations, the third
kind of org_unreachable, are planted in ``_units``.
"""

from __future__ import annotations

import numpy as np

from graphmodel.schema import EXPECTED_ORG, OrgKind, TerritoryKind
from synthetic import _names as words
from synthetic._state import CityState, Community, Compound, Grid


def build_chain(state: CityState) -> None:
    """Add the chain and mass organizations of ``state``'s territories, defects included."""
    rng = state.rng("chain")
    missing_grids, missing_compounds, no_owners = _pick_missing(state, rng)

    state.city_committee = state.add_org(OrgKind.CITY_COMMITTEE, f"{state.name}委", None,
                                         state.city_territory)
    for street in state.streets:
        suffix = "党工委" if street.kind is TerritoryKind.STREET else "党委"
        street.committee = state.add_org(EXPECTED_ORG[street.kind], street.name + suffix,
                                         state.city_committee, street.id)
        for comm in street.communities:
            suffix = "党委" if comm.kind is TerritoryKind.COMMUNITY else "党支部"
            comm.committee = state.add_org(EXPECTED_ORG[comm.kind], comm.name + suffix,
                                           street.committee, comm.id)
            _add_community_mass_orgs(state, rng, comm)
            for grid in comm.grids:
                if grid not in missing_grids:
                    grid.branch = state.add_org(OrgKind.GRID_BRANCH, grid.name + "党支部",
                                                comm.committee, grid.id)
                for cp in grid.compounds:
                    if cp not in missing_compounds:
                        cp.group = state.add_org(OrgKind.COMPOUND_GROUP, cp.name + "党小组",
                                                 grid.branch, cp.id)
                    _add_compound_mass_orgs(state, rng, cp, with_owners=cp not in no_owners)

    missing: list[Grid | Compound] = [*missing_grids, *missing_compounds]
    for t in missing:
        state.plant("territory_without_org", t.id)
    for cp in no_owners:
        state.plant("compound_without_owners_committee", cp.id)
    _plant_broken_parents(state, rng, missing_grids)


def _pick_missing(state: CityState, rng: np.random.Generator
                  ) -> tuple[set[Grid], set[Compound], set[Compound]]:
    """Grids and compounds left without their organization, compounds without 业委会."""
    comms = state.communities
    grids = [g for c in comms for g in c.grids]
    compounds = state.compounds
    n = state.rates.count("territory_without_org", len(grids) + len(compounds))
    # About a third of the planted territories are grids with their compounds (at least one
    # grid), the rest single compounds; a grid only where the community keeps another grid
    # with a branch, so every community has a grid branch for its tasks.
    budget = n // 3
    missing_grids: set[Grid] = set()
    for gi in rng.permutation(len(grids)):
        g = grids[int(gi)]
        cost = 1 + len(g.compounds)
        if n == 0 or (missing_grids and cost > budget):
            break
        if sum(x not in missing_grids for x in g.community.grids) > 1:
            missing_grids.add(g)
            budget -= cost
    missing_compounds = {cp for g in missing_grids for cp in g.compounds}
    free = [cp for cp in compounds if cp.grid not in missing_grids]
    order = rng.permutation(len(free))
    n_cp = max(0, n - len(missing_grids) - sum(len(g.compounds) for g in missing_grids))
    missing_compounds |= {free[int(i)] for i in order[:n_cp]}
    rest = [free[int(i)] for i in order[n_cp:]]
    n_owners = state.rates.count("compound_without_owners_committee", len(compounds))
    no_owners = {rest[int(i)] for i in rng.permutation(len(rest))[:n_owners]}
    return missing_grids, missing_compounds, no_owners


def _add_community_mass_orgs(state: CityState, rng: np.random.Generator, comm: Community) -> None:
    add = state.add_org
    for k in range(int(rng.integers(1, 4))):
        add(OrgKind.RESIDENTS_GROUP, f"{comm.name}第{words.numbered(k + 1)}居民小组",
            comm.committee, comm.id)
    add(OrgKind.YOUTH_LEAGUE, f"{comm.name}团支部", comm.committee, comm.id)
    add(OrgKind.WOMENS_FEDERATION, f"{comm.name}妇联", comm.committee, comm.id)
    for soc in rng.permutation(words.SOCIETIES)[: int(rng.integers(0, 3))]:
        add(OrgKind.SOCIAL_ORG, f"{comm.name}{soc}", comm.committee, comm.id)
    add(OrgKind.VOLUNTEER_TEAM, f"{comm.name}{words.pick(rng, words.VOLUNTEERS)}志愿服务队",
        comm.committee, comm.id)


def _add_compound_mass_orgs(state: CityState, rng: np.random.Generator, cp: Compound,
                            with_owners: bool) -> None:
    # Led by the compound group, or the nearest party organization above when it is missing.
    leader = cp.group or cp.grid.branch or cp.grid.community.committee
    if with_owners:
        state.add_org(OrgKind.OWNERS_COMMITTEE, f"{cp.name}业主委员会", leader, cp.id)
    if cp.managed:
        firm = words.pick(rng, words.PROPERTY_WORDS)
        state.add_org(OrgKind.PROPERTY_COMPANY, f"{firm}物业{cp.name}服务中心", leader, cp.id)


def _plant_broken_parents(state: CityState, rng: np.random.Generator,
                          missing_grids: set[Grid]) -> None:
    rates = state.rates
    groups = [cp.group for cp in state.compounds if cp.group is not None]
    # org_unreachable on compound groups: alternately no parent and a parent id that does
    # not exist (at least one of each); unit-org cycles come in _units.
    n = rates.count("org_unreachable", len(groups))
    if n:
        for k, i in enumerate(rng.permutation(len(groups))[: max(2, n)]):
            org = state.orgs[groups[int(i)]]
            org.parent = None if k % 2 == 0 else state.mint.dangling("O")
            state.plant("org_unreachable", org.id)

    grids = [(g, g.branch) for c in state.communities for g in c.grids
             if g.branch is not None and g not in missing_grids]
    order = rng.permutation(len(grids))
    n_skip = rates.count("org_skips_level", len(grids))
    n_mismatch = rates.count("org_territory_mismatch", len(grids))
    for i in order[:n_skip]:  # a grid branch reporting straight to its street
        g, branch = grids[int(i)]
        state.orgs[branch].parent = g.community.street.committee
        state.plant("org_skips_level", branch)
    for i in order[n_skip: n_skip + n_mismatch]:  # to another community's committee
        g, branch = grids[int(i)]
        others = [c for c in g.community.street.communities if c is not g.community]
        state.orgs[branch].parent = others[int(rng.integers(len(others)))].committee
        state.plant("org_territory_mismatch", branch)
