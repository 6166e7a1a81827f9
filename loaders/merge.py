"""Several sources in one load: the streets' workbooks (and CSV folders) merged into one dataset.

Each source is read and validated on its own (:func:`loaders.sources.read_source`,
:func:`loaders.validate.validate_tables`), so every message names the file, sheet and row the
problem came from. The validated tables are then put together:

- a row sent by several sources (the city's own row in every street's workbook, a unit that
  serves two streets) is taken once when the rows are equal;
- the same row with different values is an error naming both places (file or sheet, the row as
  Excel shows it, the column, the two values);
- a row found in one source only is kept.

A row's identity is its ``id`` in the tables that have one; a tie (关系) is its source, target
and type; a task step its task and step number. Only rows of *different* sources are compared:
within one source, the usual rules apply (ids unique, ties may repeat). A column a source does
not have at all is no disagreement: the value comes from the source that has it.

Warnings of the model built from the merged tables are given back their own file and row.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.build import build_model
from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from graphmodel.schema import TABLES
from loaders.sources import read_source
from loaders.validate import validate_tables

__all__ = ["IDENTITY", "load_sources", "merge_tables"]

# The columns that make two rows of different sources the same row.
IDENTITY: dict[str, tuple[str, ...]] = {
    **{name: (spec.key,) for name, spec in TABLES.items() if spec.key is not None},
    "links": ("source_id", "target_id", "type"),
    "task_steps": ("task_id", "step"),
}


@dataclass(frozen=True)
class _Part:
    """One source's validated table: its frame, where it came from, its headers."""

    origin: str
    frame: pd.DataFrame
    headers: dict[str, str]


@dataclass(frozen=True)
class _Place:
    origin: str
    row: int
    headers: dict[str, str]


def _labels(sources: Sequence[Path]) -> list[str]:
    """How each source is named in messages: its file or folder name, or the path given when
    two sources share a name."""
    names = Counter(p.name for p in sources)
    return [p.name if names[p.name] == 1 else str(p) for p in sources]


def _relabel(issues: Sequence[Issue], source: Path, label: str) -> list[Issue]:
    """Issues of a folder's CSV files name the folder too (``st01/territories.csv``); a
    workbook's name its file already (replaced by ``label`` when names are shared)."""
    out = []
    for issue in issues:
        if source.is_dir():
            file = f"{label}/{issue.file}" if not issue.file.startswith(label) else issue.file
        elif issue.file.startswith(source.name) and label != source.name:
            file = label + issue.file[len(source.name):]
        else:
            file = issue.file
        out.append(replace(issue, file=file))
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _shown(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return "(空)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def merge_tables(parts: dict[str, list[_Part]]
                 ) -> tuple[dict[str, pd.DataFrame], dict[str, str], dict[tuple[str, int], _Place],
                            list[Issue]]:
    """Put each table's parts together.

    Returns the merged frames (index: a fresh row number per table given by several
    sources; the source's own row numbers for a table only one gives), the label of each
    table's origins (for the builder's messages), where each merged row came from, keyed by
    (label, merged row), and the conflicts found.
    """
    frames: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    places: dict[tuple[str, int], _Place] = {}
    issues: list[Issue] = []
    for table, table_parts in parts.items():
        spec = TABLES[table]
        label = " + ".join(dict.fromkeys(p.origin for p in table_parts))
        labels[table] = label
        pieces = []
        for n, part in enumerate(table_parts):
            piece = part.frame.reset_index(names="_row")
            piece.insert(0, "_part", n)
            pieces.append(piece)
        merged = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
        keys = list(IDENTITY[table])
        drop: list[int] = []
        if len(table_parts) > 1:
            dup = merged[merged.duplicated(keys, keep=False)]
            for _, group in dup.groupby(keys, sort=False, dropna=False):
                if group["_part"].nunique() < 2:
                    continue
                first_part = group["_part"].iloc[0]
                kept = group[group["_part"] == first_part]
                for idx, row in group[group["_part"] != first_part].iterrows():
                    differs = _difference(spec.columns, kept, row, table_parts)
                    if differs is None:
                        drop.append(idx)
                        continue
                    column, base = differs
                    here, there = table_parts[row["_part"]], table_parts[base["_part"]]
                    header = here.headers.get(column, column)
                    ident = "/".join(_shown(row[k]) for k in keys)
                    issues.append(Issue(
                        here.origin, f"{ident} is given by two sources with different "
                        f"'{column}': '{_shown(row[column])}' here, '{_shown(base[column])}' "
                        f"in {there.origin} row {int(base['_row'])}",
                        row=int(row["_row"]), column=header, value=_shown(row[column]),
                        hint="make the two rows the same, or give one of them another id"))
        if drop:
            merged = merged.drop(index=drop)
        merged = merged.reset_index(drop=True)
        if len(table_parts) == 1:  # one source: its rows keep the numbers Excel shows
            merged.index = pd.Index(merged["_row"].to_numpy(), name="row")
        else:
            merged.index = pd.Index(range(2, len(merged) + 2), name="row")
        for number, part_no, row in zip(merged.index, merged["_part"], merged["_row"],
                                        strict=True):
            part = table_parts[int(part_no)]
            places[(label, int(number))] = _Place(part.origin, int(row), part.headers)
        out = merged.drop(columns=["_part", "_row"])
        headers: dict[str, str] = {}
        for part in table_parts:
            for column, header in part.headers.items():
                headers.setdefault(column, header)
                if column in part.frame and out[column].dtype != part.frame[column].dtype \
                        and column in part.headers:
                    with contextlib.suppress(TypeError, ValueError):
                        out[column] = out[column].astype(part.frame[column].dtype)
        out.attrs["headers"] = headers
        frames[table] = out
    return frames, labels, places, issues


