"""The one order of a task's steps (DOMAIN.md: "Steps are ordered by ``step``, then ``at``").

Task routes (:mod:`queries.algorithms.routes`) and the pages read steps in this order, so a
route drawn on a page is the route the diagnosis walked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["order_steps"]


def order_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """Sort steps by task, ``step``, ``at`` (missing values last), then file order; a step
    with no number but a time is placed by its time among the numbered steps of its task
    (before the first numbered step done strictly later); one with neither goes last.

    Parameters
    ----------
    steps
        The ``task_steps`` frame (columns ``task_id``, ``step``, ``from_id``, ``to_id``,
        ``action``, ``at``), in file order.

    Returns
    -------
    pandas.DataFrame
        The same rows with plain-object id columns (None for missing), sorted, plus
        ``position``: 1, 2, ... within each task.

    Examples
    --------
    >>> steps = pd.DataFrame({"task_id": ["K", "K"], "step": [2, 1], "from_id": ["B", "A"],
    ...                       "to_id": [None, "B"], "action": ["handle", "transfer"],
    ...                       "at": [None, None]})
    >>> order_steps(steps)[["from_id", "position"]].to_numpy().tolist()
    [['A', 1], ['B', 2]]
    """
    out = pd.DataFrame({
        "task_id": _plain(steps["task_id"]),
        "step": pd.to_numeric(steps["step"], errors="coerce").astype("Float64"),
        "at": pd.to_datetime(steps["at"], errors="coerce"),
        "from_id": _plain(steps["from_id"]),
        "to_id": _plain(steps["to_id"]),
        "action": _plain(steps["action"]),
        "_file_order": np.arange(len(steps)),
    }, index=steps.index)
    out = out.sort_values(["task_id", "step", "at", "_file_order"], na_position="last",
                          kind="stable")
    out = _place_unnumbered(out)
    out["position"] = out.groupby("task_id", sort=False).cumcount() + 1
    return out.drop(columns="_file_order")


def _place_unnumbered(out: pd.DataFrame) -> pd.DataFrame:
    """Move each step without a number but with a time to where its time puts it among the
    numbered steps of its task (before the first numbered step done strictly later); steps
    with neither stay last. ``out`` is sorted by task, step, at, file order."""
    step_na = out["step"].isna().to_numpy()
    at = out["at"].to_numpy()
    at_na = pd.isna(at)
    need = step_na & ~at_na
    if not need.any():
        return out
    tasks = out["task_id"].to_numpy(dtype=object)
    affected = set(tasks[need].tolist())
    order = np.arange(len(out))
    positions = np.flatnonzero([t in affected for t in tasks.tolist()])
    start = 0
    while start < len(positions):
        end = start
        while end < len(positions) and tasks[positions[end]] == tasks[positions[start]]:
            end += 1
        block = positions[start:end].tolist()
        numbered = [p for p in block if not step_na[p]]
        unnumbered = [p for p in block if step_na[p]]
        merged: list[int] = []
        i = j = 0
        while i < len(numbered) and j < len(unnumbered):
            n, u = numbered[i], unnumbered[j]
            if not at_na[u] and not at_na[n] and at[u] < at[n]:
                merged.append(u)
                j += 1
            else:
                merged.append(n)
                i += 1
        merged += numbered[i:] + unnumbered[j:]
        order[block[0]:block[-1] + 1] = merged
        start = end
    return out.iloc[order]


def _plain(series: pd.Series) -> list:
    """Values as a plain list, None for missing ones (pandas strings use NaN)."""
    return series.astype(object).where(series.notna(), None).tolist()
