"""Shared fixtures: the hand-made tiny city, its model and a LadybugDB store of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphmodel.model import OrgModel
from loaders import load_dataset
from stores.ladybug import LadybugStore, write_ladybug

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny_city"


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny city CSV folder (tests may edit it)."""
    target = tmp_path / "tiny_city"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture(scope="session")
def tiny_model() -> OrgModel:
    """The tiny city, loaded (do not mutate)."""
    return load_dataset(TINY)


def store_for(model: OrgModel, folder: Path) -> LadybugStore:
    """A writable LadybugDB store of ``model`` in ``folder``."""
    path = write_ladybug(model, folder / "org.lbdb")
    return LadybugStore(path, writable=True)


@pytest.fixture
def tiny_store(tiny_model: OrgModel, tmp_path: Path):
    """A writable LadybugDB store of the tiny city."""
    store = store_for(tiny_model, tmp_path)
    yield store
    store.close()
