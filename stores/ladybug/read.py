"""Read the model back from a LadybugDB file written by ``orgnet load``."""

from __future__ import annotations

from pathlib import Path

from graphmodel.model import OrgModel
from stores._readback import model_from_store
from stores.ladybug.store import LadybugStore

__all__ = ["read_ladybug"]


def read_ladybug(path: str | Path) -> OrgModel:
    """Rebuild the model from a LadybugDB file written by :func:`~stores.ladybug.write_ladybug`
    (opened read-only: the file is not changed).

    Raises
    ------
    StoreError
        The file is missing, cannot be opened, or is not an orgnet database.
    """
    target = Path(path)
    with LadybugStore(target) as store:
        return model_from_store(store, shown=str(target), origin=target.name)
