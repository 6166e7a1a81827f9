"""Bounds checked before an input reaches a parsing library, so no file can exhaust memory.

- a file is read only when it is a regular file (a FIFO would block forever, a device would
  never end) of at most :data:`MAX_FILE_BYTES`;
- a header has at most :data:`MAX_COLUMNS` cells (a CSV header of a million cells would take
  minutes; the widest table has nine columns);
- a worksheet's used range (from its first to its last cell holding anything) has at most
  :data:`MAX_COLUMNS` columns and :data:`MAX_SHEET_CELLS` cells: the workbook reader
  allocates the whole range, so one stray value in cell XFD1048576 would ask for 512 GB. The
  range of an ``.xlsx``/``.xlsm`` sheet is measured from its XML (the cells' own references,
  not the ``<dimension>`` element, which may say anything) before the reader opens it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from graphmodel.errors import InputError, Issue

__all__ = ["MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_SHEET_CELLS", "check_regular_file",
           "column_letters", "xlsx_extents"]

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
