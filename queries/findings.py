"""Findings of the diagnosis and their stable ordering (FINDINGS.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# The order of questions and severities in the output (FINDINGS.md: question, severity,
# subject) is the registry's.
from graphmodel.checks import QUESTIONS, SEVERITIES

__all__ = ["QUESTIONS", "SEVERITIES", "Finding", "plain", "sort_findings"]


@dataclass(frozen=True)
class Finding:
    """One finding: ``subject`` is an input id (``SRC->DST`` for a tie)."""

    question: str
    check: str
    subject: str
    severity: str
    message: str
    path: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of FINDINGS.md."""
        return {"question": self.question, "check": self.check, "subject": self.subject,
                "severity": self.severity, "message": self.message, "path": list(self.path),
                "detail": plain(self.detail)}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Sort by question, severity, subject (then check and path, for a total order)."""
    return sorted(findings, key=lambda f: (QUESTIONS.index(f.question),
                                           SEVERITIES.index(f.severity), f.subject, f.check,
                                           f.path))


def plain(value: Any) -> Any:
    """JSON-safe Python value: numpy/pandas scalars to int/float/str, NaN/NA to None."""
    import numpy as np  # both are dependencies of the package
    import pandas as pd

    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 4)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
