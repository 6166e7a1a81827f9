"""Read raw tables from a CSV folder or an Excel workbook, as text, with their spreadsheet rows.

Every cell comes back as a string ("" when empty) so that validation, not the file reader,
decides what a value means; each frame's index is the row number a spreadsheet user sees (the
header is row 1, or lower when title rows stand above it). Encodings are detected from the
bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030; anything else is an input
error.

The header is the first of the first ten non-empty rows that names columns of its table (see
``_names_columns``): title rows above it ("幸福街道党组织台账（2026年）", "填报单位：…") are
skipped. When no row does, the first non-empty row is the header (and validation says which
required column it lacks).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.errors import InputError, Issue
from graphmodel.schema import TABLES, compact_token
from loaders.bounds import (
    MAX_COLUMNS,
    check_regular_file,
    checked_extents,
    read_sheet_rows,
)
from loaders.columns import column_named

__all__ = ["RawTable", "decode_bytes", "find_tables", "read_source"]

log = logging.getLogger(__name__)

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class RawTable:
    """One input table as read: text cells, index = spreadsheet row number."""

    name: str  # table name of the contract (territories, ...)
    origin: str  # file name or "workbook.xlsx[sheet]" for messages
    frame: pd.DataFrame
    encoding: str | None = None
    exact: bool = True  # named exactly as the table (not "01_区域表", "territories (old)")
    header_found: bool = True  # a row naming the table's columns was found (else the first
    # non-empty row was taken: it may be data, so no message quotes its cells)


# More Chinese names people give their sheets and files, beside those of the schema.
_MORE_TABLE_ZH: dict[str, tuple[str, ...]] = {
    "territories": ("区域信息", "辖区", "区划", "行政区域", "地域表"),
    "organizations": ("党组织", "组织机构", "组织架构", "组织信息", "组织体系"),
    "units": ("共建单位", "驻区单位", "单位信息"),
    "platforms": ("平台信息",),
    "links": ("关系信息", "联系表", "共建关系", "关联关系"),
    "resources": ("资源清单", "资源信息"),
    "members": ("党员信息", "党员名册", "党员花名册"),
    "tasks": ("任务信息", "任务清单", "事项清单"),
    "task_steps": ("任务步骤表", "流转记录", "任务流转记录", "办理步骤", "步骤表"),
}
# Decorations around a table's name: a leading number ("01_", "1-"), a trailing word.
_LEADING_NUMBER = re.compile(r"^[\d_.、]+")
_TRAILING_WORDS = ("一览表", "台账", "清单", "名册", "信息", "数据", "列表", "表")


def _table_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, spec in TABLES.items():
        for alias in (name, *spec.zh, *_MORE_TABLE_ZH.get(name, ())):
            keys.setdefault(compact_token(alias), name)
    return keys


def _table_for(stem: str) -> str | None:
    """The table a file or sheet name stands for (see ``_match_table``), or None."""
    match = _match_table(stem)
    return match[0] if match else None


def _match_table(stem: str) -> tuple[str, bool] | None:
    """(table, exact) for a file or sheet name: its English or a Chinese name, ignoring
    case, width, spaces and underscores, a leading number and a trailing 表/清单/信息...;
    else the one English table name it contains ("01 territories", "组织(organizations)")."""
    keys = _table_keys()
    key = compact_token(stem)
    candidates = [key, _LEADING_NUMBER.sub("", key)]
    for candidate in list(candidates):
        for word in _TRAILING_WORDS:
            if candidate.endswith(word) and len(candidate) > len(word):
                candidates.append(candidate[: -len(word)])
    for i, candidate in enumerate(candidates):
        if candidate in keys:
            return keys[candidate], i == 0
    # An English table name inside a longer name; the longest first (task_steps before tasks).
    english = sorted(TABLES, key=len, reverse=True)
    hits = [name for name in english if compact_token(name) in key]
    if hits and not any(compact_token(h) not in compact_token(hits[0]) for h in hits):
        return hits[0], False
    return None


def decode_bytes(data: bytes, origin: str) -> tuple[str, str]:
    """Decode a CSV file's bytes; return (text, encoding name).

    Raises
    ------
    InputError
        The bytes are not UTF-8, UTF-16 with BOM, or GBK/GB18030 text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not _plausible_gbk(text):
            break
        if "\x00" in text:
            break
        return text, ("gbk" if enc == "gb18030" else enc)
    msg = "cannot decode the file: save it as UTF-8 (or GBK) CSV"
    raise InputError([Issue(origin, msg, hint="in Excel choose 'CSV UTF-8 (逗号分隔)'")])


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_GBK_SAMPLE_CHARS = 1_000_000
_GB2312_SHARE = 0.8


