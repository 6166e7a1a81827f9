"""Hostile and careless inputs: refused with their place before any library can be hurt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphmodel.errors import InputError
from loaders import load_dataset
from loaders.model_warnings import parent_cycles
from loaders.sources import read_source

TINY = Path(__file__).parents[1] / "data" / "tiny_city"
NAMES = ["张伟", "王芳", "李", "娜", "吴"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target


def _edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _issues(source: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_dataset(source)
    return [str(i) for i in err.value.issues]


def test_a_header_naming_one_column_twice_csv(data):
    _edit(data / "territories.csv", "户数", "名称", 1)
    issues = _issues(data)
    assert any("territories.csv" in i and "given twice" in i for i in issues)


def test_a_header_naming_one_column_twice_xlsx(tmp_path):
    import xlsxwriter

    book = tmp_path / "dup.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    for sheet, header in (("territories", ["编号", "名称", "类型", "名称"]),
                          ("organizations", ["编号", "名称", "类型", "上级编号", "所属区域编号"])):
        ws = wb.add_worksheet(sheet)
        for col, name in enumerate(header):
            ws.write(0, col, name)
        ws.write_row(1, 0, ["T-1", "市", "县市", "x"] if sheet == "territories" else
                     ["O-1", "市委", "县市党委", "", "T-1"])
    wb.close()
    assert any("dup.xlsx[territories]" in i and "given twice" in i for i in _issues(book))


@pytest.mark.parametrize("value, words", [
    ("99999999999999999999999", "too large"), ("1e309", "not a finite"),
    ("inf", "not a finite"), ("-Infinity", "not a finite"), ("nan", "not a number"),
    ("1e16", "too large")])
def test_numbers_that_are_not_finite_or_too_large_are_refused(data, value, words):
    _edit(data / "resources.csv", "50000", value)
    issues = _issues(data)
    assert any("resources.csv, row 2" in i and words in i for i in issues), issues


def test_integers_beyond_64_bits_are_refused(data):
    _edit(data / "territories.csv", "12000", "9" * 30)
    assert any("row 3" in i and "too large" in i for i in _issues(data))


def test_a_header_only_required_table_is_refused(data):
    path = data / "territories.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0], encoding="utf-8")
    assert any("'territories' has no rows" in i for i in _issues(data))


def test_an_empty_optional_table_loads(data):
    path = data / "units.csv"
    path.write_bytes(path.read_bytes().splitlines()[0] + b"\n")
    load_dataset(data)


def test_a_fifo_is_refused_without_blocking(data, tmp_path):
    (data / "units.csv").unlink()
    os.mkfifo(data / "units.csv")
    started = time.monotonic()
    assert any("units.csv" in i and "not a regular file" in i for i in _issues(data))
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    assert any("not a regular file" in i for i in _issues(fifo))
    assert time.monotonic() - started < 10


def test_a_huge_header_is_refused_fast(data):
    path = data / "territories.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += "," + ",".join(f"c{i}" for i in range(200_000))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    assert any("header row has 200,006 cells" in i for i in _issues(data))
    assert time.monotonic() - started < 10


def test_empty_trailing_header_cells_count_too(data):
    path = data / "members.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += "," * 5000
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("members.csv" in i and "header row" in i for i in _issues(data))


def _far_cell_book(path: Path, row: int, col: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("territories")
    ws.write_row(0, 0, ["编号", "名称", "类型", "上级编号"])
    ws.write_row(1, 0, ["T-1", "市", "县市", ""])
    ws.write(row, col, "far")
    ws = wb.add_worksheet("organizations")
    ws.write_row(0, 0, ["编号", "名称", "类型", "上级编号", "所属区域编号"])
    ws.write_row(1, 0, ["O-1", "市委", "县市党委", "", "T-1"])
    wb.close()


@pytest.mark.parametrize("row, col, words", [
    (1_048_575, 16_383, "column XFD (cell XFD1048576)"), (0, 2_000, "column BXY"),
    (1_048_575, 200, "row 1048576")])
def test_a_stray_far_cell_in_a_workbook_is_refused_before_the_reader(tmp_path, row, col,
                                                                     words):
    book = tmp_path / "far.xlsx"
    _far_cell_book(book, row, col)
    # In a child process: if the bound failed, the reader would abort the process.
    done = subprocess.run([sys.executable, "-m", "orgnet", "load", str(book), "--db",
                           str(tmp_path / "x.lbdb")], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "far.xlsx[territories]" in done.stderr and words in done.stderr


def test_a_far_cell_within_bounds_still_loads(tmp_path):
    book = tmp_path / "ok.xlsx"
    _far_cell_book(book, 50, 30)
    tables = read_source(book)
    assert len(tables["territories"].frame.columns) >= 4


def test_member_messages_never_show_a_cell(data):
    members = data / "members.csv"
    original = members.read_text(encoding="utf-8")
    # A name column headed 状态 (status): every name would be an unknown status.
    _edit(members, "编号,姓名,组织编号,居住地编号,工作单位编号,状态",
          "编号,状态,组织编号,居住地编号,工作单位编号,姓名")
    issues = _issues(data)
    assert any("row 2" in i and "'状态'" in i and "member 'M-1'" in i for i in issues)
    assert not any(name in i for i in issues for name in NAMES)
    # An unquoted comma in a name shifts the row.
    members.write_text(original.replace("M-2,王芳", "M-2,李,娜"), encoding="utf-8")
    issues = _issues(data)
    assert any("member 'M-2'" in i for i in issues)
    assert not any(name in i for i in issues for name in NAMES)
    # No header row: the first data row is taken as the header, and never quoted.
    members.write_text("\n".join(original.splitlines()[1:]) + "\n", encoding="utf-8")
    issues = _issues(data)
    assert any("required column 'id' is missing" in i for i in issues)
    assert not any(name in i or "M-1" in i for i in issues for name in NAMES)


def test_member_warnings_name_the_member_not_the_cell(data):
    _edit(data / "members.csv", "M-1,张伟,O-P111", "M-1,张伟,王芳")  # a name where an id goes
    model = load_dataset(data)
    texts = [str(w) for w in model.warnings]
    assert any("members.csv, row 2" in t and "member 'M-1'" in t for t in texts), texts
    assert not any("王芳" in t for t in texts)


def test_a_parent_cycle_through_the_city_committee_is_warned(data):
    _edit(data / "organizations.csv", "O-CITY,示范市委,县市党委,,", "O-CITY,示范市委,县市党委,O-C1,")
    model = load_dataset(data)
    cycles = [str(w) for w in model.warnings if "cycle" in w.message]
    assert cycles == ["organizations.csv, row 4, column '上级编号': organizations report to each "
                      "other in a cycle: O-C1 -> O-ST1 -> O-CITY -> O-C1 (value: 'O-C1')"]


def test_a_cycle_elsewhere_is_warned_once(data):
    _edit(data / "organizations.csv", "O-C1,幸福社区党委,社区党委,O-ST1,", "O-C1,幸福社区党委,社区党委,O-G11,")
    model = load_dataset(data)
    assert len([w for w in model.warnings if "cycle" in w.message]) == 1


def test_parent_cycles_is_linear_and_exact():
    n = 200_000
    ids = [f"o{i}" for i in range(n)]
    parents = [f"o{i - 1}" if i else f"o{n - 1}" for i in range(n)]
    started = time.monotonic()
    (loop,) = parent_cycles(ids, parents)
    assert len(loop) == n and loop[0] == "o0"
    assert time.monotonic() - started < 5
    assert parent_cycles(["a", "b"], ["a", None]) == [["a"]]
