"""The pieces every question module uses: the context a check runs in, and the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from queries.backends.base import GraphStore
from queries.findings import Finding

__all__ = ["CheckContext", "Question", "display_name", "rows"]


@dataclass
class CheckContext:
    """What a check needs: the model (for Python algorithms), the store (for named queries),
    the settings in force, and a scratchpad where ``prepare`` steps leave shared results."""

    model: OrgModel
    store: GraphStore
    settings: Settings
    shared: dict[str, Any] = field(default_factory=dict)


CheckFn = Callable[[CheckContext], Iterable[Finding]]
MetricsFn = Callable[[CheckContext], dict[str, Any]]
PrepareFn = Callable[[CheckContext], None]


@dataclass
class Question:
    """One of the three questions: its checks (in FINDINGS.md order), a preparation step that
    computes derived data and writes it to the store, and its metrics."""

    name: str
    checks: dict[str, CheckFn] = field(default_factory=dict)
    prepare: list[PrepareFn] = field(default_factory=list)
    metrics: list[MetricsFn] = field(default_factory=list)

    def check(self, code: str) -> Callable[[CheckFn], CheckFn]:
        """Decorator registering a check function under its stable code."""
        def register(fn: CheckFn) -> CheckFn:
            self.checks[code] = fn
            return fn
        return register


def display_name(model: OrgModel, entity_id: str | None) -> str:
    """Name of a party for a message. Members are not structure nodes, so they come out by
    id only (personal data); unknown ids as themselves; None as "?"."""
    if entity_id is None:
        return "?"
    return model.name(entity_id)


def rows(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    """Rows of a query result as dicts with None for missing values."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")
