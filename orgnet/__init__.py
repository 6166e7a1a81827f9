"""orgnet: a graph-based modeler of grassroots party organization networks."""

from graphmodel import __version__

__all__ = ["__version__"]
