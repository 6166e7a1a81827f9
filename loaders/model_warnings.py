"""Warnings the loader adds to (or makes safe in) a freshly built model.

- A cycle of superiors is a warning wherever it runs, also through a city committee (the walk
  of the chain stops at a city committee, so a loop that passes through one would otherwise
  go unreported). Found in one linear pass over the parent pointers; a cycle the builder has
  reported already is not reported twice.
- A warning about a members row (personal data) names the row, the column and the member id,
  never the cell's value.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from graphmodel.errors import Issue
from graphmodel.model import OrgModel

__all__ = ["add_cycle_warnings", "hide_member_values"]

_CYCLE = "organizations report to each other in a cycle: "


def parent_cycles(ids: list[str], parents: list[object]) -> list[list[str]]:
    """Every cycle of a {id: parent} map, each starting at its smallest id and following the
    parents; linear in the number of ids.

    Examples
    --------
    >>> parent_cycles(["a", "b", "c", "d"], ["b", "c", "a", None])
    [['a', 'b', 'c']]
    """
    parent = {i: p for i, p in zip(ids, parents, strict=True)
              if isinstance(p, str) and p}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles = []
    for start in ids:
        walk = []
        node: str | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:  # the walk closed a loop
            loop = walk[walk.index(node):]
            first = loop.index(min(loop))
            cycles.append(loop[first:] + loop[:first])
        for visited in walk:
            state[visited] = 2
    return sorted(cycles)


def _reported(model: OrgModel) -> set[frozenset[str]]:
    return {frozenset(w.message[len(_CYCLE):].split(" -> ")) for w in model.warnings
            if w.message.startswith(_CYCLE)}


def add_cycle_warnings(model: OrgModel, origin: str) -> None:
    """Warn of every cycle of organizations' superiors not already reported."""
    orgs = model.frames["organizations"]
    if orgs.empty:
        return
    ids = orgs["id"].tolist()
    cycles = parent_cycles(ids, orgs["parent_id"].tolist())
    if not cycles:
        return
    done = _reported(model)
    row_of = dict(zip(ids, orgs.index.tolist(), strict=False))
    header = orgs.attrs.get("headers", {}).get("parent_id", "parent_id")
    for loop in cycles:
        if frozenset(loop) in done:
            continue
        model.warnings.append(Issue(origin, _CYCLE + " -> ".join([*loop, loop[0]]),
                                    row=int(row_of[loop[0]]), column=header, value=loop[0]))


def hide_member_values(model: OrgModel, origin: str) -> None:
    """Replace the cell value of every warning about a members row by the member's id."""
    members = model.frames["members"]
    if members.empty or not any(w.file == origin and w.row is not None
                                for w in model.warnings):
        return
    id_of = pd.Series(members["id"].to_numpy(), index=members.index)
    safe = []
    for warning in model.warnings:
        if warning.file != origin or warning.row is None:
            safe.append(warning)
            continue
        member = id_of.get(warning.row)
        who = f"member '{member}'" if isinstance(member, str) and member else \
            "a member without id"
        safe.append(dataclasses.replace(warning, value=None,
                                        message=f"{warning.message}, {who}"))
    model.warnings[:] = safe
