"""Bounds checked before an input reaches a parsing library, so no file can exhaust memory.

- a file is read only when it is a regular file (a FIFO would block forever, a device would
  never end) of at most :data:`MAX_FILE_BYTES`;
- a header has at most :data:`MAX_COLUMNS` cells (a CSV header of a million cells would take
  minutes; the widest table has nine columns);
- a worksheet's used range (from its first to its last cell holding anything) has at most
  :data:`MAX_COLUMNS` columns and :data:`MAX_SHEET_CELLS` cells: the workbook reader
  allocates the whole range, so one stray value in cell XFD1048576 would ask for 512 GB. The
  range of an ``.xlsx``/``.xlsm`` sheet is measured from its XML (the cells' own references,
  not the ``<dimension>`` element, which may say anything) before the reader opens it; that
  of an ``.ods`` sheet from its ``content.xml``, where ``table:number-rows-repeated`` and
  ``table:number-columns-repeated`` can declare a million rows in a few bytes (repeats of
  empty rows and cells after the last cell holding something, which LibreOffice writes to
  pad a sheet, do not count). ``.xls`` and ``.xlsb`` sheets are measured by the reader's
  own range (:func:`check_reader_sheet`) before their cells are copied out of it.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from graphmodel.errors import InputError, Issue

__all__ = ["MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_SHEET_CELLS", "check_reader_sheet",
           "check_regular_file", "checked_extents", "column_letters", "ods_extents",
           "read_sheet_rows", "sheet_extents", "xlsx_extents"]

MAX_FILE_BYTES = 4 << 30  # 4 GiB: a province's largest CSV is a few hundred MB
MAX_COLUMNS = 1_000
MAX_SHEET_CELLS = 30_000_000  # e.g. a million rows of 30 columns

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A row's number; a cell reference with two or three letters (columns beyond Z: only those
# can make a sheet wide, and a sheet of up to 26 columns has none, so the scan is cheap).
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_WIDE_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{2,3})(\d+)\"")
_CHUNK = 1 << 22
_OVERLAP = 512  # longer than any start tag the patterns must see whole


def check_regular_file(path: Path, origin: str) -> None:
    """Refuse what is not a regular file, or one larger than :data:`MAX_FILE_BYTES`.

    Raises
    ------
    InputError
        A FIFO, socket or device (or a link to one), or a file that is too large.
    """
    if not path.is_file():
        raise InputError([Issue(origin, "not a regular file (a FIFO, socket or device)",
                                hint="give an ordinary file saved from Excel or a text editor")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError([Issue(origin, f"the file is too large ({size >> 20} MB; at most "
                                f"{MAX_FILE_BYTES >> 20} MB)",
                                hint="split the table into several files")])


def column_letters(number: int) -> str:
    """Excel's letters of a 1-based column number.

    Examples
    --------
    >>> column_letters(1), column_letters(27), column_letters(16384)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - ord("A") + 1)
    return number


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its XML part in the package}."""
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = part
    return parts


def _extent(stream) -> tuple[int, int]:
    """(last row, last column) with a cell in a sheet's XML, read in chunks."""
    rows = cols = 0
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        data = tail + chunk
        for match in _ROW.finditer(data):
            rows = max(rows, int(match.group(1)))
        for match in _WIDE_CELL.finditer(data):
            cols = max(cols, _column_number(match.group(1)))
            rows = max(rows, int(match.group(2)))
        if not chunk:
            break
        tail = data[-_OVERLAP:]
    return rows, max(cols, 26 if rows else 0)


def xlsx_extents(path: Path) -> dict[str, tuple[int, int]]:
    """{sheet name: (last row, last column bound)} of an ``.xlsx``/``.xlsm`` workbook, from its
    XML; {} when the file is not such a package (the reader then says what is wrong). The
    column is exact beyond Z, and 26 for narrower sheets."""
    try:
        with zipfile.ZipFile(path) as book:
            extents = {}
            for name, part in _sheet_parts(book).items():
                try:
                    with book.open(part) as stream:
                        extents[name] = _extent(stream)
                except KeyError:
                    continue
            return extents
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError):
        return {}


def check_sheet_extent(origin: str, rows: int, cols: int) -> None:
    """Refuse a worksheet whose used range is wider than :data:`MAX_COLUMNS` or larger than
    :data:`MAX_SHEET_CELLS`.

    Raises
    ------
    InputError
        Naming the sheet and the far corner of its used range.
    """
    corner = f"{column_letters(cols)}{rows}"
    if cols > MAX_COLUMNS:
        raise InputError([Issue(origin, f"the sheet's cells reach column {column_letters(cols)} "
                                f"(cell {corner}): at most {MAX_COLUMNS} columns are read",
                                hint="delete the columns right of the table (or copy the table "
                                "into a new sheet)")])
    if rows * cols > MAX_SHEET_CELLS:
        raise InputError([Issue(origin, f"the sheet's cells reach row {rows} (cell {corner}): "
                                f"{rows:,} rows of {cols} columns is more than "
                                f"{MAX_SHEET_CELLS:,} cells",
                                hint="delete the rows below the table, or split it into "
                                "CSV files")])


# The start or end tag of a table, row or cell of content.xml, with its attributes.
_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)"
                      rb"(?=[\s/>])([^>]*)>")
