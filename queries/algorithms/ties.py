"""Tie strength (关系强度): how much a co-building tie is worth beyond the paper it is written on.

The score of a co-building, dual-reporting or responsible-unit tie is the weighted mean of five
parts, each in [0, 1] (the formula and its defaults are documented in
:mod:`graphmodel.settings`)::

    meetings     = min(meetings_per_year / targets.meetings, 1)
    activities   = min(activities / targets.activities, 1)
    resources    = min(delivered resources over the tie / targets.resources, 1)
    duration     = min((reference year - since) / targets.duration_years, 1)
    reciprocity  = 1 both sides initiate, 0.5 only the unit side, 0 only the community side
                   or unknown

    score = Σ weights.part × part / Σ weights.part

How the raw values are read:

- a missing number (no meetings or activities recorded, no ``since``) gives that part 0: a tie
  with nothing on record shows nothing; negative numbers count as 0;
- delivered resources over a tie are the rows of ``resources`` with ``delivered`` true whose
  provider and recipient are the tie's two ends, either way round, after each end is replaced
  by what it stands for (a community committee by its community, a unit's own party
  organization by its unit: :func:`queries.algorithms.cobuilding.tie_anchors`); a delivered
  resource counts once for every tie between the same two ends (a unit both co-building with
  and responsible for a community delivers to the community over both);
- the reference year ("now") is ``settings.reference_year`` or, when that is None, the latest
  year in the data (:func:`reference_year`); a ``since`` after it gives duration 0;
- the unit side of a tie is the end that is a unit, a unit's own organization or a platform
  convened by either (:func:`queries.algorithms.cobuilding.tie_roles`); when neither end is,
  the end opposite a community, else the source (links files list the unit first).

Everything is vectorized pandas: a city has about ten thousand ties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from graphmodel.schema import SCORED_LINKS, Initiator
from graphmodel.settings import TieTargets, TieWeights

__all__ = [
    "PARTS",
    "TIE_VALUES",
    "delivered_between",
    "reciprocity",
    "reference_year",
    "score_ties",
    "tie_parts",
    "tie_score",
    "tie_values",
    "unit_ends",
]

PARTS: tuple[str, ...] = ("meetings", "activities", "resources", "duration", "reciprocity")
"""The parts of the score, in the order of the settings' ``weights``."""

_UNIT, _COMMUNITY = "unit", "community"

_SCORED_TYPES: tuple[str, ...] = tuple(t.value for t in SCORED_LINKS)
"""The link types scored by default."""


def _num(series: pd.Series) -> np.ndarray:
    """Float values of a (possibly nullable, possibly text) column; NaN where missing."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _years(series: pd.Series) -> Iterable[float]:
    """Years of a year, date or datetime column."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.year.dropna().tolist()
    return pd.to_numeric(series, errors="coerce").dropna().tolist()


def reference_year(frames: Mapping[str, pd.DataFrame]) -> int | None:
    """The latest year found in the data: ``resources.year``, ``tasks.created``,
    ``task_steps.at`` and ``links.since``; None when none of them holds a year.

    Examples
    --------
    >>> links = pd.DataFrame({"since": [2018, 2021]})
    >>> steps = pd.DataFrame({"at": pd.to_datetime(["2024-03-01"])})
    >>> reference_year({"links": links, "task_steps": steps})
    2024
    """
    found: list[float] = []
    for table, column in (("resources", "year"), ("tasks", "created"), ("task_steps", "at"),
                          ("links", "since")):
        frame = frames.get(table)
        if frame is not None and column in frame.columns:
            found.extend(_years(frame[column]))
    return int(max(found)) if found else None