def _difference(columns, kept: pd.DataFrame, row: pd.Series, parts: list[_Part]
                ) -> tuple[str, pd.Series] | None:
    """None when ``row`` equals one of the ``kept`` rows in every column both sources give;
    else (the first differing column, the kept row it differs from)."""
    first: tuple[str, pd.Series] | None = None
    given_here = parts[int(row["_part"])].headers
    for _, base in kept.iterrows():
        given_there = parts[int(base["_part"])].headers
        differs = next((col.name for col in columns
                        if col.name in given_here and col.name in given_there
                        and _plain(row[col.name]) != _plain(base[col.name])), None)
        if differs is None:
            return None
        if first is None:
            first = (differs, base)
    return first


def _cross_table_ids(frames: dict[str, pd.DataFrame], labels: dict[str, str],
                     places: dict[tuple[str, int], _Place]) -> list[Issue]:
    """An id used in two different tables (ids are unique across the whole dataset)."""
    seen: dict[str, tuple[str, int]] = {}
    issues = []
    for table, frame in frames.items():
        key = TABLES[table].key
        if key is None or frame.empty:
            continue
        for number, value in zip(frame.index, frame[key], strict=True):
            if not isinstance(value, str):
                continue
            if value in seen:
                other_table, other_row = seen[value]
                if other_table == table:  # the same row twice: a conflict, reported already
                    continue
                here = places[(labels[table], int(number))]
                there = places[(labels[other_table], other_row)]
                issues.append(Issue(here.origin, "duplicate id: ids must be unique across the "
                                    "whole dataset", row=here.row,
                                    column=here.headers.get(key, key), value=value,
                                    hint=f"already used in {there.origin} row {there.row}: "
                                    "give one of them another id"))
            else:
                seen[value] = (table, int(number))
    return issues


def _relocate(issue: Issue, places: dict[tuple[str, int], _Place],
              merged_headers: dict[str, dict[str, str]]) -> Issue:
    """A builder's warning about a merged row, told of the file, row and header it came
    from; ``merged_headers``: the headers of each merged table, by its label."""
    if issue.row is None:
        return issue
    place = places.get((issue.file, issue.row))
    if place is None:
        return issue
    column = issue.column
    if column is not None:
        heads = merged_headers.get(issue.file, {})
        spec_column = next((c for c, h in heads.items() if h == column), column)
        column = place.headers.get(spec_column, column)
    return replace(issue, file=place.origin, row=place.row, column=column)


def load_sources(sources: Sequence[str | Path]) -> OrgModel:
    """Read, validate, merge and model several CSV folders and Excel workbooks.

    Raises
    ------
    graphmodel.errors.InputError
        Every error of every source, the conflicts between them (both places named), ids used
        in two tables, or a required table that no source has. Nothing is modelled then.
    """
    paths = [Path(s) for s in sources]
    labels = _labels(paths)
    issues: list[Issue] = []
    parts: dict[str, list[_Part]] = {}
    for path, label in zip(paths, labels, strict=True):
        try:
            tables = read_source(path, required=False)
            for table in tables.values():
                table.origin = _relabel([Issue(table.origin, "")], path, label)[0].file
            frames = validate_tables(tables)
        except InputError as err:
            issues.extend(_relabel(err.issues, path, label))
            continue
        for name, frame in frames.items():
            parts.setdefault(name, []).append(
                _Part(tables[name].origin, frame, dict(frame.attrs.get("headers", {}))))
    if issues:
        raise InputError(issues)
    for name, table_parts in parts.items():  # an empty sheet (a template's unused one) adds
        filled = [p for p in table_parts if not p.frame.empty]  # nothing
        parts[name] = filled or table_parts[:1]
    for name, spec in TABLES.items():
        if spec.required and name not in parts:
            issues.append(Issue(f"{name}.csv", f"required table '{name}' ({spec.zh[0]}) is "
                                "missing from every source",
                                hint=f"add a sheet named '{spec.zh[0]}' to one of them"))
    if issues:
        raise InputError(issues)
    frames, table_labels, places, issues = merge_tables(parts)
    issues += _cross_table_ids(frames, table_labels, places)
    if issues:
        raise InputError(sorted(issues, key=lambda i: (i.file, i.row or 0)))
    model = build_model(frames, table_labels)
    heads = {table_labels[t]: frame.attrs["headers"] for t, frame in frames.items()}
    model.warnings = [_relocate(w, places, heads) for w in model.warnings]
    return model
