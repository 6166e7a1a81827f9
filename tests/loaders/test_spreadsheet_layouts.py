"""Spreadsheet layouts of real ledgers: title rows above the header (台账 titles, 填报单位 lines).

Rows above the header are skipped; every row number stays the one a person sees in Excel.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from graphmodel.errors import InputError
from loaders import load_dataset, sources
from loaders.sources import read_source
from loaders.validate import validate_tables
from orgnet.cli import main

DATA = Path(__file__).parents[1] / "data"
TITLE = "幸福街道党组织台账（2026年）\n"
FILLED_BY = "填报单位：幸福街道党工委,,填报日期：2026-11-30,,,\n"
TITLES = {1: TITLE, 2: TITLE + FILLED_BY}


def _encoding(path: Path) -> str:
    return "gbk" if path.stem == "units" else "utf-8"  # the fixture's units.csv is GBK


def rewrite(path: Path, change) -> None:
    """Apply ``change`` to the text of a fixture CSV, keeping its encoding (and BOM)."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    encoding = _encoding(path)
    text = raw[3 if bom else 0 :].decode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + change(text).encode(encoding))


def prepend(folder: Path, title: str, tables: list[str] | None = None) -> None:
    for path in sorted(folder.glob("*.csv")):
        if tables is None or path.stem in tables:
            rewrite(path, lambda text: title + text)


def replace(folder: Path, table: str, old: str, new: str) -> None:
    def change(text: str) -> str:
        assert old in text, f"{old!r} not in {table}"
        return text.replace(old, new, 1)

    rewrite(folder / f"{table}.csv", change)


def frames_of(source: Path) -> dict[str, pd.DataFrame]:
    return validate_tables(read_source(source))


def assert_same_frames(got: dict, want: dict, shift: int) -> None:
    """The same tables, each row ``shift`` rows lower in the spreadsheet."""
    assert got.keys() == want.keys()
    for name, frame in want.items():
        expected = frame.set_axis(frame.index + shift)
        pd.testing.assert_frame_equal(got[name], expected, check_dtype=False, obj=name)


def single_error(folder: Path):
    with pytest.raises(InputError) as info:
        load_dataset(folder)
    assert len(info.value.issues) == 1, info.value.issues
    return info.value.issues[0]


def info_lines(source: Path, db: Path, capsys) -> list[str]:
    assert main(["load", str(source), "--db", str(db)]) == 0  # 0: no warning either
    capsys.readouterr()
    assert main(["info", "--db", str(db)]) == 0
    return capsys.readouterr().out.splitlines()[1:]


@pytest.mark.parametrize("count", [1, 2])
def test_title_rows_load_like_the_original(tiny_dir, tmp_path, capsys, monkeypatch, count):
    prepend(tiny_dir, TITLES[count])

    def no_tolerant_reader(*_args):
        raise AssertionError("title rows must not send a well-formed CSV to the slow reader")

    monkeypatch.setattr(sources, "_frame_from_rows", no_tolerant_reader)
    assert_same_frames(frames_of(tiny_dir), frames_of(DATA / "tiny_city"), count)
    monkeypatch.undo()
    assert info_lines(tiny_dir, tmp_path / "a.lbdb", capsys) == info_lines(
        DATA / "tiny_city", tmp_path / "b.lbdb", capsys)


@pytest.mark.parametrize("tolerant", [False, True], ids=["fast", "tolerant"])
def test_error_rows_are_the_rows_excel_shows(tiny_dir, tolerant):
    prepend(tiny_dir, TITLES[2])
    # territories.csv: title rows 1-2, header row 3, T-CITY row 4, T-ST1 row 5.
    replace(tiny_dir, "territories", "T-ST1,和平街道,街道,T-CITY,12000,是",
            "T-ST1,和平街道,街道,T-CITY,很多,是")
    if tolerant:  # a cell beyond the header: the fast parser gives up, the csv module reads
        replace(tiny_dir, "territories", "T-CITY,示范市,县市,,,是", "T-CITY,示范市,县市,,,是,备注")
    issue = single_error(tiny_dir)
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "territories.csv", 5, "户数", "很多")


def test_blank_rows_and_a_multiline_title_keep_the_rows(tiny_dir):
    # Row 1: a title cell spanning two lines; row 2 blank; row 3 the header; row 4 T-CITY.
    prepend(tiny_dir, '"幸福街道党组织台账\n（2026年）"\n\n', ["territories"])
    replace(tiny_dir, "territories", "T-CITY,示范市,县市,,,是", "T-CITY,示范市,县市,,,也许")
    issue = single_error(tiny_dir)
    assert (issue.row, issue.column, issue.value) == (4, "是否有人管理", "也许")


