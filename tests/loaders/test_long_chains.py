"""Chains of any length cost linear time: a parent chain of 10,000 levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.build import MAX_CHAIN_PATH
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
    streets = {model.street_of(f"O-{i}") for i in range(1, N + 1)}
    communities = {model.ancestor_at(f"T-{i}", Level.COMMUNITY) for i in range(1, N + 1)}
    scoped = [model.ancestors_at_levels(f"T-{i}", frozenset({Level.CITY, Level.STREET}))
              for i in range(1, N + 1)]
    assert streets == {"T-S"}
    assert communities == {None}
    assert all(s == ["T-S", "T-0"] for s in scoped)
    assert model.superiors("O-3") == ["O-2", "O-1", "O-S", "O-0"]
    # each organization keeps at most MAX_CHAIN_PATH ids of its chain: linear memory
    paths = model.frame("organizations").set_index("id")["chain_path"]
    assert list(paths["O-1"]) == ["O-1", "O-S", "O-0"]
    assert list(paths[f"O-{N}"]) == [f"O-{N - i}" for i in range(MAX_CHAIN_PATH)]
    assert max(len(p) for p in paths) == MAX_CHAIN_PATH


def test_a_long_cycle_keeps_a_bounded_path(tmp_path):
    folder = _chain(tmp_path / "chain", n=3 * MAX_CHAIN_PATH)
    orgs = folder / "organizations.csv"
    n = 3 * MAX_CHAIN_PATH
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(
        "O-1,支部1,grid_branch,O-S,", f"O-1,支部1,grid_branch,O-{n},"), encoding="utf-8")
    model = load_dataset(folder)
    o = model.frame("organizations").set_index("id")
    assert o.loc["O-5", "chain_status"] == "cycle"
    path = list(o.loc["O-5", "chain_path"])
    assert len(path) == MAX_CHAIN_PATH and path[:3] == ["O-5", "O-4", "O-3"]
    short = _chain(tmp_path / "short", n=3)
    (short / "organizations.csv").write_text((short / "organizations.csv").read_text(
        encoding="utf-8").replace("O-1,支部1,grid_branch,O-S,", "O-1,支部1,grid_branch,O-3,"),
        encoding="utf-8")
    closed = load_dataset(short).frame("organizations").set_index("id")["chain_path"]
    assert list(closed["O-2"]) == ["O-2", "O-1", "O-3", "O-2"]  # a short cycle is closed


@pytest.mark.slow
def test_load_and_diagnose_a_10000_level_chain(tmp_path):
    data = _chain(tmp_path / "chain")
    assert main(["load", str(data), "--db", str(tmp_path / "c.lbdb")]) in {0, 1}
    assert main(["diagnose", "--db", str(tmp_path / "c.lbdb"), "--json",
                 str(tmp_path / "f.json")]) in {0, 1}
