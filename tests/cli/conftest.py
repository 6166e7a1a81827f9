"""Fixtures of the command-line tests: the tiny city loaded once into a LadybugDB file."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.pipeline import load_database

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="session")
def tiny_db(tiny_model, tmp_path_factory) -> Path:
    """The tiny city in a LadybugDB file with everything `orgnet load` derives (read only:
    tests must not write to it)."""
    path = tmp_path_factory.mktemp("tiny_db") / "city.lbdb"
    load_database(tiny_model, path)
    return path
