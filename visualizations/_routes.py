"""The hops of a task route named by a finding's ``path``, with the action of each hop.

A backflow finding's ``path`` lists who held the task, in order (FINDINGS.md), and its
``detail.actions`` the action of each hand-over (转办, 上报, 退回), ``detail.handled`` whether
the last party closed it. For findings without them the pages read the task's steps in the
one step order (:func:`graphmodel.steps.order_steps`) through the same matching function
(:func:`graphmodel.steps.hop_actions`) the diagnosis uses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphmodel.index import ModelIndex, model_index
from graphmodel.model import OrgModel
from graphmodel.schema import StepAction
from graphmodel.steps import hop_actions

__all__ = ["Hop", "Route", "routes_of"]

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
    ``findings`` (only those are returned). The diagnosis writes each hop's action and
    whether the task was closed into the finding (``detail.actions``, ``detail.handled``);
    a finding without them (an older findings file) has them read from the model's steps by
    the same function, :func:`graphmodel.steps.hop_actions`."""
    findings = list(findings)
    wanted = {i: f for i, f in enumerate(findings) if len(f.get("path") or []) >= 2}
    steps: dict[str, list[tuple[str, str, str]]] | None = None
    routes: dict[int, Route] = {}
    for i, f in wanted.items():
        path = [str(p) for p in f["path"]]
        detail = f.get("detail") or {}
        actions, handled = detail.get("actions"), detail.get("handled")
        if not (isinstance(actions, list) and len(actions) == len(path) - 1) \
                or not isinstance(handled, bool):
            if steps is None:
                steps = (index or model_index(model)).steps_by_task()
            task_steps = steps.get(str(f["subject"]), [])
            if not (isinstance(actions, list) and len(actions) == len(path) - 1):
                actions = hop_actions(path, task_steps)
            if not isinstance(handled, bool):
                handled = any(src == path[-1] and act == _HANDLE for src, _, act in task_steps)
        hops = tuple(Hop(a, b, action) for (a, b), action in
                     zip(itertools.pairwise(path), actions, strict=True))
        routes[i] = Route(str(f["subject"]), tuple(path), hops, handled)
    return routes
