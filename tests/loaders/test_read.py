"""Reading and validating the input contract: encodings, headers, every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphmodel.errors import InputError
from loaders import load_dataset
from loaders.sources import read_source
from loaders.validate import validate_tables

DATA = Path(__file__).parents[1] / "data"


def edit(folder: Path, table: str, old: str, new: str, *, encoding: str = "utf-8") -> None:
    """Replace text in a fixture CSV (keeping its encoding)."""
    path = folder / f"{table}.csv"
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    assert old in text, f"{old!r} not in {table}"
    data = text.replace(old, new).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def test_tiny_city_loads_clean(tiny_model):
    assert tiny_model.counts() == {"territories": 12, "organizations": 20, "units": 4,
                                   "platforms": 3, "links": 15, "resources": 4, "members": 10,
                                   "tasks": 5, "task_steps": 10}
    assert tiny_model.warnings == []
    assert tiny_model.node("T-G11")["level"] == 4
    assert tiny_model.node("O-C1")["kind"] == "community_committee"  # from 社区党委


def test_encodings_are_detected_from_bytes():
    tables = read_source(DATA / "tiny_city")
    assert tables["units"].encoding == "gbk"
    assert tables["organizations"].encoding == "utf-8-sig"
    assert tables["territories"].encoding == "utf-8"
    assert tables["units"].frame.loc[2, "名称"] == "市市场监督管理局"


def test_excel_twin_gives_the_same_frames():
    csv_frames = validate_tables(read_source(DATA / "tiny_city"))
    xlsx_frames = validate_tables(read_source(DATA / "tiny_city.xlsx"))
    assert csv_frames.keys() == xlsx_frames.keys()
    for name, frame in csv_frames.items():
        pd.testing.assert_frame_equal(frame, xlsx_frames[name], check_dtype=False, obj=name)


def test_english_headers_and_values(tmp_path):
    (tmp_path / "territories.csv").write_text(
        "ID,Name,KIND,Parent ID\nT1,City,city,\nT2,Street,STREET,T1\nT3,Grid,grid,T2\n",
        encoding="utf-8")
    (tmp_path / "organizations.csv").write_text(
        "id,name,kind,parent_id,territory_id,unit_id\n"
        "O1,Committee,city_committee,,T1,\nO2,SWC,street_working_committee,O1,T2,\n",
        encoding="utf-8")
    model = load_dataset(tmp_path)
    assert model.node("T2")["kind"] == "street"
    assert model.superiors("O2") == ["O1"]


def test_fullwidth_and_spaced_headers(tiny_dir):
    edit(tiny_dir, "territories", "编号,名称,类型", "编号 ,名称,类型")
    edit(tiny_dir, "tasks", "编号,标题", "ＩＤ,标题")
    model = load_dataset(tiny_dir)
    assert "K-1" in set(model.frame("tasks")["id"])


def _single_error(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_dataset(folder)
    return info.value


def test_missing_required_file(tiny_dir):
    (tiny_dir / "organizations.csv").unlink()
    err = _single_error(tiny_dir)
    assert err.issues[0].file == "organizations.csv"
    assert "required table" in err.issues[0].message


def test_missing_required_column(tiny_dir):
    edit(tiny_dir, "units", "编号,名称,类型,", "编号,名称,分类,", encoding="gbk")
    err = _single_error(tiny_dir)
    issue = err.issues[0]
    assert (issue.file, issue.column) == ("units.csv", "kind")
    assert "分类" in (issue.hint or "")


def test_duplicate_id_across_files(tiny_dir):
    edit(tiny_dir, "platforms", "P-WT,", "U-2,")
    err = _single_error(tiny_dir)
    issue = err.issues[0]
    assert (issue.file, issue.row, issue.column, issue.value) == ("platforms.csv", 3, "编号", "U-2")
    assert "units.csv row 3" in issue.hint


def test_unknown_category_suggests_closest(tiny_dir):
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部",
         "O-G12,幸福社区第二网格党支部,网格党支布")
    err = _single_error(tiny_dir)
    issue = err.issues[0]
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "organizations.csv", 7, "类型", "网格党支布")
    assert "网格党支部" in issue.hint
    assert "organizations.csv, row 7, column '类型'" in str(err)


def test_wrong_number(tiny_dir):
    edit(tiny_dir, "territories", "T-C1,幸福社区,社区,T-ST1,3200", "T-C1,幸福社区,社区,T-ST1,三千二")
    issue = _single_error(tiny_dir).issues[0]
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "territories.csv", 4, "户数", "三千二")


def test_bad_date(tiny_dir):
    edit(tiny_dir, "tasks", "2026-04-02", "2026-13-45")
    issue = _single_error(tiny_dir).issues[0]
    assert (issue.file, issue.row, issue.column) == ("tasks.csv", 4, "创建时间")
    assert "not a date" in issue.message


def test_undecodable_file(tiny_dir):
    (tiny_dir / "members.csv").write_bytes(b"\x00\x01\xff\xfe\x80" * 50)
    issue = _single_error(tiny_dir).issues[0]
    assert issue.file == "members.csv"
    assert "decode" in issue.message


def test_all_errors_of_a_file_together(tiny_dir):
    edit(tiny_dir, "links", "U-1,T-C1,共驻共建,2018,12", "U-1,T-C1,共建,2018,十二")
    edit(tiny_dir, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85", "O-C2,P-WT,平台成员,2020,,,,,1.85x")
    err = _single_error(tiny_dir)
    located = {(i.row, i.column) for i in err.issues}
    assert {(2, "关系类型"), (2, "年会议次数"), (12, "出勤率")} <= located


def test_empty_id_is_an_error(tiny_dir):
    edit(tiny_dir, "members", "M-3,李娜", ",李娜")
    issue = _single_error(tiny_dir).issues[0]
    assert (issue.file, issue.row, issue.column) == ("members.csv", 4, "编号")


def test_dangling_references_warn_and_still_load(tiny_dir):
    edit(tiny_dir, "organizations", "O-G21,光明社区第一网格党支部,网格党支部,O-C2",
         "O-G21,光明社区第一网格党支部,网格党支部,O-NOPE")
    model = load_dataset(tiny_dir)
    warning = next(w for w in model.warnings if w.value == "O-NOPE")
    assert (warning.file, warning.row, warning.column) == ("organizations.csv", 8, "上级编号")
    assert model.superior("O-G21") is None
    assert model.frame("organizations").set_index("id").loc["O-G21", "chain_status"] == "dangling"


def test_parent_cycle_warns_and_still_loads(tiny_dir):
    edit(tiny_dir, "organizations", "O-C1,幸福社区党委,社区党委,O-ST1",
         "O-C1,幸福社区党委,社区党委,O-G11")
    model = load_dataset(tiny_dir)
    assert any("cycle" in w.message for w in model.warnings)
    chains = model.frame("organizations").set_index("id")
    assert chains.loc["O-C1", "chain_status"] == "cycle"
    assert chains.loc["O-P111", "chain_status"] == "cycle"
    assert list(chains.loc["O-C1", "chain_path"]) == ["O-C1", "O-G11", "O-C1"]


def test_percent_rates_and_chinese_dates(tiny_dir):
    edit(tiny_dir, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85", "O-C2,P-WT,平台成员,2020年,,,,,85%")
    edit(tiny_dir, "tasks", "2026-04-02", "2026年4月2日")
    model = load_dataset(tiny_dir)
    links = model.frame("links")
    assert links.loc[12, "attendance_rate"] == pytest.approx(0.85)
    assert links.loc[12, "since"] == 2020
    assert model.frame("tasks").loc[4, "created"] == pd.Timestamp("2026-04-02")


def test_times_with_a_zone_become_china_standard_time(tiny_dir, tmp_path):
    """A column may mix times with and without a zone: zoned ones are converted to UTC+8, the
    others read as given; the database holds the same wall-clock times."""
    from loaders.ladybug import write_ladybug

    edit(tiny_dir, "task_steps", "K-1,2,O-G11,,办结,2026-03-04",
         "K-1,2,O-G11,,办结,2026-03-04T10:00:00+08:00")
    edit(tiny_dir, "task_steps", "K-1,1,O-C1,O-G11,转办,2026-03-02",
         "K-1,1,O-C1,O-G11,转办,2026-03-02T09:00:00Z")
    model = load_dataset(tiny_dir)
    steps = model.frame("task_steps")
    at = dict(zip(steps["task_id"] + "/" + steps["step"].astype(str), steps["at"], strict=True))
    assert at["K-1/2"] == pd.Timestamp("2026-03-04 10:00")
    assert at["K-1/1"] == pd.Timestamp("2026-03-02 17:00")
    assert at["K-2/1"] == pd.Timestamp("2026-03-05")  # no zone: as written
    write_ladybug(model, tmp_path / "zoned.lbdb")  # no crash on the converted column


def test_a_tie_to_itself_is_left_out_with_a_warning(tiny_dir):
    edit(tiny_dir, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85", "O-C2,O-C2,平台成员,2020,,,,,0.85")
    model = load_dataset(tiny_dir)
    [warning] = [w for w in model.warnings if "itself" in w.message]
    assert (warning.file, warning.row, warning.value) == ("links.csv", 12, "O-C2")
    links = model.frame("links")
    assert 12 not in links.index and len(links) > 0
    assert not model.G.has_edge("O-C2", "O-C2")


@pytest.mark.parametrize("seed", range(6))
def test_generated_gbk_files_are_read_as_gbk(tmp_path, seed):
    """Mostly-ASCII GBK files with short Chinese names (members.csv) were once taken for
    another code page and refused; every generated file must decode as GBK."""
    from loaders.sources import decode_bytes
    from synthetic import write_dataset

    write_dataset(tmp_path, seed=seed, encoding="gbk")  # English headers: mostly ASCII
    for path in sorted(tmp_path.glob("*.csv")):
        data = path.read_bytes()
        expected = "gbk" if not data.isascii() else "utf-8"  # ASCII is UTF-8 too
        assert decode_bytes(data, path.name) == (data.decode("gbk"), expected), path.name


@pytest.mark.parametrize("seed", range(40))
def test_utf8_chinese_with_a_broken_byte_is_not_taken_for_gbk(seed):
    """GB18030 decodes almost anything: a UTF-8 file with one bad byte must be refused (or
    read as UTF-8), never turned into mojibake."""
    import random

    from loaders.sources import decode_bytes

    data = bytearray((DATA / "tiny_city" / "territories.csv").read_bytes())
    rng = random.Random(seed)
    at = rng.randrange(len(data))
    data[at:at + 1] = bytes([rng.randrange(0x80, 0x100)])
    try:
        _, encoding = decode_bytes(bytes(data), "territories.csv")
    except InputError:
        return
    assert encoding != "gbk"
