"""Regression tests from the adversarial audit of the loader: the input contract's variants
(headers, category values, yes/no values, table names) and how errors are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from graphmodel.errors import InputError
from graphmodel.schema import MemberStatus, parse_bool
from loaders import load_dataset
from loaders.sources import _table_for, decode_bytes
from tests.helpers import edit


def _errors(folder: Path) -> list:
    with pytest.raises(InputError) as info:
        load_dataset(folder)
    return info.value.issues


def test_headers_with_inner_spaces_annotations_and_bom(tiny_dir):
    edit(tiny_dir, "territories", "编号,名称,类型,上级编号,户数,是否有人管理",
         "\ufeff编号,名　称,类 型,上级 编号,户数（户）,是否有人管理(是/否)")
    edit(tiny_dir, "organizations", "上级编号,所属区域编号", "上级 编号 ,Territory ID")
    model = load_dataset(tiny_dir)
    assert model.node("T-P121")["managed"] is False
    assert model.node("T-P111")["households"] == 320
    assert model.superior("O-C1") == "O-ST1"
    assert model.covered_territory("O-C1") == "T-C1"


def test_category_values_with_spaces_and_short_names(tiny_dir):
    edit(tiny_dir, "organizations", "O-G11,幸福社区第一网格党支部,网格党支部",
         "O-G11,幸福社区第一网格党支部,网格 党支部")
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部",
         "O-G12,幸福社区第二网格党支部,Grid Branch")
    edit(tiny_dir, "organizations", "O-C2,光明社区党委,社区党委", "O-C2,光明社区党委,社区党总支")
    edit(tiny_dir, "members", "M-3,李娜,O-P112,T-P112,,预备党员", "M-3,李娜,O-P112,T-P112,,预备")
    model = load_dataset(tiny_dir)
    kinds = model.frame("organizations").set_index("id")["kind"]
    assert (kinds["O-G11"], kinds["O-G12"], kinds["O-C2"]) == (
        "grid_branch", "grid_branch", "community_committee")
    status = model.frame("members").set_index("id")["status"]
    assert status["M-3"] == "probationary"


@pytest.mark.parametrize("text,value", [
    ("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False),
    ("1", True), ("0", False), ("TRUE", True), ("false", False), ("yes", True), ("No", False),
    ("１", True), ("有人管理", True), ("无人管理", False),
])
def test_yes_no_variants(text, value):
    assert parse_bool(text) is value


def test_member_status_short_names():
    assert MemberStatus.parse("流动") is MemberStatus.MOBILE
    assert MemberStatus.parse("正式") is MemberStatus.FORMAL


@pytest.mark.parametrize("name,table", [
    ("区域", "territories"), ("区域表", "territories"), ("01_区域", "territories"),
    ("党组织", "organizations"), ("组织机构", "organizations"),
    ("组织(organizations)", "organizations"), ("共建单位", "units"), ("单位清单", "units"),
    ("关系", "links"), ("联系表", "links"), ("党员信息", "members"), ("党员名册", "members"),
    ("任务", "tasks"), ("任务步骤", "task_steps"), ("Task Steps", "task_steps"),
    ("2 territories", "territories"), ("说明", None), ("notes", None),
])
def test_table_names(name, table):
    assert _table_for(name) == table


def test_workbook_with_chinese_sheet_names(tmp_path):
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "区域信息": [["编号", "名称", "类型", "上级编号", "是否有人管理"],
                 [1, "市", "县市", None, True], [2, "街道", "街道", 1, 1],
                 [3, "社区", "社区", 2, None], [4, "网格", "网格", 3, None],
                 [5, "小区", "小区", 4, 0]],
        "党组织": [["编号", "名称", "类型", "上级编号", "所属区域编号"],
                ["O1", "市委", "市委", None, 1], ["O2", "街道党工委", "街道党工委", "O1", 2],
                ["O3", "社区党委", "社区党委", "O2", 3], ["O4", "支部", "网格党支部", "O3", 4]],
        "填表说明": [["请按模板填写"]],
    }
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "city.xlsx")
    model = load_dataset(tmp_path / "city.xlsx")
    assert model.node("5")["managed"] is False
    assert model.superiors("O4") == ["O3", "O2", "O1"]


def test_exact_table_name_wins_over_a_decorated_one(tiny_dir):
    shutil.copy(tiny_dir / "territories.csv", tiny_dir / "territories_old.csv")
    model = load_dataset(tiny_dir)
    assert model.origins["territories"] == "territories.csv"


def test_duplicate_ids_are_reported_with_the_other_errors(tiny_dir):
    edit(tiny_dir, "platforms", "P-WT,", "U-2,")
    edit(tiny_dir, "links", "U-1,T-C1,共驻共建,2018,12", "U-1,T-C1,共建,2018,12")
    issues = _errors(tiny_dir)
    located = {(i.file, i.row, i.column) for i in issues}
    assert ("platforms.csv", 3, "编号") in located
    assert ("links.csv", 2, "关系类型") in located


def test_a_missing_required_column_does_not_hide_the_other_errors(tiny_dir):
    edit(tiny_dir, "territories", "编号,名称,类型", "编号,名称,种类")
    edit(tiny_dir, "territories", "T-C1,幸福社区,社区,T-ST1,3200,是", "T-C1,幸福社区,社区,T-ST1,很多,是")
    issues = _errors(tiny_dir)
    messages = {(i.file, i.row, i.column) for i in issues}
    assert ("territories.csv", None, "kind") in messages
    assert ("territories.csv", 4, "户数") in messages


def test_errors_of_a_file_come_together_in_row_order(tiny_dir):
    edit(tiny_dir, "territories", "T-C2,光明社区,社区,T-ST1,2800,是", "T-C2,光明社区,社区,T-ST1,2800,也许")
    edit(tiny_dir, "territories", "T-C1,幸福社区,社区,T-ST1,3200,是", "T-C1,幸福社区,社区X,T-ST1,3200,是")
    edit(tiny_dir, "links", "U-1,T-C1,共驻共建,2018,12", "U-1,T-C1,共建,2018,12")
    issues = _errors(tiny_dir)
    assert [i.file for i in issues] == ["territories.csv", "territories.csv", "links.csv"]
    assert [i.row for i in issues[:2]] == [4, 5]


def test_counts_written_with_their_unit(tiny_dir):
    edit(tiny_dir, "units", "U-3,和平小微科技有限公司,非公企业,无,2,", "U-3,和平小微科技有限公司,非公企业,无,3人,")
    model = load_dataset(tiny_dir)
    assert int(model.frame("units").set_index("id").loc["U-3", "party_members"]) == 3


def test_unknown_member_organization_is_a_warning(tiny_dir):
    edit(tiny_dir, "members", "M-4,刘洋,O-P121", "M-4,刘洋,O-NONE")
    model = load_dataset(tiny_dir)
    warning = next(w for w in model.warnings if w.file == "members.csv" and w.row == 5)
    assert (warning.file, warning.row, warning.column) == ("members.csv", 5, "组织编号")
    assert "member 'M-4'" in str(warning)  # a members row: named by its id, never a cell
    assert "刘洋" not in str(warning) and warning.value is None


def test_short_gbk_files_are_recognized():
    for text in ["编号,名称,类型\nT1,乡,乡镇\n", "id,kind\nx,村\n", "编号,状态\nM1,预备党员\n"]:
        assert decode_bytes(text.encode("gbk"), "f.csv") == (text, "gbk")


def test_excel_unicode_text_export_is_read(tiny_dir):
    # Excel's "Unicode text" (UTF-16, tab-separated, .txt) instead of CSV.
    path = tiny_dir / "territories.csv"
    text = path.read_bytes().decode("utf-8-sig" if path.read_bytes()[:3] == b"\xef\xbb\xbf"
                                    else "utf-8")
    path.unlink()
    (tiny_dir / "territories.txt").write_bytes(text.replace(",", "\t").encode("utf-16"))
    model = load_dataset(tiny_dir)
    assert model.parent_territory("T-G11") == "T-C1"
    assert model.node("T-P121")["managed"] is False
