"""No output path may be an input file or lie inside an input folder without --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphmodel.errors import OutputPathError
from orgnet._paths import guard_output
from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "m"
    shutil.copytree(TINY, target)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_writing_commands_refuse_inputs_as_outputs(data, tmp_path, capsys):
    before = _snapshot(data)
    db = tmp_path / "a.lbdb"
    assert main(["load", str(data), "--db", str(db)]) == 0
    cases = [
        ["load", data, "--db", data / "territories.csv"],
        ["load", data, "--db", data / "new.lbdb"],
        ["diagnose", data, "--json", data / "territories.csv"],
        ["diagnose", "--db", db, "--json", db],
        ["viz", data, "--out", data / "members.csv"],
        ["viz", "--db", db, "--out", db],
        ["report", data, "--out", data],
        ["report", data, "--out", data / "report"],
        ["export", "neo4j-import", data, "--out", data / "neo4j"],
    ]
    for argv in cases:
        capsys.readouterr()
        assert main([str(a) for a in argv]) == 2, argv
        err = capsys.readouterr().err
        assert "output error" in err and "--force" in err, argv
    assert _snapshot(data) == before


def test_force_allows_it(data, capsys):
    assert main(["diagnose", str(data), "--json", str(data / "f.json"), "--force"]) in {0, 1}
    assert (data / "f.json").read_text(encoding="utf-8").startswith("{")


def test_guard_output_kinds(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (tmp_path / "f").write_text("x")
    assert guard_output(tmp_path / "new" / "x.json", option="--json", kind="file") == \
        (tmp_path / "new" / "x.json").resolve()
    with pytest.raises(OutputPathError, match="is a folder"):
        guard_output(folder, option="--json", kind="file")
    with pytest.raises(OutputPathError, match="is a file"):
        guard_output(tmp_path / "f", option="--out", kind="folder")
    with pytest.raises(OutputPathError, match="too long"):
        guard_output(tmp_path / ("x" * 300), option="--out", kind="folder")
    with pytest.raises(OutputPathError, match="inside the input folder"):
        guard_output(folder / "a" / "b", option="--out", kind="folder", inputs=[None, folder])
    guard_output(folder / "a", option="--out", kind="folder", inputs=[folder], force=True)
