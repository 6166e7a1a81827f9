"""Kept for imports not yet moved: the store protocol is :mod:`graphmodel.store`."""

from graphmodel.store import GraphStore, plain_params

__all__ = ["GraphStore", "plain_params"]
