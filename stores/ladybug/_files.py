"""The files of a LadybugDB database and how a load replaces them safely.

A database ``T`` is the file ``T`` plus the engine's ``T.wal`` and ``T.shadow`` beside it. A
load builds a new database in a temporary of its own beside ``T``
(``.T.loading-<pid>-<random>``), then swaps it in with one rename, so readers see the old
database or the new one, never a half-written one, and a failed or killed load leaves ``T`` as
it was. Around it:

- a lock (``fcntl.flock`` on ``.T.lock``) held by every writer of ``T`` (a load, a store opened
  writable): a second one waits up to ``wait`` seconds, then is refused with a clear message;
- SIGTERM is turned into an exception while the lock is held, so the temporary is removed on
  Ctrl-C and ``kill`` alike;
- temporaries of ``T`` left by killed runs (``kill -9``, power loss) are removed by the next
  writer: it holds the lock, so they are nobody's; a temporary whose process is still alive is
  never touched;
- the ``.wal``/``.shadow`` of the file being replaced are removed with it, so they cannot
  attach to the new file ("Database ID for temporary file ... does not match").
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from graphmodel.errors import StoreError

__all__ = ["SIDECARS", "building", "remove_database", "target_lock"]

log = logging.getLogger(__name__)

SIDECARS = (".wal", ".shadow", ".checkpoint.apply.lock", ".checkpoint.intent.lock")
"""Files LadybugDB keeps beside a database file."""

_POLL_SECONDS = 0.1


def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def remove_database(path: Path) -> None:
    """Remove a database file and its sidecars (whichever exist)."""
    for file in (path, *(Path(f"{path}{s}") for s in SIDECARS)):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            file.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _holder(handle) -> str:
    handle.seek(0)
    text = handle.read().strip()
    return f" (pid {text})" if text.isdigit() else ""


@contextlib.contextmanager
def target_lock(target: Path, *, wait: float = 10.0) -> Iterator[None]:
    """Hold the writer lock of database ``target`` (waiting up to ``wait`` seconds).

    Raises
    ------
    StoreError
        Another process holds it for longer than ``wait``; or the folder cannot hold it.
    """
    path = _lock_path(target)
    deadline = time.monotonic() + wait
    while True:
        try:
            handle = path.open("a+", encoding="ascii")
        except OSError as err:
            msg = (f"cannot lock {target} for writing ({err.strerror or err}): is its folder "
                   "writable?")
            raise StoreError(msg) from err
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                handle.close()
                raise StoreError(f"cannot lock {target} for writing: {err}") from err
            if time.monotonic() >= deadline:
                holder = _holder(handle)
                handle.close()
                msg = (f"another orgnet process{holder} is writing {target}; wait until it "
                       "has finished, then run this again")
                raise StoreError(msg) from None
            handle.close()
            time.sleep(_POLL_SECONDS)
            continue
        # The holder before us may have removed the lock file as it finished: lock the file
        # that is at the path now, not an unlinked one.
        try:
            same = os.fstat(handle.fileno()).st_ino == path.stat().st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        handle.close()


_TEMP = re.compile(r"\.loading-(\d+)-[0-9a-f]+(\.[a-z.]+)?$")


def _stale_temporaries(target: Path) -> list[Path]:
    """Temporaries of ``target`` whose process is gone (called with the lock held); also those
    of orgnet before 0.2 (``.T.loading``, ``.T.<random>.tmp``), which had no lock."""
    prefix = f".{target.name}."
    stale = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    for path in entries:
        name = path.name
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix) - 1:]
        match = _TEMP.fullmatch(rest)
        if match:
            if not _pid_alive(int(match.group(1))):
                stale.append(path)
        elif re.fullmatch(r"\.(loading|[A-Za-z0-9_]{6,}\.tmp)(\.[a-z.]+)?", rest):
            stale.append(path)
    return stale


class _Terminated(SystemExit):
    """SIGTERM during a load (exit status 143, as if killed by it)."""


def _raise_terminated(signum, frame) -> None:
    raise _Terminated(128 + signal.SIGTERM)


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """Within the block SIGTERM raises (so ``finally`` clauses run); Ctrl-C already does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Building:
    """A temporary database beside ``target``: write it at :attr:`path`, then :meth:`publish`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        token = secrets.token_hex(4)
        self.path = target.with_name(f".{target.name}.loading-{os.getpid()}-{token}")
        self.published = False

    def publish(self) -> None:
        """Swap the (closed) temporary in for ``target`` in one rename; drop the old file's
        sidecars first, so that they cannot attach to the new file."""
        for suffix in (".wal", ".shadow"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.target}{suffix}").unlink()
        os.replace(self.path, self.target)
        self.published = True
        remove_database(self.path)  # its sidecars, if the engine left any


@contextlib.contextmanager
def building(target: Path, *, wait: float = 10.0) -> Iterator[Building]:
    """Lock ``target``, remove stale temporaries, and yield a new :class:`Building`; whatever
    happens in the block (an error, Ctrl-C, SIGTERM), the temporary is gone afterwards."""
    with target_lock(target, wait=wait), _terminate_as_exception():
        for stale in _stale_temporaries(target):
            log.info("removing %s, left by an interrupted load", stale.name)
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                stale.unlink()
        build = Building(target)
        remove_database(build.path)
        try:
            yield build
        finally:
            if not build.published:
                remove_database(build.path)
