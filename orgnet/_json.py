"""Strict JSON out: every JSON file or text orgnet writes is standard JSON (RFC 8259).

``NaN`` and ``Infinity`` are not JSON (strict parsers refuse them); the loaders refuse
non-finite numbers, so one reaching here is either a missing value (a pandas ``NaN``, written
``null``) or a value a query computed (``1.0/0``), which is refused with a clear message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, cast

import pandas as pd

from graphmodel.atomic import write_text_atomic

__all__ = ["frame_records", "strict_json", "write_json"]


def strict_json(value: Any, *, indent: int | None = 1, default: Any = None) -> str:
    """``json.dumps`` with ``allow_nan=False`` and UTF-8 text (not ``\\u`` escapes).

    Raises
    ------
    ValueError
        A float in ``value`` is infinite or NaN.
    """
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent,
                      default=default)


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as strict JSON (UTF-8, one space indent, final newline) to ``path``."""
    text = strict_json(value) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a query result as JSON-ready dicts: missing values (and NaN) become None."""
    clean = frame.astype(object).where(frame.notna(), None)
    # The columns are the RETURN names, so the keys are str (the stubs say Hashable).
    rows = cast("list[dict[str, Any]]", clean.to_dict("records"))
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return rows
