"""Thresholds and weights of the diagnosis, in one typed, documented object.

Defaults live here; a TOML file (``--settings FILE``) overrides them, then environment variables
``ORGNET_<NAME>`` (e.g. ``ORGNET_WEAK_TIE_THRESHOLD=0.4``). Unknown keys and bad values raise
:class:`~graphmodel.errors.SettingsError`. Every value in force is echoed under ``settings`` in
the diagnosis JSON.

Tie strength (弱关系) of a co-building, dual-reporting or responsible-unit tie is a weighted sum
of five parts, each in [0, 1]::

    meetings     = min(meetings_per_year / meetings_target, 1)
    activities   = min(activities / activities_target, 1)
    resources    = min(resources delivered over the tie / resources_target, 1)
    duration     = min(years since `since` / duration_target_years, 1)
    reciprocity  = 1 if both sides initiate, 0.5 if only the unit does, 0 if only the community

    score = Σ weight_part × part / Σ weight_part

A tie scoring below ``weak_tie_threshold`` is a ``weak_tie`` finding. A platform membership
whose attendance rate is below ``attendance_threshold`` (a share from 0 to 1) is a
``low_attendance`` finding; the loader reads ``attendance_rate`` 0.45, 45 and 45% alike as 0.45.

TOML layout (every key optional)::

    weak_tie_threshold = 0.3
    attendance_threshold = 0.5
    min_formal_members_for_org = 3
    reference_year = 2026          # default: the latest year found in the data

    [weights]
    meetings = 0.3
    activities = 0.2
    resources = 0.25
    duration = 0.1
    reciprocity = 0.15

    [targets]
    meetings = 12
    activities = 12
    resources = 2
    duration_years = 5
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from graphmodel.errors import SettingsError

__all__ = ["Settings", "TieTargets", "TieWeights", "load_settings"]


@dataclass(frozen=True)
class TieWeights:
    """Weights of the five parts of the tie-strength score (non-negative, not all zero)."""

    meetings: float = 0.3
    activities: float = 0.2
    resources: float = 0.25
    duration: float = 0.1
    reciprocity: float = 0.15


@dataclass(frozen=True)
class TieTargets:
    """Values at which a part of the tie-strength score reaches 1 (all positive)."""

    meetings: float = 12.0
    activities: float = 12.0
    resources: float = 2.0
    duration_years: float = 5.0


@dataclass(frozen=True)
class Settings:
    """Everything that decides a finding.

    Attributes
    ----------
    weak_tie_threshold
        A scored tie below this is weak (``weak_tie``).
    attendance_threshold
        A platform membership with attendance below this is ``low_attendance``.
    min_formal_members_for_org
        Formal members from which a unit or business area needs a party organization (党章: 3).
    reference_year
        "Now" for tie durations; None means the latest year found in the data.
    top_n
        How many top pushers, absorbers and brokers to list in metrics and reports.
    aggregate_above_nodes
        A network page with more nodes than this is drawn aggregated.
    betweenness_sample_k
        None (the default): betweenness is exact at every scale (rustworkx, a few seconds
        for a province's co-building network). An explicit opt-in whole number estimates it
        from that many sampled sources instead (fixed seed) on networks with more nodes.
    weights, targets
        See the module docstring.
    """

    weak_tie_threshold: float = 0.3
    attendance_threshold: float = 0.5
    min_formal_members_for_org: int = 3
    reference_year: int | None = None
    top_n: int = 10
    aggregate_above_nodes: int = 1500
    betweenness_sample_k: int | None = None
    weights: TieWeights = field(default_factory=TieWeights)
    targets: TieTargets = field(default_factory=TieTargets)

    def __post_init__(self) -> None:
        _check(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of every value in force (for the diagnosis JSON)."""
        return asdict(self)


def _is_number(value: Any) -> bool:
    """A finite int or float; ``true``/``false`` are not numbers (bool is an int in Python)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check(s: Settings) -> None:
    problems = []
    for name in ("weak_tie_threshold", "attendance_threshold"):
        value = getattr(s, name)
        if not _is_number(value) or not 0 <= value <= 1:
            problems.append(f"`{name}` must be a number from 0 to 1, got {value!r}")
    if not _is_whole(s.min_formal_members_for_org) or s.min_formal_members_for_org < 1:
        problems.append("`min_formal_members_for_org` must be a whole number >= 1, got "
                        f"{s.min_formal_members_for_org!r}")
    if s.reference_year is not None and (not _is_whole(s.reference_year)
                                         or not 1900 <= s.reference_year <= 2100):
        problems.append(f"`reference_year` must be a year such as 2026, got {s.reference_year!r}")
    for name in ("top_n", "aggregate_above_nodes", "betweenness_sample_k"):
        value = getattr(s, name)
        if value is None and name == "betweenness_sample_k":
            continue
        if not _is_whole(value) or value < 1:
            problems.append(f"`{name}` must be a whole number >= 1, got {value!r}")
    weights = [getattr(s.weights, f.name) for f in fields(TieWeights)]
    if any(not _is_number(w) or w < 0 for w in weights) or sum(weights) <= 0:
        problems.append("`weights` must be finite non-negative numbers, not all zero, got "
                        + ", ".join(f"{f.name} = {getattr(s.weights, f.name)!r}"
                                    for f in fields(TieWeights)))
    for f in fields(TieTargets):
        value = getattr(s.targets, f.name)
        if not _is_number(value) or value <= 0:
            problems.append(f"`targets.{f.name}` must be a positive finite number, got {value!r}")
    if problems:
        raise SettingsError("invalid settings: " + "; ".join(problems))


def _build(section: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(section)}
    unknown = sorted(set(data) - known)
    if unknown:
        msg = (
            f"unknown setting(s) {', '.join(unknown)} in {where}; known: {', '.join(sorted(known))}"
        )
        raise SettingsError(msg)
    return section(**data)


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read defaults, then the TOML file at ``path``, then ``ORGNET_*`` environment variables.

    Raises
    ------
    SettingsError
        The file is unreadable or not TOML, a key is unknown, or a value is out of range.
    """
    data: dict[str, Any] = {}
    where = "defaults"
    if path is not None:
        where = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise SettingsError(f"settings file not found: {path}") from err
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise SettingsError(f"settings file {path} is not valid TOML: {err}") from err
    data = dict(data)
    weights = data.pop("weights", {})
    targets = data.pop("targets", {})
    if not isinstance(weights, dict) or not isinstance(targets, dict):
        raise SettingsError(f"`weights` and `targets` must be tables in {where}")
    top = {f.name for f in fields(Settings)} - {"weights", "targets"}
    for key, raw in (os.environ if env is None else env).items():
        if key.startswith("ORGNET_") and key[7:].lower() in top:
            name = key[7:].lower()
            where = key if where == "defaults" else f"{where} or {key}"
            try:
                data[name] = tomllib.loads(f"v = {raw}")["v"]
            except tomllib.TOMLDecodeError as err:
                raise SettingsError(f"environment variable {key}: bad value {raw!r}") from err
    try:
        return _build(
            Settings,
            {
                **data,
                "weights": _build(TieWeights, weights, where),
                "targets": _build(TieTargets, targets, where),
            },
            where,
        )
    except TypeError as err:
        raise SettingsError(f"invalid settings in {where}: {err}") from err
    except SettingsError as err:
        if where in str(err):
            raise
        raise SettingsError(f"{err} (in {where})") from err


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with some values changed (validated)."""
    return replace(settings, **changes)
