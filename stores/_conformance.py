"""Static check, for mypy only: each backend module is a :class:`graphmodel.store.StoreBackend`
and each store class a :class:`graphmodel.store.GraphStore` (``run`` and the writers with the
protocol's signatures). Nothing here runs: the backends are loaded by name at run time, so
without this file mypy would never compare them with the protocols."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import stores.ladybug
    import stores.neo4j
    from graphmodel.store import GraphStore, StoreBackend
    from stores.ladybug.store import LadybugStore
    from stores.neo4j.store import Neo4jStore

    _STORES: tuple[type[GraphStore], ...] = (LadybugStore, Neo4jStore)
    _BACKENDS: tuple[StoreBackend, ...] = (stores.ladybug, stores.neo4j)
