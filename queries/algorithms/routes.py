"""Task routes (任务流转): order each task's steps, follow who holds it, find who closed it and
where it bounced (推诿), and count per party what it received, pushed back and absorbed.

Pure pandas and plain Python on the ``tasks`` and ``task_steps`` frames; nothing here touches a
database. Cypher is the wrong tool for this part: putting steps in order (by ``step``, then
``at``, then file order) and walking them is a sequential scan per task, and cycle detection
on a walk needs its history. The results are written onto the graph by the backflow diagnosis
(``Task.route`` ...), where the named queries read them.

How a route is read (DOMAIN.md)
-------------------------------
A step is done by ``from_id``. Transfer (转办), escalate (上报) and return (退回) pass the task to
``to_id``; handle (办结) closes it at ``from_id`` (a ``to_id`` on a handle step is ignored).
Steps are ordered by ``step``, then ``at`` (missing values last), then their row in the file;
a step without a number but with a time goes where its time puts it among the numbered steps
(before the first one done strictly later), one with neither goes last.

- ``route``: the parties that held the task, in order, one entry per change of holder: the
  first step's ``from_id``, then each ``to_id`` it is passed to; a step done by someone other
  than the current holder puts that party on the route too (the hand-over was not recorded),
  except a pass to the current holder, which changes nothing (the same hand-over entered
  twice: A→B, A→B is not A→B→A→B).
  The assignee is not prepended: a route is what the steps say.
- ``route_length``: the number of steps; ``hops``: the number of hand-overs (``len(route) - 1``).
- ``status``: ``closed`` when the last step is a handle step, else ``open`` (no step yet, still
  moving, or reopened after a handle step).
- ``final_handler_id``: the ``from_id`` of that last handle step (closed tasks only).
- ``current_holder_id``: who has an open task now (the end of its route, or its assignee when it
  has no step); empty for closed tasks.
- ``route_from_assignee``: the route from the assignee on, for "the route from the assignee to
  the handler": from the assignee's first place on the route, or the assignee followed by the
  whole route when the assignee never appears in the steps.

Ping-pong (推诿), see :func:`find_bounce`: the route moves three times or more between the same
two parties (two round trips, A→B→A→B), or goes around a cycle of three or more parties
(A→B→C→A). A single return (A→B→A) is normal, and so are nested returns down a chain
(A→B→C→B→A: C sends it back to B, B back to A). A community territory and its committee
are one party here (``same_party`` of :func:`task_routes`): C→S→(C's territory)→S bounces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from graphmodel.schema import StepAction
from graphmodel.steps import PASS_ACTIONS, order_steps

__all__ = [
    "CLOSED",
    "CYCLE",
    "OPEN",
    "PASS_ACTIONS",
    "ROUND_TRIPS",
    "ROUTE_COLUMNS",
    "Bounce",
    "find_bounce",
    "handled_by_rels",
    "order_steps",
    "party_flow",
    "task_routes",
    "walk_route",
]

OPEN, CLOSED = "open", "closed"
"""Values of ``status``."""

ROUND_TRIPS, CYCLE = "round_trips", "cycle"
"""Bounce patterns: two round trips between the same two parties; a cycle of three or more."""


_HANDLE = StepAction.HANDLE.value

ROUTE_COLUMNS: tuple[str, ...] = (
    "id", "assigned_to_id", "route", "route_length", "hops", "status", "final_handler_id",
    "current_holder_id", "route_from_assignee", "ping_pong_pattern", "ping_pong_path")
"""Columns of :func:`task_routes`, in order."""


@dataclass(frozen=True)
class Bounce:
    """Where a route bounces: ``route[start:end + 1]`` is the bouncing part.

    ``pattern`` is ``round_trips``, ``cycle`` or ``round_trips+cycle`` when the route has both.
    """

    pattern: str
    start: int
    end: int

    def path(self, route: Sequence[str]) -> list[str]:
        """The bouncing part of ``route``."""
        return list(route[self.start:self.end + 1])


def walk_route(from_ids: Sequence[str], to_ids: Sequence[str | None],
               actions: Sequence[str]) -> list[str]:
    """The parties that held a task, from its ordered steps (see the module docstring).

    Examples
    --------
    >>> walk_route(["A", "B", "A"], ["B", "A", None], ["transfer", "return", "handle"])
    ['A', 'B', 'A']
    """
    route: list[str] = []
    for source, target, action in zip(from_ids, to_ids, actions, strict=True):
        passes = action in PASS_ACTIONS and target is not None and target != source
        if passes and route and route[-1] == target:
            continue  # already with ``target``: a repeated hand-over, not a return and resend
        if not route or route[-1] != source:
            route.append(source)
        if passes and target is not None:  # (``passes`` implies it; said again for mypy)
            route.append(target)
    return route


def find_bounce(route: Sequence[str]) -> Bounce | None:
    """Find where a route bounces (推诿), or None.

    A route bounces when

    - it moves three times or more between the same two parties, in either direction
      (A→B→A→B: two round trips), or
    - it comes back to a party along a closed stretch that goes around a cycle of three or more
      parties (A→B→C→A). A closed stretch made only of returns (A→B→A, or A→B→C→B→A) is not a
      cycle: every move in it is undone by a return along the same pair.

    Parameters
    ----------
    route
        Parties in the order they held the task, no party twice in a row.

    Returns
    -------
    Bounce or None
        The bouncing part spans from the first move of the first bounce to the last move of the
        last one.

    Examples
    --------
    >>> find_bounce(["A", "B", "A"]) is None
    True
    >>> find_bounce(["A", "B", "A", "B"])
    Bounce(pattern='round_trips', start=0, end=3)
    >>> find_bounce(["S", "A", "B", "C", "A", "D"])
    Bounce(pattern='cycle', start=1, end=4)
    >>> find_bounce(["A", "B", "C", "B", "A"]) is None
    True
    """
    n = len(route)
    if n < 4 or len(set(route)) == n:
        return None
    moves: dict[tuple[str, str], list[int]] = {}
    for k in range(n - 1):
        a, b = route[k], route[k + 1]
        moves.setdefault((a, b) if a <= b else (b, a), []).append(k)
    spans: list[tuple[int, int]] = []
    patterns: list[str] = []
    trips = [(ks[0], ks[-1] + 1) for ks in moves.values() if len(ks) >= 3]
    if trips:
        spans += trips
        patterns.append(ROUND_TRIPS)
    last_seen: dict[str, int] = {}
    found_cycle = False
    for j, party in enumerate(route):
        i = last_seen.get(party)
        if i is not None and j - i >= 3:
            stretch = route[i:j + 1]
            pairs = {(a, b) if a <= b else (b, a) for a, b in pairwise(stretch)}
            # A connected walk whose distinct pairs are at least its distinct parties has a
            # cycle; with fewer, its pairs form a tree and every move was undone by a return.
            if len(pairs) >= len(set(stretch)):
                spans.append((i, j))
                found_cycle = True
        last_seen[party] = j
    if found_cycle:
        patterns.append(CYCLE)
    if not spans:
        return None
    return Bounce("+".join(patterns), min(s for s, _ in spans), max(e for _, e in spans))


def task_routes(tasks: pd.DataFrame, steps: pd.DataFrame,
                same_party: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Route, length, status, final handler and bounce of every task.

    Parameters
    ----------
    tasks
        The ``tasks`` frame (``id``, ``assigned_to_id``).
    steps
        The ``task_steps`` frame in file order; steps of tasks not in ``tasks`` are ignored.
    same_party
        Id -> the id of the party it is the same as (a community territory -> its committee),
        for bounces only: a route that goes C→S→(C's territory)→S bounces like C→S→C→S. The
        route and the bouncing part keep the ids as written.

    Returns
    -------
    pandas.DataFrame
        One row per task, in the order of ``tasks``, with the columns of
        :data:`ROUTE_COLUMNS` (see the module docstring). List columns hold plain lists
        (``ping_pong_path`` is None when the task does not bounce); missing ids are None.

    Notes
    -----
    One sort of the steps, then one pass over them in plain lists: linear in the number of
    steps after the sort (a city's 250,000 steps take well under a second).
    """
    ids = _plain(tasks["id"])
    assignees = _plain(tasks["assigned_to_id"])
    ordered = order_steps(steps[_isin(steps["task_id"], tasks["id"])])
    walks = _walks(ordered)
    columns: dict[str, list] = {name: [] for name in ROUTE_COLUMNS}
    for task, assignee in zip(ids, assignees, strict=True):
        route, n_steps, last_action, last_from = walks.get(task, ([], 0, None, None))
        closed = last_action == _HANDLE
        bounce, bounce_path = _bounce_of(route, same_party)
        if assignee is None:
            from_assignee = list(route)
        elif assignee in route:
            from_assignee = route[route.index(assignee):]
        else:
            from_assignee = [assignee, *route]
        holder = None if closed else (route[-1] if route else assignee)
        for name, value in (
            ("id", task), ("assigned_to_id", assignee), ("route", route),
            ("route_length", n_steps), ("hops", max(len(route) - 1, 0)),
            ("status", CLOSED if closed else OPEN),
            ("final_handler_id", last_from if closed else None), ("current_holder_id", holder),
            ("route_from_assignee", from_assignee),
            ("ping_pong_pattern", bounce.pattern if bounce else None),
            ("ping_pong_path", bounce_path),
        ):
            columns[name].append(value)
    out = pd.DataFrame(columns, index=tasks.index)
    out["route_length"] = out["route_length"].astype("int64")
    out["hops"] = out["hops"].astype("int64")
    return out


