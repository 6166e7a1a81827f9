"""Write the model into a LadybugDB file: DDL from the shared storage schema, then bulk
``COPY ... FROM`` DataFrames (about 40× faster than row-by-row statements, CYPHER.md).

Writing is atomic: the database is built in a temporary file beside the target and renamed
into place only when complete, so a failed load leaves any existing file untouched and no
partial file behind, and readers never see a half-written database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from graphmodel.errors import StoreError
from graphmodel.model import OrgModel
from graphmodel.storage import (
    NODE_TABLES,
    REL_TABLES,
    NodeTable,
    RelTable,
    arrow_type,
    node_frames,
    rel_frames,
)

__all__ = ["ddl_statements", "write_ladybug"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def ddl_statements() -> list[str]:
    """CREATE statements for every node and relationship table of the storage schema."""
    out = []
    for table in NODE_TABLES:
        props = ", ".join(f"{name} {kind}" for name, kind in table.properties)
        out.append(f"CREATE NODE TABLE {table.label}({props}, PRIMARY KEY(id))")
    for rel in REL_TABLES:
        parts = [f"FROM {s} TO {t}" for s, t in rel.pairs]
        parts += [f"{name} {kind}" for name, kind in rel.properties]
        out.append(f"CREATE REL TABLE {rel.name}({', '.join(parts)})")
    return out


def _prepare(frame: pd.DataFrame, properties: tuple[tuple[str, str], ...]):
    """An Arrow table with the declared types: LadybugDB scans it without numpy's dtype limits
    (nullable integers and booleans)."""
    import pyarrow as pa

    arrays, names = [], []
    for name, kind in properties:
        col = frame[name] if name in frame.columns else pd.Series([None] * len(frame))
        if kind == "INT64":
            col = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif kind == "DOUBLE":
            col = pd.to_numeric(col, errors="coerce").astype("Float64")
        elif kind == "BOOLEAN":
            col = col.astype("boolean")
        elif kind == "TIMESTAMP":
            col = pd.to_datetime(col, errors="coerce").astype("datetime64[us]")
        elif kind == "STRING":
            if isinstance(col.dtype, pd.StringDtype):  # Arrow strings already: no conversion
                arrays.append(_arrow_column(col.array, arrow_type(kind)))
                names.append(name)
                continue
            col = col.astype(object).where(col.notna(), None)
        else:
            col = col.astype(object)
        arrays.append(
            pa.array(
                col.to_numpy(dtype=object) if kind in {"STRING", "STRING[]"} else col,
                type=arrow_type(kind),
                from_pandas=True,
            )
        )
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def _arrow_column(values, type_):
    import pyarrow as pa

    data = pa.array(values)
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks()
    return data.cast(type_)


def _copy_nodes(conn, table: NodeTable, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    data = _prepare(frame, table.properties)  # noqa: F841 - scanned by name in COPY
    conn.execute(f"COPY {table.label} FROM data")


def _copy_rels(conn, rel: RelTable, src: str, dst: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    ends = (("from", "STRING"), ("to", "STRING"))
    data = _prepare(frame, ends + rel.properties)  # noqa: F841 - scanned by name in COPY
    if len(rel.pairs) == 1:
        conn.execute(f"COPY {rel.name} FROM data")
    else:
        conn.execute(f"COPY {rel.name} FROM data (from='{src}', to='{dst}')")


def write_ladybug(
    model: OrgModel,
    path: str | Path,
    *,
    progress: Progress | None = None,
    extra_rels: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``model`` to a new LadybugDB database file at ``path`` (replacing it atomically).

    Parameters
    ----------
    model
        The validated model.
    path
        Database file to create or replace.
    progress
        Called with a short label before each table is copied.
    extra_rels
        Derived relationship frames (see :func:`graphmodel.storage.rel_frames`).

    Raises
    ------
    StoreError
        The database could not be written; any existing file at ``path`` is unchanged.
    """
    import ladybug

    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # LadybugDB creates the file itself
    try:
        db = ladybug.Database(str(tmp))
        conn = ladybug.Connection(db)
        for statement in ddl_statements():
            conn.execute(statement)
        for table, frame in node_frames(model):
            if progress:
                progress(table.label)
            _copy_nodes(conn, table, frame)
        for rel, src, dst, frame in rel_frames(model, extra_rels):
            if progress:
                progress(f"{rel.name} {src}->{dst}")
            _copy_rels(conn, rel, src, dst, frame)
        conn.close()
        db.close()
        os.replace(tmp, target)
        _remove(Path(str(tmp) + ".wal"))
    except Exception as err:
        _remove(tmp)
        _remove(Path(str(tmp) + ".wal"))
        if isinstance(err, StoreError):
            raise
        raise StoreError(f"could not write the database {target}: {err}") from err
    log.info("wrote %s", target)
    return target


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        path.unlink()


def read_ladybug(path: str | Path):
    """Rebuild the model from a LadybugDB file written by :func:`write_ladybug`.

    The database holds the resolved graph: links and task steps whose ends did not resolve
    were not stored, so they are absent here too (their warnings were given at load time).

    Raises
    ------
    StoreError
        The file is missing or not an orgnet database.
    """
    import ladybug

    from graphmodel.build import build_model
    from graphmodel.schema import TABLES

    target = Path(path)
    if not target.is_file():
        raise StoreError(f"no database file at {target}: create it with `orgnet load`")
    try:
        db = ladybug.Database(str(target), read_only=True)
        conn = ladybug.Connection(db)
    except RuntimeError as err:
        raise StoreError(f"cannot open {target}: {err}") from err

    def frame(text: str) -> pd.DataFrame:
        try:
            return conn.execute(text).get_as_df()
        except RuntimeError as err:
            raise StoreError(f"{target} is not an orgnet database: {err}") from err

    frames: dict[str, pd.DataFrame] = {}
    for table in NODE_TABLES:
        cols = [c.name for c in TABLES[table.table].columns]
        result = frame(
            f"MATCH (n:{table.label}) RETURN "
            + ", ".join(f"n.{c} AS {c}" for c in cols)
            + " ORDER BY n.id"
        )
        frames[table.table] = result
    link_cols = [
        c.name for c in TABLES["links"].columns if c.name not in {"source_id", "target_id"}
    ]
    frames["links"] = frame(
        "MATCH (a)-[t:TIE]->(b) RETURN a.id AS source_id, b.id AS target_id, "
        + ", ".join(f"t.{c} AS {c}" for c in link_cols)
        + ", t.rid AS rid"
    )
    frames["task_steps"] = frame(
        "MATCH (a)-[s:STEP]->(b) RETURN s.task_id AS task_id, s.step AS step, a.id AS from_id, "
        "CASE WHEN s.action = 'handle' THEN NULL ELSE b.id END AS to_id, s.action AS action, "
        "s.at AS at ORDER BY s.seq"
    )
    conn.close()
    db.close()
    links = frames["links"]
    links.index = pd.Index(links["rid"].str[1:].astype(int), name="row")
    frames["links"] = links.sort_index()
    for name, f in frames.items():
        if name != "links":
            f.index = pd.RangeIndex(2, len(f) + 2, name="row")
        for col in f.columns:
            if f[col].dtype == object or str(f[col].dtype) == "str":
                f[col] = f[col].astype(object).where(f[col].notna(), None)
        frames[name] = f
    return build_model(frames, {name: f"{target.name}:{name}" for name in frames})
