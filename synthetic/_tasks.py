"""Tasks and their routes, built as arrays from route templates (60k tasks in about a second).

A template is a fixed route over roles: C a community committee, G one of its grid branches,
S its street committee, C2 another community of the street, K a clean sent-down cadre of C,
V C's vanguard team, U a unit ranked county or above or a functional department, P a work team
or joint meeting (then S is the platform's street). Steps are done by ``from_id``; handle has
no ``to_id``.

Clean routes hand work down or back up at most once (A→B, B returns, A handles); tasks given to
a high unit or a platform are handled by it; community tasks are handled by the committee or a
grid branch, never by a cadre or vanguard team. Every clean cadre appears in some route. About
8% of clean tasks are still open (no handle step, some no step at all). Planted: backflow paths,
ping-pong (two round trips, or a cycle of three) and misplaced responsibility.
The task_steps rows are shuffled, and a few tasks number two steps alike (order: step, then at).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.schema import AdminRank, StepAction, TaskKind, UnitKind
from synthetic import _names as words
from synthetic._state import REF_YEAR, CityState

T, E, R, H = StepAction.TRANSFER, StepAction.ESCALATE, StepAction.RETURN, StepAction.HANDLE
A_, G_, Q_ = TaskKind.ASSIGNED, TaskKind.GRID, TaskKind.RESIDENT


@dataclass(frozen=True)
class _Template:
    """A route over roles; ``check`` names the planted problem it is (None: clean)."""

    name: str
    assignee: str
    steps: tuple[tuple[str, str | None, StepAction], ...]
    kinds: tuple[TaskKind, ...]
    weight: float = 0.0
    check: str | None = None


CLEAN = (
    _Template("c_handle", "C", (("C", None, H),), (A_, Q_), 0.14),
    _Template("c_grid", "C", (("C", "G", T), ("G", None, H)), (A_, Q_), 0.14),
    _Template("c_return", "C", (("C", "G", T), ("G", "C", R), ("C", None, H)), (A_, Q_), 0.05),
    _Template("g_handle", "G", (("G", None, H),), (G_, Q_), 0.12),
    _Template("g_escalate", "G", (("G", "C", E), ("C", None, H)), (G_, Q_), 0.12),
    _Template("s_down", "S", (("S", "C", T), ("C", None, H)), (A_,), 0.08),
    _Template("s_down2", "S", (("S", "C", T), ("C", "G", T), ("G", None, H)), (A_,), 0.05),
    _Template("s_handle", "S", (("S", None, H),), (A_, Q_), 0.03),
    _Template("u_handle", "U", (("U", None, H),), (A_, Q_), 0.07),
    _Template("u_return", "U", (("U", "C", T), ("C", "U", R), ("U", None, H)), (A_,), 0.04),
    _Template("p_handle", "P", (("P", None, H),), (A_,), 0.03),
    _Template("k_visit", "C", (("C", "K", T), ("K", "C", R), ("C", None, H)), (Q_, A_), 0.03),
    _Template("k_grid", "G", (("G", "K", T), ("K", "C", E), ("C", None, H)), (G_, Q_), 0.03),
    _Template("none", "C", (), (A_, Q_), 0.02),
)
PLANTED = (
    _Template("bf_usc", "U", (("U", "S", T), ("S", "C", T), ("C", None, H)), (A_,),
              check="backflow_path"),
    _Template("bf_uc", "U", (("U", "C", T), ("C", None, H)), (A_,), check="backflow_path"),
    _Template("bf_ps", "P", (("P", "S", T), ("S", None, H)), (A_,), check="backflow_path"),
    _Template("bf_us", "U", (("U", "S", T), ("S", None, H)), (A_,), check="backflow_path"),
    _Template("pp_double", "C", (("C", "G", T), ("G", "C", R), ("C", "G", T), ("G", "C", R),
                                 ("C", None, H)), (A_, Q_), check="ping_pong"),
    _Template("pp_cycle", "S", (("S", "C", T), ("C", "C2", T), ("C2", "S", E), ("S", None, H)),
              (A_,), check="ping_pong"),
    _Template("pp_unit", "U", (("U", "S", T), ("S", "U", R), ("U", "S", T), ("S", "U", R),
                               ("U", None, H)), (A_,), check="ping_pong"),
    _Template("mr_cadre", "C", (("C", "K", T), ("K", None, H)), (Q_, A_),
              check="misplaced_responsibility"),
    _Template("mr_vanguard", "C", (("C", "V", T), ("V", None, H)), (Q_, A_),
              check="misplaced_responsibility"),
)
OPEN_SHARE = 0.08
SAME_STEP_SHARE = 0.03


class _Roles:
    """Arrays to draw role holders from, by community position."""

    def __init__(self, state: CityState, rng: np.random.Generator) -> None:
        self.rng = rng
        comms = state.communities
        self.committee = np.array([c.committee for c in comms], dtype=object)
        self.street = np.array([c.street.committee for c in comms], dtype=object)
        self.name = np.array([c.name for c in comms], dtype=object)
        self.vanguard = np.array([c.vanguard or "" for c in comms], dtype=object)
        # Street ranges: communities of a street are contiguous in ``comms``.
        pos = {c.id: i for i, c in enumerate(comms)}
        self.first = np.array([pos[c.street.communities[0].id] for c in comms])
        self.size = np.array([len(c.street.communities) for c in comms])
        self.grids = _Ragged([[g.branch for g in c.grids if g.branch] for c in comms])
        self.cadres = _Ragged([state.cadres.get(c.id, []) for c in comms])
        high = [u.id for u in state.units if u.rank.order >= AdminRank.COUNTY.order
                or u.kind is UnitKind.FUNCTIONAL_DEPARTMENT]
        self.high = np.array(high, dtype=object)
        self.platforms = np.array([p for p, _ in state.task_platforms], dtype=object)
        self.platform_street = np.array([s.committee for _, s in state.task_platforms],
                                        dtype=object)
        self.any = np.arange(len(comms))
        self.with_cadre = np.flatnonzero(self.cadres.count > 0)
        self.with_vanguard = np.flatnonzero(self.vanguard != "")

    def eligible(self, tpl: _Template) -> np.ndarray:
        roles = {r for step in tpl.steps for r in step[:2]} | {tpl.assignee}
        if "K" in roles:
            return self.with_cadre
        if "V" in roles:
            return self.with_vanguard
        return self.any

    def draw(self, tpl: _Template, n: int, ci: np.ndarray | None = None,
             cadre: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Role holders of ``n`` tasks of ``tpl`` (and the community position of each)."""
        rng = self.rng
        if ci is None:
            pool = self.eligible(tpl)
            ci = pool[rng.integers(len(pool), size=n)]
        roles = {"C": self.committee[ci], "S": self.street[ci], "G": self.grids.pick(rng, ci),
                 "V": self.vanguard[ci]}
        roles["K"] = cadre if cadre is not None else self.cadres.pick(rng, ci)
        other = self.first[ci] + rng.integers(np.maximum(self.size[ci] - 1, 1))
        other = np.where(other >= ci, other + 1, other)
        roles["C2"] = self.committee[np.minimum(other, len(self.committee) - 1)]
        roles["U"] = self.high[rng.integers(len(self.high), size=n)]
        pi = rng.integers(len(self.platforms), size=n)
        roles["P"] = self.platforms[pi]
        if tpl.assignee == "P":
            roles["S"] = self.platform_street[pi]
        return roles, ci


