"""diagnose, report, viz, query and info work on a database file that cannot be written (a USB
stick, a shared folder): it is opened read-only, nothing is written back (derived properties go
to a scratch copy in memory), and the findings are those of a writable copy (issue 16 item 10).

Tests run as root, who ignores permission bits, so "cannot be written" is what ``os.access``
says (as for any user); that the file is only opened read-only is checked on the engine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orgnet.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_db(tmp_path_factory, request) -> Path:
    """A loaded database: the tiny city, or a generated small city (``small`` marker arg)."""
    from synthetic.write import write_dataset

    folder = tmp_path_factory.mktemp("ro")
    data = ROOT / "tests" / "data" / "tiny_city"
    if request.node.get_closest_marker("small_city"):
        data = write_dataset(folder / "data", scale="small", seed=3).out_dir
    target = folder / "db" / "city.lbdb"
    assert main(["load", str(data), "--db", str(target)]) in (0, 1)
    return target


def _state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.iterdir()}


@pytest.fixture
def read_only(monkeypatch, small_db):
    """``small_db`` and its folder cannot be written; every open of it is recorded."""
    import ladybug

    real_access, real_database = os.access, ladybug.Database
    protected = {small_db.resolve(), small_db.resolve().parent}
    opened: list[bool] = []

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve() in protected:
            return False
        return real_access(path, mode, *args, **kwargs)

    def database(path=":memory:", *args, read_only=False, **kwargs):
        if Path(str(path)).resolve() == small_db.resolve():
            opened.append(read_only)
        return real_database(path, *args, read_only=read_only, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(ladybug, "Database", database)
    return opened


def _findings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated_at")
    return data


def test_read_only_file_every_command(small_db, read_only, tmp_path, capsys) -> None:
    before = _state(small_db.parent)
    db = str(small_db)
    assert main(["diagnose", "--db", db, "--json", str(tmp_path / "r.json")]) in (0, 1)
    assert main(["info", "--db", db]) == 0
    assert main(["query", "--db", db, "--format", "json",
                 "MATCH (t:Task) WHERE t.route IS NOT NULL RETURN count(*) AS n"]) == 0
    assert main(["viz", "--db", db, "--out", str(tmp_path / "net.html")]) == 0
    assert main(["report", "--db", db, "--out", str(tmp_path / "report")]) == 0
    capsys.readouterr()
    assert read_only and all(read_only), "the file is opened read-only, every time"
    assert _state(small_db.parent) == before, "not a byte, mtime or file changed or added"
    assert (tmp_path / "net.html").is_file() and (tmp_path / "report" / "index.html").is_file()


@pytest.mark.small_city
def test_read_only_findings_equal_a_writable_copys(small_db, tmp_path, monkeypatch,
                                                   capsys) -> None:
    import shutil

    copy = tmp_path / "copy.lbdb"
    shutil.copy(small_db, copy)
    assert main(["diagnose", "--db", str(copy), "--json", str(tmp_path / "w.json")]) in (0, 1)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if m & os.W_OK
                        and Path(p).resolve() in {small_db.resolve(),
                                                  small_db.resolve().parent}
                        else real_access(p, m, *a, **k))
    mtime = small_db.stat().st_mtime_ns
    assert main(["diagnose", "--db", str(small_db), "--json", str(tmp_path / "r.json")]
                ) in (0, 1)
    capsys.readouterr()
    assert small_db.stat().st_mtime_ns == mtime
    written = _findings(tmp_path / "w.json")
    assert written["findings"] and _findings(tmp_path / "r.json") == written
    # Deriving again (a store without the load's record) finds the same as using what the
    # load derived.
    from stores.ladybug import LadybugStore

    with LadybugStore(copy, writable=True) as store:
        store._execute("DROP TABLE OrgnetMeta")
    monkeypatch.undo()
    assert main(["diagnose", "--db", str(copy), "--json", str(tmp_path / "d.json")]) in (0, 1)
    assert "no record" in capsys.readouterr().err
    assert _findings(tmp_path / "d.json") == written
