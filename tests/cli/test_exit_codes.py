"""Exit codes: 0 ok, 1 findings or warnings only, 2 a named failure (never a traceback), 3 a
bug (one line and the hint to rerun with --debug)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import orgnet.cmd_core
from orgnet.cli import main

DATA = Path(__file__).parents[1] / "data"
TINY = DATA / "tiny_city"


def run(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, captured.err


def test_a_bug_exits_3_with_one_line_and_the_debug_hint(monkeypatch, tmp_path, capsys):
    def broken(*_args, **_kwargs):
        raise TypeError("secret 张伟")  # a message that may hold data is never shown

    monkeypatch.setattr(orgnet.cmd_core, "load_dataset", broken)
    code, err = run(["load", TINY, "--db", tmp_path / "x.lbdb"], capsys)
    assert code == 3
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "internal error" in lines[0] and "--debug" in lines[0] and "TypeError" in lines[0]
    assert "张伟" not in err
    with pytest.raises(TypeError):
        main(["--debug", "load", str(TINY), "--db", str(tmp_path / "x.lbdb")])


@pytest.mark.parametrize("errno_code, words", [
    (errno.ENOSPC, "disk space"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")])
def test_file_system_errors_exit_2_with_what_to_do(monkeypatch, tmp_path, capsys, errno_code,
                                                   words):
    def refuse(self, *_args, **_kwargs):
        raise OSError(errno_code, os.strerror(errno_code), str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    code, err = run(["diagnose", TINY, "--json", tmp_path / "f.json"], capsys)
    assert code == 2
    assert "file error" in err and "f.json" in err and words in err


def test_output_paths_that_cannot_be_written_exit_2(tmp_path, capsys):
    folder = tmp_path / "a folder"
    folder.mkdir()
    a_file = tmp_path / "a file"
    a_file.write_text("x")
    cases = [
        ["load", TINY, "--db", folder],
        ["load", TINY, "--db", tmp_path / ("a" * 5000 + ".lbdb")],
        ["load", TINY, "--db", a_file / "x.lbdb"],
        ["diagnose", TINY, "--json", folder],
        ["viz", TINY, "--out", folder],
        ["report", TINY, "--out", a_file],
        ["generate", "--out", a_file],
        ["demo", "--out", a_file],
    ]
    for argv in cases:
        code, err = run(argv, capsys)
        assert code == 2, argv
        assert "output error" in err, argv
    assert a_file.read_text() == "x"
    assert list(folder.iterdir()) == []


def test_settings_that_is_not_a_file_exits_2(tmp_path, capsys):
    (tmp_path / "s").mkdir()
    fifo = tmp_path / "s" / "settings.toml"
    os.mkfifo(fifo)
    (tmp_path / "s" / "folder.toml").mkdir()
    for settings in (tmp_path / "s" / "folder.toml", fifo):
        code, err = run(["load", TINY, "--db", tmp_path / "x.lbdb", "--settings", settings],
                        capsys)
        assert code == 2
        assert "settings error" in err and "not a regular file" in err


@pytest.mark.parametrize("content", [
    "[1, 2]", '{"findings": 5}', '{"findings": [1, 2]}', '{"findings": [{"check": "weak_tie"}]}',
    '{"findings": [], "metrics": [1]}', '{"findings": [], "metrics": {"coverage": [1]}}',
    '{"findings": [{"question": "coverage", "check": "nope", "subject": "T", '
    '"severity": "high"}]}',
    '{"findings": [{"question": "coverage", "check": "weak_tie", "subject": "T", '
    '"severity": "high", "path": "x", "detail": []}]}',
    '{"findings": [], "metrics": {"coverage": [{"ratio": Infinity}]}}', "", "\x00\x01"])
def test_findings_file_of_the_wrong_shape_exits_2(tmp_path, capsys, content):
    findings = tmp_path / "f.json"
    findings.write_text(content, encoding="utf-8")
    for argv in (["report", TINY, "--findings", findings, "--out", tmp_path / "r"],
                 ["viz", TINY, "--findings", findings, "--out", tmp_path / "v.html"]):
        code, err = run(argv, capsys)
        assert code == 2, (content, err)
        assert "f.json" in err


def test_findings_file_from_diagnose_is_accepted(tmp_path, capsys):
    findings = tmp_path / "f.json"
    code, _ = run(["diagnose", TINY, "--json", findings], capsys)
    assert code in {0, 1}
    code, err = run(["viz", TINY, "--findings", findings, "--out", tmp_path / "v.html"], capsys)
    assert code == 0, err


def test_diagnose_json_is_strict(tmp_path, capsys):
    out = tmp_path / "f.json"
    run(["diagnose", TINY, "--json", out], capsys)

    def refuse(name: str) -> float:
        raise AssertionError(name)

    json.loads(out.read_text(encoding="utf-8"), parse_constant=refuse)


def test_query_json_is_strict(tmp_path, capsys):
    db = tmp_path / "a.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    code, err = run(["query", "--db", db, "RETURN 1.0/0 AS x", "--format", "json"], capsys)
    assert code in {0, 2}
    if code == 2:
        assert "JSON" in err
    capsys.readouterr()
    assert main(["query", "--db", str(db), "RETURN 2 AS x", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"x": 2}]


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "a.lbdb"
    assert main(["load", str(TINY), "--db", str(db)]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "orgnet", "query", "--db", str(db),
                             "UNWIND range(1, 300000) AS x RETURN x", "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"x"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


@pytest.mark.parametrize("raw", ["Infinity", "NaN", "-inf", "1e999"])
def test_a_non_finite_param_exits_2_naming_it(tiny_db, capsys, raw):
    code, err = run(["query", "--db", tiny_db, "--name", "weak_ties/weak_tie", "--param",
                     f"threshold={raw}", "--param", "types=co_building"], capsys)
    assert code == 2
    assert "query parameter error" in err and "--param threshold" in err and repr(raw) in err
