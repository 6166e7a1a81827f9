"""orgnet push: statements and batches built without a server; with a server (NEO4J_URI set,
marked ``neo4j``): push twice gives the same graph, and every named query and the diagnosis
give the same answers on Neo4j as on LadybugDB.

The server tests delete every node of orgnet's labels in the target database: point
NEO4J_URI (and NEO4J_DATABASE) at a scratch database.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from graphmodel.errors import BackendUnavailableError
from graphmodel.model import Rel
from graphmodel.storage import NODE_TABLES, REL_TABLES, rel_frames
from stores.ladybug import write_ladybug
from stores.neo4j._access import auth_from_env
from stores.neo4j.push import (
    REL_MERGE_KEYS,
    batches,
    clear_statements,
    count_rows,
    node_statements,
    plain_value,
    push_model,
    rel_statements,
    schema_statements,
)

LABELS = {t.label for t in NODE_TABLES}


# -- statements ------------------------------------------------------------------------------
def test_schema_statements_constrain_every_label() -> None:
    statements = schema_statements()
    for label in LABELS:
        expected = f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        assert sum(expected in s for s in statements) == 1, label
    assert all("IF NOT EXISTS" in s for s in statements if s.startswith("CREATE"))
    assert any("FOR ()-[r:TIE]-() ON (r.rid)" in s for s in statements)
    assert any("FOR ()-[r:STEP]-() ON (r.task_id, r.seq)" in s for s in statements)
    assert statements[-1].startswith("CALL db.awaitIndexes(")


def test_node_statements_merge_on_id_and_set_every_property() -> None:
    statements = node_statements()
    assert set(statements) == LABELS
    for table in NODE_TABLES:
        text = statements[table.label]
        assert text.startswith("UNWIND $rows AS r\n")
        assert f"MERGE (n:{table.label} {{id: r.id}})" in text
        assert "CREATE" not in text
        for prop, _ in table.properties:
            if prop != "id":
                assert f"n.{prop} = r.{prop}" in text


def test_rel_statements_match_both_ends_by_label_and_id() -> None:
    statements = rel_statements()
    assert set(statements) == {(r.name, s, t) for r in REL_TABLES for s, t in r.pairs}
    for (_, src, dst), text in statements.items():
        assert f"MATCH (a:{src} {{id: r.src}})\nMATCH (b:{dst} {{id: r.dst}})\n" in text
        # no label-less node pattern and no comma-joined MATCH (a cross product, CYPHER.md)
        assert not re.search(r"MATCH \(\w*\s*(\{|\))", text), text
        assert "MATCH (a" in text and "), (" not in text
        assert "CREATE" not in text


def test_rel_statements_merge_on_a_stable_key() -> None:
    statements = rel_statements()
    assert "MERGE (a)-[x:TIE {rid: r.rid}]->(b)" in statements[("TIE", "Unit", "Territory")]
    assert ("MERGE (a)-[x:STEP {task_id: r.task_id, seq: r.seq}]->(b)"
            in statements[("STEP", "Organization", "Task")])
    assert statements[("PART_OF", "Territory", "Territory")].endswith(
        "MERGE (a)-[x:PART_OF]->(b)")
    for rel in REL_TABLES:
        props = {p for p, _ in rel.properties}
        assert set(REL_MERGE_KEYS.get(rel.name, ())) <= props
        if rel.name not in REL_MERGE_KEYS:
            assert not props, f"{rel.name} has properties: give it a MERGE key"


def test_clear_statements_are_bounded_and_labelled() -> None:
    for label, text in clear_statements().items():
        assert f"MATCH (n:{label})" in text and "LIMIT $limit" in text and "DETACH DELETE" in text


# -- batches ---------------------------------------------------------------------------------
def test_batches_cover_the_model_in_bounded_batches(tiny_model) -> None:
    all_batches = list(batches(tiny_model, 3))
    assert all(1 <= len(b.rows) <= 3 for b in all_batches)
    rows = Counter()
    for b in all_batches:
        rows[b.what] += len(b.rows)
    assert dict(rows) == {k: v for k, v in count_rows(tiny_model).items() if v}
    kinds = [b.kind for b in all_batches]
    assert kinds == sorted(kinds, key=["node", "rel"].index), "nodes before relationships"
    nodes = {b.what: 0 for b in all_batches if b.kind == "node"}
    assert set(nodes) == LABELS
    for table in NODE_TABLES:
        assert rows[table.label] == len(tiny_model.frames[table.table])
    expected_rels = sum(len(f) for *_, f in rel_frames(tiny_model))
    assert sum(len(b.rows) for b in all_batches if b.kind == "rel") == expected_rels


def test_batch_size_is_respected_and_validated(tiny_model) -> None:
    sizes = [len(b.rows) for b in batches(tiny_model, 10_000) if b.what == "Organization"]
    assert sizes == [len(tiny_model.frames["organizations"])]
    assert [len(b.rows) for b in batches(tiny_model, 7) if b.what == "Organization"] == [7, 7, 6]
    with pytest.raises(ValueError, match="batch_size"):
        list(batches(tiny_model, 0))


def test_rows_carry_exactly_what_the_statement_reads(tiny_model) -> None:
    for b in batches(tiny_model, 50):
        read = set(re.findall(r"\br\.(\w+)", b.statement))
        for row in b.rows:
            assert set(row) == read, b.what


def _is_plain(value) -> bool:
    if value is None or isinstance(value, str | bool | int | dt.datetime):
        return not isinstance(value, np.generic | pd.Timestamp)
    if isinstance(value, float):
        return not math.isnan(value) and not isinstance(value, np.generic)
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return False


def test_rows_hold_plain_python_values(tiny_model) -> None:
    for b in batches(tiny_model):
        for row in b.rows:
            for key, value in row.items():
                assert _is_plain(value), (b.what, key, type(value), value)
    territories = {r["id"]: r for b in batches(tiny_model) if b.what == "Territory"
                   for r in b.rows}
    assert territories["T-CITY"]["households"] is None
    assert territories["T-ST1"]["households"] == 12000
    assert territories["T-C1"]["name"] == "幸福社区"
    orgs = {r["id"]: r for b in batches(tiny_model) if b.what == "Organization" for r in b.rows}
    assert orgs["O-ST1"]["chain_path"] == ["O-ST1", "O-CITY"]
    tasks = {r["id"]: r for b in batches(tiny_model) if b.what == "Task" for r in b.rows}
    assert tasks["K-1"]["created"] == dt.datetime(2026, 3, 1)


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (np.int64(3), "INT64", 3),
    (3.0, "INT64", 3),
    (pd.NA, "INT64", None),
    (np.float64("nan"), "DOUBLE", None),
    (np.float32(0.5), "DOUBLE", 0.5),
    (np.bool_(True), "BOOLEAN", True),
    (pd.NA, "BOOLEAN", None),
    (pd.Timestamp("2026-03-04 08:30"), "TIMESTAMP", dt.datetime(2026, 3, 4, 8, 30)),
    (pd.NaT, "TIMESTAMP", None),
    ("2026-03-04", "TIMESTAMP", dt.datetime(2026, 3, 4)),
    (np.array(["a", "b"], dtype=object), "STRING[]", ["a", "b"]),
    (["a", None, "b"], "STRING[]", ["a", "b"]),
    (float("nan"), "STRING[]", None),
    (float("nan"), "STRING", None),
    ("幸福社区, \"东区\"", "STRING", "幸福社区, \"东区\""),
])
def test_plain_value(value, kind, expected) -> None:
    got = plain_value(value, kind)
    assert got == expected
    assert type(got) is type(expected)


def test_merge_keys_are_unique_so_pushing_twice_changes_nothing(tiny_model) -> None:
    """Idempotency by construction: every row MERGEs on a key no other row shares, and every
    statement only MERGEs and SETs (no CREATE), so a second push matches what the first wrote
    and sets the same values."""
    seen: dict[str, set] = {}
    for b in batches(tiny_model, 4):
        assert "CREATE" not in b.statement
        rel = b.what.split(" ")[0]
        for row in b.rows:
            if b.kind == "node":
                key = ("node", b.what, row["id"])
                space = "node:" + b.what
            elif rel in REL_MERGE_KEYS:
                key = tuple(row[k] for k in REL_MERGE_KEYS[rel])
                space = rel
            else:
                key = (row["src"], row["dst"])
                space = rel
            assert key not in seen.setdefault(space, set()), (space, key)
            seen[space].add(key)
    assert first_batches(tiny_model) == first_batches(tiny_model)


def first_batches(model) -> list:
    return [(b.what, b.statement, b.rows) for b in batches(model, 5)]


def test_handled_by_extra_relationships_are_pushed(tiny_model) -> None:
    extra = {Rel.HANDLED_BY: pd.DataFrame({"from": ["K-1"], "to": ["O-G11"]})}
    handled = [b for b in batches(tiny_model, extra_rels=extra) if b.what.startswith("HANDLED_BY")]
    assert [(b.what, b.rows) for b in handled] == [
        ("HANDLED_BY Task->Organization", [{"src": "K-1", "dst": "O-G11"}])]


# -- the driver, without a server ----------------------------------------------------------
def test_auth_from_env(monkeypatch) -> None:
    monkeypatch.delenv("NEO4J_USERNAME", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    assert auth_from_env() is None
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    assert auth_from_env() == ("neo4j", "s3cret")
    monkeypatch.setenv("NEO4J_USERNAME", "analyst")
    assert auth_from_env() == ("analyst", "s3cret")


def test_push_to_an_unreachable_server_is_a_clear_error(tiny_model, monkeypatch, caplog
                                                         ) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendUnavailableError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"
                       ) as err:
        push_model(tiny_model, "bolt://127.0.0.1:1")
    assert "is the server running" in str(err.value)
    assert "s3cret-pw" not in str(err.value) and "s3cret-pw" not in caplog.text


def test_push_with_a_bad_uri_is_a_clear_error(tiny_model) -> None:
    with pytest.raises(BackendUnavailableError, match="URIs look like"):
        push_model(tiny_model, "http://localhost:7474", auth=("neo4j", "x"))


# -- with a server (NEO4J_URI) ---------------------------------------------------------------
@pytest.fixture
def neo4j_server():
    """(uri, database) of a scratch Neo4j database, emptied of orgnet's labels around the
    test; skips unless NEO4J_URI is set."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("set NEO4J_URI (and NEO4J_USERNAME/NEO4J_PASSWORD) to run Neo4j tests")
    database = os.environ.get("NEO4J_DATABASE") or None
    _clear(uri, database)
    yield uri, database
    _clear(uri, database)


