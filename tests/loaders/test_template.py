"""The data-collection workbook: sheets, headers, dropdowns, formats, and the round trip
generate -> template filled with the data -> load, equal to the CSV folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from graphmodel.schema import TABLES, OrgKind, TerritoryKind, zh
from loaders import load_dataset
from loaders.sources import _match_table
from loaders.template import (
    GUIDE_SHEET,
    SHEET_NAMES,
    example_rows,
    scope_rows,
    template_headers,
    write_template,
)
from queries.diagnose import diagnose
from queries.info import store_counts
from stores.ladybug import LadybugStore, write_ladybug
from synthetic import ScaleSpec, write_dataset

MINI = ScaleSpec("mini", 1, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)


def test_sheet_names_are_tables_the_loaders_accept() -> None:
    for table, sheet in SHEET_NAMES.items():
        assert _match_table(sheet) == (table, True), sheet
    assert _match_table(GUIDE_SHEET) is None


def test_template_layout(tmp_path: Path) -> None:
    path = write_template(tmp_path / "台账模板.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == GUIDE_SHEET
    assert [s for s in book.sheetnames if s in SHEET_NAMES.values()] == list(SHEET_NAMES.values())
    for table, sheet_name in SHEET_NAMES.items():
        sheet = book[sheet_name]
        headers = [c.value for c in sheet[1]][: len(TABLES[table].columns)]
        assert headers == template_headers(table)
        assert sheet.freeze_panes == "A2"
        width = sheet.column_dimensions["A"].width
        assert width and width >= 6
    # Every category and yes/no column has a list dropdown over its column.
    sheet = book["党组织"]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation
             if dv.type == "list"}
    assert "C2" in lists  # 类型
    options = book["下拉选项"]
    assert options.sheet_state == "hidden"
    ref = lists["C2"].formula1.split("!")[1].replace("$", "")
    values = [c.value for row in options[ref] for c in row]
    assert values == [zh(k) for k in OrgKind]
    territories = book["区域"]
    kinds = {str(dv.sqref).split(":")[0]: dv for dv in territories.data_validations.dataValidation}
    assert kinds["C2"].type == "list" and kinds["F2"].type == "list"  # 类型, 是否有人管理
    assert kinds["E2"].type == "whole"  # 户数
    ties = {str(dv.sqref).split(":")[0]: dv.type for dv in
            book["关系"].data_validations.dataValidation}
    assert ties["C2"] == "list" and ties["H2"] == "list" and ties["I2"] == "decimal"
    guide = book[GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "全工作簿唯一" in text and "上级" in text and "必填" in text
    assert all(zh(k) in text for k in TerritoryKind)


def test_examples_load_clean(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", examples=example_rows())
    model = load_dataset(path)
    assert model.warnings == []
    assert model.counts()["task_steps"] == 2
    sheet = load_workbook(path)["任务"]
    assert sheet["E2"].is_date and sheet["E2"].font.i  # a date, in grey italics


def test_scope_rows_hold_the_city_and_the_street(tiny_model) -> None:
    rows = scope_rows(tiny_model, "T-ST1")
    territories = set(rows["territories"]["id"])
    assert "T-CITY" in territories and "T-ST1" in territories
    assert all(tiny_model.street_of(t) in (None, "T-ST1") for t in territories)
    orgs = set(rows["organizations"]["id"])
    assert any(tiny_model.node(o).get("kind") == "city_committee" for o in orgs)
    assert "members" not in rows
    with pytest.raises(KeyError):
        scope_rows(tiny_model, "T-CITY")


def _diagnosis(model, path: Path) -> tuple[list[dict], list[dict]]:
    write_ladybug(model, path)
    with LadybugStore(path, writable=True) as store:
        result = diagnose(model, store)
        counts = store_counts(store).to_dict("records")
    return counts, result["findings"]


def test_round_trip_generated_dataset(tmp_path: Path) -> None:
    """generate -> template filled with the data -> load: same info and findings as the CSV."""
    write_dataset(tmp_path / "csv", scale=MINI, seed=3)
    from_csv = load_dataset(tmp_path / "csv")
    book = write_template(tmp_path / "filled.xlsx", from_csv.frames)
    from_book = load_dataset(book)
    def where(model):
        return [(w.message, w.row, w.value) for w in model.warnings]

    assert where(from_book) == where(from_csv)
    counts_csv, findings_csv = _diagnosis(from_csv, tmp_path / "a.lbdb")
    counts_book, findings_book = _diagnosis(from_book, tmp_path / "b.lbdb")
    assert counts_book == counts_csv
    assert findings_book == findings_csv
    assert len(findings_csv) > 10
