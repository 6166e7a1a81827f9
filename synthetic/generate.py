"""Generate synthetic datasets city by city, each with the answer key of its planted problems."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic import _names as words
from synthetic._chain import build_chain
from synthetic._frames import to_frames
from synthetic._members import build_members
from synthetic._network import build_network
from synthetic._plan import plan_roles
from synthetic._resources import build_resources
from synthetic._state import CityState, IdMint
from synthetic._tasks import build_tasks
from synthetic._territory import build_territories
from synthetic._units import build_units
from synthetic.rates import CHECKS, PlantRates
from synthetic.scales import ScaleSpec, get_scale

__all__ = ["CityData", "generate", "generate_dataset", "merge_answer_keys"]

logger = logging.getLogger(__name__)

# Builders in order; each reads what the earlier ones made.
_STEPS: tuple[tuple[str, Callable[[CityState], None]], ...] = (
    ("territories", build_territories), ("plan", plan_roles), ("chain", build_chain),
    ("units", build_units), ("network", build_network), ("resources", build_resources),
    ("members", build_members), ("tasks", build_tasks),
)


@dataclass(frozen=True)
class CityData:
    """One generated city (or several merged): a DataFrame per input table and the answer key.

    ``answer_key`` maps every check code of FINDINGS.md to the sorted subject ids planted
    for it (a tie is ``SOURCE_ID->TARGET_ID`` as written in ``links``).
    """

    index: int
    name: str
    frames: dict[str, pd.DataFrame]
    answer_key: dict[str, list[str]]

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(frame) for name, frame in self.frames.items()}


def generate(scale: str | ScaleSpec = "small", seed: int = 0,
             rates: PlantRates | None = None) -> Iterator[CityData]:
    """Yield the cities of a synthetic dataset one at a time (deterministic for ``seed``).

    Parameters
    ----------
    scale
        ``small`` (1 city, 5 streets/townships, 30 communities, 6k members, 2k tasks), ``city``
        (12 streets/townships, 200 communities, 10k compounds, 3k units, 150k members, 60k
        tasks), ``province`` (10 such cities), or a custom :class:`ScaleSpec`.
    seed
        Same seed, same data, byte for byte.
    rates
        How often each problem is planted; default :class:`PlantRates()`.

    Raises
    ------
    ValueError
        Unknown scale name.
    """
    spec = get_scale(scale)
    rates = rates or PlantRates()
    order = np.random.default_rng([seed, 0]).permutation(len(words.CITIES))
    for i in range(spec.cities):
        base = words.CITIES[int(order[i % len(order)])]
        name = base + ("" if i < len(order) else words.numbered(i // len(order) + 1)) + "市"
        yield generate_city(spec, seed, i + 1, rates, name)


def generate_city(spec: ScaleSpec, seed: int, index: int, rates: PlantRates,
                  name: str) -> CityData:
    """Generate city number ``index`` (1-based) of a dataset."""
    state = CityState(index=index, seed=seed, spec=spec, rates=rates, name=name,
                      mint=IdMint(index))
    started = time.perf_counter()
    for step, build in _STEPS:
        t0 = time.perf_counter()
        build(state)
        logger.debug("city %d %s: %.2fs", index, step, time.perf_counter() - t0)
    frames = to_frames(state)
    key = {check: sorted(state.key[check]) for check in CHECKS}
    logger.info("generated city %d (%s) in %.1fs", index, name, time.perf_counter() - started)
    return CityData(index, name, frames, key)


def merge_answer_keys(keys: Iterable[dict[str, list[str]]]) -> dict[str, list[str]]:
    """One answer key of several cities (every check code present, subjects sorted)."""
    merged: dict[str, set[str]] = {check: set() for check in CHECKS}
    for key in keys:
        for check, subjects in key.items():
            merged[check].update(subjects)
    return {check: sorted(subjects) for check, subjects in merged.items()}


def generate_dataset(scale: str | ScaleSpec = "small", seed: int = 0,
                     rates: PlantRates | None = None) -> CityData:
    """The whole dataset in memory (every city concatenated): for small and city scale.

    Examples
    --------
    >>> data = generate_dataset("small", seed=1)
    >>> sorted(data.frames)[:3], len(data.answer_key["weak_tie"]) > 0
    (['links', 'members', 'organizations'], True)
    """
    cities = list(generate(scale, seed, rates))
    if len(cities) == 1:
        return cities[0]
    frames = {name: pd.concat([c.frames[name] for c in cities], ignore_index=True)
              for name in cities[0].frames}
    return CityData(0, "、".join(c.name for c in cities), frames,
                    merge_answer_keys(c.answer_key for c in cities))