def _clear(uri: str, database: str | None) -> None:
    from stores.neo4j.store import Neo4jStore

    with Neo4jStore(uri, database=database) as store:
        for text in clear_statements().values():
            while store.run(text, {"limit": 10_000})["deleted"].iloc[0]:
                pass


def _graph_counts(uri: str, database: str | None) -> dict[str, int]:
    from stores.neo4j.store import Neo4jStore

    with Neo4jStore(uri, database=database) as store:
        out = {}
        for table in NODE_TABLES:
            out[table.label] = int(store.run(
                f"MATCH (n:{table.label}) RETURN count(n) AS n")["n"].iloc[0])
        for rel in REL_TABLES:
            out[rel.name] = int(store.run(
                f"MATCH ()-[r:{rel.name}]->() RETURN count(r) AS n")["n"].iloc[0])
        return out


@pytest.mark.neo4j
def test_push_twice_gives_the_same_graph(tiny_model, neo4j_server) -> None:
    uri, database = neo4j_server
    seen = []
    counts = push_model(tiny_model, uri, database=database, batch_size=4,
                        progress=lambda what, done, total: seen.append((what, done, total)))
    first = _graph_counts(uri, database)
    push_model(tiny_model, uri, database=database, batch_size=3)
    assert _graph_counts(uri, database) == first
    total = sum(counts.values())
    assert seen[-1][1:] == (total, total)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
    for table in NODE_TABLES:
        assert first[table.label] == len(tiny_model.frames[table.table])
    for rel in REL_TABLES:
        expected = sum(len(f) for r, _, _, f in rel_frames(tiny_model) if r.name == rel.name)
        assert first[rel.name] == expected, rel.name


