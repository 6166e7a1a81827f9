"""Terminal output shared by the commands: consoles, progress, error printing."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graphmodel.errors import InputError, Issue

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
log = logging.getLogger("orgnet")


@contextlib.contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """A transient progress bar on stderr; the yielded callback names the current step.

    Steps that finish within a second never show: the bar appears only after that, and never
    when stderr is not a terminal. Each step is logged (``-v``) with the time it took.
    """
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
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
        bar.update(task, description=label)

    try:
        yield step
    finally:
        now = time.monotonic()
        finish_step(now)
        log.info("total: %.1f s", now - started)
        if shown:
            bar.stop()


def print_issues(title: str, issues: tuple[Issue, ...] | list[Issue], *, style: str,
                 limit: int = 50) -> None:
    """Print issues one per line (file, row, column, message, value, hint)."""
    err.print(f"[{style}]{title}[/{style}]")
    for issue in list(issues)[:limit]:
        err.print(f"  • {issue}", markup=False)
    if len(issues) > limit:
        err.print(f"  … and {len(issues) - limit} more")


def print_input_error(error: InputError) -> None:
    """Print every problem of a failed load."""
    title = (f"输入数据有误，未载入任何内容 — {len(error.issues)} problem(s), "
             "nothing was loaded:")
    print_issues(title, error.issues, style="bold red")
