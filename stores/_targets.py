"""Targets as text: how a URI is told from a file path, and shown without its secrets."""

from __future__ import annotations

import re

__all__ = ["has_scheme", "redact"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def has_scheme(target: str) -> bool:
    """Whether ``target`` looks like a URI (``scheme://...``) rather than a file path."""
    return bool(_URI.match(target))


def redact(target: str) -> str:
    """``target`` with anything that may be a secret replaced by ``***``: a user name and
    password (before the last ``@``, however many slashes follow the scheme), and a query
    string or fragment (``?user=a&password=x``). A text without a scheme (a file path) is
    returned as it is.

    Examples
    --------
    >>> redact("neo4j://u:p@h:7687"), redact("bolt://h:7687")
    ('neo4j://***@h:7687', 'bolt://h:7687')
    >>> redact("neo4j://h:7687?user=a&password=x"), redact("neo4j:/u:pass@h")
    ('neo4j://h:7687?***', 'neo4j:/***@h')
    >>> redact("backup@2024/city.lbdb")
    'backup@2024/city.lbdb'
    """
    match = _SCHEME.match(target)
    if not match or len(match.group(1)) < 2:  # not a URI (a Windows drive letter at most)
        return target
    scheme, rest = target[:match.end()], target[match.end():]
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    tail = ""
    if cut >= 0:
        tail = rest[cut] + "***"
        rest = rest[:cut]
    if "@" in rest:
        slashes = len(rest) - len(rest.lstrip("/"))
        rest = rest[:slashes] + "***@" + rest.rsplit("@", 1)[1]
    return scheme + rest + tail
