"""The hops of a task route named by a finding's ``path``, with the action of each hop.

A backflow finding's ``path`` lists who held the task, in order (FINDINGS.md); the action of
each hand-over (转办, 上报, 退回) is read from the task's steps in the model's ``task_steps``
frame, matched in order (``step``, then ``at``, then file order; grouped by task once per
model, :meth:`~visualizations._scope.ModelIndex.steps_by_task`). A finding may carry the
actions itself as ``detail.actions`` (one per hop); those win.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphmodel.index import ModelIndex, model_index
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


def routes_of(model: OrgModel, findings: Iterable[dict[str, Any]],
              index: ModelIndex | None = None) -> dict[int, Route]:
    """Route of each finding that has a path of two or more parties, keyed by position in
    ``findings`` (only those are returned). ``index``: the model's shared lookups (default
    :func:`~visualizations._scope.model_index`), whose steps are grouped by task once."""
    findings = list(findings)
    wanted = {i: f for i, f in enumerate(findings) if len(f.get("path") or []) >= 2}
    steps = (index or model_index(model)).steps_by_task() if wanted else {}
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
