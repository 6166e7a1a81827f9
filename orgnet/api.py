"""The Python API for notebooks: open a store or a dataset, query it into DataFrames, get the
findings and the networkx graph.

Examples
--------
>>> import orgnet
>>> net = orgnet.open(TINY_CITY)           # a CSV folder or workbook (or a .lbdb file)
>>> net.query("MATCH (t:Territory) WHERE t.kind = $kind RETURN t.id AS id ORDER BY id",
...           kind="grid")["id"].tolist()
['T-G11', 'T-G12', 'T-G21']
>>> net.run("coverage/territory_without_org", kinds=["grid"]).empty
True
>>> list(net.findings().columns)[:4]
['question', 'check', 'severity', 'subject']
>>> G = net.graph(scope="T-C1")            # networkx.MultiDiGraph, Chinese labels
>>> G.nodes["T-C1"]["label"]
'幸福社区'
>>> net.close()

``TINY_CITY`` is ``tests/data/tiny_city`` of the source tree.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graphmodel.errors import InputError, Issue
from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from graphmodel.store import GraphStore

__all__ = ["Network", "open"]

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                  "bolt+ssc://")
_STORE_SUFFIXES = (".lbdb", ".db", ".kuzu")


class Network:
    """An organization network opened for analysis (see :func:`open`).

    Queries run read-only on the store; :meth:`diagnose` works on a private copy, so the
    file given to :func:`open` is never changed.
    """

    def __init__(self, store: GraphStore, *, model: OrgModel | None = None,
                 db_path: str | Path | None = None, settings: Settings | None = None,
                 tmp: tempfile.TemporaryDirectory | None = None) -> None:
        self._store = store
        self._model = model
        self._db_path = db_path
        self._tmp = tmp
        self.settings = settings or Settings()
        self._diagnosis: dict[str, Any] | None = None

    # -- the model -----------------------------------------------------------------------
    @property
    def model(self) -> OrgModel:
        """The in-memory model (:class:`graphmodel.model.OrgModel`), read back from the store
        the first time it is needed."""
        if self._model is None:
            if self._db_path is None:
                msg = "this network was opened without its data: open(..., data=DATA)"
                raise InputError([Issue("data", msg)])
            import stores

            self._model = stores.read_model(self._db_path)
        return self._model

    def graph(self, scope: str | None = None, *, flags: bool = False) -> nx.MultiDiGraph:
        """The networkx graph of the model's structure: territories, organizations, units,
        platforms and their relationships (no members), with Chinese labels, kinds and levels.

        Parameters
        ----------
        scope
            ``None`` or ``"city"`` for everything, else a street or community id.
        flags
            Add the finding flags (``findings``, ``checks``, ``flag_coverage`` ...); runs the
            diagnosis the first time.

        Returns
        -------
        networkx.MultiDiGraph
            The graph ``orgnet export graphml`` writes.
        """
        from visualizations.export import export_graph

        findings = self.diagnose()["findings"] if flags else None
        return export_graph(self.model, findings, scope=scope)

    # -- queries -------------------------------------------------------------------------
    def query(self, cypher: str, **params: Any) -> pd.DataFrame:
        """Run Cypher on the store (read-only); rows as a DataFrame.

        Raises
        ------
        QueryExecutionError
            The database refused the query (syntax, types, a write ...).
        """
        return self._store.run(cypher, params)

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query ``name`` (see :meth:`queries`) with ``params``.

        Raises
        ------
        QueryNotFoundError, QueryParameterError
            Unknown name, missing or unexpected parameters.
        """
        from queries.run import run_query

        return run_query(self._store, name, **params)

    @staticmethod
    def queries() -> pd.DataFrame:
        """The named query library: ``name``, ``summary``, ``params``, ``returns``."""
        from queries.library import list_queries

        return pd.DataFrame([(q.name, q.summary, list(q.params), list(q.returns))
                             for q in list_queries()],
                            columns=["name", "summary", "params", "returns"])

    def schema(self) -> pd.DataFrame:
        """What the store holds: labels, types, properties with type and meaning."""
        from orgnet._schema_doc import store_schema
        from queries.catalog import store_catalog

        return store_schema(store_catalog(self._store))

    # -- the diagnosis -------------------------------------------------------------------
    def diagnose(self) -> dict[str, Any]:
        """The diagnosis (the JSON object of FINDINGS.md), computed once with
        :attr:`settings` on a private copy of the data."""
        if self._diagnosis is None:
            from queries.diagnose import diagnose
            from stores.ladybug import scratch_store

            with scratch_store(self.model) as store:
                self._diagnosis = diagnose(self.model, store, self.settings)
        return self._diagnosis

    def findings(self, *, question: str | None = None, check: str | None = None,
                 show_names: bool = False) -> pd.DataFrame:
        """The findings as a DataFrame, one row per finding (FINDINGS.md order).

        Parameters
        ----------
        question, check
            Keep only this question (``coverage``, ``weak_ties``, ``backflow``) or check code.
        show_names
            Name member subjects (personal data; ids only by default).

        Returns
        -------
        pandas.DataFrame
            Columns ``question``, ``check``, ``severity``, ``subject``, ``subject_name``,
            ``street_id``, ``street_name``, ``message``, ``path``, ``detail``.
        """
        from queries.findings_table import findings_frame

        found = [f for f in self.diagnose()["findings"]
                 if (question is None or f["question"] == question)
                 and (check is None or f["check"] == check)]
        return findings_frame(found, self.model, show_names=show_names)

    # -- lifetime ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the store (and remove the temporary database of an opened dataset)."""
        self._store.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Network:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where: object = self._db_path or getattr(self._store, "uri", None) or self._store.backend
        return f"<orgnet.Network {where}>"


