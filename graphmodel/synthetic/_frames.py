"""Turn a ``CityState`` into one DataFrame per input table, columns exactly as in ``TABLES``.

Category values are the English codes as plain strings; yes/no columns are pandas ``boolean``,
counts and years ``Int64`` (both nullable: empty cells stay empty).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pandas as pd

from graphmodel.schema import TABLES, TerritoryKind
from graphmodel.synthetic._state import CityState

_DTYPES = {"int": "Int64", "year": "Int64", "bool": "boolean", "float": "Float64",
           "rate": "Float64"}


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
    rows: list[tuple[Any, ...]] = []
    city_households = 0
    for street in state.streets:
        street_rows: list[tuple[Any, ...]] = []
        street_households = 0
        for comm in street.communities:
            comm_rows: list[tuple[Any, ...]] = []
            comm_households = 0
            for grid in comm.grids:
                households = sum(p.households for p in grid.compounds)
                comm_rows.append((grid.id, grid.name, TerritoryKind.GRID, comm.id, households,
                                  None))
                comm_rows += [(p.id, p.name, TerritoryKind.COMPOUND, grid.id, p.households,
                               p.managed) for p in grid.compounds]
                comm_households += households
            street_rows.append((comm.id, comm.name, comm.kind, street.id, comm_households, None))
            street_rows += comm_rows
            street_households += comm_households
        rows.append((street.id, street.name, street.kind, state.city_territory,
                     street_households, None))
        rows += street_rows
        city_households += street_households
    rows += [(a.id, a.name, TerritoryKind.BUSINESS_AREA, a.street.id, None, None)
             for a in state.areas]
    return [(state.city_territory, state.name, TerritoryKind.CITY, None, city_households, None),
            *rows]


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
