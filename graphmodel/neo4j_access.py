"""How orgnet reaches a Neo4j server, shared by the writer (``loaders.neo4j``) and the query
backend (``queries.backends.neo4j``): accepted URIs, credentials from the environment, and
Cypher identifiers. Imports no driver.
"""

from __future__ import annotations

import os
import re

from graphmodel.errors import BackendUnavailableError

__all__ = ["BOLT_SCHEMES", "UNREACHABLE_HINT", "URI_FORMS", "auth_from_env", "check_uri",
           "cypher_name", "redact_uri"]

BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
"""URI schemes orgnet accepts (the driver's HTTP support is a preview without managed
transactions)."""

URI_FORMS = "URIs look like neo4j://host:7687 or bolt://host:7687 (neo4j+s:// for Aura)"
UNREACHABLE_HINT = f"is the server running and reachable? {URI_FORMS}"

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cypher_name(name: str) -> str:
    """A label, type or property name as a Cypher identifier (backquoted if not plain).

    Examples
    --------
    >>> cypher_name("Territory"), cypher_name("odd name"), cypher_name("a`b")
    ('Territory', '`odd name`', '`a``b`')
    """
    if _PLAIN_NAME.match(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def auth_from_env() -> tuple[str, str] | None:
    """``(NEO4J_USERNAME or "neo4j", NEO4J_PASSWORD)``, or None when no password is set
    (a server with authentication disabled)."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        return None
    return os.environ.get("NEO4J_USERNAME") or "neo4j", password


def redact_uri(uri: str) -> str:
    """``uri`` with any user name and password replaced by ``***`` (for messages and logs).

    Examples
    --------
    >>> redact_uri("neo4j://u:p@h:7687"), redact_uri("bolt://h:7687")
    ('neo4j://***@h:7687', 'bolt://h:7687')
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    authority, slash, tail = rest.partition("/")
    if "@" not in authority:
        return uri
    return f"{scheme}://***@{authority.rsplit('@', 1)[1]}{slash}{tail}"


def check_uri(uri: str) -> None:
    """Accept Bolt URIs without credentials in them (they would sit in the shell history and
    in the driver's error messages: NEO4J_USERNAME / NEO4J_PASSWORD or the prompt hold them).

    Raises
    ------
    BackendUnavailableError
        Credentials in the URI (shown redacted), or not a Bolt URI.
    """
    shown = redact_uri(uri)
    if shown != uri:
        msg = (f"cannot use Neo4j URI {shown!r}: do not put the user name or password in the "
               "URI; set NEO4J_USERNAME and NEO4J_PASSWORD (or answer the prompt)")
        raise BackendUnavailableError(msg)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise BackendUnavailableError(f"cannot use Neo4j URI {uri!r}: {URI_FORMS}")
