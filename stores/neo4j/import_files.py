"""Export the model as CSV files for ``neo4j-admin database import full``: the fastest way to
load a whole province into a new Neo4j database (the server is offline during the import).

Layout of ``out_dir``::

    nodes/Territory.csv ...            id:ID(Territory),name,...,level:long,...,:LABEL
    relationships/TIE__Unit__Territory.csv
                                       :START_ID(Unit),:END_ID(Territory),:TYPE,type,since:long...
    constraints.cypher                 the constraints and indexes ``orgnet push`` creates
    import-command.txt                 the exact neo4j-admin command (and what to run after)

Each label is its own id space (``id:ID(Territory)``), so relationship files name the label of
each end (``:START_ID(Unit)``). Files are UTF-8 without BOM, comma-separated, quoted where needed
with ``"`` doubled inside quotes (RFC 4180, neo4j-admin's default); list properties use the
array delimiter ``;`` (another character if a value contains it). Missing values are empty
unquoted fields, which neo4j-admin leaves unset; an empty string is a quoted ``""``. Values are
written as ``orgnet push`` sends them (:func:`stores.neo4j.push.plain_value`): timestamps as
LadybugDB holds them (naive, microseconds; a value with a time zone keeps its wall-clock time).
An empty list cannot be imported from CSV and is left unset. Files are written row by row,
table by table.
"""

from __future__ import annotations

import logging
import math
import re
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.atomic import atomic_path, write_text_atomic
from graphmodel.model import OrgModel
from graphmodel.storage import (
    BOOL,
    DOUBLE,
    INT,
    STRING,
    STRING_LIST,
    TIMESTAMP,
    node_frames,
    rel_frames,
)
from stores._values import is_missing as _missing
from stores._values import local_timestamp
from stores.neo4j.push import schema_statements

