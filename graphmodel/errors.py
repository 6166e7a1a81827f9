"""Exceptions of orgnet, one root with built-in bases.

::

    OrgModelError
    ├── InputError(ValueError)            bad input files; carries every Issue found
    ├── SettingsError(ValueError)         invalid settings file or override
    ├── QueryError
    │   ├── QueryNotFoundError(KeyError)  unknown named query
    │   ├── QueryParameterError(ValueError)
    │   ├── ReadOnlyQueryError(PermissionError)  a write, file or code statement on a read path
    │   └── QueryExecutionError           the database refused or failed a query
    ├── StoreError                        a graph database could not be written or opened
    ├── OutputPathError(ValueError)       an output path that must not or cannot be written
    └── BackendUnavailableError(ImportError)  an optional dependency or server is missing
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BackendUnavailableError",
    "InputError",
    "Issue",
    "OrgModelError",
    "OutputPathError",
    "QueryError",
    "QueryExecutionError",
    "QueryNotFoundError",
    "QueryParameterError",
    "ReadOnlyQueryError",
    "SettingsError",
    "StoreError",
]


class OrgModelError(Exception):
    """Root of every orgnet error."""


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, located as a spreadsheet user sees it.

    ``row`` is 1-based with the header as row 1 (the first data row is row 2), or None when the
    problem concerns the whole file or column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": " + self.message
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "…"
            text += f" (value: '{shown}')"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InputError(OrgModelError, ValueError):
    """The input cannot be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(map(str, self.issues)))


class SettingsError(OrgModelError, ValueError):
    """A settings file or override is invalid."""


class StoreError(OrgModelError):
    """A graph database could not be written or opened."""


class QueryError(OrgModelError):
    """Root of the query errors."""


class QueryNotFoundError(QueryError, KeyError):
    """No named query has that name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "query not found"


class QueryParameterError(QueryError, ValueError):
    """A named query got missing, extra or badly typed parameters."""


class ReadOnlyQueryError(QueryError, PermissionError):
    """A statement that could change the store or its files, write files or load code was
    given to a read-only query path; refused before it reached the database."""


class QueryExecutionError(QueryError):
    """The database failed to run a query."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        # "query" is the name the stores give free Cypher text: no name to repeat then.
        super().__init__(message if name == "query" else f"{name} failed: {message}")


class BackendUnavailableError(OrgModelError, ImportError):
    """An optional dependency or a database server is not available."""


class OutputPathError(OrgModelError, ValueError):
    """An output path cannot be written as given: it is an input, lies inside an input
    folder, is a folder where a file is expected (or the other way round), or is too long."""
