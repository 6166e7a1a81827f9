"""The Neo4j store without a server: connection errors, result conversion, error mapping, the
query variant it runs, and that only two modules import the driver."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.errors import BackendUnavailableError, QueryExecutionError
from queries.library import NamedQuery
from stores.neo4j.store import (
    Neo4jStore,
    create_rels_statement,
    set_properties_statement,
    set_rel_properties_statement,
)

ROOT = Path(__file__).resolve().parents[2]


class FakeResult:
    def __init__(self, keys, rows) -> None:
        self._keys, self._rows = keys, rows

    def keys(self):
        return self._keys

    def __iter__(self):
        from neo4j import Record

        return iter(Record(zip(self._keys, row, strict=True)) for row in self._rows)


class FakeTx:
    def __init__(self, driver) -> None:
        self.driver = driver

    def run(self, text, params):
        self.driver.ran.append((text, params))
        if self.driver.error is not None:
            raise self.driver.error
        return FakeResult(*self.driver.result)


class FakeSession:
    def __init__(self, driver) -> None:
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def execute_write(self, fn, *args):
        self.driver.modes.append("write")
        return fn(FakeTx(self.driver), *args)

    def execute_read(self, fn, *args):
        self.driver.modes.append("read")
        return fn(FakeTx(self.driver), *args)


class FakeDriver:
    def __init__(self, result=((), ()), error=None) -> None:
        self.result, self.error, self.ran, self.closed = result, error, [], False
        self.modes: list[str] = []

    def session(self, database=None, default_access_mode=None):
        self.database, self.access_mode = database, default_access_mode
        return FakeSession(self)

    def close(self) -> None:
        self.closed = True


def fake_store(driver: FakeDriver, *, writable: bool = True) -> Neo4jStore:
    from stores.neo4j import Timeouts

    store = Neo4jStore.__new__(Neo4jStore)
    store.uri, store.database, store._driver = "neo4j://fake:7687", "prov", driver
    store.shown, store._auth, store.writable = store.uri, None, writable
    store.timeouts = Timeouts()
    return store


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(BackendUnavailableError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"
                       ) as err:
        Neo4jStore("bolt://127.0.0.1:1", auth=("neo4j", "pw"))
    assert "is the server running" in str(err.value)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "ftp://x"])
def test_bad_uri_is_a_clear_error(uri: str) -> None:
    with pytest.raises(BackendUnavailableError, match=r"URIs look like neo4j://"):
        Neo4jStore(uri)


def test_run_returns_plain_python_rows() -> None:
    from neo4j.time import DateTime

    driver = FakeDriver(result=(["id", "n", "at", "path"],
                                [["T-1", 3, DateTime(2026, 3, 4, 8, 0, 0), ["a", "b"]],
                                 ["T-2", None, None, []]]))
    frame = fake_store(driver).run("MATCH (n) RETURN n", {"k": [1]}, name="x")
    assert list(frame.columns) == ["id", "n", "at", "path"]
    assert frame["id"].tolist() == ["T-1", "T-2"]
    assert frame["at"].iloc[0] == dt.datetime(2026, 3, 4, 8, 0, 0)
    assert frame["path"].iloc[0] == ["a", "b"]
    assert driver.database == "prov"
    assert driver.modes == ["read"] and driver.access_mode == "READ"


def test_run_with_no_rows_keeps_the_columns() -> None:
    frame = fake_store(FakeDriver(result=(["a", "b"], []))).run("RETURN 1 AS a, 2 AS b")
    assert list(frame.columns) == ["a", "b"] and frame.empty


def test_run_converts_numpy_parameters() -> None:
    import numpy as np

    driver = FakeDriver()
    fake_store(driver).run("RETURN $x AS x", {"x": np.int64(3), "kinds": np.array(["grid"])})
    _, params = driver.ran[0]
    assert params == {"x": 3, "kinds": ["grid"]}
    assert type(params["x"]) is int


def test_server_errors_become_query_execution_errors() -> None:
    from neo4j.exceptions import Neo4jError

    error = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                      message="Invalid input 'X'")
    expected = "coverage/x failed: Neo.ClientError.Statement.SyntaxError: Invalid input 'X'"
    with pytest.raises(QueryExecutionError, match=re.escape(expected)):
        fake_store(FakeDriver(error=error)).run("X", name="coverage/x")


def test_lost_server_is_backend_unavailable() -> None:
    from neo4j.exceptions import ServiceUnavailable

    with pytest.raises(BackendUnavailableError, match="became unavailable"):
        fake_store(FakeDriver(error=ServiceUnavailable("gone"))).run("RETURN 1")


def test_run_query_picks_the_neo4j_variant(monkeypatch) -> None:
    import queries.run

    query = NamedQuery(name="t/q", summary="", params=(), returns=("t",),
                       text="MATCH ()-[r]->() RETURN label(r) AS t",
                       variants={"neo4j": "MATCH ()-[r]->() RETURN type(r) AS t"})
    monkeypatch.setattr(queries.run, "get_query", lambda name: query)
    driver = FakeDriver(result=(["t"], [["TIE"]]))
    frame = queries.run.run_query(fake_store(driver), "t/q")
    assert driver.ran[0][0] == "MATCH ()-[r]->() RETURN type(r) AS t"
    assert frame["t"].tolist() == ["TIE"]


def test_set_properties_writes_batches_of_plain_rows() -> None:
    driver = FakeDriver()
    rows = pd.DataFrame({"id": ["U-1", "U-2"], "score": [0.5, float("nan")],
                         "at": [pd.Timestamp("2026-01-02"), pd.NaT]})
    fake_store(driver).set_properties("Unit", "id", rows)
    text, params = driver.ran[0]
    assert text == set_properties_statement("Unit", "id", ["score", "at"])
    assert params["rows"] == [{"id": "U-1", "score": 0.5, "at": dt.datetime(2026, 1, 2)},
                              {"id": "U-2", "score": None, "at": None}]
    fake_store(driver).set_properties("Unit", "id", rows.iloc[0:0])
    fake_store(driver).set_properties("Unit", "id", rows[["id"]])
    assert len(driver.ran) == 1


def test_set_rel_properties_matches_by_key() -> None:
    driver = FakeDriver()
    fake_store(driver).set_rel_properties("TIE", "rid", pd.DataFrame({"rid": ["L2"],
                                                                       "score": [0.7]}))
    text, params = driver.ran[0]
    assert text == "UNWIND $rows AS r\nMATCH ()-[x:TIE {rid: r.rid}]->()\nSET x.score = r.score"
    assert params == {"rows": [{"rid": "L2", "score": 0.7}]}


def test_replace_rels_deletes_then_creates_by_label_and_id() -> None:
    driver = FakeDriver()
    rows = pd.DataFrame({"from_label": ["Task", "Task", "Task"], "from": ["K-1", "K-2", "K-3"],
                         "to_label": ["Organization", "Member", "Organization"],
                         "to": ["O-1", "M-9", "O-2"]})
    fake_store(driver).replace_rels("HANDLED_BY", rows)
    texts = [text for text, _ in driver.ran]
    assert texts[0] == "MATCH ()-[r:HANDLED_BY]->() DELETE r"
    assert texts[1:] == [create_rels_statement("HANDLED_BY", "Task", "Member", []),
                         create_rels_statement("HANDLED_BY", "Task", "Organization", [])]
    assert "MATCH (b:Organization {id: r.dst})" in texts[2] and "WITH a, r" in texts[2]
    assert driver.ran[2][1] == {"rows": [{"src": "K-1", "dst": "O-1"},
                                         {"src": "K-3", "dst": "O-2"}]}


def test_odd_names_are_backquoted() -> None:
    text = set_rel_properties_statement("TIE", "rid", ["weird name"])
    assert "x.`weird name` = r.`weird name`" in text


def test_close_closes_the_driver() -> None:
    driver = FakeDriver()
    with fake_store(driver):
        pass
    assert driver.closed


def test_only_the_neo4j_backend_imports_the_driver() -> None:
    pattern = re.compile(r"^\s*(import neo4j\b|from neo4j\b)", re.MULTILINE)
    offenders = []
    for package in ("graphmodel", "stores", "loaders", "queries", "visualizations", "orgnet"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if (not rel.startswith("stores/neo4j/")
                    and pattern.search(path.read_text(encoding="utf-8"))):
                offenders.append(rel)
    assert not offenders


def test_importing_the_neo4j_modules_does_not_import_the_driver() -> None:
    code = ("import sys, stores.neo4j.push, stores.neo4j.import_files, stores.neo4j.store; "
            "print('neo4j' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("uri", ["neo4j://analyst:pa55word@db.example:7687",
                                 "bolt://analyst@db.example:7687"])
def test_credentials_in_the_uri_are_refused_without_echoing_them(uri: str, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendUnavailableError, match="NEO4J_USERNAME and NEO4J_PASSWORD"
                       ) as err:
        Neo4jStore(uri)
    assert "***@db.example:7687" in str(err.value)
    for text in (str(err.value), caplog.text):
        assert "pa55word" not in text and "analyst" not in text


def test_failures_never_show_the_password(monkeypatch, caplog) -> None:
    """A driver that refuses the credentials, or fails mid-query: no password in the
    message, its causes or the log."""
    import logging

    import neo4j
    from neo4j.exceptions import AuthError, Neo4jError

    caplog.set_level(logging.DEBUG)
    secret = "pa55-密码-secret"

    class Refusing(FakeDriver):
        def verify_connectivity(self) -> None:
            raise AuthError("The client is unauthorized due to authentication failure.")

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **_: Refusing())
    with pytest.raises(BackendUnavailableError, match="refused the credentials") as err:
        Neo4jStore("neo4j://db.example:7687", auth=("analyst", secret))
    chain = [str(err.value), str(err.value.__cause__), caplog.text]
    error = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                      message="Invalid input")
    with pytest.raises(QueryExecutionError) as failed:
        fake_store(FakeDriver(error=error)).run("X", name="q")
    chain += [str(failed.value), caplog.text]
    assert not any(secret in text for text in chain)


def test_zoned_and_nanosecond_timestamps_are_written_as_ladybug_keeps_them() -> None:
    driver = FakeDriver()
    rows = pd.DataFrame({"id": ["T-1", "T-2"],
                         "at": [pd.Timestamp("2026-03-04 08:30", tz="Asia/Shanghai"),
                                pd.Timestamp("2026-03-04 08:30", tz="Asia/Shanghai")]})
    fake_store(driver).set_properties("Task", "id", rows)
    assert driver.ran[0][1]["rows"][0]["at"] == dt.datetime(2026, 3, 4, 8, 30)
    ns = pd.DataFrame({"id": ["T-1"], "at": [pd.Timestamp("2026-03-04 08:30:00.000001999")]})
    fake_store(driver).set_properties("Task", "id", ns)
    assert driver.ran[1][1]["rows"][0]["at"] == dt.datetime(2026, 3, 4, 8, 30, 0, 1)
