"""The working state of one generated city: its entities as small objects, ids, random streams.

Builders (``_territory``, ``_units``, ``_network`` ...) each fill one part of a ``CityState``;
``_frames`` turns it into the DataFrames of the input contract. Tables with many rows (members,
tasks, steps) are built as arrays, the rest as objects because their structure matters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphmodel.schema import AdminRank, OrgKind, TerritoryKind, UnitKind
from synthetic.rates import CHECKS, PlantRates
from synthetic.scales import ScaleSpec

# The reference year: resources and tasks are dated in it, so it is the latest year in the data.
REF_YEAR = 2026

# Random streams, one per builder, so changing one builder leaves the others' output alone.
PHASES = ("territory", "plan", "chain", "units", "network", "resources", "members", "tasks")


@dataclass(eq=False)
class Org:
    """One organization row."""

    id: str
    name: str
    kind: OrgKind
    parent: str | None
    territory: str | None = None
    unit: str | None = None


@dataclass(eq=False)
class Compound:
    """A residential compound (小区/院落)."""

    id: str
    name: str
    households: int
    managed: bool
    grid: Grid
    group: str | None = None  # its compound_group org id


@dataclass(eq=False)
class Grid:
    """A grid (网格) of a community."""

    id: str
    name: str
    community: Community
    compounds: list[Compound] = field(default_factory=list)
    branch: str | None = None  # its grid_branch org id


@dataclass(eq=False)
class Community:
    """A community or village and the role the planner gave it in the co-building network."""

    id: str
    name: str
    kind: TerritoryKind
    street: Street
    committee: str = ""
    grids: list[Grid] = field(default_factory=list)
    # "ring" (clean, in the street's co-building ring), "bridge" (an isolated group hanging on
    # a bridge unit), "no_unit" (community_without_cobuilding_unit), "single" (single unit)
    role: str = "ring"
    no_lead: bool = False  # planted community_without_lead_unit
    no_feedback: bool = False  # planted no_feedback_channel
    vanguard: str | None = None  # its vanguard_team platform id

    @property
    def compounds(self) -> list[Compound]:
        """Every compound of every grid."""
        return [c for g in self.grids for c in g.compounds]


@dataclass(eq=False)
class Street:
    """A street (街道) or township (乡镇)."""

    id: str
    name: str
    kind: TerritoryKind
    index: int
    committee: str = ""
    communities: list[Community] = field(default_factory=list)
    no_feedback: bool = False  # planted no_feedback_channel on the street committee
    bridge_groups: list[list[Community]] = field(default_factory=list)


@dataclass(eq=False)
class Area:
    """A new business area (商圈/楼宇/园区)."""

    id: str
    name: str
    street: Street
    units: list[Unit] = field(default_factory=list)
    committee: str | None = None


@dataclass(eq=False)
class Unit:
    """A co-building unit."""

    id: str
    name: str
    kind: UnitKind
    rank: AdminRank
    party_members: int
    territory: str
    street: Street | None  # None for units stationed at city level
    area: Area | None = None
    org: str | None = None  # its unit_org id
    formal_workers: bool = False  # force those workers formal (planted three-member cases)
    reserved: bool = False  # held for a planted network structure: no other ties


class IdMint:
    """Readable ids unique across the whole dataset: ``T-01-CM00042``, ``M-01-0012345``.

    The city number keeps ids of a province's cities apart; the prefix keeps tables apart.
    """

    def __init__(self, city: int) -> None:
        self.cc = f"{city:02d}"
        self._next: dict[tuple[str, str], int] = defaultdict(int)

    def one(self, prefix: str, tag: str = "", width: int = 5) -> str:
        """The next id of ``prefix``/``tag``."""
        self._next[prefix, tag] += 1
        return f"{prefix}-{self.cc}-{tag}{self._next[prefix, tag]:0{width}d}"

    def block(self, prefix: str, n: int, width: int = 7) -> np.ndarray:
        """``n`` consecutive ids of ``prefix`` as an object array."""
        start = self._next[prefix, ""]
        self._next[prefix, ""] += n
        head = f"{prefix}-{self.cc}-"
        return np.array([f"{head}{i:0{width}d}" for i in range(start + 1, start + n + 1)],
                        dtype=object)

    def dangling(self, prefix: str) -> str:
        """An id in ``prefix``'s style that no row has (for planted unknown references)."""
        return self.one(prefix, "GONE", 4)


@dataclass(eq=False)
class CityState:
    """Everything generated so far for one city."""

    index: int
    seed: int
    spec: ScaleSpec
    rates: PlantRates
    name: str
    mint: IdMint
    orgs: dict[str, Org] = field(default_factory=dict)
    streets: list[Street] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    platform_rows: list[tuple[Any, ...]] = field(default_factory=list)
    link_rows: list[dict[str, Any]] = field(default_factory=list)
    resource_rows: list[tuple[Any, ...]] = field(default_factory=list)
    city_territory: str = ""
    city_committee: str = ""
    # Filled by the network builder, read by the resources and tasks builders.
    strong_ties: list[tuple[str, str]] = field(default_factory=list)  # (unit, target) as written
    weak_ties: list[tuple[str, str]] = field(default_factory=list)
    task_platforms: list[tuple[str, Street]] = field(default_factory=list)  # work teams, meetings
    # Filled by the members builder, read by the tasks builder: clean cadres per community id.
    cadres: dict[str, list[str]] = field(default_factory=dict)
    frames: dict[str, Any] = field(default_factory=dict)  # members, tasks, task_steps
    key: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in CHECKS})

    @property
    def communities(self) -> list[Community]:
        """Every community and village, street by street."""
        return [c for s in self.streets for c in s.communities]

    @property
    def compounds(self) -> list[Compound]:
        """Every compound of the city."""
        return [p for c in self.communities for p in c.compounds]

    def rng(self, phase: str) -> np.random.Generator:
        """The random stream of one builder (deterministic in seed, city and phase)."""
        return np.random.default_rng([self.seed, self.index, PHASES.index(phase)])

    def add_org(self, kind: OrgKind, name: str, parent: str | None, territory: str | None = None,
                unit: str | None = None, tag: str = "") -> str:
        """Add an organization row and return its id."""
        oid = self.mint.one("O", tag or _ORG_TAGS[kind])
        self.orgs[oid] = Org(oid, name, kind, parent, territory, unit)
        return oid

    def plant(self, check: str, subject: str) -> None:
        """Record a planted problem in the answer key."""
        self.key[check].add(subject)


_ORG_TAGS: dict[OrgKind, str] = {
    OrgKind.CITY_COMMITTEE: "CTY", OrgKind.STREET_WORKING_COMMITTEE: "STR",
    OrgKind.TOWNSHIP_COMMITTEE: "TWN", OrgKind.COMMUNITY_COMMITTEE: "COM",
    OrgKind.VILLAGE_COMMITTEE: "VIL", OrgKind.GRID_BRANCH: "GRD",
    OrgKind.COMPOUND_GROUP: "CPG", OrgKind.BUSINESS_AREA_COMMITTEE: "BAC",
    OrgKind.UNIT_ORG: "UNO", OrgKind.OWNERS_COMMITTEE: "OWN", OrgKind.RESIDENTS_GROUP: "RES",
    OrgKind.YOUTH_LEAGUE: "YTH", OrgKind.WOMENS_FEDERATION: "WMN", OrgKind.SOCIAL_ORG: "SOC",
    OrgKind.PROPERTY_COMPANY: "PRP", OrgKind.VOLUNTEER_TEAM: "VOL",
}
