"""The hops of a task route named by a finding's ``path``, with the action of each hop.

A backflow finding's ``path`` lists who held the task, in order (FINDINGS.md); the action of
each hand-over (转办, 上报, 退回) is read from the task's steps in the model's ``task_steps``
frame, matched in order (``step``, then ``at``, then file order). A finding may carry the
actions itself as ``detail.actions`` (one per hop); those win.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from graphmodel.schema import StepAction

__all__ = ["Hop", "Route", "routes_of"]

_PASS = {StepAction.TRANSFER.value, StepAction.ESCALATE.value, StepAction.RETURN.value}
_HANDLE = StepAction.HANDLE.value


@dataclass(frozen=True)
class Hop:
    """One hand-over from ``source`` to ``target``; ``action`` is a StepAction code or None
    when no recorded step matches (e.g. from the assignee to the first recorded holder)."""

    source: str
    target: str
    action: str | None


@dataclass(frozen=True)
class Route:
    """The hops of one finding's path; ``handled`` when its last party closed the task."""

    task: str
    parties: tuple[str, ...]
    hops: tuple[Hop, ...]
    handled: bool


def _steps_by_task(model: OrgModel, tasks: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    steps = model.frame("task_steps")
    if steps.empty or not tasks:
        return {}
    part = steps[steps["task_id"].isin(tasks)].copy()
    part["_row"] = range(len(part))
    part = part.sort_values(["task_id", "step", "at", "_row"], na_position="last",
                            kind="mergesort")
    out: dict[str, list[tuple[str, str, str]]] = {}
    for task, src, dst, action in zip(part["task_id"], part["from_id"], part["to_id"],
                                      part["action"], strict=True):
        out.setdefault(str(task), []).append(
            (str(src), "" if pd.isna(dst) else str(dst), str(action)))
    return out


def routes_of(model: OrgModel, findings: Iterable[dict[str, Any]]) -> dict[int, Route]:
    """Route of each finding that has a path of two or more parties, keyed by position in
    ``findings`` (only those are returned)."""
    findings = list(findings)
    wanted = {i: f for i, f in enumerate(findings) if len(f.get("path") or []) >= 2}
    steps = _steps_by_task(model, {str(f["subject"]) for f in wanted.values()})
    routes: dict[int, Route] = {}
    for i, f in wanted.items():
        path = [str(p) for p in f["path"]]
        task_steps = steps.get(str(f["subject"]), [])
        given = (f.get("detail") or {}).get("actions")
        hops: list[Hop] = []
        used: set[int] = set()
        for k, (a, b) in enumerate(itertools.pairwise(path)):
            action = None
            if isinstance(given, list) and len(given) == len(path) - 1:
                action = given[k]
            else:
                for j, (src, dst, act) in enumerate(task_steps):
                    if j not in used and src == a and dst == b and act in _PASS:
                        used.add(j)
                        action = act
                        break
            hops.append(Hop(a, b, action))
        handled = any(src == path[-1] and act == _HANDLE for src, _, act in task_steps)
        routes[i] = Route(str(f["subject"]), tuple(path), tuple(hops), handled)
    return routes