def _plausible_gbk(text: str) -> bool:
    """GB18030 decodes almost any byte soup; real Chinese text (names, places, categories)
    keeps to the common characters of GB2312. Garbage, and UTF-8 Chinese read as GBK
    (mojibake), land mostly on rare characters outside it (GBK's extension and GB18030's
    four-byte ranges), so at least 80% of the non-ASCII characters must be in GB2312."""
    found = Counter(_NON_ASCII.findall(text[:_GBK_SAMPLE_CHARS]))
    total = sum(found.values())
    if total == 0:
        return True
    common = sum(n for char, n in found.items() if _in_gb2312(char))
    return common >= _GB2312_SHARE * total


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _read_csv(path: Path) -> RawTable | None:
    match = _match_table(path.stem)
    if match is None:
        return None
    name, exact = match
    check_regular_file(path, path.name)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError([Issue(path.name, f"cannot read the file: {err.strerror}")]) from err
    text, encoding = decode_bytes(data, path.name)
    found = _find_header(text, name)
    if found is None:  # no header among the first rows: the first non-empty row is taken
        above, offset, sep = 0, 0, _delimiter(text)
    else:
        above, offset, sep = found
    _check_header_width(text, offset, sep, path.name)
    # The parser starts at the header, so that title rows (often a single cell) do not set
    # the width of the table; the index is shifted back to the spreadsheet's rows.
    if encoding in {"utf-8", "utf-8-sig"}:  # the parser reads the UTF-8 bytes as they are
        raw = data[3:] if encoding == "utf-8-sig" else data
        start = len(text[:offset].encode("utf-8")) if offset else 0
        frame = _fast_csv(raw[start:] if start else raw, path.name, sep, above)
    else:
        frame = _fast_csv(text[offset:] if offset else text, path.name, sep, above)
    if frame is not None and found is not None:
        _note_title_rows(path.name, text[:offset], above)
    if frame is None:  # ragged rows or odd quoting: the tolerant reader handles them
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        except csv.Error as err:
            raise InputError([Issue(path.name, f"not a valid CSV file: {err}")]) from err
        frame = _frame_from_rows(rows, path.name, name)
    return RawTable(name, path.name, frame, encoding, exact, header_found=found is not None)


def _check_header_width(text: str, offset: int, sep: str, origin: str) -> None:
    """Refuse a header (the first non-empty line from ``offset``) of more than
    ``MAX_COLUMNS`` cells, empty ones included, before any parser sees the file."""
    start = offset
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() or end < 0:
            break
        start = end + 1
    if line.count(sep) < MAX_COLUMNS:
        return
    cells = next(csv.reader([line], delimiter=sep), [])
    if len(cells) > MAX_COLUMNS:
        raise InputError([Issue(origin, f"the header row has {len(cells):,} cells: at most "
                                f"{MAX_COLUMNS} columns are read",
                                hint="delete the empty or extra columns right of the table")])


# The header is looked for among this many non-empty rows at the top of a table, in a CSV
# file's first characters (only these are examined: reading a large file costs no more).
_HEADER_WINDOW = 10
_HEADER_SCAN_CHARS = 1 << 16
_DELIMITERS = (",", "\t", ";")


def _names_columns(cells: list[str], table: str) -> bool:
    """True when a row's cells look like the table's header: they name at least two of its
    columns, or all its required ones in a row of two or more cells (members and tasks require
    only the id), matched as validation matches headers. A title row names none (it is one
    cell, or "填报单位：…" text), and a data row holds values, not column names."""
    spec = TABLES[table]
    filled = [c for c in cells if c]
    named = {column_named(c, spec) for c in filled} - {None}
    if len(named) >= 2:
        return True
    required = {c.name for c in spec.columns if c.required}
    return len(filled) >= 2 and bool(required) and required <= named


def _header_index(rows: Iterable[Sequence[object]], table: str) -> int | None:
    """Position (in ``rows``) of the table's header among the first non-empty rows, or None."""
    seen = 0
    for i, row in enumerate(rows):
        cells = [_cell_text(c) for c in row]
        if not any(cells):
            continue
        if _names_columns(cells, table):
            return i
        seen += 1
        if seen >= _HEADER_WINDOW:
            break
    return None


