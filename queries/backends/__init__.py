"""Read side of the graph stores: run Cypher, write derived properties back."""

from queries.backends.base import GraphStore

__all__ = ["GraphStore"]
