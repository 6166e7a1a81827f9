"""Turn raw text tables into typed, validated frames of the input contract.

Every problem of a file is collected before anything is raised, so a user fixes them in one
pass. Errors (the data cannot be modelled): a missing required column, an empty id, a duplicate
id anywhere in the dataset, an unknown category, a number or date that is not one. Warnings (the
model carries on): everything DOMAIN.md says can still be modelled, raised later by the builder.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np
import pandas as pd

from graphmodel.errors import InputError, Issue
from graphmodel.schema import TABLES, ColumnSpec, Entity, TableSpec, parse_bool
from loaders.columns import column_named
from loaders.sources import RawTable

__all__ = ["match_columns", "validate_table", "validate_tables"]

_NUMBER_CLEAN = re.compile(r"[,\s，]")
# Invisible characters that creep into headers and cells (BOM, zero-width spaces).
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")


def match_columns(
    headers: list[str], spec: TableSpec, origin: str, *, quote: bool = True
) -> tuple[dict[str, str], list[Issue]]:
    """Map each spec column to the header that names it (English or Chinese, any case/width).

    Returns the mapping {spec column: header} and the issues (missing required columns,
    columns given twice). ``quote``: the header row was recognised as one, so its cells may be
    quoted in hints ("did you mean ...?"); when it was not (the first row was taken, and may
    be data), no hint is built from its cells.
    """
    found: dict[str, str] = {}
    issues: list[Issue] = []
    for header in headers:
        name = column_named(header, spec)
        if name is None:
            continue
        if name in found:
            issues.append(
                Issue(
                    origin,
                    f"column '{name}' is given twice ('{found[name]}' and '{header}')",
                    column=header, hint="delete or rename one of the two columns",
                )
            )
            continue
        found[name] = header
    unused = [h for h in headers if h not in found.values() and len(h) <= 40]
    for col in spec.columns:
        if col.required and col.name not in found:
            close = [
                m
                for alias in (col.name, *col.zh)
                for m in difflib.get_close_matches(alias, unused, n=1, cutoff=0.5)
            ] if quote else []
            names = f"'{col.name}'" + (f" (or '{col.zh[0]}')" if col.zh else "")
            hint = (f"did you mean '{close[0]}'? " if close else "") + f"name a column {names}"
            if not quote:
                hint += " in the header row (the first row does not name the table's columns)"
            issues.append(
                Issue(
                    origin, f"required column '{col.name}' is missing", column=col.name, hint=hint
                )
            )
    return found, issues


def _issue_rows(
    origin: str, column: str, rows: pd.Index, values: pd.Series, message: str, hint_for=None,
    ids: pd.Series | None = None,
) -> list[Issue]:
    """One issue per row. With ``ids`` (the members table: personal data) an issue names the
    row, the column and the member's id, never the cell's value, and its hint is not built
    from the value (``hint_for(None)``)."""
    out = []
    for row in rows:
        if ids is not None:
            member = str(ids.loc[row]).strip() if row in ids.index else ""
            who = f"member '{member}'" if member else "a member without id"
            hint = hint_for(None) if hint_for else None
            out.append(Issue(origin, f"{message}, {who}", row=int(row), column=column,
                             hint=hint))
            continue
        value = str(values.loc[row])
        hint = hint_for(value) if hint_for else None
        out.append(Issue(origin, message, row=int(row), column=column, value=value, hint=hint))
    return out


def _fold(series: pd.Series, stripped: bool = False) -> pd.Series:
    """NFKC (full-width to half-width) and strip; only non-ASCII values need NFKC.
    ``stripped``: the values are stripped already (only those NFKC changes need it again)."""
    text = series.fillna("").astype(str)
    wide = ~text.str.isascii()
    if wide.any():
        text = text.copy()
        text[wide] = text[wide].map(
            lambda s: _INVISIBLE.sub("", unicodedata.normalize("NFKC", s)).strip())
    return text if stripped else text.str.strip()


def _sub_where(text: pd.Series, needed: pd.Series, pattern: re.Pattern, repl: str) -> pd.Series:
    """``pattern.sub(repl, value)`` on the rows marked ``needed`` (the only ones it can
    change): Python's regex semantics, but no Python call for the rows it would not touch."""
    mask = needed.fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        return text
    text = text.copy()
    text[mask] = [pattern.sub(repl, v) for v in text[mask].tolist()]
    return text


