"""A load records what it derived (issue 15 item 2): `diagnose --db` uses the derived properties
a load wrote with the same settings, and derives again, saying why, when the store was loaded
--data-only, by an older orgnet, or with other settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.cli import main
from stores.ladybug import LadybugStore

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"


def _diagnose_note(db: Path, capsys, *extra: str) -> str:
    assert main(["diagnose", "--db", str(db), *extra]) in (0, 1)
    return next(line for line in capsys.readouterr().err.splitlines()
                if line.startswith("note:"))


def test_derived_properties_of_the_load_are_used_not_written_again(tmp_path, capsys,
                                                                    monkeypatch):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0

    def never(*args, **kwargs):
        raise AssertionError("derived properties written again")

    for method in ("set_properties", "set_rel_properties", "replace_rels"):
        monkeypatch.setattr(LadybugStore, method, never)
    assert "using the task routes, tie scores and metrics written by orgnet load" in \
        _diagnose_note(db, capsys)


def test_a_data_only_store_is_derived_and_says_so(tmp_path, capsys):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db), "--data-only"]) == 0
    assert "loaded with --data-only" in _diagnose_note(db, capsys)
    with LadybugStore(db) as store:  # and the diagnosis wrote them back
        assert store.run("MATCH (t:Task) WHERE t.route IS NOT NULL RETURN count(*) AS n"
                         )["n"].iloc[0] > 0


def test_a_store_of_an_older_orgnet_is_derived_and_says_so(tmp_path, capsys):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    with LadybugStore(db, writable=True) as store:
        store._execute("DROP TABLE OrgnetMeta")  # what orgnet before 0.2 wrote
    assert "no record of what it holds" in _diagnose_note(db, capsys)


def test_other_settings_derive_again(tmp_path, capsys):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    settings = tmp_path / "s.toml"
    settings.write_text("weak_tie_threshold = 0.9\n", encoding="utf-8")
    assert "computed with other settings" in _diagnose_note(db, capsys, "--settings",
                                                            str(settings))


@pytest.mark.parametrize("flag", [[], ["--data-only"]])
def test_the_record_is_not_a_node_of_the_schema(tmp_path, capsys, flag):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(TINY), "--db", str(db), *flag]) == 0
    capsys.readouterr()
    assert main(["info", "--db", str(db)]) == 0
    assert "OrgnetMeta" not in capsys.readouterr().out
