"""The read-only guard every store's ``run`` applies before a statement reaches the database.

The engines' own read-only modes (LadybugDB ``Database(read_only=True)``, Neo4j READ access
mode) refuse data writes but not everything: on LadybugDB 0.22 ``CHECKPOINT`` leaves ``.wal`` and
``.shadow`` files that make the database unopenable, ``COPY (...) TO`` and ``EXPORT DATABASE``
write files, ``LOAD FROM`` reads any file, ``LOAD EXTENSION`` runs native code and ``INSTALL``
downloads it, ``CALL threads=...`` changes the session; a query nested a few hundred brackets
deep crashes its parser, and nested ``CASE`` takes exponential time (CYPHER.md). So the guard
reads the statement itself, with string literals, comments and names in backquotes set aside:

- one statement only (no ``;`` between two);
- no keyword of a clause that writes, reads or writes files, loads code, or changes the
  database, session or transaction (:data:`REFUSED`);
- ``CALL`` only of the read-only procedures in :data:`READ_PROCEDURES` (or a ``CALL { ... }``
  subquery, whose body is checked like the rest);
- no function that writes (``nextval``);
- at most :data:`MAX_NESTING` brackets (``(``, ``[``, ``{``, ``CASE``) open at once, of which
  at most :data:`MAX_CASE_NESTING` ``CASE``; at most :data:`MAX_LENGTH` characters.

Everything else (MATCH, OPTIONAL MATCH, WITH, UNWIND, WHERE, RETURN, UNION, ORDER BY, SHOW,
EXPLAIN, PROFILE ...) is the engine's to judge. A word is a keyword only where it could be one:
not inside a string, a comment or backquotes, nor right after ``.`` (a property) or ``$`` (a
parameter).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphmodel.errors import ReadOnlyQueryError

__all__ = ["MAX_CASE_NESTING", "MAX_LENGTH", "MAX_NESTING", "READ_PROCEDURES", "REFUSED",
           "check_read_only"]

MAX_LENGTH = 100_000
MAX_NESTING = 32
MAX_CASE_NESTING = 12

_WRITES = "changes the graph or its schema"
_FILES = "reads or writes files outside the store"
_CODE = "installs or loads code"
_SESSION = "changes the database file, the session or the transaction"

REFUSED: dict[str, str] = {
    **dict.fromkeys(("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER",
                     "RENAME", "FOREACH", "TRUNCATE", "COMMENT", "GRANT", "DENY", "REVOKE"),
                    _WRITES),
    **dict.fromkeys(("COPY", "LOAD", "EXPORT", "IMPORT"), _FILES),
    **dict.fromkeys(("INSTALL", "UNINSTALL", "UPDATE"), _CODE),
    **dict.fromkeys(("CHECKPOINT", "ATTACH", "USE", "BEGIN", "COMMIT", "ROLLBACK", "START",
                     "STOP", "TERMINATE", "ENABLE", "DISABLE"), _SESSION),
}
"""Keyword -> why a read-only query may not use it."""

READ_PROCEDURES: frozenset[str] = frozenset({
    # LadybugDB table functions that only read the catalog
    "show_tables", "table_info", "show_connection", "db_version", "current_setting",
    "show_warnings", "show_functions", "show_indexes", "show_sequences", "show_macros",
    "show_attached_databases", "show_loaded_extensions", "show_official_extensions",
    "storage_info",
    # Neo4j procedures that only read the schema or the server's identity
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.info", "db.ping",
    "dbms.components",
})
"""Procedures ``CALL`` may name on a read-only path (lower case)."""

_WRITING_FUNCTIONS = frozenset({"nextval"})

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _tokens(text: str, *, escapes: bool) -> Iterator[tuple[str, str]]:
    """``(kind, value)`` pairs: ``word`` (a keyword candidate), ``name`` (a word after ``.`` or
    ``$``, or backquoted), ``punct`` (one character); strings and comments are dropped.
    ``escapes``: a backslash escapes the next character in a string."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            i += 1
            while i < n and text[i] != c:
                i += 2 if escapes and text[i] == "\\" else 1
            i += 1
            yield "string", ""
        elif c == "`":
            end = i + 1
            while end < n:
                if text[end] == "`":
                    if end + 1 < n and text[end + 1] == "`":
                        end += 2
                        continue
                    break
                end += 1
            yield "name", text[i + 1:end]
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            assert match is not None
            word = match.group()
            before = text[i - 1] if i else ""
            yield ("name" if before in {".", "$"} else "word"), word
            i = match.end()
        elif c.isspace():
            i += 1
        elif c.isdigit():
            while i < n and (text[i].isalnum() or text[i] in "._"):
                i += 1
            yield "number", ""
        else:
            yield "punct", c
            i += 1


