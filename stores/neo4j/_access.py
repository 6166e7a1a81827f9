"""How orgnet reaches a Neo4j server, shared by the push, the store and the import files:
accepted URIs, credentials from the environment, redaction, timeouts, the driver, and Cypher
identifiers. Imports the driver only in :func:`open_driver`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from graphmodel.errors import BackendUnavailableError
from stores._targets import redact

__all__ = ["BOLT_SCHEMES", "UNREACHABLE_HINT", "URI_FORMS", "Timeouts", "auth_from_env",
           "check_uri", "claims", "cypher_name", "open_driver", "redact_uri", "require_driver",
           "scrub", "unavailable"]

BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
"""URI schemes orgnet accepts (the driver's HTTP support is a preview without managed
transactions)."""

URI_FORMS = "URIs look like neo4j://host:7687 or bolt://host:7687 (neo4j+s:// for Aura)"
UNREACHABLE_HINT = f"is the server running and reachable? {URI_FORMS}"

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def claims(target: str) -> bool:
    """Whether ``target`` is meant for Neo4j: a Bolt scheme (``neo4j``, ``bolt+s`` ...)
    followed by ``:``, however the rest is typed (``neo4j:/u:p@h`` is a mistyped URI, not a
    file name, so it is refused with the secret redacted rather than written to)."""
    match = _SCHEME.match(target)
    return match is not None and match.group(1).lower() in BOLT_SCHEMES


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
    """``uri`` with any user name, password, query string or fragment replaced by ``***``
    (:func:`stores._targets.redact`).

    Examples
    --------
    >>> redact_uri("neo4j://u:p@h:7687"), redact_uri("neo4j:/u:pass@h")
    ('neo4j://***@h:7687', 'neo4j:/***@h')
    """
    return redact(uri)


def scrub(text: str, uri: str, auth: tuple[str, str] | None = None) -> str:
    """``text`` (a driver's message) with ``uri`` redacted and the password, if any, hidden."""
    shown = text.replace(uri, redact_uri(uri))
    if auth is not None and auth[1] and len(auth[1]) >= 3:
        shown = shown.replace(auth[1], "***")
    return shown


def check_uri(uri: str) -> None:
    """Accept Bolt URIs without credentials or query strings in them (they would sit in the
    shell history and in the driver's error messages: NEO4J_USERNAME / NEO4J_PASSWORD or the
    prompt hold them).

    Raises
    ------
    BackendUnavailableError
        Credentials or a query string in the URI (shown redacted), or not a Bolt URI.
    """
    shown = redact_uri(uri)
    if shown != uri:
        msg = (f"cannot use Neo4j URI {shown!r}: do not put a user name, password or query "
               "string in the URI; set NEO4J_USERNAME and NEO4J_PASSWORD (or answer the "
               "prompt)")
        raise BackendUnavailableError(msg)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES or not uri.split("://", 1)[1].strip("/"):
        raise BackendUnavailableError(f"cannot use Neo4j URI {shown!r}: {URI_FORMS}")


@dataclass(frozen=True)
class Timeouts:
    """How long orgnet waits for a Neo4j server (seconds).

    ``connect`` bounds opening a connection (TCP and the Bolt handshake) and waiting for one
    from the pool; ``query`` bounds each transaction on the server and the driver's retries of
    transient errors. Settings ``neo4j_connect_timeout`` / ``neo4j_query_timeout``, or the
    ``ORGNET_NEO4J_CONNECT_TIMEOUT`` / ``ORGNET_NEO4J_QUERY_TIMEOUT`` environment variables.
    """

    connect: float = 10.0
    query: float = 300.0

    @classmethod
    def from_env(cls, connect: float | None = None, query: float | None = None) -> Timeouts:
        """Given values, else the environment's, else the defaults."""
        def pick(given: float | None, name: str, default: float) -> float:
            if given is not None:
                return float(given)
            raw = os.environ.get(name)
            try:
                return float(raw) if raw else default
            except ValueError:
                msg = f"{name} must be a number of seconds, got {raw!r}"
                raise BackendUnavailableError(msg) from None

        return cls(pick(connect, "ORGNET_NEO4J_CONNECT_TIMEOUT", cls.connect),
                   pick(query, "ORGNET_NEO4J_QUERY_TIMEOUT", cls.query))


def require_driver():
    """The ``neo4j`` module, or BackendUnavailableError with the install command."""
    try:
        import neo4j
    except ImportError as err:  # pragma: no cover - neo4j is a core dependency
        msg = "the Neo4j backend needs the driver: pip install neo4j"
        raise BackendUnavailableError(msg) from err
    return neo4j


def unavailable(uri: str, err: Exception, auth: tuple[str, str] | None = None
                ) -> BackendUnavailableError:
    """The error to raise when the server at ``uri`` cannot be used (secrets redacted)."""
    from neo4j.exceptions import AuthError

    shown = redact_uri(uri)
    if isinstance(err, AuthError):
        hint = "check NEO4J_USERNAME and NEO4J_PASSWORD"
        return BackendUnavailableError(f"Neo4j at {shown} refused the credentials; {hint}")
    detail = scrub(str(err), uri, auth) or type(err).__name__
    return BackendUnavailableError(f"cannot reach Neo4j at {shown}: {detail}; {UNREACHABLE_HINT}")


def open_driver(uri: str, auth: tuple[str, str] | None, timeouts: Timeouts) -> Any:
    """A driver for ``uri`` whose connectivity has been verified within ``timeouts.connect``.

    Raises
    ------
    BackendUnavailableError
        Not a Bolt URI, credentials in it, the server cannot be reached in time, or it refused
        the credentials.
    """
    check_uri(uri)  # before the driver, whose errors would repeat the whole URI
    neo4j = require_driver()
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeouts.connect,
            connection_acquisition_timeout=timeouts.connect,
            max_transaction_retry_time=timeouts.query)
    except (DriverError, ValueError) as err:  # a malformed URI or scheme
        raise unavailable(uri, err, auth) from err
    try:
        driver.verify_connectivity()
    except (DriverError, Neo4jError, OSError) as err:
        driver.close()
        raise unavailable(uri, err, auth) from err
    return driver
