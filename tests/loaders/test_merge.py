"""Several sources in one load: shared rows taken once, conflicts named with both places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphmodel.errors import InputError
from graphmodel.model import OrgModel
from loaders import load_dataset
from loaders.template import write_template
from orgnet.cli import main

CITY_ROWS = {"territories": {"T-CITY"}}


def _split(model: OrgModel, shared: dict[str, set[str]]) -> tuple[dict, dict]:
    """The tiny city's rows in two street workbooks: alternate rows to each, the city's own
    rows and ``shared`` ids (by table) in both."""
    city_orgs = {o for o, t in zip(model.frames["organizations"]["id"],
                                   model.frames["organizations"]["territory_id"], strict=True)
                 if t == "T-CITY"}
    both = {"territories": {"T-CITY"}, "organizations": city_orgs}
    for table, ids in shared.items():
        both[table] = both.get(table, set()) | ids
    a, b = {}, {}
    for table, frame in model.frames.items():
        if frame.empty:
            continue
        key = "id" if "id" in frame.columns else None
        in_both = frame[key].isin(both.get(table, set())) if key else pd.Series(
            False, index=frame.index)
        alternate = pd.Series([i % 2 == 0 for i in range(len(frame))], index=frame.index)
        a[table] = frame[in_both | alternate]
        b[table] = frame[in_both | ~alternate]
    return a, b


def _rows(model: OrgModel) -> dict[str, list[tuple]]:
    out = {}
    for table, frame in model.frames.items():
        cols = [c for c in frame.columns if c in _columns(table)]
        records = [tuple("" if pd.isna(v) else str(v) for v in row)
                   for row in frame[cols].itertuples(index=False)]
        out[table] = sorted(records)
    return out


def _columns(table: str) -> list[str]:
    from graphmodel.schema import TABLES

    return [c.name for c in TABLES[table].columns]


def test_two_street_workbooks_with_a_shared_city_row(tiny_model: OrgModel, tmp_path: Path
                                                     ) -> None:
    unit = tiny_model.frames["units"]["id"].iloc[0]
    a, b = _split(tiny_model, {"units": {unit}})
    write_template(tmp_path / "A街道.xlsx", a)
    write_template(tmp_path / "B街道.xlsx", b)
    merged = load_dataset([tmp_path / "A街道.xlsx", tmp_path / "B街道.xlsx"])
    assert merged.counts() == tiny_model.counts()
    assert _rows(merged) == _rows(tiny_model)
    assert len(merged.warnings) == len(tiny_model.warnings)
    for warning in merged.warnings:  # each names the workbook and sheet its row is in
        assert warning.file.startswith(("A街道.xlsx[", "B街道.xlsx[")), warning
        assert "+" not in warning.file or warning.row is None


def test_a_row_missing_from_one_source_is_kept(tiny_model: OrgModel, tmp_path: Path) -> None:
    a, b = _split(tiny_model, {})
    only_a = set(a["territories"]["id"]) - set(b["territories"]["id"])
    assert only_a
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    merged = load_dataset([tmp_path / "A.xlsx", tmp_path / "B.xlsx"])
    assert only_a <= set(merged.frames["territories"]["id"])


def test_conflicting_id_names_both_files_and_rows(tiny_model: OrgModel, tmp_path: Path) -> None:
    a, b = _split(tiny_model, {})
    b["territories"] = b["territories"].copy()
    city = b["territories"]["id"] == "T-CITY"
    b["territories"].loc[city, "name"] = "另一个市"
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    with pytest.raises(InputError) as err:
        load_dataset([tmp_path / "A.xlsx", tmp_path / "B.xlsx"])
    (issue,) = err.value.issues
    row_a = 2 + list(a["territories"]["id"]).index("T-CITY")
    row_b = 2 + list(b["territories"]["id"]).index("T-CITY")
    assert issue.file == "B.xlsx[区域]" and issue.row == row_b and issue.column == "名称"
    assert issue.value == "另一个市"
    assert f"A.xlsx[区域] row {row_a}" in issue.message
    assert tiny_model.name("T-CITY") in issue.message


def test_same_id_in_two_tables_of_two_sources(tiny_model: OrgModel, tmp_path: Path) -> None:
    a, b = _split(tiny_model, {})
    b["units"] = b["units"].copy()
    b["units"].iloc[0, b["units"].columns.get_loc("id")] = "T-ST1"
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    with pytest.raises(InputError) as err:
        load_dataset([tmp_path / "A.xlsx", tmp_path / "B.xlsx"])
    messages = [str(i) for i in err.value.issues]
    assert any("duplicate id" in m and "T-ST1" in m and ".xlsx[区域] row" in m
               for m in messages), messages


def test_errors_of_a_folder_name_the_folder(tiny_dir: Path, tmp_path: Path) -> None:
    from tests.helpers import edit

    edit(tiny_dir, "territories", "T-ST1,和平街道,街道", "T-ST1,和平街道,外星")
    write_template(tmp_path / "B.xlsx")
    with pytest.raises(InputError) as err:
        load_dataset([tiny_dir, tmp_path / "B.xlsx"])
    assert err.value.issues[0].file == "tiny_city/territories.csv"


def test_cli_load_several_sources(tiny_model: OrgModel, tmp_path: Path) -> None:
    a, b = _split(tiny_model, {})
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    db = tmp_path / "m.lbdb"
    code = main(["load", str(tmp_path / "A.xlsx"), str(tmp_path / "B.xlsx"), "--db", str(db),
                 "--data-only"])
    assert code in (0, 1) and db.exists()


@pytest.mark.slow
def test_cli_diagnose_several_sources_gives_the_same_findings(tmp_path: Path) -> None:
    """A generated city split into two street workbooks (city rows and a unit in both)
    diagnoses exactly as its CSV folder."""
    import json

    from synthetic import ScaleSpec, write_dataset

    write_dataset(tmp_path / "csv", scale=ScaleSpec("mini", 1, 2, 1, 18, (2, 2), (2, 2), 2,
                                                    90, 300, 100), seed=4)
    model = load_dataset(tmp_path / "csv")
    unit = model.frames["units"]["id"].iloc[-1]
    a, b = _split(model, {"units": {unit}})
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    main(["diagnose", str(tmp_path / "csv"), "--json", str(tmp_path / "one.json")])
    main(["diagnose", str(tmp_path / "A.xlsx"), str(tmp_path / "B.xlsx"), "--json",
          str(tmp_path / "two.json")])
    one = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    two = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    assert len(one["findings"]) > 10

    def same(findings: list[dict]) -> list[dict]:  # a tie's rid numbers the merged rows
        return [{**f, "detail": {k: v for k, v in f["detail"].items() if k != "rid"}}
                for f in findings]

    assert same(two["findings"]) == same(one["findings"])
    assert two["dataset"] == one["dataset"]


def test_a_table_of_one_source_keeps_its_rows(tiny_model: OrgModel, tmp_path: Path) -> None:
    a, b = _split(tiny_model, {})
    b.pop("members")
    write_template(tmp_path / "A.xlsx", a)
    write_template(tmp_path / "B.xlsx", b)
    merged = load_dataset([tmp_path / "A.xlsx", tmp_path / "B.xlsx"])
    assert merged.frames["members"].index.tolist() == list(range(2, len(a["members"]) + 2))
    assert merged.origins["members"] == "A.xlsx[党员]"
