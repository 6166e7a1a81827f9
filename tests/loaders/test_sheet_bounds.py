"""The used range of .ods, .xls and .xlsb sheets is bounded like that of .xlsx: a sheet that
declares more than MAX_COLUMNS columns or MAX_SHEET_CELLS cells is refused, naming the file,
the sheet and the limit, before the reader copies its cells."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import python_calamine

from graphmodel.errors import InputError
from loaders.bounds import MAX_COLUMNS, MAX_SHEET_CELLS, ods_extents
from loaders.sources import read_source

ROOT = Path(__file__).resolve().parents[2]
TINY_BOOK = ROOT / "tests" / "data" / "tiny_city.xlsx"

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p>'
            "</table:table-cell>")


def _row(*cells: str, repeat: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{''.join(cells)}</table:table-row>"


def _table(name: str, *rows: str) -> str:
    return f'<table:table table:name="{name}">{"".join(rows)}</table:table>'


_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
             '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:media-type='
             '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
             'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
             "</manifest:manifest>")

# LibreOffice pads a sheet with repeats of empty rows and cells: they must not count.
_PADDING = _row('<table:table-cell table:number-columns-repeated="16380"/>', repeat=1_048_560)


def _ods(path: Path, territories_extra: str = "") -> Path:
    """An .ods workbook of the two required tables, with ``territories_extra`` rows after
    the territories' data (written by hand: zipfile and the ODF XML)."""
    territories = _table("territories",
                         _row(*map(_cell, ["编号", "名称", "类型", "上级编号"])),
                         _row(*map(_cell, ["T-1", "市", "县市"])), territories_extra, _PADDING)
    organizations = _table("organizations",
                           _row(*map(_cell, ["编号", "名称", "类型", "上级编号", "所属区域编号"])),
                           _row(_cell("O-1"), _cell("市委"), _cell("县市党委"),
                                "<table:table-cell/>", _cell("T-1")), _PADDING)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f"{territories}{organizations}</office:spreadsheet></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("META-INF/manifest.xml", _MANIFEST)
    return path


def _limit_memory() -> None:  # a child that ignored the bound fails fast instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def _load_in_child(book: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "orgnet", "load", str(book), "--db",
                           str(tmp_path / "x.lbdb")], capture_output=True, text=True,
                          timeout=120, check=False, cwd=ROOT,
                          preexec_fn=_limit_memory)


def test_a_padded_ods_loads(tmp_path) -> None:
    tables = read_source(_ods(tmp_path / "ok.ods"))
    assert list(tables["territories"].frame["编号"]) == ["T-1"]
    assert ods_extents(tmp_path / "ok.ods") == {"territories": (2, 4), "organizations": (2, 5)}


@pytest.mark.parametrize(("extra", "words"), [
    (_row(_cell("x"), repeat=1_000_000_000), f"row 1000000002 (cell D1000000002): "
     f"1,000,000,002 rows of 4 columns is more than {MAX_SHEET_CELLS:,} cells"),
    (_row(_cell("x", repeat=1_000_000)), f"at most {MAX_COLUMNS} columns are read"),
    (_row(_cell("x", repeat=40), repeat=1_000_000), "more than 30,000,000 cells"),
])
def test_an_ods_declaring_a_huge_range_is_refused_before_the_reader(tmp_path, extra,
                                                                    words) -> None:
    book = _ods(tmp_path / "huge.ods", extra)
    assert book.stat().st_size < 10_000  # a few bytes declare it
    done = _load_in_child(book, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "huge.ods[territories]" in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_ods_range_matches_the_reader_on_a_libreoffice_file(tmp_path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path),
                    str(TINY_BOOK)], capture_output=True, timeout=120, check=True)
    book = tmp_path / "tiny_city.ods"
    extents = ods_extents(book)
    reader = python_calamine.CalamineWorkbook.from_path(str(book))
    assert set(extents) == set(reader.sheet_names)
    for name in reader.sheet_names:
        end = reader.get_sheet_by_name(name).end
        assert end is not None
        assert extents[name] == (end[0] + 1, end[1] + 1), name


class _HugeSheet:
    """A reader's sheet whose range reaches XFD1048576; copying its cells fails the test."""

    end = (1_048_575, 16_383)
    start = (0, 0)

    def to_python(self, **_kwargs):
        pytest.fail("the cells of a sheet out of bounds were read")


class _Book:
    sheet_names = ("territories",)

    def get_sheet_by_name(self, _name: str) -> _HugeSheet:
        return _HugeSheet()


@pytest.mark.parametrize("suffix", [".xls", ".xlsb"])
def test_an_xls_or_xlsb_sheet_out_of_bounds_is_refused_before_its_cells_are_read(
        monkeypatch, tmp_path, suffix) -> None:
    """No tool here writes .xlsb, and a real .xls cannot exceed the bounds (65,536 rows of 256
    columns at most): the reader is replaced by one whose sheet reaches XFD1048576."""
    book = tmp_path / f"far{suffix}"
    book.write_bytes(b"not read: the reader is replaced")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        staticmethod(lambda _path: _Book()))
    with pytest.raises(InputError) as info:
        read_source(book)
    text = str(info.value)
    assert f"far{suffix}[territories]" in text
    assert "column XFD (cell XFD1048576)" in text and f"at most {MAX_COLUMNS} columns" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_xls_is_measured_by_the_reader_and_its_far_corner_is_within_bounds(
        tmp_path, monkeypatch) -> None:
    """A .xls sheet holds at most 65,536 rows of 256 columns, within the bounds: a workbook
    with a cell in that far corner (IV65536) loads, measured by the reader's range."""
    import xlsxwriter

    import loaders.bounds

    far = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(far))
    sheet = book.add_worksheet("territories")
    sheet.write_row(0, 0, ["编号", "名称", "类型", "上级编号"])
    sheet.write_row(1, 0, ["T-1", "市", "县市", ""])
    sheet.write(65_535, 255, "far")
    sheet = book.add_worksheet("organizations")
    sheet.write_row(0, 0, ["编号", "名称", "类型", "上级编号", "所属区域编号"])
    sheet.write_row(1, 0, ["O-1", "市委", "县市党委", "", "T-1"])
    book.close()
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path),
                    str(far)], capture_output=True, timeout=120, check=True)
    measured = []
    real = loaders.bounds.check_sheet_extent

    def spy(origin: str, rows: int, cols: int) -> None:
        measured.append((origin, rows, cols))
        real(origin, rows, cols)

    monkeypatch.setattr(loaders.bounds, "check_sheet_extent", spy)
    tables = read_source(tmp_path / "far.xls")
    assert list(tables["territories"].frame["编号"]) == ["T-1"]
    assert ("far.xls[territories]", 65_536, 256) in measured

