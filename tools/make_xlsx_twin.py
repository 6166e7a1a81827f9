"""Write the Excel twin of a CSV fixture folder: one sheet per table, numbers as numbers and
dates as dates, so the workbook path is tested with typed cells.

Usage: python tools/make_xlsx_twin.py tests/data/tiny_city tests/data/tiny_city.xlsx
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from pathlib import Path

from openpyxl import Workbook

from loaders.sources import decode_bytes, find_tables

_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def typed(cell: str, column: str) -> object:
    """The value Excel would hold for a CSV cell (ids stay text)."""
    if column in {"编号", "id"} or column.endswith("编号") or column.endswith("_id"):
        return cell or None
    if _INT.match(cell):
        return int(cell)
    if _FLOAT.match(cell):
        return float(cell)
    if _DATE.match(cell):
        return dt.datetime.strptime(cell, "%Y-%m-%d")
    return cell or None


def main(folder: str, target: str) -> None:
    book = Workbook()
    book.remove(book.active)
    for path in find_tables(Path(folder)):
        text, _ = decode_bytes(path.read_bytes(), path.name)
        rows = list(csv.reader(io.StringIO(text)))
        sheet = book.create_sheet(path.stem)
        sheet.append(rows[0])
        for row in rows[1:]:
            sheet.append([typed(c, h) for c, h in zip(row, rows[0], strict=False)])
    book.save(target)


if __name__ == "__main__":
    main(*sys.argv[1:3])
