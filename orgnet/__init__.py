"""orgnet: a graph-based modeler of grassroots party organization networks."""

__version__ = "0.1.0"
__all__ = ["__version__"]
