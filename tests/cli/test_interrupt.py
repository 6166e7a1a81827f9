"""Ctrl-C: one line on stderr (已中断 interrupted), no traceback, exit code 130, and no output
left half-written, whatever step was running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import orgnet.cmd_core
from graphmodel.atomic import atomic_path
from loaders import template as template_module
from orgnet.cli import EXIT_INTERRUPTED, INTERRUPTED_MESSAGE, main

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"


def _interrupt(*_args, **_kwargs):
    raise KeyboardInterrupt


def _run_interrupted(argv: list[object], capsys) -> None:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert code == EXIT_INTERRUPTED
    assert "Traceback" not in captured.out + captured.err
    assert [line for line in captured.err.splitlines() if line.strip()] == [INTERRUPTED_MESSAGE]


def test_ctrl_c_while_reading_the_data(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(orgnet.cmd_core, "load_dataset", _interrupt)
    _run_interrupted(["load", TINY, "--db", tmp_path / "x.lbdb"], capsys)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_diagnosing(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(orgnet.cmd_core, "run_diagnosis", _interrupt)
    _run_interrupted(["diagnose", TINY, "--json", tmp_path / "f.json"], capsys)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_a_workbook_leaves_the_old_one(monkeypatch, tmp_path,
                                                            capsys) -> None:
    out = tmp_path / "template.xlsx"
    out.write_bytes(b"the workbook of last week")
    calls = []

    def second_table_interrupts(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    real = template_module._write_table
    monkeypatch.setattr(template_module, "_write_table", second_table_interrupts)
    _run_interrupted(["template", "--out", out], capsys)
    assert out.read_bytes() == b"the workbook of last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["template.xlsx"]


def test_ctrl_c_while_writing_the_findings_json(monkeypatch, tmp_path, capsys) -> None:
    real = Path.write_text

    def half_then_interrupt(self, text, *args, **kwargs):
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", half_then_interrupt)
    _run_interrupted(["diagnose", TINY, "--json", tmp_path / "f.json"], capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_names_the_file_asked_for(tmp_path) -> None:
    target = tmp_path / "f.json"
    with pytest.raises(OSError, match=r"f\.json") as info, atomic_path(target) as partial:
        raise OSError(28, "No space left on device", str(partial))
    assert info.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_sigint_during_a_load(tmp_path) -> None:
    """A real Ctrl-C (SIGINT) while the database is being written."""
    data = tmp_path / "data"
    assert main(["generate", "--out", str(data), "--scale", "small", "--seed", "3"]) == 0
    folder = tmp_path / "db"
    folder.mkdir()
    target = folder / "x.lbdb"
    run = subprocess.Popen(
        [sys.executable, "-m", "orgnet", "load", str(data), "--db", str(target)], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        # SIGINT as at a terminal, even when the test run itself ignores it (a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    deadline = time.monotonic() + 60
    while not any(".loading-" in p.name for p in folder.iterdir()):
        assert run.poll() is None, "the load ended before writing the database"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    text = err.decode(errors="replace")
    assert run.returncode == EXIT_INTERRUPTED, text
    assert "Traceback" not in text
    assert INTERRUPTED_MESSAGE in text
    assert list(folder.iterdir()) == []


def test_ctrl_c_while_the_modules_load(monkeypatch, capsys) -> None:
    import orgnet.__main__

    class Loading:  # what `from orgnet.cli import main` meets when Ctrl-C comes mid-import
        def __getattr__(self, name: str):
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "orgnet.cli", Loading())
    assert orgnet.__main__.run() == EXIT_INTERRUPTED
    assert capsys.readouterr().err.strip() == INTERRUPTED_MESSAGE


def _interrupt_on_call(monkeypatch, module, name: str, when: int) -> None:
    real = getattr(module, name)
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        if len(calls) == when:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)


def test_ctrl_c_while_generating_keeps_the_dataset_there(monkeypatch, tmp_path,
                                                         capsys) -> None:
    import synthetic.write

    out = tmp_path / "data"
    assert main(["generate", "--out", str(out), "--seed", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _interrupt_on_call(monkeypatch, synthetic.write, "localize", 5)  # mid-way, tables written
    _run_interrupted(["generate", "--out", out, "--seed", "2"], capsys)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ctrl_c_while_exporting_neo4j_import_files(monkeypatch, tmp_path, capsys) -> None:
    import stores.neo4j.import_files

    _interrupt_on_call(monkeypatch, stores.neo4j.import_files, "csv_line", 40)
    out = tmp_path / "import"
    _run_interrupted(["export", "neo4j-import", TINY, "--out", out], capsys)
    left = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert all(".partial-" not in p.name for p in left)
    for path in left:  # whatever is there is whole (neo4j-admin would read it)
        assert path.read_text(encoding="utf-8").endswith("\n")
    assert not (out / stores.neo4j.import_files.COMMAND_FILE).exists()
