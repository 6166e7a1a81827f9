"""Helpers for tests that build small datasets from the tiny city or the synthetic generator."""

from __future__ import annotations

from pathlib import Path

from graphmodel.settings import Settings
from loaders import load_dataset
from loaders.ladybug import write_ladybug
from queries.backends.ladybug import LadybugStore
from queries.diagnose import diagnose
from synthetic import ScaleSpec

TWO_CITIES = ScaleSpec("two", 2, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)
"""A synthetic province of two tiny cities (ids and answer keys across cities)."""


def edit(folder: Path, table: str, old: str, new: str) -> None:
    """Replace text in a fixture CSV, keeping its encoding (GBK for units) and BOM."""
    path = folder / f"{table}.csv"
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "gbk"
        text = raw.decode(encoding)
    assert old in text, f"{old!r} not in {table}.csv"
    data = text.replace(old, new).encode("utf-8" if encoding == "utf-8-sig" else encoding)
    path.write_bytes((b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + data)


def append(folder: Path, table: str, *lines: str) -> None:
    """Append CSV lines to a fixture table."""
    for line in lines:
        edit(folder, table, _last_line(folder, table), _last_line(folder, table) + line + "\n")


def _last_line(folder: Path, table: str) -> str:
    raw = (folder / f"{table}.csv").read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    return text.splitlines(keepends=True)[-1]


def run_diagnosis(folder: Path, tmp: Path, only: set[str] | None = None,
                  settings: Settings | None = None) -> dict:
    """Load ``folder``, write it to LadybugDB in ``tmp``, diagnose; the findings object."""
    model = load_dataset(folder)
    path = write_ladybug(model, tmp / "diag.lbdb")
    with LadybugStore(path, writable=True) as store:
        return diagnose(model, store, settings, only=only)


def found(result: dict, check: str) -> list[str]:
    """Sorted subjects of the findings of ``check``."""
    return sorted(f["subject"] for f in result["findings"] if f["check"] == check)
