"""graphmodel: the schema, the in-memory model and the settings of orgnet."""

__version__ = "0.1.0"
__all__ = ["__version__"]