_ODS_NAME = re.compile(rb"(?:[\w.-]+:)?name=\"([^\"]*)\"")
_ODS_ROWS = re.compile(rb"number-rows-repeated=\"(\d+)\"")
_ODS_COLS = re.compile(rb"number-columns-repeated=\"(\d+)\"")


class _OdsExtents:
    """The used range of each table of an ODS ``content.xml``, fed tag by tag."""

    def __init__(self) -> None:
        self.extents: dict[str, tuple[int, int]] = {}
        self.depth = 0  # tables inside cells (sub-tables) are not sheets
        self.name = ""
        self.row = self.last_row = self.last_col = 0
        self.row_repeat = 1
        self.col = self.row_used = 0

    def tag(self, closing: bool, kind: bytes, attrs: bytes) -> None:
        empty = attrs.endswith(b"/")
        if kind == b"table":
            if closing:
                self.depth -= 1
                if self.depth == 0:
                    self.extents[self.name] = (self.last_row, self.last_col)
            elif not empty:
                self.depth += 1
                if self.depth == 1:
                    found = _ODS_NAME.search(attrs)
                    self.name = html.unescape(found.group(1).decode("utf-8")) if found else ""
                    self.row = self.last_row = self.last_col = 0
            return
        if self.depth != 1:
            return
        if kind == b"table-row":
            if closing:
                self._end_row()
            else:
                found = _ODS_ROWS.search(attrs)
                self.row_repeat = int(found.group(1)) if found else 1
                self.col = self.row_used = 0
                if empty:
                    self._end_row()
        elif not closing:  # a cell (its end tag says nothing more)
            found = _ODS_COLS.search(attrs)
            repeat = int(found.group(1)) if found else 1
            if not empty or b"value-type=" in attrs:  # it holds something
                self.row_used = self.col + repeat
            self.col += repeat

    def _end_row(self) -> None:
        if self.row_used:
            self.last_row = self.row + self.row_repeat
            self.last_col = max(self.last_col, self.row_used)
        self.row += self.row_repeat
        self.row_repeat = 1
        self.col = self.row_used = 0


def ods_extents(path: Path) -> dict[str, tuple[int, int]]:
    """{sheet name: (last row, last column)} holding something in an ``.ods`` workbook, with
    the repeats declared by ``table:number-rows-repeated``/``number-columns-repeated``
    counted; {} when the file is not such a package (the reader then says what is wrong)."""
    scan = _OdsExtents()
    try:
        with zipfile.ZipFile(path) as book, book.open("content.xml") as stream:
            tail = b""
            while True:
                chunk = stream.read(_CHUNK)
                data = tail + chunk
                # Up to the last "<": no tag is split (a "<" never occurs inside a tag).
                cut = data.rfind(b"<") if chunk else len(data)
                if cut < 0:
                    cut = len(data)
                for match in _ODS_TAG.finditer(data, 0, cut):
                    scan.tag(match.group(1) == b"/", match.group(2), match.group(3).strip())
                tail = data[cut:]
                if not chunk:
                    break
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, UnicodeDecodeError):
        return {}
    return scan.extents


def sheet_extents(path: Path) -> dict[str, tuple[int, int]]:
    """The used ranges that can be measured from the file before the reader opens it
    (``.xlsx``/``.xlsm`` and ``.ods``); {} for other kinds."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return xlsx_extents(path)
    if suffix == ".ods":
        return ods_extents(path)
    return {}


def check_reader_sheet(origin: str, sheet) -> None:
    """Refuse a sheet the reader has opened (a ``python_calamine.CalamineSheet``) whose range
    is too large, before its cells are copied out (for ``.xls``/``.xlsb``, whose ranges
    cannot be measured beforehand). The range's far corner is ``sheet.end`` (0-based).

    Raises
    ------
    InputError
        As :func:`check_sheet_extent`.
    """
    end = sheet.end
    if end is not None:
        check_sheet_extent(origin, end[0] + 1, end[1] + 1)


def checked_extents(path: Path) -> dict[str, tuple[int, int]]:
    """:func:`sheet_extents` of a workbook about to be opened; the sheets of an ``.ods`` are
    all checked now, since the reader expands every sheet as it opens the file.

    Raises
    ------
    InputError
        An ``.ods`` sheet out of bounds (:func:`check_sheet_extent`).
    """
    extents = sheet_extents(path)
    if path.suffix.lower() == ".ods":
        for sheet, extent in extents.items():
            check_sheet_extent(f"{path.name}[{sheet}]", *extent)
    return extents


def read_sheet_rows(book, path: Path, sheet: str,
                    extents: dict[str, tuple[int, int]]) -> list[list]:
    """The rows of ``sheet`` of an opened ``python_calamine.CalamineWorkbook``, its used range
    checked first (from ``extents`` of :func:`checked_extents`, else from the reader's range).

    Raises
    ------
    InputError
        The sheet is out of bounds.
    """
    origin = f"{path.name}[{sheet}]"
    if sheet in extents:
        check_sheet_extent(origin, *extents[sheet])
    opened = book.get_sheet_by_name(sheet)
    check_reader_sheet(origin, opened)  # xls, xlsb: the reader's range, before the copy
    return opened.to_python(skip_empty_area=False)
