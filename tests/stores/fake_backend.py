"""A third backend for the registry test: targets ``fake://PATH``, a recording wrapper around a
LadybugDB file at PATH. Registering it is one line (``stores.register_backend``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from stores import ladybug

CALLS: list[tuple[str, str]] = []
"""(method, first argument) of every call the fake store received."""

PREFIX = "fake://"


def claims(target: str) -> bool:
    """``fake://PATH``."""
    return target.startswith(PREFIX)


def _path(target: str) -> Path:
    return Path(target[len(PREFIX):])


class FakeStore:
    """Delegates to a LadybugDB store and records what it was asked."""

    backend = "fake"

    def __init__(self, inner: ladybug.LadybugStore) -> None:
        self._inner = inner
        self.writable = inner.writable
        self.holds_derived = inner.holds_derived

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        CALLS.append(("run", name))
        return self._inner.run(text, params, name=name)

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        CALLS.append(("set_properties", label))
        self._inner.set_properties(label, key, rows)

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        CALLS.append(("set_rel_properties", rel))
        self._inner.set_rel_properties(rel, key, rows)

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        CALLS.append(("replace_rels", rel))
        self._inner.replace_rels(rel, rows)

    def close(self) -> None:
        CALLS.append(("close", ""))
        self._inner.close()

    def __enter__(self) -> FakeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(target: str, *, writable: bool = False, **_options: Any) -> FakeStore:
    CALLS.append(("open_store", "writable" if writable else "read-only"))
    return FakeStore(ladybug.open_store(_path(target), writable=writable))


def write_model(model: OrgModel, target: str, *, derive=None, **options: Any) -> str:
    CALLS.append(("write_model", target))

    def wrapped(store) -> None:
        if derive is not None:
            derive(FakeStore(store))

    ladybug.write_model(model, _path(target), derive=wrapped if derive else None, **options)
    return target


def read_model(target: str, **_options: Any) -> OrgModel:
    CALLS.append(("read_model", target))
    return ladybug.read_model(_path(target))


def is_writable(target: str) -> bool:
    return ladybug.is_writable(_path(target))
