"""Turn a ``CityState`` into one DataFrame per input table, columns exactly as in ``TABLES``.

Category values are the English codes as plain strings; yes/no columns are pandas ``boolean``,
counts and years ``Int64`` (both nullable: empty cells stay empty).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, Literal

import pandas as pd

from graphmodel.schema import TABLES, TerritoryKind
from synthetic._state import CityState, Compound

_DTYPES: dict[str, Literal["Int64", "boolean", "Float64"]] = {
    "int": "Int64", "year": "Int64", "bool": "boolean", "float": "Float64", "rate": "Float64"}


def to_frames(state: CityState) -> dict[str, pd.DataFrame]:
    """The nine tables of ``state`` (the members and task frames are taken over as built)."""
    raw: dict[str, Any] = {
        "territories": _territory_rows(state),
        "organizations": [(o.id, o.name, o.kind, o.parent, o.territory, o.unit)
                          for o in state.orgs.values()],
        "units": [(u.id, u.name, u.kind, u.rank, u.party_members, u.territory)
                  for u in state.units],
        "platforms": state.platform_rows,
        "links": [{k: v for k, v in row.items() if not k.startswith("_")}
                  for row in state.link_rows],
        "resources": state.resource_rows,
    }
    frames: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        columns = [c.name for c in spec.columns]
        if name in state.frames:
            frame = state.frames[name]
        else:
            frame = pd.DataFrame.from_records(raw[name], columns=columns)
        frames[name] = _typed(frame[columns], name)
    return frames


def _territory_rows(state: CityState) -> list[tuple[Any, ...]]:
    """Parents before children; households of a territory are those of its compounds."""
    def households(compounds: Iterable[Compound]) -> int:
        return sum(p.households for p in compounds)

    rows: list[tuple[Any, ...]] = [(state.city_territory, state.name, TerritoryKind.CITY, None,
                                    households(state.compounds), None)]
    for street in state.streets:
        rows.append((street.id, street.name, street.kind, state.city_territory,
                     households(p for c in street.communities for p in c.compounds), None))
        for comm in street.communities:
            rows.append((comm.id, comm.name, comm.kind, street.id, households(comm.compounds),
                         None))
            for grid in comm.grids:
                rows.append((grid.id, grid.name, TerritoryKind.GRID, comm.id,
                             households(grid.compounds), None))
                rows += [(p.id, p.name, TerritoryKind.COMPOUND, grid.id, p.households, p.managed)
                         for p in grid.compounds]
    rows += [(a.id, a.name, TerritoryKind.BUSINESS_AREA, a.street.id, None, None)
             for a in state.areas]
    return rows


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.copy()
    for col in TABLES[table].columns:
        values = frame[col.name]
        if col.dtype in _DTYPES:
            frame[col.name] = values.astype(_DTYPES[col.dtype])
        else:
            frame[col.name] = values.map(_plain, na_action="ignore").astype(object)
    return frame


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
