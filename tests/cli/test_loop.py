"""The loop end to end: worklists written and read back, findings over time (--baseline) with a
findings JSON and with a returned worklist, on generated cities whose planted problems change."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graphmodel.checks import QUESTION_ZH
from graphmodel.index import model_index
from graphmodel.places import count_by_place, place_of
from loaders import load_dataset
from orgnet.cli import main
from synthetic import PlantRates, ScaleSpec, write_dataset
from visualizations.worklist import COLUMNS, FILL_COLUMNS, HIDDEN_COLUMNS, SUMMARY_SHEET

MINI = ScaleSpec("mini", 1, 2, 1, 18, (2, 2), (2, 2), 2, 90, 300, 100)
CHANGED = {"weak_tie": 0.0, "ping_pong": 0.1}  # weak ties removed, more ping-pong added
WANT = [*COLUMNS, *FILL_COLUMNS, *HIDDEN_COLUMNS]


def _keys(folder: Path) -> set[tuple[str, str]]:
    key = json.loads((folder / "answer_key.json").read_text(encoding="utf-8"))
    return {(check, subject) for check, subjects in key.items() for subject in subjects}


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> dict[str, Path]:
    """Round A (default plant rates) diagnosed, and round B: the same city with some planted
    problems removed and others added."""
    root = tmp_path_factory.mktemp("loop")
    write_dataset(root / "a", scale=MINI, seed=7)
    write_dataset(root / "b", scale=MINI, seed=7, rates=PlantRates().with_rates(CHANGED))
    assert main(["diagnose", str(root / "a"), "--json", str(root / "a.json")]) == 1
    return {"root": root, "a": root / "a", "b": root / "b", "a.json": root / "a.json"}


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    book = load_workbook(path, read_only=True)
    values = list(book[sheet].iter_rows(values_only=True))
    header = list(values[1])
    return [dict(zip(header, row, strict=False)) for row in values[2:] if any(row)]


def _all_rows(path: Path) -> list[dict[str, object]]:
    return [r for q in QUESTION_ZH.values() for r in _rows(path, q)]


def test_worklists_by_street(rounds: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "wl"
    assert main(["worklist", str(rounds["a"]), "--findings", str(rounds["a.json"]), "--out",
                 str(out), "--split", "street"]) == 0
    result = json.loads(rounds["a.json"].read_text(encoding="utf-8"))
    model = load_dataset(rounds["a"])
    index = model_index(model)
    whole = out / "问题清单.xlsx"
    book = load_workbook(whole)
    assert book.sheetnames == [SUMMARY_SHEET, *QUESTION_ZH.values()]
    sheet = book["覆盖盲区"]
    assert [c.value for c in sheet[2]] == WANT
    assert sheet.freeze_panes == "C3" and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    state = WANT.index("整改情况")
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"未整改,整改中,已整改"'
    assert str(lists[0].sqref).startswith(f"{sheet.cell(3, state + 1).coordinate}:")
    code_col = sheet.cell(2, WANT.index("检查代码") + 1).column_letter
    assert sheet.column_dimensions[code_col].hidden
    rows = _all_rows(whole)
    assert len(rows) == len(result["findings"])
    assert {(r["检查代码"], r["对象编号"]) for r in rows} == {
        (f["check"], f["subject"]) for f in result["findings"]}
    ranks = {"高": 0, "中": 1, "低": 2}
    for question in QUESTION_ZH.values():
        severities = [ranks[str(r["严重程度"])] for r in _rows(whole, question)]
        assert severities == sorted(severities)
    counts = count_by_place(result["findings"], index)
    streets = [p for p in out.glob("问题清单_*.xlsx") if "不属于" not in p.name]
    assert len(streets) == len(counts.by_street)
    total = 0
    for path in streets:
        street = path.stem.rsplit("_", 1)[1]
        mine = {(f["check"], f["subject"]) for f in result["findings"]
                if place_of(f, index).street_id == street}
        got = {(str(r["检查代码"]), str(r["对象编号"])) for r in _all_rows(path)}
        assert got == mine and len(got) == counts.by_street[street]  # rule 12
        assert {r["街道"] for r in _all_rows(path)} == {model.name(street)}
        total += len(got)
    nowhere = out / "问题清单_不属于街道.xlsx"
    if counts.nowhere:
        total += len(_all_rows(nowhere))
    assert total == len(result["findings"])
    # the summary's community table adds up to the street's findings
    summary = load_workbook(streets[0])[SUMMARY_SHEET]
    text = [[c.value for c in row] for row in summary.iter_rows()]
    start = next(i for i, r in enumerate(text) if r[0] == "按社区") + 2
    by_community = []
    for r in text[start:]:
        if r[0] is None:
            break
        by_community.append(r[2])
    assert sum(by_community) == len(_all_rows(streets[0]))


def test_no_member_names_unless_asked(rounds: dict[str, Path], tmp_path: Path) -> None:
    model = load_dataset(rounds["a"])
    names = {n for n in model.frames["members"]["name"] if isinstance(n, str) and len(n) >= 2}
    member_rows = {"member_without_org", "cadre_low_contact"}
    out = tmp_path / "hidden"
    assert main(["worklist", str(rounds["a"]), "--findings", str(rounds["a.json"]), "--out",
                 str(out)]) == 0
    cells = [str(v) for r in _all_rows(out / "问题清单.xlsx") for v in r.values() if v]
    assert cells and not any(name in cell for cell in cells for name in names
                             if len(name) >= 3 or cell == name)
    shown = tmp_path / "shown"
    assert main(["worklist", str(rounds["a"]), "--findings", str(rounds["a.json"]), "--out",
                 str(shown), "--show-names"]) == 0
    rows = [r for r in _all_rows(shown / "问题清单.xlsx") if r["检查代码"] in member_rows]
    assert rows and any(str(r["对象名称"]).split("（")[0] in names for r in rows)


def test_baseline_from_findings_json(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Exactly the removed problems resolved, the added ones new, the rest persisting."""
    out = tmp_path / "b.json"
    assert main(["diagnose", str(rounds["b"]), "--baseline", str(rounds["a.json"]),
                 "--json", str(out)]) == 1
    a = json.loads(rounds["a.json"].read_text(encoding="utf-8"))
    b = json.loads(out.read_text(encoding="utf-8"))
    key_a, key_b = _keys(rounds["a"]), _keys(rounds["b"])
    assert {(f["check"], f["subject"]) for f in a["findings"]} == key_a  # diagnosis is exact
    assert key_a - key_b and key_b - key_a  # the change removed some and added others
    new = {(f["check"], f["subject"]) for f in b["findings"] if f["status"] == "new"}
    persisting = {(f["check"], f["subject"]) for f in b["findings"]
                  if f["status"] == "persisting"}
    resolved = {(f["check"], f["subject"]) for f in b["baseline"]["resolved"]}
    assert new == key_b - key_a
    assert resolved == key_a - key_b
    assert persisting == key_a & key_b
    assert b["baseline"]["generated_at"] == a["generated_at"]
    assert b["baseline"]["new"] == len(new) and b["baseline"]["persisting"] == len(persisting)
    assert all(f["since"] == a["generated_at"] for f in b["findings"]
               if f["status"] == "persisting")
    assert all(f["since"] == b["generated_at"] for f in b["findings"] if f["status"] == "new")
    first = next(f for f in b["baseline"]["resolved"])
    assert {"check", "subject", "question", "severity", "message"} <= set(first)
    for field in ("orgnet_version", "settings", "dataset", "metrics"):  # nothing else changes
        assert field in b