# Only a value with something other than printable ASCII (whitespace, non-ASCII) or a comma
# can contain a character _NUMBER_CLEAN removes.
_MAYBE_UNCLEAN = r"[^\x21-\x2b\x2d-\x7e]"
_UNIT_SUFFIX = re.compile(r"(?<=\d)\s*[人名户次个]$")


def _parse_number(series: pd.Series) -> pd.Series:
    """The numbers of a text column as float64 (NaN where not a number; ``inf`` stays, for
    the caller to refuse)."""
    text = _fold(series, stripped=True)
    cleaned = _sub_where(text, text.str.contains(_MAYBE_UNCLEAN, regex=True), _NUMBER_CLEAN, "")
    # A count written with its unit: "3人", "120户", "6次".
    cleaned = _sub_where(cleaned, cleaned.str.contains(_UNIT_SUFFIX, regex=True), _UNIT_SUFFIX, "")
    numbers = pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce")
    return pd.Series(numbers, index=series.index).astype("float64")


def _parse_rate(series: pd.Series) -> pd.Series:
    text = _fold(series, stripped=True)
    percent = text.str.endswith("%")
    numbers = pd.to_numeric(text.str.rstrip("%").where(text != "", None), errors="coerce")
    numbers = numbers.where(~(percent | (numbers > 1)), numbers / 100)
    return numbers.where((numbers >= 0) & (numbers <= 1) | numbers.isna(), np.nan).astype("Float64")


_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


