"""Fixtures of the page tests (data and checks in :mod:`tests.visualizations.pages`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _chromium_executable() -> str | None:
    candidates = [os.environ.get("ORGNET_CHROMIUM")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser",
                                                   "google-chrome", "google-chrome-stable")]
    candidates.append("/usr/bin/chromium")
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, ``ORGNET_CHROMIUM``, or Playwright's own), one per module."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is not installed (pip install -e '.[test]')")
    executable = _chromium_executable()
    with sync_api.sync_playwright() as p:
        if executable is None:
            bundled = p.chromium.executable_path
            if not bundled or not Path(bundled).is_file():
                pytest.skip("no Chromium found: apt-get install chromium, or set "
                            "ORGNET_CHROMIUM to a Chromium executable")
            executable = bundled
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