def party_flow(routes: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """How many tasks each party received, pushed back and absorbed.

    Parameters
    ----------
    routes
        The result of :func:`task_routes`.
    steps
        The ``task_steps`` frame; steps of tasks not in ``routes`` are ignored.

    Returns
    -------
    pandas.DataFrame
        Indexed by party id (sorted), integer columns, each a number of distinct tasks:

        - ``received``: tasks the party held: assigned to it, passed to it, or acted on by it;
        - ``pushed_back``: tasks it passed on (returned, transferred or escalated) and never
          handled;
        - ``absorbed``: tasks it handled (办结);
        - ``returned``, ``transferred``, ``escalated``: tasks it did at least one such step on;
        - ``open``: open tasks it holds now.

        ``pushed_back + absorbed <= received``; the rest are tasks it still holds or that
        passed through it without a recorded step of its own.
    """
    ordered = steps[_isin(steps["task_id"], routes["id"])]
    acts = pd.DataFrame({"task": _plain(ordered["task_id"]), "party": _plain(ordered["from_id"]),
                         "action": _plain(ordered["action"])}).drop_duplicates()
    held = pd.concat([
        routes[["id", "route"]].explode("route").set_axis(["task", "party"], axis=1),
        routes[["id", "assigned_to_id"]].set_axis(["task", "party"], axis=1),
        acts[["task", "party"]],
    ]).dropna().drop_duplicates()
    passed = acts.loc[acts["action"].isin(PASS_ACTIONS), ["task", "party"]].drop_duplicates()
    handled = acts.loc[acts["action"].eq(_HANDLE), ["task", "party"]].drop_duplicates()
    pushed = passed.merge(handled, how="left", on=["task", "party"], indicator=True)
    pushed = pushed[pushed["_merge"].eq("left_only")]
    counts = {
        "received": held["party"].value_counts(),
        "pushed_back": pushed["party"].value_counts(),
        "absorbed": handled["party"].value_counts(),
    }
    for action, name in ((StepAction.RETURN, "returned"), (StepAction.TRANSFER, "transferred"),
                         (StepAction.ESCALATE, "escalated")):
        counts[name] = acts.loc[acts["action"].eq(action.value), "party"].value_counts()
    counts["open"] = routes.loc[routes["status"].eq(OPEN), "current_holder_id"].value_counts()
    out = pd.DataFrame(counts).fillna(0).astype("int64")
    out.index.name = "party"
    return out.sort_index()


def handled_by_rels(routes: pd.DataFrame) -> pd.DataFrame:
    """``HANDLED_BY`` relationships (Task -> final handler) as a frame with columns ``from``
    and ``to``, for :func:`graphmodel.storage.rel_frames` (``extra``) or a store."""
    closed = routes[routes["final_handler_id"].notna()]
    return pd.DataFrame({"from": closed["id"].to_numpy(),
                         "to": closed["final_handler_id"].to_numpy()})


# --- helpers ---------------------------------------------------------------------------------


def _bounce_of(route: list[str], same_party: Mapping[str, str] | None
               ) -> tuple[Bounce | None, list[str] | None]:
    """The bounce of ``route`` with ``same_party`` ids merged, and its part of ``route``."""
    if not same_party:
        bounce = find_bounce(route)
        return bounce, (bounce.path(route) if bounce else None)
    merged: list[str] = []
    first: list[int] = []  # where each merged entry starts and ends in ``route``
    last: list[int] = []
    for k, written in enumerate(route):
        party = same_party.get(written, written)
        if merged and merged[-1] == party:
            last[-1] = k
        else:
            merged.append(party)
            first.append(k)
            last.append(k)
    bounce = find_bounce(merged)
    if bounce is None:
        return None, None
    return bounce, list(route[first[bounce.start]:last[bounce.end] + 1])



def _isin(series: pd.Series, values: pd.Series) -> pd.Series:
    """``series.isin(values)`` through a hash table (pandas' Arrow strings test value by value)."""
    return series.astype(object).isin(values.dropna().astype(object).unique())


def _plain(series: pd.Series) -> list:
    """Values as a plain list, None for missing ones (pandas strings use NaN)."""
    return series.astype(object).where(series.notna(), None).tolist()


def _walks(ordered: pd.DataFrame) -> dict[str, tuple[list[str], int, str | None, str | None]]:
    """Task -> (route, number of steps, last action, last step's from_id), from sorted steps."""
    tasks = ordered["task_id"].tolist()
    froms = ordered["from_id"].tolist()
    tos = ordered["to_id"].tolist()
    actions = ordered["action"].tolist()
    out: dict[str, tuple[list[str], int, str | None, str | None]] = {}
    start = 0
    n = len(tasks)
    while start < n:
        end = start
        task = tasks[start]
        while end < n and tasks[end] == task:
            end += 1
        route = walk_route(froms[start:end], tos[start:end], actions[start:end])
        out[task] = (route, end - start, actions[end - 1], froms[end - 1])
        start = end
    return out
