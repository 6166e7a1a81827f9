"""Resources (资源清单): offered by units to the communities they are tied to, mostly delivered.

Every clean scored tie gets 1–3 resources, at least one delivered; a planted weak tie gets at
most an offer that never arrived; some units list offers with no recipient yet. Years are the
reference year or the one before, so the reference year is the latest in the data.
"""

from __future__ import annotations

from graphmodel.schema import ResourceKind
from synthetic._state import REF_YEAR, CityState

# Amount range per kind: yuan for funds, people for staff, times or items for the rest.
_AMOUNTS: dict[ResourceKind, tuple[int, int]] = {
    ResourceKind.FUNDS: (2_000, 200_000), ResourceKind.STAFF: (1, 20),
    ResourceKind.VENUE: (1, 4), ResourceKind.SERVICE: (2, 60),
    ResourceKind.SUPPLIES: (10, 500), ResourceKind.PROJECT: (1, 4),
}
_KINDS = tuple(ResourceKind)


def build_resources(state: CityState) -> None:
    """Add the resource rows of ``state``."""
    rng = state.rng("resources")
    rows = state.resource_rows

    def add(provider: str, recipient: str | None, delivered: bool) -> None:
        kind = _KINDS[int(rng.integers(len(_KINDS)))]
        lo, hi = _AMOUNTS[kind]
        amount = float(rng.integers(lo, hi + 1))
        if kind is ResourceKind.FUNDS:
            amount = round(amount, -2)
        year = REF_YEAR if rng.random() < 0.75 else REF_YEAR - 1
        rows.append((state.mint.one("R", width=6), provider, recipient, kind, amount, year,
                     delivered))

    for unit, target in state.strong_ties:
        n = int(rng.integers(1, 4))
        for k in range(n):
            add(unit, target, k == 0 or rng.random() < 0.8)
    for unit, target in state.weak_ties:
        if rng.random() < 0.5:
            add(unit, target, False)
    for u in state.units:
        if rng.random() < 0.1 and not u.reserved:
            add(u.id, None, False)
