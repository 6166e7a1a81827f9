"""Kept so that ``from queries.backends.base import GraphStore`` still works: the protocol now
lives in :mod:`graphmodel.store`, the backends in :mod:`stores`."""

from graphmodel.store import GraphStore

__all__ = ["GraphStore"]
