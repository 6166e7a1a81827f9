"""Which column of the input contract a header names: the one header matcher of the loaders.

Headers match by :func:`graphmodel.schema.compact_token` (any case, width, spacing,
underscores, hyphens or invisible characters) against a column's English and Chinese names,
with or without a trailing annotation in brackets ("户数（户）", "编号(必填)").
"""

from __future__ import annotations

import re

from graphmodel.schema import TableSpec, compact_token

__all__ = ["column_named"]

# A trailing annotation in brackets: "(必填)", "[户]", "（单位：人）".
_ANNOTATION = re.compile(r"[(\[【<][^()\[\]【】<>]*[)\]】>]$")
_COLUMN_KEYS: dict[str, dict[str, str]] = {}
# Longer header cells name no column (the longest Chinese name with an annotation is far
# shorter); they are not folded, so a huge cell costs nothing.
MAX_HEADER_CHARS = 200


def _column_keys(spec: TableSpec) -> dict[str, str]:
    """{compacted English or Chinese name: spec column} of a table."""
    keys = _COLUMN_KEYS.get(spec.name)
    if keys is None:
        keys = {}
        for col in spec.columns:
            for alias in (col.name, *col.zh):
                keys.setdefault(compact_token(alias), col.name)
        _COLUMN_KEYS[spec.name] = keys
    return keys


def column_named(header: object, spec: TableSpec) -> str | None:
    """The spec column a header names (English or Chinese, any case/width, with or without a
    trailing annotation such as "(必填)"), or None."""
    text = str(header)
    if len(text) > MAX_HEADER_CHARS:
        return None
    wanted = _column_keys(spec)
    key = compact_token(text)
    name = wanted.get(key)
    if name is None:  # "户数（户）", "编号(必填)": the name before an annotation
        name = wanted.get(_ANNOTATION.sub("", key))
    return name
