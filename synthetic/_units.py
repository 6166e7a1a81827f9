"""Co-building units, their party organizations and the committees of new business areas.

Clean: a unit with 3 or more party members has a ``unit_org`` (reporting to its street's
committee, or the city committee for units stationed at city level); a unit without one has at
most 2. A business area where 3 or more formal members work has a ``business_area_committee``;
the one small area left without has a single unit of at most 2 members. Planted: units with
3+ members and no organization, business areas with 3+ formal members and no committee, and a
cycle of 2–3 unit organizations reporting to each other (org_unreachable).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from graphmodel.schema import AdminRank, OrgKind, UnitKind
from synthetic import _names as words
from synthetic._state import Area, CityState, Street, Unit

# Party members of a unit by kind and rank: (low, high) of a log-uniform draw.
_PARTY_MEMBERS: dict[tuple[UnitKind, AdminRank], tuple[int, int]] = {
    (UnitKind.AGENCY, AdminRank.PROVINCE): (40, 200), (UnitKind.AGENCY, AdminRank.CITY): (30, 200),
    (UnitKind.AGENCY, AdminRank.COUNTY): (15, 120), (UnitKind.AGENCY, AdminRank.SECTION): (5, 40),
    (UnitKind.INSTITUTION, AdminRank.PROVINCE): (60, 500),
    (UnitKind.INSTITUTION, AdminRank.CITY): (40, 400),
    (UnitKind.INSTITUTION, AdminRank.COUNTY): (20, 150),
    (UnitKind.INSTITUTION, AdminRank.SECTION): (5, 50),
    (UnitKind.SOE, AdminRank.PROVINCE): (50, 600), (UnitKind.SOE, AdminRank.CITY): (30, 500),
    (UnitKind.SOE, AdminRank.COUNTY): (10, 120), (UnitKind.SOE, AdminRank.SECTION): (4, 30),
    (UnitKind.FUNCTIONAL_DEPARTMENT, AdminRank.COUNTY): (10, 60),
    (UnitKind.FUNCTIONAL_DEPARTMENT, AdminRank.SECTION): (4, 40),
}


def build_units(state: CityState) -> None:
    """Create units, unit organizations and business-area committees, problems included."""
    rng = state.rng("units")
    names = _UnitNamer(state, rng)
    spec = state.spec

    for kind, rank, name in _city_level(state, rng):
        _add_unit(state, rng, names, kind, rank, name, None, state.city_territory)
    for street in state.streets:
        for kind, rank, name in _street_level(state, rng, street):
            where = (street.id if kind is UnitKind.FUNCTIONAL_DEPARTMENT or rank is AdminRank.COUNTY
                     else _random_community(rng, street))
            _add_unit(state, rng, names, kind, rank, name, street, where)
    _add_two_new(state, rng, names, max(0, spec.units - len(state.units)))
    _add_orgs(state, rng)


def _city_level(state: CityState, rng: np.random.Generator
                ) -> Iterator[tuple[UnitKind, AdminRank, str]]:
    """Units stationed at city level: bureaus, hospitals, SOEs, a few provincial ones."""
    city = state.name
    pool: list[tuple[UnitKind, AdminRank, str]] = []
    pool += [(UnitKind.AGENCY, AdminRank.CITY, city + d) for d in words.DEPARTMENTS]
    pool += [(UnitKind.INSTITUTION, AdminRank.CITY, city + d) for d in words.CITY_INSTITUTIONS]
    pool += [(UnitKind.SOE, AdminRank.CITY, t.format(city=city)) for t in words.CITY_SOES]
    pool += [(UnitKind(k), AdminRank.PROVINCE,
              t.format(prov=words.PROVINCE, city=city, short=city[:-1],
                       n=int(rng.integers(101, 909))))
             for k, t in words.PROVINCE_UNITS]
    n = min(len(pool), max(12, round(0.08 * state.spec.units)))
    # One of each (kind, rank) first, so every kind and rank is in even the smallest city.
    order = [int(i) for i in rng.permutation(len(pool))]
    firsts = list({pool[i][:2]: i for i in reversed(order)}.values())
    chosen = firsts + [i for i in order if i not in firsts][: n - len(firsts)]
    for i in sorted(chosen):
        yield pool[i]


def _street_level(state: CityState, rng: np.random.Generator, street: Street
                  ) -> Iterator[tuple[UnitKind, AdminRank, str]]:
    """Functional departments stationed in the street, county and section units."""
    short = street.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    fmt = {"city": state.name, "street": short}
    for i in sorted(rng.permutation(len(words.FUNCTIONAL))[: int(rng.integers(5, 8))]):
        rank, template = words.FUNCTIONAL[int(i)]
        yield UnitKind.FUNCTIONAL_DEPARTMENT, AdminRank(rank), template.format(**fmt)
    for rank, templates, count in ((AdminRank.COUNTY, words.COUNTY_UNITS, (2, 5)),
                                   (AdminRank.SECTION, words.SECTION_UNITS, (2, 5))):
        for _ in range(int(rng.integers(*count))):
            kind, template = templates[int(rng.integers(len(templates)))]
            yield UnitKind(kind), rank, template.format(
                **fmt, dept=words.pick(rng, words.DEPARTMENTS), n=int(rng.integers(2, 30)))


def _random_community(rng: np.random.Generator, street: Street) -> str:
    return street.communities[int(rng.integers(len(street.communities)))].id


def _add_unit(state: CityState, rng: np.random.Generator, names: _UnitNamer, kind: UnitKind,
              rank: AdminRank, name: str, street: Street | None, territory: str,
              party_members: int | None = None) -> Unit:
    if party_members is None:
        lo, hi = _PARTY_MEMBERS.get((kind, rank), (3, 60))
        party_members = int(np.exp(rng.uniform(np.log(lo), np.log(hi + 1))))
    unit = Unit(state.mint.one("U"), names.unique(name), kind, rank, party_members, territory,
                street)
    state.units.append(unit)
    return unit


def _add_two_new(state: CityState, rng: np.random.Generator, names: _UnitNamer, n: int) -> None:
    """Private enterprises and social organizations (两新组织): many small ones without a party
    organization, some in the business areas."""
    streets = state.streets
    areas = state.areas
    # One small area (when there are three or more) stays below the three-member line on purpose.
    tiny = areas[-1] if len(areas) >= 3 else None
    for area in areas:
        count = 1 if area is tiny else int(rng.integers(2, 7))
        for k in range(count):
            pm = int(rng.integers(1, 3)) if area is tiny else int(rng.integers(3, 40))
            if area is not tiny and k >= 2 and rng.random() < 0.4:
                pm = int(rng.integers(0, 3))
            unit = _add_unit(state, rng, names, UnitKind.PRIVATE_ENTERPRISE, AdminRank.NONE,
                             names.firm(), area.street, area.id, pm)
            unit.area = area
            area.units.append(unit)
            n -= 1
    for _ in range(max(0, n)):
        street = streets[int(rng.integers(len(streets)))]
        social = rng.random() < 0.15
        small = rng.random() < (0.6 if social else 0.45)
        top = 15 if social else 80
        pm = (int(rng.integers(0, 3)) if small
              else int(np.exp(rng.uniform(np.log(3), np.log(top)))))
        kind = UnitKind.SOCIAL_ORGANIZATION if social else UnitKind.PRIVATE_ENTERPRISE
        name = names.social() if social else names.firm()
        _add_unit(state, rng, names, kind, AdminRank.NONE, name, street,
                  _random_community(rng, street), pm)


def _add_orgs(state: CityState, rng: np.random.Generator) -> None:
    rates = state.rates
    big = [u for u in state.units if u.party_members >= 3]
    two_new = [u for u in big if u.rank is AdminRank.NONE]
    order = rng.permutation(len(two_new))
    n_missing = rates.count("unit_without_org", len(big))
    for i in order[:n_missing]:
        unit = two_new[int(i)]
        unit.formal_workers = True  # its members are formal too, whichever count is used
        state.plant("unit_without_org", unit.id)
    without = {two_new[int(i)].id for i in order[:n_missing]}

    for unit in big:
        if unit.id in without:
            continue
        parent = unit.street.committee if unit.street else state.city_committee
        if unit.party_members >= 100:
            suffix = "机关党委" if unit.kind is UnitKind.AGENCY else "党委"
        else:
            suffix = "党总支" if unit.party_members >= 50 else "党支部"
        unit.org = state.add_org(OrgKind.UNIT_ORG, unit.name + suffix, parent, unit=unit.id)

    # The third kind of org_unreachable: 2–3 unit organizations reporting to each other.
    if rates.count("org_unreachable", 1):
        ring = [u.org for u in two_new if u.org is not None and u.area is None]
        size = 2 + int(rng.integers(2))
        cycle = [ring[int(i)] for i in rng.permutation(len(ring))[:size]]
        for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            state.orgs[a].parent = b
            state.plant("org_unreachable", a)

    _add_area_committees(state, rng)


def _add_area_committees(state: CityState, rng: np.random.Generator) -> None:
    def needs(area: Area) -> bool:
        return sum(u.party_members for u in area.units) >= 3

    needy = [a for a in state.areas if needs(a)]
    order = rng.permutation(len(needy))
    n_missing = state.rates.count("new_area_without_org", len(needy))
    planted = {needy[int(i)].id for i in order[:n_missing]}
    for area in needy:
        if area.id in planted:
            for unit in area.units:  # so 3+ formal members really work there
                unit.formal_workers = True
            state.plant("new_area_without_org", area.id)
            continue
        area.committee = state.add_org(OrgKind.BUSINESS_AREA_COMMITTEE, area.name + "党委",
                                       area.street.committee, area.id)


class _UnitNamer:
    """Unit names unique within the city."""

    def __init__(self, state: CityState, rng: np.random.Generator) -> None:
        self.city = state.name
        self.short = state.name[:-1]
        self.rng = rng
        self.used: set[str] = set()
        self.firms = [self.short + w + t + f for w in words.FIRM_WORDS for t in words.FIRM_TRADES
                      for f in dict.fromkeys(words.FIRM_FORMS)]
        self.socials = [t.format(city=self.short, word=w) for t in words.SOCIAL_UNITS
                        for w in words.FIRM_WORDS]
        self.decks: dict[int, list[int]] = {}

    def unique(self, name: str) -> str:
        base, k = name, 1
        while name in self.used:
            k += 1
            name = f"{base}（{words.numbered(k)}）"
        self.used.add(name)
        return name

    def _deal(self, pool: list[str]) -> str:
        # Without replacement until the pool runs out, so numbered repeats stay rare.
        deck = self.decks.setdefault(id(pool), [])
        if not deck:
            deck.extend(int(i) for i in self.rng.permutation(len(pool)))
        return pool[deck.pop()]

    def firm(self) -> str:
        return self._deal(self.firms)

    def social(self) -> str:
        return self._deal(self.socials)

