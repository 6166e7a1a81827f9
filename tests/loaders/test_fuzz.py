"""Property test: random corruption of valid files never ends in a traceback and never leaves
a partial database."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"
FILES = sorted(p.name for p in TINY.glob("*.csv"))

corruption = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(["replace_bytes", "truncate", "drop_line", "swap_cells", "garbage_line",
                     "empty"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(min_size=1, max_size=8),
)


def corrupt(path: Path, how: str, position: int, noise: bytes) -> None:
    data = path.read_bytes()
    at = position % max(len(data), 1)
    if how == "replace_bytes":
        data = data[:at] + noise + data[at + len(noise):]
    elif how == "truncate":
        data = data[:at]
    elif how == "empty":
        data = b""
    else:
        lines = data.split(b"\n")
        i = position % len(lines)
        if how == "drop_line":
            del lines[i]
        elif how == "garbage_line":
            lines.insert(i, noise + b",,," + noise)
        else:
            cells = lines[i].split(b",")
            cells.reverse()
            lines[i] = b",".join(cells)
        data = b"\n".join(lines)
    path.write_bytes(data)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(corruption, min_size=1, max_size=3))
def test_corrupted_input_never_crashes_or_half_writes(tmp_path_factory, corruptions):
    work = tmp_path_factory.mktemp("fuzz")
    data = work / "data"
    shutil.copytree(TINY, data)
    db = work / "out" / "org.lbdb"
    db.parent.mkdir()
    db.write_bytes(b"previous database")
    for name, how, position, noise in corruptions:
        corrupt(data / name, how, position, noise)
    code = main(["load", str(data), "--db", str(db)])
    assert code in {0, 1, 2}
    leftovers = sorted(p.name for p in db.parent.iterdir())
    assert leftovers == ["org.lbdb"], leftovers
    if code == 2:
        assert db.read_bytes() == b"previous database"
    else:
        assert db.read_bytes() != b"previous database"


# -- headers and workbooks ------------------------------------------------------------------

HEADER_WORDS = ["编号", "名称", "类型", "上级编号", "id", "name", "kind", "parent_id", "状态",
                "姓名", "户数", "", " ", "[/x]", "[bold red]", "\x1b]0;t\x07", "编号(必填)",
                "ＩＤ", "\ufeff编号", "a" * 300, "名称,", '"', "\\"]
header = st.lists(st.one_of(st.sampled_from(HEADER_WORDS), st.text(max_size=12)),
                  min_size=0, max_size=12)


def _check_run(capsys, argv: list[str], db: Path) -> None:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    assert code in {0, 1, 2}
    assert "Traceback" not in captured.err
    assert "\x1b" not in captured.out + captured.err
    leftovers = sorted(p.name for p in db.parent.iterdir())
    assert leftovers in (["org.lbdb"], []), leftovers


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FILES), header)
def test_any_header_never_crashes(tmp_path_factory, capsys, name, cells):
    work = tmp_path_factory.mktemp("hfuzz")
    data = work / "data"
    shutil.copytree(TINY, data)
    path = data / name
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    body = text.splitlines()[1:]
    line = ",".join('"' + c.replace('"', '""') + '"' if ("," in c or '"' in c) else c
                    for c in cells)
    path.write_text("\n".join([line, *body]) + "\n", encoding="utf-8")
    db = work / "out" / "org.lbdb"
    db.parent.mkdir()
    _check_run(capsys, ["load", str(data), "--db", str(db)], db)


# Where a stray value goes: inside the table's reach (loads), or far away (refused).
PLACES = [(3, 3), (60, 40), (500, 12), (0, 999), (0, 1_000), (1_048_575, 16_383),
          (200_000, 200), (1_048_575, 0)]


def _workbook(path: Path, headers: dict[str, list[str]], far: tuple[str, int, int] | None
              ) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for file in FILES:
        table = file.removesuffix(".csv")
        raw = (TINY / file).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        rows = list(csv.reader(io.StringIO(text)))
        if table in headers:
            rows[0] = headers[table]
        sheet = book.add_worksheet(table)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        if far is not None and far[0] == table:
            sheet.write(far[1], far[2], "far")
    book.close()


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([f.removesuffix(".csv") for f in FILES]), header,
                       max_size=2),
       st.one_of(st.none(), st.tuples(st.sampled_from([f.removesuffix(".csv") for f in FILES]),
                                      st.sampled_from(PLACES)).map(lambda t: (t[0], *t[1]))))
def test_any_workbook_never_crashes(tmp_path_factory, capsys, headers, far):
    work = tmp_path_factory.mktemp("xfuzz")
    book = work / "city.xlsx"
    _workbook(book, headers, far)
    db = work / "out" / "org.lbdb"
    db.parent.mkdir()
    _check_run(capsys, ["load", str(book), "--db", str(db)], db)