def test_baseline_from_a_returned_worklist(rounds: dict[str, Path], tmp_path: Path) -> None:
    """A row marked 已整改 whose problem is still planted shows as 整改未见效; one whose problem
    is gone is simply resolved."""
    out = tmp_path / "wl"
    assert main(["worklist", str(rounds["a"]), "--findings", str(rounds["a.json"]), "--out",
                 str(out)]) == 0
    key_a, key_b = _keys(rounds["a"]), _keys(rounds["b"])
    path = out / "问题清单.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl notes the extensions it does not keep
        book = load_workbook(path)
    claimed: dict[str, tuple[str, str]] = {}
    for question in QUESTION_ZH.values():
        sheet = book[question]
        header = [c.value for c in sheet[2]]
        col = {name: i + 1 for i, name in enumerate(header)}
        for r in range(3, sheet.max_row + 1):
            pair = (sheet.cell(r, col["检查代码"]).value, sheet.cell(r, col["对象编号"]).value)
            still = pair in key_b
            if ("present" if still else "gone") in claimed:
                continue
            sheet.cell(r, col["整改情况"]).value = "已整改"
            sheet.cell(r, col["整改措施"]).value = "已落实"
            claimed["present" if still else "gone"] = pair
    assert set(claimed) == {"present", "gone"}
    returned = tmp_path / "returned.xlsx"
    book.save(returned)
    result_path = tmp_path / "b.json"
    assert main(["diagnose", str(rounds["b"]), "--baseline", str(returned), "--json",
                 str(result_path)]) == 1
    b = json.loads(result_path.read_text(encoding="utf-8"))
    a = json.loads(rounds["a.json"].read_text(encoding="utf-8"))
    assert b["baseline"]["source"] == "worklist"
    assert b["baseline"]["generated_at"] == a["generated_at"]
    assert [(f["check"], f["subject"]) for f in b["baseline"]["claimed_but_present"]] == [
        claimed["present"]]
    assert claimed["gone"] in {(f["check"], f["subject"]) for f in b["baseline"]["resolved"]}
    assert {(f["check"], f["subject"]) for f in b["findings"] if f["status"] == "new"} == \
        key_b - key_a
    # the next worklist shows it
    out_b = tmp_path / "wl_b"
    assert main(["worklist", str(rounds["b"]), "--findings", str(result_path), "--out",
                 str(out_b)]) == 0
    rows = _all_rows(out_b / "问题清单.xlsx")
    flagged = [(r["检查代码"], r["对象编号"]) for r in rows
               if str(r.get("整改跟踪", "")).startswith("整改未见效")]
    assert flagged == [claimed["present"]]
    resolved_rows = _rows(out_b / "问题清单.xlsx", "已解决")
    assert len(resolved_rows) == len(b["baseline"]["resolved"])


