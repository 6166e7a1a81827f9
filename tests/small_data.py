"""Hand-made small datasets for rule tests: tables written as CSV text with English headers."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from graphmodel.model import OrgModel
from loaders import load_dataset

# A city with one street, one community with one grid and one compound, all organized.
BASE = {
    "territories": """
        id,name,kind,parent_id,households,managed
        T-CITY,城,city,,,
        T-S,街,street,T-CITY,,
        T-C,社区,community,T-S,,
        T-G,网格,grid,T-C,,
        T-P,小区,compound,T-G,,true
    """,
    "organizations": """
        id,name,kind,parent_id,territory_id,unit_id
        O-CITY,市委,city_committee,,T-CITY,
        O-S,街道党工委,street_working_committee,O-CITY,T-S,
        O-C,社区党委,community_committee,O-S,T-C,
        O-G,网格党支部,grid_branch,O-C,T-G,
        O-P,小区党小组,compound_group,O-G,T-P,
        O-PO,业委会,owners_committee,O-P,T-P,
    """,
}


def write_tables(folder: Path, tables: dict[str, str]) -> Path:
    """Write each table's CSV text (dedented, blank lines dropped) as ``<table>.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        lines = [line for line in dedent(text).splitlines() if line.strip()]
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def with_rows(tables: dict[str, str], **extra: str) -> dict[str, str]:
    """``tables`` with extra CSV rows appended to a table (a table not there yet needs its
    header as the first line of the text)."""
    out = dict(tables)
    for name, text in extra.items():
        out[name] = out.get(name, "") + "\n" + dedent(text)
    return out


def small_model(folder: Path, **extra: str) -> OrgModel:
    """The model of :data:`BASE` with ``extra`` rows."""
    return load_dataset(write_tables(folder, with_rows(BASE, **extra)))
