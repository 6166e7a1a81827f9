"""Run named queries on a graph store."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.store import GraphStore
from queries.library import get_query

__all__ = ["run_query"]


def run_query(store: GraphStore, name: str, **params: Any) -> pd.DataFrame:
    """Run the named query ``name`` on ``store`` with ``params``; rows as a DataFrame.

    Raises
    ------
    QueryNotFoundError, QueryParameterError
        Before any database call.
    QueryExecutionError
        The database failed the query.
    """
    query = get_query(name)
    query.check_params(params)
    frame = store.run(query.text_for(store.backend), params, name=name)
    if query.returns and list(frame.columns) != list(query.returns):
        frame.columns = list(query.returns)[: len(frame.columns)]
    return frame
