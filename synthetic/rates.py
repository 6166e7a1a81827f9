"""How often each problem of FINDINGS.md is planted, and the check codes themselves."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from graphmodel.checks import CHECKS as REGISTRY

__all__ = ["CHECKS", "PlantRates"]

# Check code -> question, in the order of FINDINGS.md (the answer key keeps this order): read
# from the registry, the one place that spells out the codes.
CHECKS: dict[str, str] = {spec.code: spec.question for spec in REGISTRY}


@dataclass(frozen=True)
class PlantRates:
    """Share of each population that gets a planted problem, one field per check code.

    A positive rate plants at least one instance per city, so every check shows up even in the
    small dataset; a rate of 0 plants none (``PlantRates.none()`` gives a clean dataset).
    The population each rate applies to:

    - territory_without_org: grids and compounds (a planted grid takes its compounds along)
    - compound_without_owners_committee, unclaimed_unmanaged_compound: compounds, unmanaged ones
    - unit_without_org: units with 3+ party members; new_area_without_org: business areas
    - org_unreachable: compound groups (missing parent, dangling parent, unit-org cycles)
    - org_skips_level, org_territory_mismatch: grid branches
    - member_without_org: members; cadre_low_contact: sent-down cadres
    - community_without_cobuilding_unit, community_without_lead_unit, single_unit_dependency:
      communities and villages
    - weak_tie: scored ties; low_attendance: platform memberships
    - bridge_unit, no_feedback_channel: streets/townships (no_feedback_channel also communities)
    - backflow_path, ping_pong, misplaced_responsibility: tasks
    """

    territory_without_org: float = 0.02
    compound_without_owners_committee: float = 0.03
    unit_without_org: float = 0.03
    new_area_without_org: float = 0.1
    org_unreachable: float = 0.005
    org_skips_level: float = 0.02
    org_territory_mismatch: float = 0.02
    member_without_org: float = 0.01
    community_without_cobuilding_unit: float = 0.02
    community_without_lead_unit: float = 0.03
    unclaimed_unmanaged_compound: float = 0.1
    weak_tie: float = 0.04
    single_unit_dependency: float = 0.02
    bridge_unit: float = 0.2
    low_attendance: float = 0.04
    cadre_low_contact: float = 0.05
    backflow_path: float = 0.02
    ping_pong: float = 0.02
    misplaced_responsibility: float = 0.02
    no_feedback_channel: float = 0.04

    def __post_init__(self) -> None:
        bad = [f.name for f in fields(self)
               if not isinstance(getattr(self, f.name), int | float)
               or not 0 <= getattr(self, f.name) <= 0.5]
        if bad:
            msg = f"plant rates must be numbers from 0 to 0.5: {', '.join(bad)}"
            raise ValueError(msg)

    @classmethod
    def none(cls) -> PlantRates:
        """Rates that plant nothing: a dataset a correct diagnosis finds clean."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    def with_rates(self, overrides: dict[str, float]) -> PlantRates:
        """A copy with some rates changed; ``all`` sets every rate first, then the others.

        Raises
        ------
        ValueError
            An unknown check code, or a rate outside 0 to 0.5.

        Examples
        --------
        >>> PlantRates().with_rates({"all": 0, "ping_pong": 0.1}).ping_pong
        0.1
        >>> PlantRates().with_rates({"all": 0, "ping_pong": 0.1}).weak_tie
        0
        """
        unknown = sorted(set(overrides) - set(CHECKS) - {"all"})
        if unknown:
            msg = (f"unknown check code(s) {', '.join(unknown)}: "
                   f"use one of {', '.join(CHECKS)} or all")
            raise ValueError(msg)
        base = self
        if "all" in overrides:
            base = replace(self, **dict.fromkeys(CHECKS, overrides["all"]))
        return replace(base, **{k: v for k, v in overrides.items() if k != "all"})

    def count(self, check: str, population: int) -> int:
        """How many of ``population`` get ``check`` planted: at least 1 when the rate is positive.

        Examples
        --------
        >>> PlantRates().count("weak_tie", 1000), PlantRates().count("weak_tie", 3)
        (40, 1)
        >>> PlantRates.none().count("weak_tie", 1000)
        0
        """
        rate = getattr(self, check)
        if rate <= 0 or population <= 0:
            return 0
        return min(population, max(1, round(rate * population)))


def _fields_are_the_registry() -> None:
    """One rate per check of the registry, in its order (raised at import: a check added to
    the registry needs its rate here)."""
    names = tuple(f.name for f in fields(PlantRates))
    if names != tuple(CHECKS):
        msg = (f"PlantRates fields {names} differ from the check registry "
               f"{tuple(CHECKS)} (graphmodel.checks)")
        raise RuntimeError(msg)


_fields_are_the_registry()
