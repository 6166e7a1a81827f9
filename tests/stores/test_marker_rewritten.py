"""A diagnosis that derives again on a store records what it derived (the store's OrgnetMeta
record: derived, the settings, the orgnet version), so the next one uses it; never after an
error or Ctrl-C, a partial derivation, or a derivation on the scratch copy of a read-only
file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import orgnet.cmd_core
from orgnet.cli import main
from orgnet.pipeline import settings_record
from stores._marker import STEPS, RecordsDerived, read_marker
from stores.ladybug import LadybugStore
from stores.neo4j.push import META_PRUNE_STATEMENT, META_STATEMENT
from tests.stores.test_neo4j_store import FakeDriver, fake_store

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"
DERIVING = "loaded with --data-only"
REUSING = "using the task routes, tie scores and metrics written by orgnet diagnose"


def _diagnose(db: Path, capsys, *extra: str) -> tuple[str, list[dict]]:
    out = db.parent / "f.json"
    assert main(["diagnose", "--db", str(db), "--json", str(out), *extra]) in (0, 1)
    note = next(line for line in capsys.readouterr().err.splitlines()
                if line.startswith("note:"))
    return note, json.loads(out.read_text(encoding="utf-8"))["findings"]


def _record(db: Path) -> dict[str, str] | None:
    with LadybugStore(db) as store:
        return read_marker(store)


@pytest.fixture
def data_only(tmp_path, capsys) -> Path:
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db), "--data-only"]) == 0
    capsys.readouterr()
    return db


def _never_written(monkeypatch) -> None:
    def never(*args, **kwargs):
        raise AssertionError("derived properties written again")

    for method in ("set_properties", "set_rel_properties", "replace_rels"):
        monkeypatch.setattr(LadybugStore, method, never)


def test_a_second_diagnosis_uses_what_the_first_derived(data_only, capsys, monkeypatch):
    note, first = _diagnose(data_only, capsys)
    assert DERIVING in note
    record = _record(data_only)
    assert record is not None
    assert record["derived"] == "true" and record["settings"] == settings_record(None)
    assert "orgnet_version" in record and "reason" not in record
    _never_written(monkeypatch)
    note, second = _diagnose(data_only, capsys)
    assert REUSING in note
    assert second == first


def test_other_settings_are_recorded_with_what_they_derived(data_only, capsys, tmp_path):
    settings = tmp_path / "s.toml"
    settings.write_text("weak_tie_threshold = 0.9\n", encoding="utf-8")
    assert DERIVING in _diagnose(data_only, capsys, "--settings", str(settings))[0]
    assert REUSING in _diagnose(data_only, capsys, "--settings", str(settings))[0]
    assert "computed with other settings" in _diagnose(data_only, capsys)[0]
    assert REUSING in _diagnose(data_only, capsys)[0]


def test_a_diagnosis_that_loads_into_the_store_records_it_too(tmp_path, capsys, monkeypatch):
    db = tmp_path / "city.lbdb"
    assert main(["diagnose", str(TINY), "--db", str(db)]) in (0, 1)
    capsys.readouterr()
    _never_written(monkeypatch)
    assert REUSING in _diagnose(db, capsys)[0]


def test_an_interrupted_diagnosis_records_nothing(data_only, capsys, monkeypatch):
    real = orgnet.cmd_core.run_diagnosis

    def derive_then_interrupt(*args, **kwargs):
        real(*args, **kwargs)  # everything derived and written, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(orgnet.cmd_core, "run_diagnosis", derive_then_interrupt)
    assert main(["diagnose", "--db", str(data_only)]) == 130
    monkeypatch.undo()
    capsys.readouterr()
    assert (_record(data_only) or {})["derived"] == "false"
    assert DERIVING in _diagnose(data_only, capsys)[0]


def test_a_read_only_file_is_derived_in_memory_and_never_recorded(data_only, capsys,
                                                                  monkeypatch):
    before = data_only.read_bytes()
    real_access = os.access
    protected = {data_only.resolve(), data_only.resolve().parent}

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve() in protected:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    out = data_only.parent.parent / "f.json"
    assert main(["diagnose", "--db", str(data_only), "--json", str(out)]) in (0, 1)
    assert "read-only" in capsys.readouterr().err
    monkeypatch.undo()
    assert data_only.read_bytes() == before
    assert DERIVING in _diagnose(data_only, capsys)[0]


class _Store:
    backend = "fake"
    writable = True

    def __init__(self) -> None:
        self.records: list[pd.DataFrame] = []

    def set_properties(self, label, key, rows) -> None:
        pass

    def set_rel_properties(self, rel, key, rows) -> None:
        pass

    def replace_rels(self, rel, rows) -> None:
        pass

    def write_marker(self, record) -> None:
        self.records.append(record)


def test_a_partial_derivation_is_not_recorded() -> None:
    assert {"routes", "tie_scores", "structure"} == STEPS
    inner = _Store()
    store = RecordsDerived(inner, "{}")  # type: ignore[arg-type]
    store.set_rel_properties("TIE", "rid", pd.DataFrame({"rid": ["L1"], "score": [0.5]}))
    store.set_properties("Unit", "id", pd.DataFrame({"id": ["U-1"], "degree": [2]}))
    store.set_properties("Unit", "id", pd.DataFrame({"id": ["U-1"], "name": ["x"]}))
    assert not store.write_record() and inner.records == []  # no task routes
    store.replace_rels("HANDLED_BY", pd.DataFrame())
    assert store.write_record()
    record = dict(zip(inner.records[0]["key"], inner.records[0]["value"], strict=True))
    assert record["derived"] == "true" and record["settings"] == "{}"


def test_the_neo4j_record_is_replaced_in_write_transactions() -> None:
    driver = FakeDriver()
    record = pd.DataFrame({"key": ["orgnet_version", "derived", "settings"],
                           "value": ["0.1.0", "true", "{}"]})
    fake_store(driver).write_marker(record)
    assert [text for text, _ in driver.ran] == [META_STATEMENT, META_PRUNE_STATEMENT]
    assert driver.ran[0][1] == {"rows": [{"key": "orgnet_version", "value": "0.1.0"},
                                         {"key": "derived", "value": "true"},
                                         {"key": "settings", "value": "{}"}]}
    assert driver.ran[1][1] == {"keys": ["orgnet_version", "derived", "settings"]}
    assert driver.modes == ["write", "write"]
    assert META_PRUNE_STATEMENT == ("MATCH (m:OrgnetMeta) WHERE NOT m.key IN $keys "
                                    "DELETE m")


def test_a_store_of_an_older_orgnet_gets_a_record(tmp_path, capsys, monkeypatch):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    with LadybugStore(db, writable=True) as store:
        store._execute("DROP TABLE OrgnetMeta")  # what orgnet before 0.2 wrote
    capsys.readouterr()
    assert "no record of what it holds" in _diagnose(db, capsys)[0]
    _never_written(monkeypatch)
    assert REUSING in _diagnose(db, capsys)[0]
    assert main(["info", "--db", str(db)]) == 0
    assert "OrgnetMeta" not in capsys.readouterr().out


def test_a_worklist_derives_with_its_own_settings(tmp_path, capsys):
    """worklist --db --settings: the store's properties of the load (default settings) are
    not those of these settings, so they are derived again, and recorded with them."""
    from graphmodel.settings import load_settings

    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    settings = tmp_path / "s.toml"
    settings.write_text("weak_tie_threshold = 0.9\n", encoding="utf-8")
    assert main(["worklist", "--db", str(db), "--settings", str(settings), "--out",
                 str(tmp_path / "lists")]) in (0, 1)
    capsys.readouterr()
    assert (_record(db) or {})["settings"] == settings_record(load_settings(settings))
