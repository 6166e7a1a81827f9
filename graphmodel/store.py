"""What a graph store offers the layers above it (queries, the command line), whatever the
database behind it: the protocol every backend of :mod:`stores` implements.

Property values cross this boundary as neutral Python and pandas values (str, int, float, bool,
``datetime``, lists of str; missing as None/NA); each backend maps them onto its own types.
``stores.open_store(target)`` returns one; the query layer uses nothing else of a backend.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from graphmodel.model import OrgModel

__all__ = ["GraphStore", "StoreBackend", "plain_params"]


@runtime_checkable
class GraphStore(Protocol):
    """A graph database the named queries run on (a LadybugDB file, a Neo4j server ...)."""

    backend: str
    """Picks the query variant: ``<name>.<backend>.cypher`` where one exists."""

    writable: bool
    """False when opened read-only: the ``set_*``/``replace_*`` methods then raise."""

    holds_derived: bool
    """True when the store already holds the derived properties (task routes, tie scores,
    structural metrics) a diagnosis with the settings in force would write: the preparation
    steps then read them back instead of deriving them, and their writes are skipped."""

    def run(self, text: str, params: dict[str, Any] | None = None, *,
            name: str = "query") -> pd.DataFrame:
        """Run one read-only Cypher statement; the rows as a DataFrame with the RETURN column
        names. A statement that could change the store or its files, write files or load
        code is refused before it reaches the database (``ReadOnlyQueryError``); ``name``
        names the query in error messages."""
        ...

    def set_properties(self, label: str, key: str, rows: pd.DataFrame) -> None:
        """Set properties on nodes of ``label`` matched by ``key`` (a column of ``rows``);
        every other column of ``rows`` is a property to set. Needs a writable store."""
        ...

    def set_rel_properties(self, rel: str, key: str, rows: pd.DataFrame) -> None:
        """Set properties on ``rel`` relationships matched by property ``key``."""
        ...

    def replace_rels(self, rel: str, rows: pd.DataFrame) -> None:
        """Replace every ``rel`` relationship by those of ``rows`` (columns ``from_label``,
        ``from``, ``to_label``, ``to``, then properties)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    def __enter__(self) -> GraphStore:
        """The store itself (closed on leaving the block)."""
        ...

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        ...


Progress = Callable[[str], None]


class StoreBackend(Protocol):
    """One backend module of :mod:`stores` (registered there by one line)."""

    def open_store(self, target: str, *, writable: bool = False,
                   **options: Any) -> GraphStore:
        """Open the store at ``target`` (read-only unless ``writable``)."""
        ...

    def write_model(self, model: OrgModel, target: str, *, progress: Progress | None = None,
                    extra_rels: dict[str, pd.DataFrame] | None = None,
                    **options: Any) -> str | Path:
        """Create the schema at ``target`` and bulk-write ``model`` (replacing what it held)."""
        ...

    def read_model(self, target: str, **options: Any) -> OrgModel:
        """Rebuild the model from what ``target`` holds."""
        ...

    def is_writable(self, target: str) -> bool:
        """Whether derived properties can be written back to ``target``."""
        ...


def plain_params(params: dict[str, Any]) -> dict[str, Any]:
    """Convert numpy scalars and arrays to Python values (both drivers refuse numpy types)."""
    import numpy as np

    def plain(value: Any) -> Any:
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return [plain(v) for v in value.tolist()]
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {k: plain(v) for k, v in params.items()}
