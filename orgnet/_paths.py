"""Checks on the paths a command reads and writes, made before any work starts.

:func:`guard_output` is called by every command that writes a file or a folder: an output
must not be one of the command's inputs nor lie inside an input folder (unless ``--force``),
must be a file where a file is written and a folder where a folder is, must fit the file
system's limits, and must be in a folder that can be written. :func:`check_input_file` refuses
inputs that are not regular files (a FIFO would block, a device would never end).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from graphmodel.errors import InputError, Issue, OutputPathError

__all__ = ["MAX_NAME_BYTES", "MAX_PATH_BYTES", "check_input_file", "guard_output"]

# Linux limits (NAME_MAX, PATH_MAX less the room for the temporary names beside a file).
MAX_NAME_BYTES = 200
MAX_PATH_BYTES = 4000

# One input of a command: a path (``--db`` gives text), or the list of a merging command.
_Input = str | Path | list[Path] | tuple[Path, ...] | None


def _shown(path: Path | str) -> str:
    text = str(path)
    return text if len(text) <= 200 else f"{text[:60]}…({len(text)} characters)"


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links, a path too long to resolve
        return Path(os.path.abspath(path))


def guard_output(path: Path, *, option: str, kind: Literal["file", "folder"],
                 inputs: Iterable[_Input] = (),
                 force: bool = False) -> Path:
    """Check that ``path`` (given as ``option``) may be written; return it resolved.

    Parameters
    ----------
    path
        Where the command writes.
    option
        The option or argument that gave it (``--out``), for the message.
    kind
        ``"file"``: a file is written (an existing folder there is refused); ``"folder"``: a
        folder is written into (an existing file there is refused).
    inputs
        The command's inputs (files or folders, or lists of them for commands that merge
        several sources; None entries are skipped).
    force
        Allow an output that is an input or lies inside an input folder.

    Raises
    ------
    OutputPathError
        With what is wrong and what to do.
    """
    text = str(path)
    if not text.strip():
        _fail(option, path, "is empty", "give a path")
    if "\x00" in text:
        _fail(option, path, "holds a NUL character", "give a path without it")
    target = _resolved(path)
    if len(os.fsencode(str(target))) > MAX_PATH_BYTES or any(
            len(os.fsencode(part)) > MAX_NAME_BYTES for part in target.parts):
        _fail(option, path, "is too long for the file system",
              f"use names of at most {MAX_NAME_BYTES} bytes and a path of at most "
              f"{MAX_PATH_BYTES}")
    if not force:
        for given in _flat(inputs):
            source = _resolved(Path(given))
            if target == source:
                _fail(option, path, f"is an input of this command ({_shown(given)})",
                      "write somewhere else, or add --force to overwrite it")
            if source.is_dir() and target.is_relative_to(source):
                _fail(option, path, f"lies inside the input folder {_shown(given)}",
                      "write somewhere else, or add --force")
    if kind == "file":
        if target.is_dir():
            _fail(option, path, "is a folder", "give a file name (e.g. inside that folder)")
        if target.exists() and not target.is_file():
            _fail(option, path, "is not a regular file", "give the name of a file")
    elif target.exists() and not target.is_dir():
        _fail(option, path, "is a file, and a folder is needed here",
              "give a folder name, or remove the file")
    _check_parent(option, path, target)
    return target


def _flat(inputs: Iterable[_Input]) -> Iterable[Path]:
    for given in inputs:
        if isinstance(given, list | tuple):
            yield from (Path(p) for p in given if p is not None)
        elif given is not None:
            yield Path(given)


def _check_parent(option: str, path: Path, target: Path) -> None:
    """The nearest existing folder above ``target`` must be a folder that can be written."""
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        _fail(option, path, f"lies under {_shown(parent)}, which is a file, not a folder",
              "choose another path")
    writable_at = target if target.is_dir() else parent
    if not os.access(writable_at, os.W_OK | os.X_OK):
        _fail(option, path, f"cannot be written: {_shown(writable_at)} is read-only or not "
              "yours", "choose a folder you can write to")


def _fail(option: str, path: Path | str, what: str, hint: str) -> None:
    msg = f"{option} {_shown(path)} {what}; {hint}"
    raise OutputPathError(msg)


def check_input_file(path: Path, option: str) -> Path:
    """``path`` if it is an existing regular file (or a link to one).

    Raises
    ------
    InputError
        It does not exist, is a folder, or is a FIFO, socket or device.
    """
    if not path.exists():
        raise InputError([Issue(_shown(path), f"{option}: no such file", hint="check the path")])
    if path.is_dir():
        raise InputError([Issue(_shown(path), f"{option}: is a folder, a file is needed",
                                hint="give the file's path")])
    if not path.is_file():
        raise InputError([Issue(_shown(path), f"{option}: not a regular file (a FIFO, socket "
                                "or device)", hint="give an ordinary file")])
    return path
