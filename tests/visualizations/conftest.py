"""Fixtures of the page tests (data and checks in :mod:`tests.visualizations.pages`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphmodel.model import OrgModel
from loaders import load_dataset
from tests.helpers import run_diagnosis
from tests.visualizations.pages import TINY, add_second_street, findings_object


@pytest.fixture(scope="session")
def two_streets_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny city plus street T-ST2, as a CSV folder (do not edit)."""
    folder = tmp_path_factory.mktemp("two_streets") / "city"
    shutil.copytree(TINY, folder)
    add_second_street(folder)
    return folder


@pytest.fixture(scope="session")
def two_streets(two_streets_dir: Path) -> OrgModel:
    """The model of the two-street city (do not mutate)."""
    return load_dataset(two_streets_dir)


@pytest.fixture
def findings() -> dict:
    """Hand-written findings of the two-street city (a fresh copy per test)."""
    return findings_object()


@pytest.fixture(scope="session")
def diagnosed(two_streets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The real diagnosis of the two-street city, every question (do not mutate)."""
    return run_diagnosis(two_streets_dir, tmp_path_factory.mktemp("diag"))
