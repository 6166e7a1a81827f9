"""Sizes of the synthetic datasets: ``small`` for tests, ``city`` and ``province`` for load."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCALES", "ScaleSpec", "get_scale"]


@dataclass(frozen=True)
class ScaleSpec:
    """How big one generated dataset is; every count is per city except ``cities``.

    ``streets`` and ``townships`` are the level-2 territories (townships hold villages, streets
    hold communities); ``communities`` counts communities and villages together.
    """

    name: str
    cities: int
    streets: int
    townships: int
    communities: int
    grids_per_community: tuple[int, int]
    compounds_per_grid: tuple[int, int]
    business_areas: int
    units: int
    members: int
    tasks: int

    def __post_init__(self) -> None:
        # The co-building ring needs >= 3 level-2 territories and room in each for planted
        # communities beside a ring of three; fail early on a spec that cannot give that.
        if self.cities < 1 or self.streets + self.townships < 3:
            msg = f"scale `{self.name}` needs at least 1 city and 3 streets/townships"
            raise ValueError(msg)
        if self.communities < 6 * (self.streets + self.townships):
            msg = f"scale `{self.name}` needs at least 6 communities per street/township"
            raise ValueError(msg)


SCALES: dict[str, ScaleSpec] = {
    s.name: s
    for s in (
        ScaleSpec("small", 1, 3, 2, 30, (3, 5), (2, 4), 4, 240, 6_000, 2_000),
        ScaleSpec("city", 1, 8, 4, 200, (4, 6), (8, 12), 20, 3_000, 150_000, 60_000),
        ScaleSpec("province", 10, 8, 4, 200, (4, 6), (8, 12), 20, 3_000, 150_000, 60_000),
    )
}


def get_scale(scale: str | ScaleSpec) -> ScaleSpec:
    """The spec named ``scale`` (``small``, ``city``, ``province``), or ``scale`` itself.

    Raises
    ------
    ValueError
        Unknown scale name.
    """
    if isinstance(scale, ScaleSpec):
        return scale
    try:
        return SCALES[scale]
    except KeyError:
        msg = f"unknown scale `{scale}`; choose one of {', '.join(SCALES)}"
        raise ValueError(msg) from None