def _note_title_rows(origin: str, above: str | Sequence[Sequence[object]], header: int) -> None:
    """Log the rows skipped above the header (at position ``header`` from 0), when some are
    not blank; ``above`` is those rows (or their text)."""
    blank = not above.strip() if isinstance(above, str) else not any(
        _cell_text(c) for row in above for c in row)
    if not blank:
        rows = "row 1" if header == 1 else f"rows 1–{header}"
        log.info("%s: %s above the header were skipped (title rows)", origin, rows)


def _find_header(text: str, table: str) -> tuple[int, int, str] | None:
    """(records above the header, character offset where it begins, delimiter) of a CSV
    text, the header being the earliest found with any delimiter (comma first); None when
    the first rows have no header."""
    prefix = text[:_HEADER_SCAN_CHARS]
    best: tuple[int, int, str] | None = None
    for sep in _DELIMITERS:
        records, starts = _first_records(prefix, sep)
        index = _header_index(records, table)
        if index is not None and (best is None or index < best[0]):
            best = (index, starts[index], sep)
    return best


def _first_records(prefix: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV text (up to ``_HEADER_WINDOW`` non-empty ones), and the
    character offset where each begins (a quoted cell may span lines)."""
    ends = [0]  # ends[k]: where physical line k+1 begins

    def lines() -> Iterator[str]:
        for line in io.StringIO(prefix, newline=""):
            ends.append(ends[-1] + len(line))
            yield line

    reader = csv.reader(lines(), delimiter=sep)
    records: list[list[str]] = []
    starts: list[int] = []
    filled = 0
    begin = 0
    try:
        for row in reader:
            records.append(row)
            starts.append(begin)
            begin = ends[reader.line_num]
            filled += any(c.strip() for c in row)
            if filled >= _HEADER_WINDOW:
                break
    except csv.Error:  # odd quoting in the first characters: what was read so far
        pass
    return records, starts


def _delimiter(text: str) -> str:
    """The delimiter of the header line: a comma, or a tab (Excel's "Unicode text" export)
    or a semicolon when the header has those and no comma."""
    header = next((line for line in text[:65536].splitlines() if line.strip()), "")
    if "," in header:
        return ","
    for sep in ("\t", ";"):
        if sep in header:
            return sep
    return ","


def _fast_csv(text: str | bytes, origin: str, sep: str = ",", above: int = 0
              ) -> pd.DataFrame | None:
    """pandas' C parser on well-formed CSV (all cells text); None when it cannot parse.
    ``text`` is the decoded text, or UTF-8 bytes (without BOM), which spare a re-encoding;
    ``above`` rows of the file (title rows) were cut off before it.

    Every record keeps its number, blank ones included, so the index is the row a
    spreadsheet shows (a quoted multi-line cell is one row there too).
    """
    source = io.BytesIO(text) if isinstance(text, bytes) else io.StringIO(text)
    try:
        raw = pd.read_csv(source, dtype=str, encoding="utf-8", keep_default_na=False, header=None,
                          skip_blank_lines=False, engine="c", sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    # Cells are stripped once, by validation; here only emptiness matters. The columns stay
    # Arrow strings, so these checks are vectorized (no Python call per cell).
    filled = [_nonblank(raw[c]) for c in raw.columns]
    nonempty = np.logical_or.reduce(filled) if filled else np.zeros(len(raw), dtype=bool)
    if not nonempty.any():
        raise InputError([Issue(origin, "the table is empty: it needs a header row",
                                hint="put the column names in the first row")])
    start = int(nonempty.argmax())
    header = [str(h).strip() for h in raw.iloc[start].fillna("")]
    while header and not header[-1]:
        header.pop()
    if any(col[start:].any() for col in filled[len(header):]):
        return None  # cells beyond the header: let the tolerant reader decide
    body = raw.iloc[start + 1 :, : len(header)]
    body = body[nonempty[start + 1 :]]
    body.columns = header
    body.index = pd.Index(body.index.to_numpy() + (1 + above), name="row")
    return body


def _nonblank(series: pd.Series) -> np.ndarray:
    """True where a cell has text other than whitespace (vectorized on Arrow strings)."""
    return series.fillna("").astype(str).str.strip().ne("").to_numpy(dtype=bool)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _frame_from_rows(rows: Sequence[Sequence[object]], origin: str, table: str) -> pd.DataFrame:
    """Header = the row that names the table's columns (see ``_header_index``), else the
    first non-empty row; keep spreadsheet row numbers as the index."""
    start = _header_index(rows, table)
    if start is not None:
        _note_title_rows(origin, rows[:start], start)
    else:
        start = next((i for i, r in enumerate(rows) if any(_cell_text(c) for c in r)), None)
    if start is None:
        raise InputError([Issue(origin, "the table is empty: it needs a header row",
                                hint="put the column names in the first row")])
    if len(rows[start]) > MAX_COLUMNS:
        raise InputError([Issue(origin, f"the header row has {len(rows[start]):,} cells: at "
                                f"most {MAX_COLUMNS} columns are read",
                                hint="delete the empty or extra columns right of the table")])
    header = [_cell_text(c) for c in rows[start]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body: list[list[str]] = []
    index: list[int] = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [_cell_text(c) for c in row[:width]]
        if not any(cells):
            continue  # blank line: skipped, but row numbers stay as the user sees them
        cells += [""] * (width - len(cells))
        body.append(cells)
        index.append(number)
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, name="row"), dtype=object)
    return frame


def _read_workbook(path: Path) -> list[RawTable]:
    from python_calamine import CalamineWorkbook

    check_regular_file(path, path.name)
    # The reader allocates each sheet's whole used range: measure it first (xlsx, xlsm, ods).
    extents = checked_extents(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types for corrupt files
        raise InputError([Issue(path.name, f"cannot open the workbook: {err}")]) from err
    tables = []
    for sheet in book.sheet_names:
        match = _match_table(sheet)
        if match is None:
            log.info("sheet %s of %s is not an orgnet table; skipped", sheet, path.name)
            continue
        name, exact = match
        origin = f"{path.name}[{sheet}]"
        rows = read_sheet_rows(book, path, sheet, extents)
        found = _header_index(rows, name) is not None
        tables.append(RawTable(name, origin, _frame_from_rows(rows, origin, name), exact=exact,
                               header_found=found))
    return tables


def find_tables(source: Path) -> list[Path]:
    """CSV files of a folder that name a table of the contract (by English or Chinese name)."""
    return sorted(p for p in source.iterdir() if p.suffix.lower() in {".csv", ".txt"}
                  and _table_for(p.stem) is not None)


def read_source(source: str | Path, *, required: bool = True) -> dict[str, RawTable]:
    """Read every table of a CSV folder or an Excel workbook (``required=False``: the
    required tables may be absent, as in one of several sources merged).

    Raises
    ------
    InputError
        The source does not exist, a file cannot be decoded, a table appears twice, or a
        required table (territories, organizations) is missing. All such problems together.
    """
    path = Path(source)
    if not path.exists():
        raise InputError([Issue(str(path), "no such file or folder")])
    issues: list[Issue] = []
    tables: list[RawTable] = []
    if path.is_dir():
        for file in find_tables(path):
            try:
                table = _read_csv(file)
            except InputError as err:
                issues.extend(err.issues)
                continue
            if table is not None:
                tables.append(table)
        excel = [p for p in path.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES]
        if not tables and len(excel) == 1:
            tables = _read_workbook(excel[0])
    elif path.suffix.lower() in EXCEL_SUFFIXES:
        tables = _read_workbook(path)
    elif path.suffix.lower() == ".csv":
        issues.append(Issue(path.name, "give the folder that holds the CSV files, not one file"))
    else:
        issues.append(Issue(path.name, "not a CSV folder or an Excel workbook"))
    found: dict[str, RawTable] = {}
    exact = {t.name for t in tables if t.exact}
    for table in tables:
        if not table.exact and table.name in exact:  # "territories (old)" beside "territories"
            log.info("%s also looks like table %s; the exactly named one is used",
                     table.origin, table.name)
            continue
        if table.name in found:
            issues.append(Issue(table.origin, f"table '{table.name}' is given twice "
                                f"(also {found[table.name].origin})",
                                hint="keep one of them, or rename the other"))
        found[table.name] = table
    if not issues and required:
        for name, spec in TABLES.items():
            if spec.required and name not in found:
                zh = "/".join(spec.zh[:1])
                issues.append(Issue(f"{name}.csv", f"required table '{name}' ({zh}) is missing",
                                    hint=f"add {name}.csv or a sheet named '{name}'"))
    if issues:
        raise InputError(issues)
    return found
