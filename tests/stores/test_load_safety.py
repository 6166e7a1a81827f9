"""Crash-safe loads (issue 16 item 2): a unique temporary per run, a writer lock, cleanup on
SIGINT/SIGTERM, stale temporaries of killed runs removed (never a live run's), and a load after
any kill succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graphmodel.errors import StoreError
from orgnet.cli import main
from stores.ladybug import LadybugStore, write_ladybug
from stores.ladybug._files import target_lock

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"


def _opens(path: Path) -> bool:
    with LadybugStore(path) as store:
        return store.run("MATCH (t:Territory) RETURN count(*) AS n")["n"].iloc[0] > 0


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_second_writer_waits_then_is_refused_clearly(tiny_model, tmp_path) -> None:
    target = tmp_path / "city.lbdb"
    with target_lock(target.resolve()):
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"another orgnet process \(pid \d+\) is writing"):
            write_ladybug(tiny_model, target, wait=0.5)
        assert 0.4 < time.monotonic() - started < 5
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_second_writer_gets_the_lock_when_the_first_finishes(tiny_model, tmp_path) -> None:
    target = tmp_path / "city.lbdb"
    held = threading.Event()

    def hold() -> None:
        with target_lock(target.resolve()):
            held.set()
            time.sleep(0.7)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    write_ladybug(tiny_model, target, wait=10)
    thread.join()
    assert _opens(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.lbdb"]


def test_a_store_open_for_writing_holds_the_lock(tiny_model, tmp_path) -> None:
    target = write_ladybug(tiny_model, tmp_path / "city.lbdb")
    with LadybugStore(target, writable=True), pytest.raises(StoreError, match="is writing"):
        write_ladybug(tiny_model, target, wait=0.2)
    with LadybugStore(target), LadybugStore(target):  # readers never wait
        pass


def test_stale_temporaries_are_removed_never_a_live_runs(tiny_model, tmp_path) -> None:
    target = tmp_path / "city.lbdb"
    dead, live = _dead_pid(), os.getpid()
    stale = [f".city.lbdb.loading-{dead}-0badcafe{suffix}"
             for suffix in ("", ".wal", ".shadow", ".checkpoint.apply.lock")]
    stale += [".city.lbdb.loading", ".city.lbdb.loading.wal", ".city.lbdb.k2j4h_x9.tmp",
              ".city.lbdb.k2j4h_x9.tmp.wal"]
    alive = f".city.lbdb.loading-{live}-00c0ffee"
    others = [".other.lbdb.loading", "city.lbdb.notes"]
    for name in [*stale, alive, *others]:
        (tmp_path / name).write_bytes(b"x" * 100)
    write_ladybug(tiny_model, target)
    assert _opens(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["city.lbdb", alive, *others])


def test_leftover_sidecars_of_the_replaced_file_do_not_break_the_new_one(tiny_model,
                                                                          tmp_path) -> None:
    target = write_ladybug(tiny_model, tmp_path / "city.lbdb")
    Path(f"{target}.wal").write_bytes(b"\x00" * 4096)
    Path(f"{target}.shadow").write_bytes(b"\x01" * 4096)
    write_ladybug(tiny_model, target)
    assert _opens(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.lbdb"]


def test_a_load_repairs_a_file_broken_by_checkpoint(tiny_model, tmp_path, capsys) -> None:
    """What `orgnet query "CHECKPOINT"` did before the guard: the file cannot be opened
    ("checkpoint recovery is pending"); a later load must really make it usable."""
    import ladybug

    target = write_ladybug(tiny_model, tmp_path / "city.lbdb")
    db = ladybug.Database(str(target), read_only=True)
    conn = ladybug.Connection(db)
    with pytest.raises(RuntimeError):
        conn.execute("CHECKPOINT")
    conn.close()
    db.close()
    assert main(["load", str(TINY), "--db", str(target)]) == 0
    capsys.readouterr()
    assert _opens(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.lbdb"]


def _start_load(data: Path, target: Path) -> subprocess.Popen:
    # SIGINT as at a terminal, even when the test run itself ignores it (a background job).
    return subprocess.Popen([sys.executable, "-m", "orgnet", "load", str(data), "--db",
                             str(target)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509


def _kill_during_loads(data: Path, folder: Path, delays: list[float]) -> None:
    """Kill a load of ``data`` after each delay with each signal; after a SIGINT or SIGTERM
    nothing of the run is left, after any kill the old database still opens, and the next
    load succeeds and leaves only the database."""
    target = folder / "city.lbdb"
    assert main(["load", str(data), "--db", str(target)]) in (0, 1)
    for delay in delays:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            run = _start_load(data, target)
            time.sleep(delay)
            run.send_signal(sig)
            _, err = run.communicate(timeout=120)
            if sig == signal.SIGTERM:
                assert b"Traceback" not in err, err.decode(errors="replace")
            assert _opens(target), f"old database broken by {sig!r} after {delay} s"
            if sig != signal.SIGKILL and run.returncode not in (0, 1):
                left = sorted(p.name for p in folder.iterdir())
                assert left == ["city.lbdb"], f"{sig!r} after {delay} s left {left}"
    assert main(["load", str(data), "--db", str(target)]) in (0, 1)
    assert _opens(target)
    assert sorted(p.name for p in folder.iterdir()) == ["city.lbdb"]


def test_killed_loads_never_block_the_next_one(tmp_path, capsys) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    _kill_during_loads(TINY, folder, [2.5])
    capsys.readouterr()


def test_two_loads_started_together_both_succeed(tmp_path) -> None:
    target = tmp_path / "city.lbdb"
    first = _start_load(TINY, target)
    time.sleep(0.5)
    second = _start_load(TINY, target)
    for run in (first, second):
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode(errors="replace")
    assert _opens(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.lbdb"]


@pytest.mark.slow
def test_killed_city_scale_loads_never_block_the_next_one(tmp_path, capsys) -> None:
    from synthetic.write import write_dataset

    data = write_dataset(tmp_path / "data", scale="city", seed=1).out_dir
    folder = tmp_path / "db"
    folder.mkdir()
    _kill_during_loads(data, folder, [3.0, 8.0, 15.0, 25.0])
    capsys.readouterr()