class _Ragged:
    """Lists of ids per community as flat arrays, to pick one per row without a loop."""

    def __init__(self, lists: list[list[str]]) -> None:
        self.count = np.array([len(x) for x in lists])
        self.start = np.concatenate([[0], np.cumsum(self.count)[:-1]])
        self.values = np.array([v for x in lists for v in x] or [""], dtype=object)

    def pick(self, rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
        count = self.count[rows]
        k = (rng.random(len(rows)) * np.maximum(count, 1)).astype(int)
        out = self.values[np.minimum(self.start[rows] + k, len(self.values) - 1)]
        return np.where(count > 0, out, "")


def build_tasks(state: CityState) -> None:
    """Create ``state.frames["tasks"]`` and ``state.frames["task_steps"]``."""
    rng = state.rng("tasks")
    roles = _Roles(state, rng)
    total = state.spec.tasks
    batches: list[tuple[_Template, int, np.ndarray | None, np.ndarray | None]] = []

    for tpl_names, check in ((("bf_usc", "bf_uc", "bf_ps", "bf_us"), "backflow_path"),
                             (("pp_double", "pp_cycle", "pp_unit"), "ping_pong"),
                             (("mr_cadre", "mr_vanguard"), "misplaced_responsibility")):
        templates = [t for t in PLANTED if t.name in tpl_names and len(roles.eligible(t))]
        n = state.rates.count(check, total)
        for k, tpl in enumerate(templates):  # spread evenly over the variants
            batches.append((tpl, n // len(templates) + (k < n % len(templates)), None, None))

    # One contact for every clean cadre, so none of them looks out of touch by accident.
    visit = {t.name: t for t in CLEAN}
    cadres = roles.cadres
    if cadres.count.sum():
        ci = np.repeat(np.arange(len(cadres.count)), cadres.count)
        cadre = cadres.values[: len(ci)]  # stored community by community, like ``ci``
        use_grid = rng.random(len(ci)) < 0.5
        for name, mask in (("k_grid", use_grid), ("k_visit", ~use_grid)):
            batches.append((visit[name], int(mask.sum()), ci[mask], cadre[mask]))

    rest = total - sum(b[1] for b in batches)
    clean = [t for t in CLEAN if len(roles.eligible(t))]
    weights = np.array([t.weight for t in clean])
    counts = rng.multinomial(max(0, rest), weights / weights.sum())
    batches += [(t, int(k), None, None) for t, k in zip(clean, counts, strict=True)]

    # Ids in random order over the batches, so an id tells nothing about the route.
    total = sum(b[1] for b in batches)  # more than asked only if the cadres need it
    ids = state.mint.block("K", total, width=6)[rng.permutation(total)]
    tasks, steps, start = [], [], 0
    for tpl, n, fixed_ci, fixed_cadre in batches:
        if n == 0:
            continue
        task_ids = ids[start: start + n]
        start += n
        held, ci = roles.draw(tpl, n, fixed_ci, fixed_cadre)
        t, s = _route_rows(rng, tpl, task_ids, held, roles.name[ci])
        tasks.append(t)
        steps.append(s)
        if tpl.check:
            for tid in task_ids:
                state.plant(tpl.check, tid)
    task_frame = pd.concat(tasks, ignore_index=True).sort_values("id", ignore_index=True)
    step_frame = pd.concat(steps, ignore_index=True)
    state.frames["tasks"] = task_frame
    state.frames["task_steps"] = step_frame.iloc[rng.permutation(len(step_frame))].reset_index(
        drop=True)


def _route_rows(rng: np.random.Generator, tpl: _Template, task_ids: np.ndarray,
                held: dict[str, np.ndarray], place: np.ndarray
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Task and step rows of one batch of ``tpl``."""
    n, length = len(task_ids), len(tpl.steps)
    kinds = np.array(tpl.kinds, dtype=object)[rng.integers(len(tpl.kinds), size=n)]
    created = (np.datetime64(f"{REF_YEAR}-01-01T08:00", "m")
               + rng.integers(0, 320, n) * np.timedelta64(1, "D")
               + rng.integers(0, 600, n) * np.timedelta64(1, "m"))
    tasks = pd.DataFrame({
        "id": task_ids, "title": _titles(rng, kinds, place, tpl.assignee in ("U", "P")),
        "kind": kinds, "assigned_to_id": held[tpl.assignee],
        "created": pd.Series(created).dt.strftime("%Y-%m-%d"),
    })
    if length == 0:
        return tasks, pd.DataFrame(columns=["task_id", "step", "from_id", "to_id", "action", "at"])

    # Clean tasks are sometimes still open: the handle step is not there yet.
    keep = np.ones((n, length), dtype=bool)
    if tpl.check is None:
        keep[rng.random(n) < OPEN_SHARE, -1] = False
    number = np.tile(np.arange(1, length + 1), (n, 1))
    if length >= 3:  # the same step number twice; `at` still orders them
        number[rng.random(n) < SAME_STEP_SHARE, 2:] -= 1
    at = created[:, None] + (rng.integers(30, 72 * 60, (n, length)).cumsum(axis=1)
                             * np.timedelta64(1, "m"))
    frm = np.stack([held[f] for f, _, _ in tpl.steps], axis=1)
    to = np.stack([held[t] if t else np.full(n, None, dtype=object) for _, t, _ in tpl.steps],
                  axis=1)
    action = np.tile(np.array([a for _, _, a in tpl.steps], dtype=object), (n, 1))
    steps = pd.DataFrame({
        "task_id": np.repeat(task_ids, length)[keep.ravel()],
        "step": number[keep], "from_id": frm[keep], "to_id": to[keep],
        "action": action[keep], "at": pd.Series(at[keep]).dt.strftime("%Y-%m-%d %H:%M"),
    })
    return tasks, steps


def _titles(rng: np.random.Generator, kinds: np.ndarray, place: np.ndarray,
            citywide: bool) -> np.ndarray:
    def draw(pool: tuple[str, ...]) -> np.ndarray:
        return np.array(pool, dtype=object)[rng.integers(len(pool), size=len(kinds))]

    topic, grid, resident = (draw(words.ASSIGNED_TOPICS), draw(words.GRID_PROBLEMS),
                             draw(words.RESIDENT_PROBLEMS))
    n = len(kinds)
    where = np.full(n, "", dtype=object) if citywide else place
    return np.where(kinds == TaskKind.ASSIGNED, "关于开展" + where + topic + "工作的通知",
                    np.where(kinds == TaskKind.GRID, where + grid + "问题处置",
                             "居民反映" + where + resident))
