"""Party members (personal data, all fake), built as arrays: 150k rows take well under a second.

Each member lives in a compound (weighted by households); about half work in a unit, never
more than the unit's ``party_members``, so a unit without organization (2 members or fewer)
never shows 3 formal workers. Organization: the unit's own (often, when it has one) or the
nearest chain organization of the residence (compound group, else grid branch, else community).
In-work members register with their home community (双报到). Sent-down cadres come from
agencies and institutions into the communities with a vanguard team.

Planted: members with an empty or unknown organization; cadres that appear in no task step
(they are left out of ``state.cadres``, which the task builder draws every contact from).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.schema import MemberStatus, UnitKind
from synthetic import _names as words
from synthetic._state import CityState

_STATUS = np.array([MemberStatus.FORMAL, MemberStatus.PROBATIONARY, MemberStatus.MOBILE],
                   dtype=object)


def build_members(state: CityState) -> None:
    """Create ``state.frames["members"]`` and the clean cadres in ``state.cadres``."""
    rng = state.rng("members")
    n = state.spec.members
    compounds = state.compounds
    comp_ids = np.array([p.id for p in compounds], dtype=object)
    comp_comm = np.array([p.grid.community.id for p in compounds], dtype=object)
    home_org = np.array([p.group or p.grid.branch or p.grid.community.committee
                         for p in compounds], dtype=object)
    weights = np.array([p.households for p in compounds], dtype=float)
    residence = rng.choice(len(compounds), n, p=weights / weights.sum())
    status = _STATUS[rng.choice(3, n, p=[0.82, 0.08, 0.10])]
    org = home_org[residence].copy()

    workplace, at_unit = _assign_workplaces(state, rng, n, status)
    # Members of a unit with its own organization often belong to it.
    unit_org = np.array([u.org for u in state.units], dtype=object)
    works = at_unit >= 0
    joins = works & (rng.random(n) < 0.6)
    joins[joins] = unit_org[at_unit[joins]] != None  # noqa: E711 (element-wise on objects)
    org[joins] = unit_org[at_unit[joins]]
    registered = np.full(n, None, dtype=object)
    reg = works & (rng.random(n) < 0.5)
    registered[reg] = comp_comm[residence[reg]]

    sent_to, clean_cadres, low_contact = _assign_cadres(state, rng, at_unit, org, registered)

    # Planted member_without_org: half with no organization, half with an unknown one.
    n_bad = state.rates.count("member_without_org", n)
    bad = rng.permutation(np.flatnonzero(sent_to == None))[:n_bad]  # noqa: E711
    org[bad[::2]] = None
    org[bad[1::2]] = state.mint.dangling("O")

    ids = state.mint.block("M", n)
    for i in bad:
        state.plant("member_without_org", ids[i])
    state.cadres = {c: [ids[i] for i in positions] for c, positions in clean_cadres.items()}
    for i in low_contact:
        state.plant("cadre_low_contact", ids[i])
    state.frames["members"] = pd.DataFrame({
        "id": ids, "name": words.person_names(rng, n), "org_id": org,
        "residence_id": comp_ids[residence], "workplace_id": workplace,
        "status": status, "registered_community_id": registered, "sent_to_id": sent_to,
    })


def _assign_workplaces(state: CityState, rng: np.random.Generator, n: int,
                       status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Workplace ids and unit positions (-1: not working in a unit) of ``n`` members."""
    units = state.units
    pm = np.array([u.party_members for u in units])
    forced = np.array([u.formal_workers for u in units])
    # Roughly half the members work in a unit; planted units show all their members, formal.
    share = min(0.9, 0.5 * n / max(1, pm[~forced].sum()))
    workers = np.where(forced, pm, rng.binomial(pm, share))
    if workers.sum() > 0.8 * n:
        room = 0.8 * n - pm[forced].sum()
        workers = np.where(forced, pm, (workers * room / max(1, workers[~forced].sum()))
                           .astype(int))
    slots = np.repeat(np.arange(len(units)), workers)
    who = rng.permutation(n)[: len(slots)]
    at_unit = np.full(n, -1)
    at_unit[who] = slots
    status[who[forced[slots]]] = MemberStatus.FORMAL
    unit_ids = np.array([u.id for u in units], dtype=object)
    workplace = np.full(n, None, dtype=object)
    workplace[who] = unit_ids[slots]
    return workplace, at_unit


def _assign_cadres(state: CityState, rng: np.random.Generator, at_unit: np.ndarray,
                   org: np.ndarray, registered: np.ndarray
                   ) -> tuple[np.ndarray, dict[str, list[int]], list[int]]:
    """Send 2–4 agency or institution members to each community with a vanguard team.

    Returns the sent_to column, the clean cadres' positions per community id, and the
    positions of the planted low-contact cadres.
    """
    n = len(at_unit)
    kinds = np.array([u.kind in (UnitKind.AGENCY, UnitKind.INSTITUTION) for u in state.units])
    pool = rng.permutation(np.flatnonzero((at_unit >= 0) & kinds[np.maximum(at_unit, 0)]))
    sent_to = np.full(n, None, dtype=object)
    targets = [c for c in state.communities if c.vanguard]
    counts = rng.integers(2, 5, len(targets))
    take = 0
    placed: list[tuple[str, int]] = []
    for c, k in zip(targets, counts, strict=True):
        for i in pool[take: take + k]:
            # Sent to the community or straight into its vanguard team; the organization
            # relationship often moves with them (组织关系转入社区).
            sent_to[i] = c.id if rng.random() < 0.5 else c.vanguard
            if rng.random() < 0.5:
                org[i] = c.committee
            registered[i] = None
            placed.append((c.id, int(i)))
        take += k
    n_low = state.rates.count("cadre_low_contact", len(placed))
    low = {int(j) for j in rng.permutation(len(placed))[:n_low]}
    clean: dict[str, list[int]] = {}
    for j, (cid, i) in enumerate(placed):
        if j not in low:
            clean.setdefault(cid, []).append(i)
    return sent_to, clean, [placed[j][1] for j in sorted(low)]