def _normal(value):
    """A cell compared across backends: missing -> None, floats rounded, lists sorted."""
    if isinstance(value, list | tuple | np.ndarray):
        items = [_normal(v) for v in value]
        return tuple(sorted(items, key=repr))
    if isinstance(value, dict):
        return tuple(sorted((k, _normal(v)) for k, v in value.items()))
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if math.isnan(value) else round(float(value), 6)  # 1 and 1.0 alike
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted((tuple(_normal(v) for v in row) for row in frame.itertuples(index=False)),
                  key=repr)


class RecordingStore:
    """Wraps a store and records the named queries run on it, with their parameters."""

    def __init__(self, store) -> None:
        self.store = store
        self.backend = store.backend
        self.holds_derived = store.holds_derived
        self.calls: dict[str, list[dict]] = {}

    def run(self, text, params=None, *, name="query"):
        self.calls.setdefault(name, []).append(dict(params or {}))
        return self.store.run(text, params, name=name)

    def set_properties(self, *args) -> None:
        self.store.set_properties(*args)

    def set_rel_properties(self, *args) -> None:
        self.store.set_rel_properties(*args)

    def replace_rels(self, *args) -> None:
        self.store.replace_rels(*args)

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def both_backends(tiny_model, neo4j_server, tmp_path):
    """The tiny city diagnosed on LadybugDB and on Neo4j: (ladybug, neo4j, findings each)."""
    from queries.diagnose import diagnose
    from stores.ladybug import LadybugStore
    from stores.neo4j.store import Neo4jStore

    uri, database = neo4j_server
    push_model(tiny_model, uri, database=database)
    lady = RecordingStore(LadybugStore(write_ladybug(tiny_model, tmp_path / "t.lbdb"),
                                       writable=True))
    neo = RecordingStore(Neo4jStore(uri, database=database))
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    results = (diagnose(tiny_model, lady, now=now), diagnose(tiny_model, neo, now=now))
    yield lady, neo, results
    lady.close()
    neo.close()