def _refuse(why: str) -> ReadOnlyQueryError:
    return ReadOnlyQueryError(f"refused: {why}. Queries run read-only: MATCH, OPTIONAL MATCH, "
                              "WITH, UNWIND, WHERE, RETURN, UNION and CALL of read-only "
                              "procedures; nothing that changes the store, touches files or "
                              "loads code")


def _check(tokens: list[tuple[str, str]]) -> None:
    depth = case_depth = 0
    closers: list[str] = []
    for index, (kind, value) in enumerate(tokens):
        upper = value.upper()
        if kind == "punct":
            if value in "([{":
                closers.append(value)
                depth += 1
            elif value in ")]}" and closers:
                closers.pop()
                depth -= 1
            elif value == ";" and any(k != "punct" or v != ";" for k, v in tokens[index + 1:]):
                raise _refuse("one statement at a time (`;` between two statements)")
        elif kind == "word" and upper == "CASE":
            closers.append("CASE")
            depth += 1
            case_depth += 1
            if case_depth > MAX_CASE_NESTING:
                raise _refuse(f"CASE nested more than {MAX_CASE_NESTING} deep")
        elif kind == "word" and upper == "END" and closers and closers[-1] == "CASE":
            closers.pop()
            depth -= 1
            case_depth -= 1
        elif kind == "word" and upper in REFUSED:
            raise _refuse(f"`{upper}` {REFUSED[upper]}")
        elif kind == "word" and upper == "CALL":
            _check_call(tokens[index + 1:])
        elif kind == "word" and value.lower() in _WRITING_FUNCTIONS:
            raise _refuse(f"`{value}` {_WRITES}")
        if depth > MAX_NESTING:
            raise _refuse(f"brackets nested more than {MAX_NESTING} deep")


def _check_call(rest: list[tuple[str, str]]) -> None:
    """``CALL { ... }`` / ``CALL (x) { ... }`` subqueries pass (their body is checked as part
    of the statement); a procedure must be a read-only one; ``CALL option = value`` never."""
    if rest and rest[0] in {("punct", "{"), ("punct", "(")}:
        return
    parts: list[str] = []
    for kind, value in rest:
        if kind in {"word", "name"} and (not parts or parts[-1] == "."):
            parts.append(value)
        elif (kind, value) == ("punct", ".") and parts and parts[-1] != ".":
            parts.append(".")
        else:
            break
    name = "".join(parts)
    if name.lower() not in READ_PROCEDURES:
        shown = name or "this"
        raise _refuse(f"`CALL {shown}` is not a read-only procedure orgnet knows "
                      f"({', '.join(sorted(READ_PROCEDURES))})")


def check_read_only(text: str) -> None:
    """Refuse ``text`` unless it is one statement that can only read the store.

    Parameters
    ----------
    text
        The Cypher statement.

    Raises
    ------
    ReadOnlyQueryError
        What is refused and why (the statement is never sent to the database then).

    Examples
    --------
    >>> check_read_only("MATCH (t:Territory) WHERE t.name CONTAINS 'CREATE' RETURN t.id")
    >>> check_read_only("CHECKPOINT")
    Traceback (most recent call last):
    ...
    graphmodel.errors.ReadOnlyQueryError: refused: `CHECKPOINT` changes the database file, ...
    """
    if len(text) > MAX_LENGTH:
        raise _refuse(f"a statement of more than {MAX_LENGTH} characters")
    # Read twice, with and without backslash escapes in strings, so that no reading of the
    # quotes can hide a keyword from the guard.
    for escapes in (True, False):
        _check(list(_tokens(text, escapes=escapes)))
