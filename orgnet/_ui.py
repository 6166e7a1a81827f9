"""Terminal output shared by the commands: consoles, progress, error printing.

Text that comes from data, paths, queries or error messages reaches the terminal verbatim and
inert: :func:`inert` turns it into a ``rich`` Text (never read as console markup, so
``[/x]``, ``[bold red]`` and ``[link=...]`` print as written) with control characters shown
escaped (``ESC]0;...`` prints as ``\\x1b]0;...`` and cannot retitle the window or move the
cursor). The consoles themselves read no markup and no ``:emoji:`` codes, so a plain ``str``
printed by mistake is shown as written too; styles are applied with ``Text.assemble``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from graphmodel.errors import InputError, Issue

__all__ = ["err", "escape_controls", "inert", "log_handler", "out", "print_error",
           "print_input_error", "print_issues", "progress"]

out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
log = logging.getLogger("orgnet")

# C0 and C1 control characters, DEL, and the bidirectional overrides and isolates (which can
# make a line read backwards); tab and newline are kept unless ``keep`` says otherwise.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: object, *, keep: str = "") -> str:
    """``text`` as a string with every control character written as an escape (``\\x1b``).

    Parameters
    ----------
    text
        Any value; ``str()`` of it is escaped.
    keep
        Control characters to leave as they are (e.g. ``"\\n\\t"`` for CSV cells).

    Examples
    --------
    >>> escape_controls("a\\x1b]0;t\\x07b")
    'a\\\\x1b]0;t\\\\x07b'
    """
    value = str(text)
    if keep:
        return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escaped(m), value)
    return _CONTROLS.sub(_escaped, value)


def inert(value: object, style: str = "") -> Text:
    """Text shown exactly as given: never read as markup, control characters escaped.

    Every piece of text from data, paths, user input or an error message goes through this
    before it reaches a console, a table cell or a title.

    Parameters
    ----------
    value
        Any value (``str()`` of it is shown).
    style
        A rich style for the whole text (e.g. ``"bold"``).
    """
    return Text(escape_controls(value, keep="\n\t"), style=style)


def print_error(prefix: str, message: object, hint: str | None = None) -> None:
    """One error line on stderr: a bold red ``prefix`` (the kind of error), the message as
    written, and an optional hint (what to do)."""
    line = Text.assemble((f"{prefix}: ", "bold red"), inert(message))
    if hint:
        line.append_text(Text.assemble("; ", inert(hint)))
    err.print(line)


@contextlib.contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """A transient progress bar on stderr; the yielded callback names the current step.

    Steps that finish within a second never show: the bar appears only after that, and never
    when stderr is not a terminal. Each step is logged (``-v``) with the time it took.
    """
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                   TimeElapsedColumn(), console=err, transient=True,
                   disable=not err.is_terminal)
    task = bar.add_task("", total=None)
    started = time.monotonic()
    shown = False
    current: list = [None, started]  # the step running and when it started

    def finish_step(now: float) -> None:
        if current[0] is not None:
            log.info("%s: %.1f s", current[0], now - current[1])

    def step(label: str) -> None:
        nonlocal shown
        now = time.monotonic()
        finish_step(now)
        current[:] = [label, now]
        if not shown and now - started > 1.0:
            bar.start()
            shown = True
        bar.update(task, description=escape_controls(label))

    try:
        yield step
    finally:
        now = time.monotonic()
        finish_step(now)
        log.info("total: %.1f s", now - started)
        if shown:
            bar.stop()


def print_issues(title: str, issues: Iterable[Issue], *, style: str, limit: int = 50) -> None:
    """Print issues one per line (file, row, column, message, value, hint)."""
    issues = list(issues)
    err.print(inert(title, style))
    for issue in issues[:limit]:
        err.print(Text.assemble("  • ", inert(issue)))
    if len(issues) > limit:
        err.print(f"  … and {len(issues) - limit} more")


def print_input_error(error: InputError) -> None:
    """Print every problem of a failed load."""
    title = (f"输入数据有误，未载入任何内容 — {len(error.issues)} problem(s), "
             "nothing was loaded:")
    print_issues(title, error.issues, style="bold red")


class _InertFormatter(logging.Formatter):
    """Log lines with control characters escaped (log messages quote file and sheet names)."""

    def format(self, record: logging.LogRecord) -> str:
        return escape_controls(super().format(record), keep="\n\t")


def log_handler() -> logging.Handler:
    """The stderr log handler of ``-v``/``--debug``: rich, no markup, controls escaped."""
    from rich.logging import RichHandler

    handler = RichHandler(console=err, show_path=False, markup=False)
    handler.setFormatter(_InertFormatter("%(message)s"))
    return handler