__all__ = ["IMPORT_TYPES", "csv_line", "export_neo4j_import", "import_command", "node_header",
           "rel_header"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

IMPORT_TYPES: dict[str, str] = {STRING: "", INT: "long", DOUBLE: "double", BOOL: "boolean",
                                TIMESTAMP: "localdatetime", STRING_LIST: "string[]"}
"""Storage type -> neo4j-admin header type (``""``: the default, string)."""

_ARRAY_DELIMITERS = (";", "|", "\u001f")
COMMAND_FILE = "import-command.txt"


def _column(name: str, kind: str) -> str:
    suffix = IMPORT_TYPES[kind]
    return f"{name}:{suffix}" if suffix else name


def node_header(label: str, properties: tuple[tuple[str, str], ...]) -> list[str]:
    """``id:ID(Label)``, the typed properties, then ``:LABEL``."""
    cols = [f"id:ID({label})"]
    cols += [_column(p, kind) for p, kind in properties if p != "id"]
    return [*cols, ":LABEL"]


def rel_header(src: str, dst: str, properties: tuple[tuple[str, str], ...]) -> list[str]:
    """``:START_ID(Src)``, ``:END_ID(Dst)``, ``:TYPE``, then the typed properties."""
    return [f":START_ID({src})", f":END_ID({dst})", ":TYPE",
            *(_column(p, kind) for p, kind in properties)]


def _items(value: Any) -> list[str] | None:
    """A ``STRING[]`` value as its items (missing items dropped), or None if missing."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple) and not hasattr(value, "tolist"):
        return None if _missing(value) else [str(value)]
    items = value.tolist() if hasattr(value, "tolist") else value
    return [str(v) for v in items if not _missing(v)]


def _field(value: Any, kind: str, array_delimiter: str) -> str | None:
    """A value as neo4j-admin reads it: None for a missing value (an empty, unquoted field,
    which neo4j-admin leaves unset); a string otherwise (``""`` stays an empty string)."""
    if kind == STRING_LIST:
        items = _items(value)
        # neo4j-admin cannot import an empty array from CSV (it is read as "not set").
        return array_delimiter.join(items) if items and any(items) else None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalar
        value = value.item()
    if _missing(value):
        return None
    if kind == INT:
        return str(int(value))
    if kind == DOUBLE:
        number = float(value)
        if math.isinf(number):  # Java's Double.parseDouble spelling
            return "Infinity" if number > 0 else "-Infinity"
        return repr(number)
    if kind == BOOL:
        return "true" if value else "false"
    if kind == TIMESTAMP:
        stamp = local_timestamp(value)
        return None if stamp is None else stamp.isoformat()
    return str(value)


def _array_delimiter(model: OrgModel) -> str:
    """The first candidate delimiter that no list item contains."""
    items: set[str] = set()
    for table, frame in node_frames(model):
        for name, kind in table.properties:
            if kind == STRING_LIST:
                for value in frame[name]:
                    items.update(_items(value) or ())
    for delimiter in _ARRAY_DELIMITERS:
        if not any(delimiter in item for item in items):
            return delimiter
    msg = "every array delimiter candidate occurs in a list value"
    raise ValueError(msg)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^\s|\s$')


def csv_line(fields: Sequence[str | None]) -> str:
    """One CSV record as neo4j-admin reads it (RFC 4180, its defaults ``--delimiter=,``
    ``--quote='"'``): None is an empty unquoted field (not set); a string is quoted when it is
    empty (``""``: an empty string), holds a comma, quote or line break (``"`` doubled inside),
    or starts or ends with white space."""
    out = []
    for field in fields:
        if field is None:
            out.append("")
        elif field == "" or _NEEDS_QUOTES.search(field):
            out.append('"' + field.replace('"', '""') + '"')
        else:
            out.append(field)
    return ",".join(out) + "\n"


def _write_csv(path: Path, header: list[str], rows) -> bool:
    """Write ``header`` and ``rows``; True if a field holds a line break."""
    multiline = False
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as partial, partial.open("w", encoding="utf-8",
                                                    newline="") as handle:
        handle.write(csv_line(header))
        for row in rows:
            multiline = multiline or any(f is not None and ("\n" in f or "\r" in f)
                                         for f in row)
            handle.write(csv_line(row))
    return multiline


def import_command(database: str, nodes: list[tuple[str, Path]],
                   relationships: list[tuple[str, Path]], *, array_delimiter: str = ";",
                   multiline: bool = False) -> str:
    """The ``neo4j-admin database import full`` command for these files.

    The database name comes right after ``full``: ``--nodes`` and ``--relationships`` take
    several files each, so from Neo4j 5.19 a name after them is read as one more file (an
    option after them is still an option). The
    options spell out how the files are written (their values are neo4j-admin's defaults):
    ``--delimiter=,`` ``--quote='"'`` (RFC 4180, ``""`` inside quotes), ``--array-delimiter``,
    ``--id-type=string`` (ids are strings, stored in the ``id`` property),
    ``--ignore-empty-strings=false`` (a quoted ``""`` is an empty string, an empty field is
    not set), and ``--multiline-fields=true`` when a value holds a line break.
    """
    def delimiter_option(value: str) -> str:
        return f"U+{ord(value):04X}" if not value.isprintable() else value

    parts = ["neo4j-admin", "database", "import", "full", database]
    parts += [f"--nodes={label}={path}" for label, path in nodes]
    parts += [f"--relationships={rel}={path}" for rel, path in relationships]
    parts += ["--delimiter=,", '--quote="',
              f"--array-delimiter={delimiter_option(array_delimiter)}", "--id-type=string",
              "--ignore-empty-strings=false"]
    if multiline:
        parts.append("--multiline-fields=true")
    return " ".join(shlex.quote(p) for p in parts)


# neo4j-admin reads each file name as a regular expression (a literal name still matches).
_REGEX_SPECIAL = re.compile(r"[][(){}+*?^$|\\]")


def _cypher_name(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z][A-Za-z0-9.-]*", name) else (
        "`" + name.replace("`", "``") + "`")


def export_neo4j_import(model: OrgModel, out_dir: str | Path, *, database: str = "neo4j",
                        extra_rels: dict[str, pd.DataFrame] | None = None,
                        progress: Progress | None = None) -> Path:
    """Write node and relationship CSV files for ``neo4j-admin database import full`` into
    ``out_dir``, with ``constraints.cypher`` and ``import-command.txt``.

    Parameters
    ----------
    model
        The validated model.
    out_dir
        Folder to write (created; existing files of the same names are replaced).
    database
        Name of the database the command imports into.
    extra_rels
        Derived relationship frames (see :func:`graphmodel.storage.rel_frames`).
    progress
        Called with the table name before each file is written.

    Returns
    -------
    Path
        ``out_dir/import-command.txt``; its first non-comment line is the command.
    """
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    delimiter = _array_delimiter(model)
    multiline = False
    nodes: list[tuple[str, Path]] = []
    for table, frame in node_frames(model):
        if frame.empty:
            continue
        if progress:
            progress(table.label)
        props = [(p, kind) for p, kind in table.properties if p != "id"]
        rows = ([_field(row[0], STRING, delimiter),
                 *(_field(v, kind, delimiter) for v, (_, kind) in zip(row[1:], props,
                                                                      strict=True)),
                 table.label]
                for row in frame[["id", *(p for p, _ in props)]].itertuples(index=False,
                                                                             name=None))
        path = out / "nodes" / f"{table.label}.csv"
        multiline |= _write_csv(path, node_header(table.label, table.properties), rows)
        nodes.append((table.label, path))
    relationships: list[tuple[str, Path]] = []
    for rel, src, dst, frame in rel_frames(model, extra_rels):
        if frame.empty:
            continue
        if progress:
            progress(f"{rel.name} {src}->{dst}")
        kinds = [kind for _, kind in rel.properties]
        columns = ["from", "to", *(p for p, _ in rel.properties)]
        rows = ([_field(row[0], STRING, delimiter), _field(row[1], STRING, delimiter),
                 rel.name, *(_field(v, k, delimiter) for v, k in zip(row[2:], kinds,
                                                                    strict=True))]
                for row in frame[columns].itertuples(index=False, name=None))
        path = out / "relationships" / f"{rel.name}__{src}__{dst}.csv"
        multiline |= _write_csv(path, rel_header(src, dst, rel.properties), rows)
        relationships.append((rel.name, path))
    constraints = out / "constraints.cypher"
    write_text_atomic(constraints, ";\n".join(schema_statements()) + ";\n")
    command = import_command(database, nodes, relationships, array_delimiter=delimiter,
                             multiline=multiline)
    command_file = out / COMMAND_FILE
    warning = ""
    if _REGEX_SPECIAL.search(str(out)):
        warning = ("# Warning: neo4j-admin reads file names as regular expressions and this "
                   "folder's name has\n# characters special in them; if a file is not found, "
                   "export to a plainer folder.\n")
    write_text_atomic(
        command_file,
        "# Import into a new Neo4j 5 database, on the server, with that database stopped (or\n"
        "# not yet created). Add --overwrite-destination=true to replace an existing database,\n"
        "# e.g. the default neo4j database once the server has been started.\n"
        f"{warning}{command}\n"
        "# Then start the database (a new name: CREATE DATABASE "
        f"{_cypher_name(database)} in the system database)\n"
        "# and create the constraints and indexes (credentials from NEO4J_USERNAME and\n"
        "# NEO4J_PASSWORD, or asked for):\n"
        f"# cypher-shell -d {shlex.quote(database)} -f {shlex.quote(str(constraints))}\n")
    log.info("wrote neo4j-admin import files to %s", out)
    return command_file
