"""What the command line does differently because it runs one command and exits."""

from __future__ import annotations

import gc

__all__ = ["freeze_models", "keep_model"]

_FREEZE = {"on": False}


def freeze_models() -> None:
    """From now on, :func:`keep_model` freezes: for a process that runs one command and
    exits (the command line), never for a notebook, whose models must be collectable."""
    _FREEZE["on"] = True


def keep_model() -> None:
    """Call once the model is built. In a one-command process (:func:`freeze_models`) the
    model lives as long as the process, so its millions of objects leave the garbage
    collector's generations and later allocations do not rescan them (a third of the time
    of reading the routes back at city scale)."""
    if _FREEZE["on"]:
        gc.freeze()