def _pair(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The two ends of each row in a fixed order (smaller id first), so either way round
    matches."""
    a = a.astype(object)
    b = b.astype(object)
    first = a.where(a.astype(str) <= b.astype(str), b)
    second = b.where(a.astype(str) <= b.astype(str), a)
    return first, second


def delivered_between(resources: pd.DataFrame, anchors: Mapping[str, str] | pd.Series
                      ) -> pd.DataFrame:
    """Delivered resources per unordered pair of ends.

    Parameters
    ----------
    resources
        The resources frame (``provider_id``, ``recipient_id``, ``delivered``).
    anchors
        Id -> the id it stands for (committee -> community ...); others stand for themselves.

    Returns
    -------
    DataFrame
        Columns ``end_a``, ``end_b`` (anchored ids, ``end_a <= end_b``) and
        ``resources_delivered`` (number of delivered rows between them).
    """
    anchors = pd.Series(anchors, dtype=object)
    delivered = resources["delivered"].astype("boolean").fillna(False).astype(bool)
    r = resources[delivered & resources["provider_id"].notna()
                  & resources["recipient_id"].notna()]
    provider = r["provider_id"].astype(object).map(anchors).fillna(r["provider_id"].astype(object))
    recipient = (r["recipient_id"].astype(object).map(anchors)
                 .fillna(r["recipient_id"].astype(object)))
    end_a, end_b = _pair(provider, recipient)
    counts = (pd.DataFrame({"end_a": end_a, "end_b": end_b})
              .groupby(["end_a", "end_b"], sort=True).size())
    return counts.rename("resources_delivered").reset_index()


def unit_ends(source: pd.Series, target: pd.Series, roles: Mapping[str, str] | pd.Series
              ) -> pd.Series:
    """Which end of each tie is the unit side: ``"source"`` or ``"target"``.

    The source if it is on the unit side; else the target if it is; else the end opposite a
    community-side source (the target); else the source.
    """
    roles = pd.Series(roles, dtype=object)
    src_role = source.astype(object).map(roles)
    dst_role = target.astype(object).map(roles)
    target_is_unit = (src_role != _UNIT) & (
        (dst_role == _UNIT) | (src_role == _COMMUNITY))
    return pd.Series(np.where(target_is_unit.fillna(False).to_numpy(dtype=bool), "target",
                              "source"), index=source.index, dtype=object)


def reciprocity(initiated_by: pd.Series, unit_end: pd.Series) -> pd.Series:
    """The reciprocity part: 1 when both sides initiate, 0.5 when only the unit side does,
    0 when only the community side does or nobody is recorded.

    Examples
    --------
    >>> reciprocity(pd.Series(["both", "source", "target", None]),
    ...             pd.Series(["source", "source", "source", "source"])).tolist()
    [1.0, 0.5, 0.0, 0.0]
    """
    init = initiated_by.astype(object).reset_index(drop=True)
    end = unit_end.astype(object).reset_index(drop=True)
    both = init == Initiator.BOTH.value
    by_unit = (init == end) & init.isin([Initiator.SOURCE.value, Initiator.TARGET.value])
    values = np.where(both.to_numpy(dtype=bool), 1.0,
                      np.where(by_unit.to_numpy(dtype=bool), 0.5, 0.0))
    return pd.Series(values, index=initiated_by.index, dtype=float)


def tie_parts(raw: pd.DataFrame, targets: TieTargets) -> pd.DataFrame:
    """The five parts of the score, each in [0, 1].

    Parameters
    ----------
    raw
        Columns ``meetings_per_year``, ``activities``, ``resources_delivered``, ``years`` (years
        since the tie was made) and ``reciprocity`` (already a part, see :func:`reciprocity`).
        Missing or negative values count as 0.
    targets
        The value at which each part reaches 1.

    Returns
    -------
    DataFrame
        Columns :data:`PARTS`, same index as ``raw``.
    """

    def ratio(column: str, target: float) -> np.ndarray:
        values = np.nan_to_num(_num(raw[column]), nan=0.0, posinf=np.inf, neginf=0.0)
        with np.errstate(over="ignore"):  # huge inputs saturate at 1, as intended
            return np.clip(np.clip(values, 0.0, None) / float(target), 0.0, 1.0)

    parts = {
        "meetings": ratio("meetings_per_year", targets.meetings),
        "activities": ratio("activities", targets.activities),
        "resources": ratio("resources_delivered", targets.resources),
        "duration": ratio("years", targets.duration_years),
        "reciprocity": np.clip(np.nan_to_num(_num(raw["reciprocity"]), nan=0.0), 0.0, 1.0),
    }
    return pd.DataFrame(parts, index=raw.index, columns=list(PARTS))


def tie_score(parts: pd.DataFrame, weights: TieWeights) -> pd.Series:
    """The weighted mean of the parts, in [0, 1].

    Examples
    --------
    >>> parts = pd.DataFrame({p: [1.0] for p in PARTS})
    >>> tie_score(parts, TieWeights()).tolist()
    [1.0]
    """
    w = np.array([float(getattr(weights, p)) for p in PARTS])
    values = parts[list(PARTS)].to_numpy(dtype=float)
    score = values @ (w / w.sum())
    return pd.Series(np.clip(score, 0.0, 1.0), index=parts.index, name="score")


def score_ties(links: pd.DataFrame, resources: pd.DataFrame, *,
               anchors: Mapping[str, str] | pd.Series, roles: Mapping[str, str] | pd.Series,
               reference_year: int | None, weights: TieWeights, targets: TieTargets,
               types: Iterable[str] = _SCORED_TYPES) -> pd.DataFrame:
    """Score every tie of ``types`` in ``links``.

    Parameters
    ----------
    links, resources
        The model's frames (``links`` with its ``rid`` column).
    anchors, roles
        See :func:`queries.algorithms.cobuilding.tie_anchors` and ``tie_roles``.
    reference_year
        "Now" for durations; None leaves every duration at 0.
    weights, targets
        From the settings.

    Returns
    -------
    DataFrame
        One row per scored tie (index: the links row), sorted by ``rid`` row: ``rid``,
        ``source_id``, ``target_id``, ``type``, the raw values (``meetings_per_year``,
        ``activities``, ``resources_delivered``, ``since``, ``years``, ``initiated_by``,
        ``unit_end``), the parts as ``score_<part>`` and ``score``.
    """
    ties = links[links["type"].isin(list(types))]
    plain = tie_values(ties, reference_year)
    src, dst = plain["source_id"], plain["target_id"]
    anchors = pd.Series(anchors, dtype=object)
    end_a, end_b = _pair(src.map(anchors).fillna(src), dst.map(anchors).fillna(dst))
    delivered = delivered_between(resources, anchors)
    keyed = pd.DataFrame({"end_a": end_a, "end_b": end_b}, index=ties.index)
    merged = keyed.reset_index().merge(delivered, on=["end_a", "end_b"], how="left")
    counts = pd.Series(merged["resources_delivered"].fillna(0).astype(int).to_numpy(),
                       index=ties.index)

    unit_end = unit_ends(src, dst, roles)
    raw = plain.assign(resources_delivered=counts, unit_end=unit_end,
                       reciprocity=reciprocity(plain["initiated_by"], unit_end))
    parts = tie_parts(raw, targets)
    out = raw.drop(columns=["reciprocity"])[list(TIE_VALUES)]
    for part in PARTS:
        out[f"score_{part}"] = parts[part]
    out["score"] = tie_score(parts, weights)
    return out


TIE_VALUES: tuple[str, ...] = (
    "rid", "source_id", "target_id", "type", "meetings_per_year", "activities",
    "resources_delivered", "since", "years", "initiated_by", "unit_end")
"""The columns of :func:`score_ties` before the parts and the score, in order."""


def tie_values(ties: pd.DataFrame, reference_year: int | None) -> pd.DataFrame:
    """The values of ``ties`` (links rows) that are read, not derived: ``rid``, the ends,
    ``type``, ``meetings_per_year``, ``activities``, ``since``, ``years`` (since then, up to
    ``reference_year``; NaN without one) and ``initiated_by``; index: the links rows."""
    since = _num(ties["since"])
    years = (np.clip(reference_year - since, 0.0, None) if reference_year is not None
             else np.full(len(ties), np.nan))
    return pd.DataFrame({
        "rid": ties["rid"].astype(object),
        "source_id": ties["source_id"].astype(object),
        "target_id": ties["target_id"].astype(object),
        "type": ties["type"].astype(object),
        "meetings_per_year": _num(ties["meetings_per_year"]),
        "activities": _num(ties["activities"]),
        "since": since,
        "years": years,
        "initiated_by": ties["initiated_by"].astype(object).where(ties["initiated_by"].notna(),
                                                                  None),
    }, index=ties.index)