def open(target: str | Path, *, data: str | Path | None = None,
         settings: Settings | str | Path | None = None, database: str | None = None,
         auth: tuple[str, str] | None = None) -> Network:
    """Open an organization network for analysis.

    Parameters
    ----------
    target
        A LadybugDB file written by ``orgnet load`` (``city.lbdb``); a CSV folder or an
        Excel workbook (loaded into a temporary database, with everything ``orgnet load``
        derives); or a Neo4j URI (``neo4j://host:7687``; credentials from ``auth`` or
        ``NEO4J_USERNAME``/``NEO4J_PASSWORD``).
    data
        With a Neo4j URI: the dataset the server holds, for :attr:`Network.model`.
    settings
        A :class:`graphmodel.settings.Settings`, or the path of a TOML file.
    database
        Neo4j database name.
    auth
        Neo4j ``(user, password)``.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        The dataset has errors (each names its file, row and column).
    StoreError
        No database at the path, or it cannot be opened.
    """
    from orgnet._stores import open_read_store

    if not isinstance(settings, Settings):
        from graphmodel.settings import load_settings

        settings = load_settings(settings)
    text = str(target)
    if text.startswith(_NEO4J_SCHEMES):
        model = None
        if data is not None:
            from loaders import load_dataset

            model = load_dataset(Path(data))
        store = open_read_store(neo4j=text, database=database, auth=auth)
        return Network(store, model=model, settings=settings)
    path = Path(target)
    if path.suffix.lower() in _STORE_SUFFIXES:
        return Network(open_read_store(path), db_path=path, settings=settings)
    from loaders import load_dataset
    from orgnet.pipeline import load_database

    model = load_dataset(path)
    tmp = tempfile.TemporaryDirectory(prefix="orgnet-")
    try:
        db = load_database(model, Path(tmp.name) / "orgnet.lbdb", settings=settings)
        store = open_read_store(db)
    except BaseException:
        tmp.cleanup()
        raise
    return Network(store, model=model, db_path=db, settings=settings, tmp=tmp)