@pytest.mark.neo4j
def test_diagnosis_finds_the_same_on_both_backends(both_backends) -> None:
    _, _, (on_ladybug, on_neo4j) = both_backends
    assert on_neo4j["findings"] == on_ladybug["findings"]
    assert on_neo4j["metrics"] == on_ladybug["metrics"]


@pytest.mark.neo4j
def test_every_named_query_answers_the_same_on_both_backends(both_backends) -> None:
    from queries.library import list_queries
    from queries.run import run_query

    lady, neo, _ = both_backends
    differ, unchecked = [], []
    for query in list_queries():
        calls = lady.calls.get(query.name) or ([{}] if not query.params else [])
        if not calls:
            unchecked.append(query.name)
        for params in calls:
            a = run_query(lady.store, query.name, **params)
            b = run_query(neo.store, query.name, **params)
            if list(a.columns) != list(b.columns) or _rows(a) != _rows(b):
                differ.append(f"{query.name} {params}:\nladybug {_rows(a)}\nneo4j   {_rows(b)}")
    assert not differ, "\n".join(differ)
    assert not unchecked, f"no parameters known (not run by the diagnosis): {unchecked}"


# -- the driver faked: transactions, retries, and no credentials in messages or logs ----------
PASSWORD = "pa55-Секрет-密码"


class FakePushSession:
    def __init__(self, driver) -> None:
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def run(self, *args, **kwargs):  # pragma: no cover - push must not use auto-commit
        raise AssertionError("session.run: push must use managed transactions")

    def begin_transaction(self, *args, **kwargs):  # pragma: no cover
        raise AssertionError("explicit transaction: push must use execute_write")

    def execute_write(self, work, *args):
        """As the driver does: run ``work`` in a transaction, again on a transient error."""
        from neo4j.exceptions import TransientError

        for attempt in range(3):
            try:
                return work(FakePushTx(self.driver), *args)
            except TransientError:
                self.driver.retried += 1
                if attempt == 2:
                    raise
        return None  # pragma: no cover