def test_bad_baseline_file_is_an_input_error(rounds: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["diagnose", str(rounds["a"]), "--baseline", str(bad)]) == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_worklist_converts_to_pdf(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "wl"
    assert main(["worklist", str(tiny_dir), "--out", str(out)]) == 0
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: no lock with another run
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "问题清单.xlsx")], check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "问题清单.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") >= 4


def test_report_shows_rectification_progress(rounds: dict[str, Path], tmp_path: Path) -> None:
    from graphmodel.baseline import compare_findings, progress_by_street
    from visualizations.rectification import rectification_section

    out = tmp_path / "report"
    assert main(["report", str(rounds["b"]), "--baseline", str(rounds["a.json"]), "--out",
                 str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    key_a, key_b = _keys(rounds["a"]), _keys(rounds["b"])
    assert 'id="rectification"' in html and "各街道/乡镇整改进展" in html
    assert f"新发现 <b>{len(key_b - key_a)}</b>" in html
    assert f"已解决 <b>{len(key_a - key_b)}</b>" in html
    model = load_dataset(rounds["b"])
    a = json.loads(rounds["a.json"].read_text(encoding="utf-8"))
    current = {"generated_at": "later", "findings": [
        {"check": c, "subject": s, "question": "coverage", "severity": "high"}
        for c, s in sorted(key_b)]}
    compared = compare_findings(current, a)
    section = rectification_section(model, compared)
    assert section is not None
    by_street = {p["street"] or "": p for p in progress_by_street(compared, model_index(model))}
    for row in section["rows"]:  # the report counts by the same rule 12 as the terminal
        expected = by_street[row["id"]]
        assert [row[k] for k in ("new", "persisting", "resolved")] == [
            expected[k] for k in ("new", "persisting", "resolved")]
    street = next(r["id"] for r in section["rows"] if r["id"])
    scoped = rectification_section(model, compared, street)
    assert scoped is not None
    assert sum(r["new"] for r in scoped["rows"]) == by_street[street]["new"]
    assert rectification_section(model, a) is None


def test_baseline_from_every_street_returned_worklist(rounds: dict[str, Path],
                                                      tmp_path: Path) -> None:
    """The streets' own worklists, each sent back, together make the baseline."""
    out = tmp_path / "wl"
    assert main(["worklist", str(rounds["a"]), "--findings", str(rounds["a.json"]), "--out",
                 str(out), "--split", "street"]) == 0
    key_a, key_b = _keys(rounds["a"]), _keys(rounds["b"])
    returned = [p for p in sorted(out.glob("问题清单_*.xlsx"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(returned[0])
    claim = None
    for question in QUESTION_ZH.values():
        sheet = book[question]
        header = [c.value for c in sheet[2]]
        col = {name: i + 1 for i, name in enumerate(header)}
        for r in range(3, sheet.max_row + 1):
            pair = (sheet.cell(r, col["检查代码"]).value, sheet.cell(r, col["对象编号"]).value)
            if claim is None and pair in key_b:
                sheet.cell(r, col["整改情况"]).value = "已整改"
                claim = pair
    assert claim is not None
    book.save(returned[0])
    args = [a for path in returned for a in ("--baseline", str(path))]
    result_path = tmp_path / "b.json"
    assert main(["diagnose", str(rounds["b"]), *args, "--json", str(result_path)]) == 1
    b = json.loads(result_path.read_text(encoding="utf-8"))
    assert {(f["check"], f["subject"]) for f in b["baseline"]["resolved"]} == key_a - key_b
    assert [(f["check"], f["subject"]) for f in b["baseline"]["claimed_but_present"]] == [claim]


def test_template_command(tiny_dir: Path, tmp_path: Path) -> None:
    from graphmodel.schema import TABLES

    empty = tmp_path / "台账模板.xlsx"
    assert main(["template", "--out", str(empty)]) == 0
    assert load_workbook(empty).sheetnames[0] == "填写说明"
    street = tmp_path / "和平街道.xlsx"
    assert main(["template", str(tiny_dir), "--scope", "T-ST1", "--example", "--out",
                 str(street)]) == 0
    model = load_dataset(street)  # pre-filled rows and examples load together
    ids = set(model.frames["territories"]["id"])
    assert {"T-CITY", "T-ST1", "EX-T-CITY"} <= ids
    assert model.frames["members"]["id"].tolist() == ["EX-M-1"]
    full = tmp_path / "全部.xlsx"
    assert main(["template", str(tiny_dir), "--out", str(full)]) == 0
    members = load_dataset(full).frames["members"]
    source = load_dataset(tiny_dir)
    assert len(members) == len(source.frames["members"]) and members["name"].isna().all()
    assert len(load_dataset(full).frames["links"]) == len(source.frames["links"])
    assert main(["template", str(tiny_dir), "--scope", "T-NOPE", "--out", str(full)]) == 2
    assert set(TABLES) == {t for t in source.frames}


@pytest.mark.slow
def test_baseline_with_generate_rate_at_small_scale(tmp_path: Path) -> None:
    """The loop as a user runs it: orgnet generate, then generate --rate (same seed)."""
    assert main(["generate", "--out", str(tmp_path / "a"), "--seed", "2"]) == 0
    assert main(["generate", "--out", str(tmp_path / "b"), "--seed", "2", "--rate",
                 "weak_tie=0", "--rate", "ping_pong=0.05"]) == 0
    assert main(["diagnose", str(tmp_path / "a"), "--json", str(tmp_path / "a.json")]) == 1
    assert main(["diagnose", str(tmp_path / "b"), "--baseline", str(tmp_path / "a.json"),
                 "--json", str(tmp_path / "b.json")]) == 1
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    key_a, key_b = _keys(tmp_path / "a"), _keys(tmp_path / "b")
    assert {(f["check"], f["subject"]) for f in b["baseline"]["resolved"]} == key_a - key_b
    assert {(f["check"], f["subject"]) for f in b["findings"] if f["status"] == "new"} == \
        key_b - key_a
    assert not any(c == "weak_tie" for c, _ in key_b)
