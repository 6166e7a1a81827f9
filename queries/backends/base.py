"""What every graph store offers the query layer."""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

__all__ = ["GraphStore", "plain_params"]


class GraphStore(Protocol):
    """A graph database the named queries run on (LadybugDB file or Neo4j server)."""

    backend: str  # "ladybug" or "neo4j": picks the query variant

    def run(self, text: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run Cypher; return the rows as a DataFrame with the RETURN column names."""
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
