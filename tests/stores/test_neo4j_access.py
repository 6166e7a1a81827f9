"""Reaching a Neo4j server: secrets redacted whatever the URI's shape (issue 16 item 9), and
bounded, configurable connect timeouts (item 8) against a port that accepts and never
answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from graphmodel.errors import BackendUnavailableError
from orgnet.cli import main
from stores import shown
from stores.neo4j import Neo4jStore, Timeouts

SECRET = "s3cr3t-pw"


@pytest.mark.parametrize(("target", "expected"), [
    ("neo4j://h:7687?user=a&password=x", "neo4j://h:7687?***"),
    ("neo4j:/u:pass@h", "neo4j:/***@h"),
    ("neo4j:u:pass@h", "neo4j:***@h"),
    ("bolt://u:p@h:7687", "bolt://***@h:7687"),
    ("bolt+ssc://u@h", "bolt+ssc://***@h"),
    ("neo4j://h#password=x", "neo4j://h#***"),
    ("neo4j+s://a:b@c@h/db?x=@y", "neo4j+s://***@h/db?***"),
    ("memgraph://u:p@h", "memgraph://***@h"),
    ("city.lbdb", "city.lbdb"),
    ("backup@2024/city.lbdb", "backup@2024/city.lbdb"),
])
def test_secrets_are_redacted_whatever_the_shape(target: str, expected: str) -> None:
    assert shown(target) == expected


@pytest.mark.parametrize("target", [
    f"neo4j://127.0.0.1:1?user=a&password={SECRET}",
    f"neo4j:/analyst:{SECRET}@127.0.0.1:1",
    f"bolt://analyst:{SECRET}@127.0.0.1:1",
    f"neo4j://127.0.0.1:1/?token={SECRET}",
    f"memgraph://analyst:{SECRET}@127.0.0.1:1",
])
@pytest.mark.parametrize("command", [["query", "RETURN 1", "--db"], ["info", "--db"],
                                     ["diagnose", "--db"], ["push", "--neo4j"]])
def test_no_command_echoes_a_secret(target: str, command: list[str], capsys, caplog,
                                    monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "other-pw")
    argv = [*command, target]
    if command[0] == "push":
        argv.append("tests/data/tiny_city")
    assert main(argv) == 2
    captured = capsys.readouterr()
    for text in (captured.out, captured.err, caplog.text):
        assert SECRET not in text


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections and never answers (closed after)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_server_that_never_answers_is_given_up_in_time(silent_port: int, scheme: str) -> None:
    started = time.monotonic()
    with pytest.raises(BackendUnavailableError, match="cannot reach Neo4j"):
        Neo4jStore(f"{scheme}://127.0.0.1:{silent_port}", auth=("neo4j", "pw"),
                   timeouts=Timeouts(connect=1.0))
    assert time.monotonic() - started < 8


def test_the_connect_timeout_is_configurable_from_the_environment(silent_port: int,
                                                                  monkeypatch, capsys) -> None:
    monkeypatch.setenv("ORGNET_NEO4J_CONNECT_TIMEOUT", "0.5")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    assert Timeouts.from_env().connect == 0.5 and Timeouts().connect == 10.0
    started = time.monotonic()
    assert main(["query", "--db", f"bolt://127.0.0.1:{silent_port}", "RETURN 1"]) == 2
    assert time.monotonic() - started < 6
    assert "cannot reach Neo4j" in capsys.readouterr().err
    monkeypatch.setenv("ORGNET_NEO4J_CONNECT_TIMEOUT", "soon")
    with pytest.raises(BackendUnavailableError, match="ORGNET_NEO4J_CONNECT_TIMEOUT"):
        Timeouts.from_env()