def test_gbk_file_with_a_title_row(tiny_dir):
    prepend(tiny_dir, "共建单位台账\n填报单位：幸福街道\n", ["units"])
    tables = read_source(tiny_dir)
    assert tables["units"].encoding == "gbk"
    assert tables["units"].frame.loc[4, "名称"] == "市市场监督管理局"
    assert_same_frames({"units": frames_of(tiny_dir)["units"]},
                       {"units": frames_of(DATA / "tiny_city")["units"]}, 2)
    replace(tiny_dir, "units", "市市场监督管理局,机关", "市市场监督管理局,外星单位")
    issue = single_error(tiny_dir)
    assert (issue.file, issue.row, issue.value) == ("units.csv", 4, "外星单位")


def test_tab_separated_file_with_a_title_row(tiny_dir):
    rewrite(tiny_dir / "territories.csv", lambda text: TITLE + text.replace(",", "\t"))
    assert_same_frames({"territories": frames_of(tiny_dir)["territories"]},
                       {"territories": frames_of(DATA / "tiny_city")["territories"]}, 1)


def _excel_with_titles(tmp_path: Path) -> Path:
    path = tmp_path / "tiny_city.xlsx"
    shutil.copy(DATA / "tiny_city.xlsx", path)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        width = sheet.max_column
        sheet.insert_rows(1, 2)
        sheet.cell(1, 1, f"幸福街道{sheet.title}台账（2026年）")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.cell(2, 1, "填报单位：幸福街道党工委")
        sheet.cell(2, min(3, width), "填报日期：2026-11-30")
    book.save(path)
    return path


def test_excel_sheets_with_a_merged_title_cell(tmp_path, capsys):
    path = _excel_with_titles(tmp_path)
    assert_same_frames(frames_of(path), frames_of(DATA / "tiny_city.xlsx"), 2)
    assert info_lines(path, tmp_path / "a.lbdb", capsys) == info_lines(
        DATA / "tiny_city.xlsx", tmp_path / "b.lbdb", capsys)


def test_excel_error_rows_are_the_rows_excel_shows(tmp_path):
    path = _excel_with_titles(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["territories"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "T-ST1")
    sheet.cell(cell.row, 5, "很多")  # 户数
    book.save(path)
    with pytest.raises(InputError) as info:
        load_dataset(path)
    (issue,) = info.value.issues
    assert (issue.file, issue.row, issue.value) == ("tiny_city.xlsx[territories]", cell.row, "很多")
    assert cell.row == 5


def test_no_header_in_the_first_rows_keeps_todays_error(tiny_dir, tmp_path):
    # The headerless file alone, without title rows anywhere: today's missing-column errors.
    plain = tmp_path / "plain"
    shutil.copytree(DATA / "tiny_city", plain)
    header = "编号,名称,类型,上级编号,户数,是否有人管理\n"
    replace(plain, "territories", header, "")
    with pytest.raises(InputError) as today:
        load_dataset(plain)
    assert any("required column 'id' is missing" in str(i) for i in today.value.issues)
    # Title rows above every other header, and the headerless territories.csv (its first row
    # is data): the others load through their titles, territories keeps today's errors.
    prepend(tiny_dir, TITLES[2])
    replace(tiny_dir, "territories", TITLES[2] + header, "")
    with pytest.raises(InputError) as info:
        load_dataset(tiny_dir)
    assert info.value.issues == today.value.issues


@pytest.mark.parametrize(("cells", "header"), [
    (["幸福街道党组织台账（2026年）", "", "", ""], False),
    (["填报单位：幸福街道党工委", "", "填报日期：2026-11-30"], False),
    (["填报单位", "幸福街道", "填报日期", "2026-11-30"], False),
    (["T-CITY", "示范市", "县市", "", "", "是"], False),
    (["编号(必填)", "名称", "备注"], True),
    (["ID", "Name", "Kind", "Parent ID"], True),
    (["类型", "编号"], True),
])
def test_what_looks_like_a_territories_header(cells, header):
    assert sources._names_columns(cells, "territories") is header


def test_a_members_header_may_name_only_the_id(tiny_dir):
    prepend(tiny_dir, TITLE, ["members"])
    replace(tiny_dir, "members", "编号,姓名,组织编号,居住地编号,工作单位编号,状态,报到社区编号,下沉至编号",
            "编号,党员,支部,住址,单位,身份,报到,下沉")
    frame = frames_of(tiny_dir)["members"]
    assert frame.index[0] == 3
    assert frame["id"].iloc[0] == "M-1"
    assert frame["name"].isna().all()
