"""Territories of one city: streets and townships, communities and villages, grids, compounds,
and new business areas, with Chinese names and household counts."""

from __future__ import annotations

import numpy as np

from graphmodel.schema import TerritoryKind
from synthetic import _names as words
from synthetic._state import Area, CityState, Community, Compound, Grid, Street


def build_territories(state: CityState) -> None:
    """Create the territory tree of ``state`` (objects only; rows are written by ``_frames``)."""
    rng = state.rng("territory")
    spec = state.spec
    state.city_territory = state.mint.one("T", "CT")

    n_l2 = spec.streets + spec.townships
    street_names = rng.permutation(words.STREETS)[: spec.streets]
    town_names = rng.permutation(words.TOWNSHIPS)[: spec.townships]
    # Communities spread evenly over the level-2 territories, villages in the townships.
    per = np.full(n_l2, spec.communities // n_l2)
    per[: spec.communities % n_l2] += 1
    comm_names = iter(words.unique_names(rng, words.COMMUNITY_HEADS, words.COMMUNITY_TAILS,
                                     int(per[: spec.streets].sum()), "社区"))
    vill_names = iter(words.unique_names(rng, words.VILLAGE_HEADS, words.VILLAGE_TAILS,
                                     int(per[spec.streets:].sum()), "村"))
    namer = _CompoundNamer(rng)

    for i in range(n_l2):
        township = i >= spec.streets
        if township:
            name = str(town_names[i - spec.streets]) + words.pick(rng, words.TOWNSHIP_SUFFIX)
            kind = TerritoryKind.TOWNSHIP
        else:
            name = str(street_names[i]) + "街道"
            kind = TerritoryKind.STREET
        street = Street(state.mint.one("T", "ST"), name, kind, i)
        state.streets.append(street)
        for _ in range(int(per[i])):
            ckind = TerritoryKind.VILLAGE if township else TerritoryKind.COMMUNITY
            cname = next(vill_names if township else comm_names)
            comm = Community(state.mint.one("T", "CM"), cname, ckind, street)
            street.communities.append(comm)
            _add_grids(state, rng, comm, namer)

    _add_business_areas(state, rng)


def _add_grids(state: CityState, rng: np.random.Generator, comm: Community,
               namer: _CompoundNamer) -> None:
    lo, hi = state.spec.grids_per_community
    clo, chi = state.spec.compounds_per_grid
    village = comm.kind is TerritoryKind.VILLAGE
    for g in range(int(rng.integers(lo, hi + 1))):
        grid = Grid(state.mint.one("T", "GR"), f"{comm.name}第{words.numbered(g + 1)}网格", comm)
        comm.grids.append(grid)
        for _ in range(int(rng.integers(clo, chi + 1))):
            # Village yards are numbered through the village (一组, 二组 ...), not per grid.
            k = sum(len(x.compounds) for x in comm.grids)
            name, households, managed = namer.next(comm, village, k)
            grid.compounds.append(Compound(state.mint.one("T", "CP"), name, households,
                                           managed, grid))


class _CompoundNamer:
    """Compound names: new estates (幸福里小区), old work-unit yards (机床厂宿舍院落,
    建设路12号院落), village yards (李家坪三组院落); older and rural ones are mostly unmanaged."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        phases = ("", "一期", "二期", "三期", "东区", "西区", "南区", "北区")
        self.combos = [c + p for p in phases for c in words.combine(words.COMPOUND_HEADS,
                                                                   words.COMPOUND_TAILS)]
        self.order: list[int] = []
        self.old_used: set[str] = set()

    def _new_name(self) -> str:
        # Estate names repeat across a big city once every combination is used, as real ones do.
        if not self.order:
            self.order = list(self.rng.permutation(len(self.combos)))
        return self.combos[self.order.pop()]

    def next(self, comm: Community, village: bool, k: int) -> tuple[str, int, bool]:
        rng = self.rng
        if village:
            return (f"{comm.name}{words.numbered(k + 1)}组院落", int(rng.integers(20, 120)),
                    bool(rng.random() < 0.1))
        if rng.random() < 0.2:  # an old yard
            for _ in range(50):
                if rng.random() < 0.4:
                    name = words.pick(rng, words.OLD_COMPOUNDS) + "院落"
                else:
                    name = f"{words.pick(rng, words.ROADS)}{int(rng.integers(1, 300))}号院落"
                if name not in self.old_used:
                    break
            else:  # every old name used: fall back to a new estate
                return self._new_name(), int(rng.integers(150, 1500)), True
            self.old_used.add(name)
            return name, int(rng.integers(40, 300)), bool(rng.random() < 0.3)
        return self._new_name(), int(rng.integers(150, 1500)), bool(rng.random() < 0.95)


def _add_business_areas(state: CityState, rng: np.random.Generator) -> None:
    n = state.spec.business_areas
    names = words.unique_names(rng, words.AREA_HEADS, words.AREA_TAILS, n)
    streets = [s for s in state.streets if s.kind is TerritoryKind.STREET] or state.streets
    for i in range(n):
        street = streets[i % len(streets)] if i < len(streets) else streets[
            int(rng.integers(len(streets)))]
        state.areas.append(Area(state.mint.one("T", "BA"), names[i], street))
