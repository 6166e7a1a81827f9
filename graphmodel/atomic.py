"""Output files written whole or not at all.

Every file orgnet writes for people (a workbook, an HTML page, a findings JSON, an export) is
written to a temporary beside it (``.NAME.partial-<pid>-<random>SUFFIX``, same folder, so the
final rename is atomic) and renamed over the target only when it is complete. An error or
Ctrl-C while writing removes the temporary and leaves an existing file as it was, so nobody
opens a half-written workbook.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["atomic_path", "atomic_workbook", "write_text_atomic"]


def _temporary(target: Path) -> Path:
    # The suffix is kept: some writers pick the format from it (pandas' ExcelWriter).
    token = secrets.token_hex(4)
    return target.with_name(f".{target.stem}.partial-{os.getpid()}-{token}{target.suffix}")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on leaving the block it replaces ``path``.

    Parameters
    ----------
    path
        The file to write.

    Yields
    ------
    Path
        Where to write instead (in the same folder as ``path``).

    Notes
    -----
    If the block raises anything (``KeyboardInterrupt`` too), the temporary is removed and
    ``path`` is left as it was. An ``OSError`` about the temporary names ``path`` instead.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("done", encoding="utf-8")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    target = Path(path)
    temporary = _temporary(target)
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as err:  # name the file the user asked for, not the temporary
        if err.filename in (str(temporary), temporary):
            err.filename = str(target)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through :func:`atomic_path`; return ``path``."""
    target = Path(path)
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding=encoding)
    return target


@contextlib.contextmanager
def atomic_workbook(path: str | Path) -> Iterator[Any]:
    """An XlsxWriter workbook at ``path``, written whole or not at all (:func:`atomic_path`),
    whose cells stay as written: text is never turned into a number, a formula or a link (a
    ledger's ids, such as ``0012``, and names stay text).

    Yields
    ------
    xlsxwriter.Workbook
        Closed (saved) on leaving the block.
    """
    import xlsxwriter

    with atomic_path(path) as partial:
        book = xlsxwriter.Workbook(str(partial), {"strings_to_numbers": False,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
        try:
            yield book
        finally:
            book.close()
