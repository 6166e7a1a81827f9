"""The findings of a diagnosis as one table: a row per finding, with its place."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.model import OrgModel
from queries.summary import finding_street

__all__ = ["FINDING_COLUMNS", "findings_frame"]

FINDING_COLUMNS = ["question", "check", "severity", "subject", "subject_name", "street_id",
                   "street_name", "message", "path", "detail"]
"""Columns of :func:`findings_frame`."""


def findings_frame(findings: list[dict[str, Any]], model: OrgModel | None = None, *,
                   show_names: bool = False) -> pd.DataFrame:
    """One row per finding, in the order given (FINDINGS.md's).

    Parameters
    ----------
    findings
        The ``findings`` list of a diagnosis.
    model
        The model, for the subject's name and the street (DOMAIN.md rule 12); without it
        those columns are empty.
    show_names
        Give a member subject's name (personal data); by default a member is its id only.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FINDING_COLUMNS`; ``path`` is a list of ids, ``detail`` a dict.
    """
    members: dict[str, str] = {}
    if model is not None and show_names:
        frame = model.frame("members")
        if "name" in frame.columns:
            members = {i: n for i, n in zip(frame["id"], frame["name"], strict=True)
                       if isinstance(n, str)}
    rows = []
    for f in findings:
        subject = str(f.get("subject", ""))
        name = street = street_name = None
        if model is not None:
            parts = subject.split("->")
            names = [members.get(p) or (model.name(p) if p in model.G else None) for p in parts]
            name = "→".join(n or p for n, p in zip(names, parts, strict=True)) if any(
                names) else None
            street = finding_street(model, f)
            street_name = model.name(street) if street else None
        rows.append((f["question"], f["check"], f["severity"], subject, name, street,
                     street_name, f.get("message", ""), list(f.get("path") or []),
                     dict(f.get("detail") or {})))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