# A time written with its zone: "...Z", "...+08:00", "... +0800".
_ZONED = re.compile(r"(?:\d)\s*(?:Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_CHINA_STANDARD_TIME = pd.Timedelta(hours=8)  # UTC+8, no daylight saving


def _parse_date(series: pd.Series) -> pd.Series:
    """Dates and times as naive timestamps. A time given with a zone is converted to China
    Standard Time (UTC+8), the time the data's users keep; one without is read as given, so
    a column may mix both."""
    text = _fold(series, stripped=True)
    text = _sub_where(text, text.str.contains("年", regex=False), _CN_DATE, r"\1-\2-\3")
    text = text.str.replace("/", "-", regex=False)
    text = text.where(text != "", None)
    zoned = text.str.contains(_ZONED, na=False).to_numpy(dtype=bool)
    if not zoned.any():
        return pd.to_datetime(text, errors="coerce", format="mixed")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if not zoned.all():
        out[~zoned] = pd.to_datetime(text[~zoned], errors="coerce", format="mixed")
    utc = pd.to_datetime(text[zoned], errors="coerce", format="mixed", utc=True)
    out[zoned] = utc.dt.tz_localize(None) + _CHINA_STANDARD_TIME
    return out


_YEAR = re.compile(r"^(\d{4})(?:\s*年)?(?:[-/.年].*)?$")


def _parse_year(series: pd.Series) -> pd.Series:
    text = _fold(series, stripped=True)
    years = text.str.extract(_YEAR, expand=False)
    years = pd.to_numeric(years, errors="coerce")
    years = years.where((years >= 1900) & (years <= 2100), np.nan)
    return years.astype("Int64")


# dtype -> (parser, what it is, an example), for the columns parsed as a whole.
_PARSERS = {
    "rate": (_parse_rate, "rate", "0.85, 85 or 85%"),
    "date": (_parse_date, "date", "2026-03-01"),
    "year": (_parse_year, "year", "2019"),
}


def _suggest(choices: list[str]):
    """A hint for an unknown category value: the closest choice, or the allowed ones (always
    these when ``value`` is None: no hint is built from a member's cell)."""
    def hint(value: str | None) -> str:
        close = [] if value is None else difflib.get_close_matches(value, choices, n=1,
                                                                     cutoff=0.4)
        if close:
            return f"did you mean '{close[0]}'?"
        return "allowed: " + ", ".join(choices[:12]) + (" ..." if len(choices) > 12 else "")

    return hint


def _lookup(text: pd.Series, codes: dict[str, str | None]) -> pd.Series:
    """``codes[value]`` for each value (None where absent), an object column; one Arrow hash
    lookup rather than a Python call per value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = list(codes)
    if not isinstance(text.dtype, pd.StringDtype) or not all(isinstance(k, str) for k in keys):
        parsed = text.map(codes).astype(object)
        return parsed.where(parsed.notna(), None)
    pos = pc.fill_null(pc.index_in(pa.array(text.array), value_set=pa.array(keys, pa.string())),
                       len(keys))
    values = np.array([codes[k] for k in keys] + [None], dtype=object)
    return pd.Series(values[pos.to_numpy()], index=text.index, dtype=object)


# Numbers beyond this (in absolute value) are refused: no count, amount or year comes near
# it, and sums of such values would overflow to infinity, which JSON cannot hold.
MAX_NUMBER = 10**15


def _convert(
    col: ColumnSpec, header: str, raw: pd.Series, origin: str, ids: pd.Series | None = None
) -> tuple[pd.Series, list[Issue]]:
    """Convert one text column to its type; issues for values that are not of that type.
    ``ids``: the member ids of the rows, when the table is the members table (see
    :func:`_issue_rows`)."""
    text = raw.fillna("").astype(str).str.strip()
    present = text != ""
    issues: list[Issue] = []

    def report(rows: pd.Index, message: str, hint_for) -> None:
        issues.extend(_issue_rows(origin, header, rows, text, message, hint_for, ids))

    if col.not_null and (~present).any():
        report(text.index[~present], f"'{col.name}' must not be empty",
               lambda _v: f"fill in the {col.name} ('{header}') of this row, or delete the row")
    if col.dtype in {"id", "ref", "text"}:
        if col.dtype in {"id", "ref"}:
            text = _fold(text, stripped=True)
        return text.where(present, None), issues
    if col.dtype == "category":
        assert col.category is not None
        codes = {}
        for value in text[present].unique():
            member = col.category.parse(value)
            codes[value] = member.value if member is not None else None
        parsed = _lookup(text, codes)
        bad = present & parsed.isna()
        report(text.index[bad], f"unknown {col.name} ({col.category.__name__})",
               _suggest(col.category.choices()))
        return parsed, issues
    if col.dtype == "bool":
        mapping = {v: parse_bool(v) for v in text[present].unique()}
        parsed = text.map(mapping).astype("boolean")
        bad = present & parsed.isna()
        report(text.index[bad], "not a yes/no value",
               lambda _v: "use 是/否, yes/no, true/false or 1/0")
        return parsed, issues
    if col.dtype in {"int", "float"}:
        numbers = _parse_number(text)
        kind = "whole number" if col.dtype == "int" else "number"
        infinite = numbers.notna() & ~np.isfinite(numbers.fillna(0).to_numpy(dtype=float))
        huge = numbers.notna() & ~infinite & (numbers.abs() > MAX_NUMBER)
        report(text.index[(present & infinite).to_numpy(dtype=bool)],
               f"not a finite {kind} (infinity or too large)", lambda _v: f"write a {kind} "
               "such as 12")
        report(text.index[(present & huge).to_numpy(dtype=bool)],
               f"too large: at most {MAX_NUMBER:.0e}", lambda _v: "write the real number")
        fine = numbers.where(~(infinite | huge), np.nan)
        if col.dtype == "int":
            fraction = fine.notna() & (fine % 1 != 0)
            parsed = fine.where(~fraction, np.nan).astype("Int64")
        else:
            parsed = fine.astype("Float64")
        bad = present & numbers.isna() | (fine.notna() & parsed.isna())
        report(text.index[bad.to_numpy(dtype=bool)], f"not a {kind}",
               lambda _v: f"write a {kind} such as 12")
        negative = parsed.notna() & (parsed < 0)
        if col.name != "step":
            report(text.index[negative.fillna(False).to_numpy(dtype=bool)],
                   "must not be negative", lambda _v: "write 0 or a positive number")
        return parsed, issues
    if col.dtype in _PARSERS:
        parse, what, example = _PARSERS[col.dtype]
        parsed = parse(text)
        bad = present & parsed.isna()
        report(text.index[bad], f"not a {what}", lambda _v: f"write a {what} such as {example}")
        return parsed, issues
    raise AssertionError(col.dtype)


def validate_table(table: RawTable) -> tuple[pd.DataFrame, list[Issue]]:
    """Typed frame of one table with exactly the spec's columns (absent optional ones empty)."""
    spec = TABLES[table.name]
    headers = [str(h) for h in table.frame.columns]
    found, issues = match_columns(headers, spec, table.origin, quote=table.header_found)
    if spec.required and table.frame.empty:
        issues.append(Issue(table.origin, f"the required table '{spec.name}' has no rows",
                            hint="fill in its rows under the header"))
    # A missing required column is an error, but the other columns are still checked, so
    # that every error of the file is reported at once. Columns are taken by position: a
    # header may be written twice.
    position = {col: headers.index(header) for col, header in found.items()}
    ids = None
    if spec.entity is Entity.MEMBER:  # personal data: issues name the member id, no cell
        ids = (table.frame.iloc[:, position["id"]].fillna("").astype(str)
               if "id" in position else pd.Series("", index=table.frame.index))
    columns: dict[str, pd.Series] = {}
    index = table.frame.index
    for col in spec.columns:
        if col.name in found:
            raw = table.frame.iloc[:, position[col.name]]
            series, col_issues = _convert(col, found[col.name], raw, table.origin, ids)
            issues += col_issues
        else:
            series = pd.Series([None] * len(index), index=index, dtype=object)
        columns[col.name] = series
    frame = pd.DataFrame(columns, index=index)
    frame.attrs["headers"] = dict(found)  # spec column -> the header as written, for messages
    return frame, issues


def _all_distinct(columns: list[pd.Series]) -> bool:
    """True when the given values (missing ones aside) are all different: one Arrow hash
    pass over the Arrow string columns (the usual case); False if unsure."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks: list = []  # pyarrow arrays
    for column in columns:
        if not isinstance(column.dtype, pd.StringDtype):
            return False
        data = pa.array(column.array)
        chunks.extend(data.chunks if isinstance(data, pa.ChunkedArray) else [data])
    if not chunks:
        return True
    ids = pa.chunked_array(chunks, type=pa.large_string())
    given = len(ids) - ids.null_count
    return pc.count_distinct(ids, mode="only_valid").as_py() == given


def _duplicate_ids(frames: dict[str, pd.DataFrame], origins: dict[str, str]) -> list[Issue]:
    keyed = [frames[name][TABLES[name].key] for name in frames
             if TABLES[name].key is not None and not frames[name].empty]
    if _all_distinct(keyed):
        return []
    parts = []
    for name, frame in frames.items():
        key = TABLES[name].key
        if key is None or frame.empty:
            continue
        parts.append(
            pd.DataFrame(
                {"id": frame[key].to_numpy(), "table": name, "row": frame.index.to_numpy()}
            )
        )
    if not parts:
        return []
    ids = pd.concat(parts, ignore_index=True).dropna(subset=["id"])
    dup = ids[ids.duplicated("id", keep=False)]
    issues = []
    for value, group in dup.groupby("id", sort=True):
        first = group.iloc[0]
        for _, later in group.iloc[1:].iterrows():
            issues.append(
                Issue(
                    origins[later["table"]],
                    "duplicate id: ids must be unique across the whole dataset",
                    row=int(later["row"]),
                    column=frames[later["table"]].attrs.get("headers", {}).get(
                        TABLES[later["table"]].key, "id"),
                    value=str(value),
                    hint=f"already used in {origins[first['table']]} row {int(first['row'])}: "
                         "give one of them another id",
                )
            )
    return issues


def validate_tables(tables: dict[str, RawTable]) -> dict[str, pd.DataFrame]:
    """Validate every table; return typed frames keyed by table name.

    Raises
    ------
    InputError
        With every error of every table (file, row, column, value and a suggested fix).
    """
    frames: dict[str, pd.DataFrame] = {}
    issues: list[Issue] = []
    for name in TABLES:
        if name not in tables:
            continue
        frame, table_issues = validate_table(tables[name])
        frames[name] = frame
        issues += table_issues
    # Duplicate ids are reported with the other errors, not only once those are fixed.
    issues += _duplicate_ids(frames, {n: t.origin for n, t in tables.items()})
    if issues:
        # All the problems of a file together, in row order (whole-file problems first).
        order = {tables[n].origin: i for i, n in enumerate(n for n in TABLES if n in tables)}
        issues.sort(key=lambda i: (order.get(i.file, len(order)), i.row or 0))
        raise InputError(issues)
    return frames
