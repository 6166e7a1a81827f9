"""Task routes: step order, the walk, the final handler, bounces (推诿) and per-party flow."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from queries.algorithms.routes import (
    CLOSED,
    CYCLE,
    OPEN,
    ROUND_TRIPS,
    ROUTE_COLUMNS,
    Bounce,
    find_bounce,
    handled_by_rels,
    order_steps,
    party_flow,
    task_routes,
    walk_route,
)

T, E, R, H = "transfer", "escalate", "return", "handle"


def _tasks(*rows: tuple[str, str | None]) -> pd.DataFrame:
    return pd.DataFrame({"id": [r[0] for r in rows], "assigned_to_id": [r[1] for r in rows]})


def _steps(*rows: tuple) -> pd.DataFrame:
    """Rows (task_id, step, from_id, to_id, action[, at]) in file order."""
    full = [(*r, None) if len(r) == 5 else r for r in rows]
    return pd.DataFrame(full, columns=["task_id", "step", "from_id", "to_id", "action", "at"])


def _route_of(tasks: pd.DataFrame, steps: pd.DataFrame, task: str) -> dict:
    routes = task_routes(tasks, steps)
    return routes.set_index("id").loc[task].to_dict()


# --- order -----------------------------------------------------------------------------------


def test_steps_are_ordered_by_step_then_time_then_file_order():
    steps = _steps(
        ("K", 2, "C", None, H, "2026-03-09"),
        ("K", 1, "B", "C", T, "2026-03-08"),   # same step number, later time
        ("K", 1, "A", "B", T, "2026-03-07"),
        ("J", 1, "X", "Y", T, None),           # no time: after the timed step of the same number
        ("J", 1, "W", "X", T, "2026-01-01"),
        ("J", None, "Y", None, H, "2026-01-02"),  # no step number: last
        ("J", 2, "Y", "Z", T, None),
    )
    ordered = order_steps(steps)
    assert ordered[["task_id", "from_id", "position"]].to_numpy().tolist() == [
        ["J", "W", 1], ["J", "X", 2], ["J", "Y", 3], ["J", "Y", 4],
        ["K", "A", 1], ["K", "B", 2], ["K", "C", 3]]
    assert ordered.loc[ordered["task_id"].eq("J"), "action"].tolist() == [T, T, T, H]


def test_a_step_without_number_is_placed_by_its_time():
    # The middle step lost its number: its time puts it between steps 1 and 3, so the task is
    # a plain hand-down closed by C, not a bounce between B and C left open.
    steps = _steps(("K", 1, "A", "B", T, "2026-06-02"), ("K", None, "B", "C", T, "2026-06-03"),
                   ("K", 3, "C", None, H, "2026-06-05"),
                   ("J", None, "Y", None, H, "2026-06-09"), ("J", 1, "X", "Y", T, "2026-06-01"),
                   ("J", None, "Z", "X", R, None))  # neither number nor time: last
    ordered = order_steps(steps)
    assert ordered[["task_id", "from_id"]].to_numpy().tolist() == [
        ["J", "X"], ["J", "Y"], ["J", "Z"], ["K", "A"], ["K", "B"], ["K", "C"]]
    row = _route_of(_tasks(("K", "A")), steps, "K")
    assert row["route"] == ["A", "B", "C"]
    assert row["status"] == CLOSED
    assert row["final_handler_id"] == "C"
    assert row["ping_pong_path"] is None


def test_equal_step_and_time_keep_file_order():
    steps = _steps(("K", 1, "A", "B", T, "2026-01-01"), ("K", 1, "B", "C", T, "2026-01-01"))
    assert order_steps(steps)["from_id"].tolist() == ["A", "B"]


# --- the walk --------------------------------------------------------------------------------


def test_walk_follows_passes_and_ends_at_the_handler():
    assert walk_route(["A", "B", "C"], ["B", "C", None], [T, E, H]) == ["A", "B", "C"]


def test_walk_puts_an_unrecorded_holder_on_the_route():
    # B got the task from nobody on record: the step is done by B, so B held it.
    assert walk_route(["A", "B"], ["C", None], [T, H]) == ["A", "C", "B"]


def test_a_repeated_hand_over_is_not_a_round_trip():
    # The same transfer entered twice: B already holds the task, so nothing moves (before,
    # the second row put A back on the route: A→B→A→B, a false ping-pong).
    assert walk_route(["A", "A", "B"], ["B", "B", None], [T, T, H]) == ["A", "B"]
    steps = _steps(("K", 1, "A", "B", T), ("K", 2, "A", "B", T), ("K", 3, "B", None, H))
    row = _route_of(_tasks(("K", "A")), steps, "K")
    assert row["ping_pong_path"] is None
    assert row["final_handler_id"] == "B"


def test_walk_ignores_self_passes_missing_targets_and_targets_of_handle_steps():
    assert walk_route(["A", "A", "A"], ["A", None, "Z"], [T, T, H]) == ["A"]


# --- bounces ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [
    [], ["A"], ["A", "B"], ["A", "B", "C"],
    ["A", "B", "A"],                 # a single return is normal
    ["A", "B", "A", "C"],            # returned once, then passed elsewhere
    ["A", "B", "A", "C", "A"],       # returned by two different parties, once each
    ["A", "B", "C", "B", "A"],       # nested returns back down a chain
    ["G", "C", "S", "C", "G", "K", "G"],
])
def test_routes_that_do_not_bounce(route):
    assert find_bounce(route) is None


@pytest.mark.parametrize(("route", "pattern", "path"), [
    (["A", "B", "A", "B"], ROUND_TRIPS, ["A", "B", "A", "B"]),
    (["A", "B", "A", "B", "A"], ROUND_TRIPS, ["A", "B", "A", "B", "A"]),
    (["X", "A", "B", "A", "B", "Y"], ROUND_TRIPS, ["A", "B", "A", "B"]),
    # Three moves between A and B, not in a row: A sent it to B twice and B sent it back.
    (["A", "B", "A", "C", "A", "B"], ROUND_TRIPS, ["A", "B", "A", "C", "A", "B"]),
    (["A", "B", "C", "A"], CYCLE, ["A", "B", "C", "A"]),
    (["S", "C", "C2", "S"], CYCLE, ["S", "C", "C2", "S"]),
    (["A", "B", "C", "D", "A", "E"], CYCLE, ["A", "B", "C", "D", "A"]),
    # Around A→B→D→A with a detour B→C→B on the way.
    (["A", "B", "C", "B", "D", "A"], CYCLE, ["A", "B", "C", "B", "D", "A"]),
    # B sends it back to A, A passes it to C, and C hands it to B again: B→A→C→B.
    (["A", "B", "A", "C", "B"], CYCLE, ["B", "A", "C", "B"]),
    (["A", "B", "A", "B", "C", "A"], f"{ROUND_TRIPS}+{CYCLE}", ["A", "B", "A", "B", "C", "A"]),
])
def test_routes_that_bounce(route, pattern, path):
    bounce = find_bounce(route)
    assert bounce is not None
    assert bounce.pattern == pattern
    assert bounce.path(route) == path


def test_bounce_positions():
    assert find_bounce(["X", "A", "B", "A", "B"]) == Bounce(ROUND_TRIPS, 1, 4)


parties = st.sampled_from(list("ABCDEFGH"))


@st.composite
def tree_walks(draw):
    """Walks that go down a tree to new parties and back up, each tie at most down and up once:
    every move is undone by at most one return."""
    route, stack, fresh = ["P0"], ["P0"], 1
    for go_down in draw(st.lists(st.booleans(), max_size=25)):
        if go_down or len(stack) == 1:
            node = f"P{fresh}"
            fresh += 1
            stack.append(node)
        else:
            stack.pop()
            node = stack[-1]
        route.append(node)
    return route


@given(tree_walks())
def test_returns_along_a_tree_never_bounce(route):
    assert find_bounce(route) is None


@given(st.lists(parties, unique=True))
def test_a_route_without_repeats_never_bounces(route):
    assert find_bounce(route) is None


@given(st.lists(parties, max_size=8), st.lists(parties, max_size=8), parties, parties)
def test_two_round_trips_are_always_found(before, after, a, b):
    if a == b:
        return
    route = [*before, a, b, a, b, *after]
    route = [p for i, p in enumerate(route) if i == 0 or route[i - 1] != p]
    bounce = find_bounce(route)
    assert bounce is not None
    path = bounce.path(route)
    assert path == route[bounce.start:bounce.end + 1]
    assert len(path) >= 4


@given(st.lists(parties, min_size=3, max_size=8, unique=True), st.lists(parties, max_size=6))
def test_a_cycle_of_three_or_more_is_always_found(cycle, after):
    route = [*cycle, cycle[0], *after]
    route = [p for i, p in enumerate(route) if i == 0 or route[i - 1] != p]
    bounce = find_bounce(route)
    assert bounce is not None
    assert bounce.start == 0


# --- task routes -----------------------------------------------------------------------------


def test_tiny_city_routes(tiny_model):
    routes = task_routes(tiny_model.frame("tasks"), tiny_model.frame("task_steps"))
    assert list(routes.columns) == list(ROUTE_COLUMNS)
    by_id = routes.set_index("id")
    # K-1's steps are out of order in the file: step 2 (handle) comes first.
    assert by_id.loc["K-1", "route"] == ["O-C1", "O-G11"]
    assert by_id.loc["K-1", "final_handler_id"] == "O-G11"
    assert by_id.loc["K-2", "route"] == ["O-G12", "O-C1", "M-9"]
    assert by_id.loc["K-3", "route"] == ["U-4"]
    assert by_id.loc["K-4", "route"] == ["U-1", "U-2", "U-1"]
    assert by_id["status"].to_dict() == {"K-1": CLOSED, "K-2": CLOSED, "K-3": CLOSED,
                                         "K-4": CLOSED, "K-5": OPEN}
    assert by_id["route_length"].to_dict() == {"K-1": 2, "K-2": 3, "K-3": 1, "K-4": 3, "K-5": 1}
    assert by_id["hops"].to_dict() == {"K-1": 1, "K-2": 2, "K-3": 0, "K-4": 2, "K-5": 1}
    assert pd.isna(by_id.loc["K-5", "final_handler_id"])
    assert by_id.loc["K-5", "current_holder_id"] == "O-G21"
    assert by_id["ping_pong_path"].isna().all()


def test_task_without_steps_is_open_at_its_assignee():
    row = _route_of(_tasks(("K", "A")), _steps(("X", 1, "B", None, H)), "K")
    assert row["route"] == []
    assert row["status"] == OPEN
    assert row["route_length"] == 0
    assert row["hops"] == 0
    assert row["current_holder_id"] == "A"
    assert row["route_from_assignee"] == ["A"]


def test_steps_of_unknown_tasks_are_ignored():
    routes = task_routes(_tasks(("K", "A")), _steps(("X", 1, "B", None, H)))
    assert routes["id"].tolist() == ["K"]


def test_a_task_reopened_after_handling_is_open():
    steps = _steps(("K", 1, "A", None, H), ("K", 2, "A", "B", T))
    row = _route_of(_tasks(("K", "A")), steps, "K")
    assert row["status"] == OPEN
    assert pd.isna(row["final_handler_id"])
    assert row["current_holder_id"] == "B"


def test_route_from_assignee():
    tasks = _tasks(("K1", "U"), ("K2", "C"), ("K3", None))
    steps = _steps(
        ("K1", 1, "S", "C", T), ("K1", 2, "C", None, H),          # assignee not in the steps
        ("K2", 1, "S", "C", T), ("K2", 2, "C", None, H),          # assignee mid-route
        ("K3", 1, "A", None, H),
    )
    by_id = task_routes(tasks, steps).set_index("id")
    assert by_id.loc["K1", "route"] == ["S", "C"]
    assert by_id.loc["K1", "route_from_assignee"] == ["U", "S", "C"]
    assert by_id.loc["K2", "route_from_assignee"] == ["C"]
    assert by_id.loc["K3", "route_from_assignee"] == ["A"]


def test_same_step_number_is_ordered_by_time():
    steps = _steps(("K", 2, "B", None, H, "2026-01-03"), ("K", 1, "B", "C", T, "2026-01-02"),
                   ("K", 1, "A", "B", T, "2026-01-01"), ("K", 2, "C", "B", R, "2026-01-02"))
    row = _route_of(_tasks(("K", "A")), steps, "K")
    assert row["route"] == ["A", "B", "C", "B"]
    assert row["final_handler_id"] == "B"


def test_a_community_and_its_committee_are_one_party_in_a_bounce():
    # C escalates to S, S returns it to C's territory TC, TC escalates again, S returns to C:
    # written with two ids, it is two round trips between C and S.
    steps = _steps(("K", 1, "C", "S", E), ("K", 2, "S", "TC", R), ("K", 3, "TC", "S", E),
                   ("K", 4, "S", "C", R), ("K", 5, "C", None, H),
                   ("J", 1, "TC", "C", T), ("J", 2, "C", "G", T), ("J", 3, "G", "C", R),
                   ("J", 4, "C", None, H))  # territory to committee, one return: no bounce
    tasks = _tasks(("K", "TC"), ("J", "TC"))
    plain = task_routes(tasks, steps).set_index("id")
    assert plain.loc["K", "ping_pong_path"] is None  # C, S, TC, S, C: no pair three times
    by_id = task_routes(tasks, steps, same_party={"TC": "C"}).set_index("id")
    assert by_id.loc["K", "route"] == ["C", "S", "TC", "S", "C"]
    assert by_id.loc["K", "ping_pong_pattern"] == ROUND_TRIPS
    assert by_id.loc["K", "ping_pong_path"] == ["C", "S", "TC", "S", "C"]
    assert by_id.loc["J", "ping_pong_path"] is None
    assert by_id.loc["J", "route"] == ["TC", "C", "G", "C"]


def test_ping_pong_columns():
    steps = _steps(("K", 1, "A", "B", T), ("K", 2, "B", "A", R), ("K", 3, "A", "B", T),
                   ("K", 4, "B", None, H))
    row = _route_of(_tasks(("K", "A")), steps, "K")
    assert row["ping_pong_pattern"] == ROUND_TRIPS
    assert row["ping_pong_path"] == ["A", "B", "A", "B"]


# --- flow ------------------------------------------------------------------------------------


def test_tiny_city_flow(tiny_model):
    steps = tiny_model.frame("task_steps")
    flow = party_flow(task_routes(tiny_model.frame("tasks"), steps), steps)
    assert flow.loc["O-C1"].to_dict() == {"received": 2, "pushed_back": 2, "absorbed": 0,
                                          "returned": 0, "transferred": 2, "escalated": 0,
                                          "open": 0}
    assert flow.loc["U-1"].to_dict() == {"received": 1, "pushed_back": 0, "absorbed": 1,
                                         "returned": 0, "transferred": 1, "escalated": 0,
                                         "open": 0}
    assert flow.loc["U-2", "pushed_back"] == 1
    assert flow.loc["U-2", "returned"] == 1
    assert flow.loc["O-G21", "open"] == 1
    assert flow.loc["M-9", "absorbed"] == 1
    assert (flow["pushed_back"] + flow["absorbed"] <= flow["received"]).all()
    assert list(flow.index) == sorted(flow.index)


def test_flow_counts_tasks_not_steps():
    steps = _steps(("K", 1, "A", "B", T), ("K", 2, "B", "A", R), ("K", 3, "A", "B", T),
                   ("K", 4, "B", "A", R), ("K", 5, "A", None, H))
    flow = party_flow(task_routes(_tasks(("K", "A")), steps), steps)
    assert flow.loc["A"].to_dict()["absorbed"] == 1
    assert flow.loc["A", "pushed_back"] == 0  # A handled it in the end
    assert flow.loc["B", "pushed_back"] == 1
    assert flow.loc["B", "received"] == 1


def test_handled_by_rels(tiny_model):
    routes = task_routes(tiny_model.frame("tasks"), tiny_model.frame("task_steps"))
    rels = handled_by_rels(routes)
    assert sorted(zip(rels["from"], rels["to"], strict=True)) == [
        ("K-1", "O-G11"), ("K-2", "M-9"), ("K-3", "U-4"), ("K-4", "U-1")]


# --- scale -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_city_scale_routes_take_seconds():
    rng = np.random.default_rng(0)
    n_tasks, per_task = 60_000, 4
    parties_ = np.array([f"O-{i:05d}" for i in range(3000)], dtype=object)
    task_ids = np.array([f"K-{i:06d}" for i in range(n_tasks)], dtype=object)
    frm = parties_[rng.integers(len(parties_), size=(n_tasks, per_task))]
    to = parties_[rng.integers(len(parties_), size=(n_tasks, per_task))]
    action = np.tile(np.array([T, R, E, H], dtype=object), (n_tasks, 1))
    steps = pd.DataFrame({
        "task_id": np.repeat(task_ids, per_task), "step": np.tile(np.arange(1, 5), n_tasks),
        "from_id": frm.ravel(), "to_id": np.where(action == H, None, to).ravel(),
        "action": action.ravel(), "at": pd.NaT,
    }).sample(frac=1, random_state=0)
    steps = steps.astype({"task_id": "str", "from_id": "str", "action": "str"})
    tasks = pd.DataFrame({"id": task_ids, "assigned_to_id": frm[:, 0]}).astype("str")
    start = time.perf_counter()
    routes = task_routes(tasks, steps)
    flow = party_flow(routes, steps)
    elapsed = time.perf_counter() - start
    assert len(routes) == n_tasks
    assert flow["absorbed"].sum() == n_tasks
    assert elapsed < 10, f"{elapsed:.1f} s"
