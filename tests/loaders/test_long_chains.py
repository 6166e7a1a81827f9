"""Chains of any length cost linear time: a parent chain of 10,000 levels."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphmodel.schema import Level
from loaders import load_dataset
from orgnet.cli import main

N = 10_000


def _chain(folder: Path, n: int = N) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    territories = ["id,name,kind,parent_id,households,managed", "T-0,市,city,,,yes",
                   "T-S,街道,street,T-0,,yes"]
    orgs = ["id,name,kind,parent_id,territory_id,unit_id", "O-0,市委,city_committee,,T-0,",
            "O-S,街道党工委,street_working_committee,O-0,T-S,"]
    for i in range(1, n + 1):
        above = f"T-{i - 1}" if i > 1 else "T-S"
        territories.append(f"T-{i},网格{i},grid,{above},,yes")
        orgs.append(f"O-{i},支部{i},grid_branch,{f'O-{i - 1}' if i > 1 else 'O-S'},T-{i},")
    (folder / "territories.csv").write_text("\n".join(territories) + "\n", encoding="utf-8")
    (folder / "organizations.csv").write_text("\n".join(orgs) + "\n", encoding="utf-8")
    return folder


def test_model_walks_up_a_10000_level_chain_in_linear_time(tmp_path):
    model = load_dataset(_chain(tmp_path / "chain"))
    started = time.monotonic()
    streets = {model.street_of(f"O-{i}") for i in range(1, N + 1)}
    communities = {model.ancestor_at(f"T-{i}", Level.COMMUNITY) for i in range(1, N + 1)}
    scoped = [model.ancestors_at_levels(f"T-{i}", frozenset({Level.CITY, Level.STREET}))
              for i in range(1, N + 1)]
    elapsed = time.monotonic() - started
    assert streets == {"T-S"}
    assert communities == {None}
    assert all(s == ["T-S", "T-0"] for s in scoped)
    assert model.superiors("O-3") == ["O-2", "O-1", "O-S", "O-0"]
    assert elapsed < 5, elapsed


@pytest.mark.slow
def test_load_and_diagnose_a_10000_level_chain(tmp_path):
    data = _chain(tmp_path / "chain")
    started = time.monotonic()
    assert main(["load", str(data), "--db", str(tmp_path / "c.lbdb")]) in {0, 1}
    loaded = time.monotonic()
    assert main(["diagnose", "--db", str(tmp_path / "c.lbdb"), "--json",
                 str(tmp_path / "f.json")]) in {0, 1}
    assert loaded - started < 120
    assert time.monotonic() - loaded < 120
