"""The pieces every question module uses: the context a check runs in, and the registry."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from graphmodel.checks import CHECKS_BY_CODE
from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from graphmodel.store import GraphStore
from queries.derived import NotDerivedError
from queries.findings import Finding

__all__ = ["CheckContext", "Question", "display_name", "finding", "query_of", "read_back",
           "rows"]

log = logging.getLogger(__name__)


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
        """Decorator registering a check function under its code of the registry
        (:data:`graphmodel.checks.CHECKS`); the checks stay in the registry's order.

        Raises
        ------
        ValueError
            A code the registry does not hold, one of another question, or one registered
            twice.
        """
        spec = CHECKS_BY_CODE.get(code)
        if spec is None or spec.question != self.name or code in self.checks:
            msg = f"check {code!r} is not a check of the {self.name} question left to register"
            raise ValueError(msg)

        def register(fn: CheckFn) -> CheckFn:
            self.checks[code] = fn
            order = [c for c in CHECKS_BY_CODE if c in self.checks]
            self.checks = {c: self.checks[c] for c in order}
            return fn
        return register


def finding(code: str, subject: str, message: str, detail: dict[str, Any] | None = None, *,
            path: list[str] | None = None) -> Finding:
    """A finding of check ``code``, with the question and severity of the registry.

    Parameters
    ----------
    code
        A check code of :data:`graphmodel.checks.CHECKS`.
    subject, message, detail, path
        As in FINDINGS.md.
    """
    spec = CHECKS_BY_CODE[code]
    return Finding(spec.question, code, subject, spec.severity, message, path or [],
                   detail or {})


def query_of(code: str) -> str:
    """The name of the named query that answers check ``code`` (from the registry)."""
    return CHECKS_BY_CODE[code].query


def display_name(model: OrgModel, entity_id: str | None) -> str:
    """Name of a party for a message. Members are not structure nodes, so they come out by
    id only (personal data); unknown ids as themselves; None as "?"."""
    if entity_id is None:
        return "?"
    return model.name(entity_id)


def rows(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    """Rows of a query result as dicts with None for missing values."""
    clean = frame.astype(object).where(frame.notna(), None)
    # The columns are the RETURN names, so the keys are str (the stubs say Hashable).
    return cast("list[dict[str, Any]]", clean.to_dict("records"))


@contextlib.contextmanager
def read_back(what: str) -> Iterator[None]:
    """Around a preparation step reading ``what`` back from a store that holds the derived
    properties: when it turns out not to hold them (:class:`queries.derived.NotDerivedError`),
    say so and leave the step to derive them (the block ends early; its results are unset)."""
    try:
        yield
    except NotDerivedError as err:
        log.warning("deriving %s again: %s", what, err)

