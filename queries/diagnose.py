"""Run the three questions on a model and its graph store; assemble the FINDINGS.md object."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from graphmodel.store import GraphStore
from queries.checks.base import CheckContext, Question
from queries.findings import Finding, sort_findings

__all__ = ["derive", "diagnose", "questions"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def questions() -> list[Question]:
    """The registered questions, in FINDINGS.md order."""
    from queries.checks import backflow, coverage, weak_ties

    return [coverage.QUESTION, weak_ties.QUESTION, backflow.QUESTION]


def derive(model: OrgModel, store: GraphStore, settings: Settings | None = None, *,
           progress: Progress | None = None) -> None:
    """Write what the diagnosis derives onto the graph, without checking anything: task
    routes (``Task.route`` ..., ``HANDLED_BY``), tie scores (``TIE.score`` ...) and structural
    metrics (``Unit.betweenness`` ...), so analysts can query them right after loading.

    The store must be writable. :func:`diagnose` writes the same properties itself.
    """
    ctx = CheckContext(model=model, store=store, settings=settings or Settings())
    for question in questions():
        _prepare(question, ctx, progress)


def _prepare(question: Question, ctx: CheckContext, progress: Progress | None) -> None:
    for step in question.prepare:
        if progress:
            progress(f"{question.name}: {step.__name__.lstrip('_')}")
        step(ctx)


def diagnose(model: OrgModel, store: GraphStore, settings: Settings | None = None, *,
             only: set[str] | None = None, progress: Progress | None = None,
             now: dt.datetime | None = None) -> dict[str, Any]:
    """Run every check (or the questions named in ``only``); return the JSON object of
    FINDINGS.md (``orgnet_version``, ``generated_at``, ``settings``, ``dataset``,
    ``findings``, ``metrics``).

    The store must be writable: preparation steps write derived properties (tie scores,
    task routes, structural metrics) so analysts can query them afterwards.
    """
    from graphmodel import __version__

    settings = settings or Settings()
    ctx = CheckContext(model=model, store=store, settings=settings)
    selected = [q for q in questions() if only is None or q.name in only]
    findings: list[Finding] = []
    metrics: dict[str, Any] = {}
    for question in selected:
        _prepare(question, ctx, progress)
        for code, check in question.checks.items():
            if progress:
                progress(f"{question.name}/{code}")
            findings.extend(check(ctx))
        for metric in question.metrics:
            metrics.update(metric(ctx))
    if settings.reference_year is None and "reference_year" in ctx.shared:
        settings_out = {**settings.to_dict(), "reference_year": ctx.shared["reference_year"]}
    else:
        settings_out = settings.to_dict()
    stamp = (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    return {
        "orgnet_version": __version__,
        "generated_at": stamp,
        "settings": settings_out,
        "dataset": model.counts(),
        "findings": [f.to_dict() for f in sort_findings(findings)],
        "metrics": metrics,
    }