class FakePushTx:
    def __init__(self, driver) -> None:
        self.driver = driver

    def run(self, statement, params):
        driver = self.driver
        driver.ran.append((statement, params))
        failure = driver.fail_on(statement, len(driver.ran))
        if failure is not None:
            raise failure
        rows = [{"deleted": 0}] if "DETACH DELETE" in statement else []
        return [FakeRecord(r) for r in rows]


class FakeRecord:
    def __init__(self, data) -> None:
        self._data = data

    def data(self):
        return self._data


class FakePushDriver:
    def __init__(self, fail_on=lambda statement, n: None, connect_error=None) -> None:
        self.fail_on, self.connect_error = fail_on, connect_error
        self.ran, self.retried, self.closed, self.databases = [], 0, False, []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True

    def session(self, database=None):
        self.databases.append(database)
        return FakePushSession(self)

    def verify_connectivity(self) -> None:
        if self.connect_error is not None:
            raise self.connect_error


@pytest.fixture
def fake_driver(monkeypatch):
    """Install a fake ``neo4j.GraphDatabase.driver``; yields a function making the fake
    driver the next push gets, and the auth it was given."""
    import neo4j

    state = {"driver": FakePushDriver(), "auth": None}

    def driver(uri, auth=None, **kwargs):
        state["auth"], state["uri"], state["config"] = auth, uri, kwargs
        return state["driver"]

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", driver)
    monkeypatch.setenv("NEO4J_USERNAME", "analyst")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)

    def install(fake: FakePushDriver) -> dict:
        state["driver"] = fake
        return state

    return install


def _leaks(text: str) -> bool:
    return PASSWORD in text or "analyst:" in text


def test_push_runs_every_statement_in_a_managed_write(tiny_model, fake_driver, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakePushDriver()
    state = fake_driver(fake)
    seen = []
    counts = push_model(tiny_model, "neo4j://db.example:7687", database="prov", batch_size=4,
                        replace=True, progress=lambda *a: seen.append(a))
    assert state["auth"] == ("analyst", PASSWORD)
    assert fake.databases == ["prov"] and fake.closed
    statements = [s for s, _ in fake.ran]
    clear = list(clear_statements().values())
    schema = schema_statements()
    assert statements[:len(clear)] == clear, "replace clears first"
    assert statements[len(clear):len(clear) + len(schema)] == schema, "then the schema"
    data = fake.ran[len(clear) + len(schema):-1]
    assert [(s, p["rows"]) for s, p in data] == [(b.statement, b.rows)
                                                  for b in batches(tiny_model, 4)]
    record, rows = fake.ran[-1]
    assert "OrgnetMeta" in record, "the load's record comes last"
    assert {"key": "derived", "value": "false"} in rows["rows"]
    total = sum(counts.values())
    assert seen[-1][1:] == (total, total) and len(seen) == len(data)
    assert not _leaks(caplog.text)


def test_push_retries_transient_errors_through_the_driver(tiny_model, fake_driver) -> None:
    from neo4j.exceptions import TransientError

    failed = []

    def fail_once(statement, n):
        if "MERGE (n:Territory" in statement and not failed:
            failed.append(n)
            return TransientError._hydrate_neo4j(
                code="Neo.TransientError.Transaction.DeadlockDetected", message="deadlock")
        return None

    fake = FakePushDriver(fail_on=fail_once)
    fake_driver(fake)
    counts = push_model(tiny_model, "neo4j://db.example:7687")
    assert fake.retried == 1 and failed
    territory = [p for s, p in fake.ran if "MERGE (n:Territory" in s]
    assert len(territory) == 2 and territory[0] == territory[1], "the same batch, again"
    assert counts["Territory"] == len(tiny_model.frames["territories"])


def _errors():
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, TransientError

    refused = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Schema.ConstraintValidationFailed",
        message="Node(7) already exists with label `Territory` and property `id` = 'T-1'")
    return [
        ("connect", AuthError("The client is unauthorized due to authentication failure.")),
        ("connect", ServiceUnavailable("Couldn't connect to db.example:7687")),
        ("statement", refused),
        ("statement", TransientError._hydrate_neo4j(
            code="Neo.TransientError.General.MemoryPoolOutOfMemoryError", message="oom")),
        ("statement", ServiceUnavailable("leader switched")),
    ]


@pytest.mark.parametrize(("where", "error"), _errors(),
                         ids=["auth", "unreachable", "refused", "transient", "lost"])
def test_failures_are_clear_and_never_show_credentials(tiny_model, fake_driver, caplog,
                                                       where, error) -> None:
    from graphmodel.errors import StoreError

    caplog.set_level(logging.DEBUG)
    if where == "connect":
        fake = FakePushDriver(connect_error=error)
    else:
        fake = FakePushDriver(fail_on=lambda s, n: error if "MERGE (n:Unit" in s else None)
    fake_driver(fake)
    with pytest.raises((BackendUnavailableError, StoreError)) as err:
        push_model(tiny_model, "neo4j://db.example:7687")
    message = str(err.value)
    assert "neo4j://db.example:7687" in message
    chain = [message, caplog.text]
    cause = err.value.__cause__
    while cause is not None:
        chain.append(str(cause))
        cause = cause.__cause__
    assert not any(_leaks(text) for text in chain), chain
    if isinstance(error, type(_errors()[0][1])):  # AuthError
        assert "NEO4J_USERNAME and NEO4J_PASSWORD" in message
    assert fake.closed


@pytest.mark.parametrize("uri", ["neo4j://analyst:" + PASSWORD + "@db.example:7687",
                                 "bolt://analyst@db.example:7687/"])
def test_credentials_in_the_uri_are_refused_without_echoing_them(tiny_model, fake_driver,
                                                                  caplog, uri) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakePushDriver()
    state = fake_driver(fake)
    with pytest.raises(BackendUnavailableError, match="NEO4J_USERNAME and NEO4J_PASSWORD"
                       ) as err:
        push_model(tiny_model, uri)
    assert "***@db.example:7687" in str(err.value)
    assert not _leaks(str(err.value)) and not _leaks(caplog.text)
    assert "uri" not in state and not fake.ran, "refused before the driver sees it"


def test_redact_uri() -> None:
    from stores.neo4j._access import redact_uri

    assert redact_uri("neo4j://u:p@h:7687") == "neo4j://***@h:7687"
    assert redact_uri("neo4j+s://u:p@@x@h/db?a=b") == "neo4j+s://***@h/db?***"
    assert redact_uri("bolt://h:7687") == "bolt://h:7687"
    assert redact_uri("h:7687") == "h:7687"


@pytest.mark.parametrize(("value", "expected"), [
    (pd.Timestamp("2026-03-04 08:30", tz="Asia/Shanghai"), dt.datetime(2026, 3, 4, 8, 30)),
    (dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC), dt.datetime(2026, 3, 4, 8, 30)),
    (pd.Timestamp("2026-03-04 08:30:00.123456789"), dt.datetime(2026, 3, 4, 8, 30, 0, 123456)),
    (np.datetime64("2026-03-04T08:30:00.000001500"), dt.datetime(2026, 3, 4, 8, 30, 0, 1)),
])
def test_timestamps_are_pushed_as_ladybug_stores_them(value, expected) -> None:
    """Naive (a zoned value keeps its wall-clock time, as LadybugDB stores a zoned datetime)
    and microseconds: a Neo4j LocalDateTime equal to the LadybugDB TIMESTAMP."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "discarding nanoseconds" warning
        got = plain_value(value, "TIMESTAMP")
    assert got == expected and got.tzinfo is None and type(got) is dt.datetime


def test_zoned_timestamps_match_what_ladybug_stores(tmp_path) -> None:
    """The premise of the conversion above, measured on LadybugDB."""
    import ladybug

    db = ladybug.Database(str(tmp_path / "z.lbdb"))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE N(id STRING PRIMARY KEY, at TIMESTAMP)")
    zoned = dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    conn.execute("CREATE (:N {id: 'a', at: $at})", {"at": zoned})
    got = conn.execute("MATCH (n:N) RETURN CAST(n.at AS STRING) AS at").get_as_df()
    assert got["at"].tolist() == [str(plain_value(zoned, "TIMESTAMP"))]
