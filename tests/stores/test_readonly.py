"""Queries on a store can read and nothing else: every statement kind LadybugDB 0.22 knows that
writes, touches files, loads code or changes the session is refused before it reaches the
engine, and the database file is unchanged afterwards (CYPHER.md, issue 16 item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphmodel.errors import ReadOnlyQueryError
from orgnet.cli import main
from stores.ladybug import LadybugStore, write_ladybug
from stores.readonly import MAX_NESTING, check_read_only

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"

# Each of these was run against LadybugDB 0.22 opened read_only=True: the engine refuses most,
# but CHECKPOINT breaks the file, COPY TO and EXPORT DATABASE write files, LOAD FROM reads any
# file, LOAD EXTENSION runs native code, INSTALL downloads it and CALL x=y changes the session.
REFUSED = [
    "CREATE (:Territory {id: 'X'})",
    "MERGE (t:Territory {id: 'X'}) RETURN t",
    "MATCH (t:Territory) SET t.name = 'x'",
    "MATCH (t:Territory) DELETE t",
    "MATCH (t:Territory) DETACH DELETE t",
    "MATCH (t:Territory) REMOVE t.name",
    "DROP TABLE Territory",
    "ALTER TABLE Territory ADD x INT64",
    "COPY Territory FROM 'x.csv'",
    "COPY (MATCH (m:Member) RETURN m.name) TO '{dir}/names.csv'",
    "LOAD EXTENSION '{dir}/x.so'",
    "LOAD FROM '/etc/passwd' RETURN *",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "INSTALL json",
    "UNINSTALL json",
    "UPDATE EXTENSION json",
    "ATTACH '{dir}/other.lbdb' AS other (dbtype lbug)",
    "DETACH other",
    "USE other",
    "EXPORT DATABASE '{dir}/export'",
    "IMPORT DATABASE '{dir}/export'",
    "CHECKPOINT",
    "checkpoint;",
    "BEGIN TRANSACTION",
    "BEGIN TRANSACTION READ ONLY",
    "COMMIT",
    "ROLLBACK",
    "CREATE MACRO twice(x) AS x * 2",
    "CREATE SEQUENCE s",
    "RETURN nextval('s')",
    "CREATE NODE TABLE Extra(id STRING, PRIMARY KEY(id))",
    "CREATE REL TABLE R2(FROM Territory TO Territory)",
    "CREATE TYPE t AS INT64",
    "COMMENT ON TABLE Territory IS 'x'",
    "CALL threads = 1",
    "CALL checkpoint_threshold = 1",
    "CALL spill_to_disk = false",
    "CALL clear_warnings()",
    "CALL PROJECT_GRAPH('g', ['Territory'], [])",
    "CALL apoc.export.csv.all('x.csv', {})",
    "CALL db.createLabel('X')",
    "MATCH (t:Territory) RETURN t.id; CHECKPOINT",
    "RETURN 1; RETURN 2",
    "MATCH (t:Territory) FOREACH (x IN [1] | SET t.n = x)",
    "MATCH (t) CALL { WITH t SET t.x = 1 } RETURN t",
    "/* comment */ CHECKPOINT // trailing",
    "RETURN 'a\\' CHECKPOINT '",  # a backslash must not hide a keyword from the guard
    "RETURN " + "(" * 5000 + "1" + ")" * 5000,
    "RETURN " + "[" * 1000 + "1" + "]" * 1000,
    "RETURN " + "CASE WHEN true THEN " * 30 + "1" + " END" * 30,
    "RETURN '" + "x" * 200_000 + "'",
]

ALLOWED = [
    "MATCH (t:Territory) RETURN count(*) AS n",
    "MATCH (t:Territory) WHERE t.name CONTAINS 'CREATE' OR t.id = 'SET' RETURN t.id AS id",
    "MATCH (t:Territory) RETURN t.id AS `delete` ORDER BY `delete` LIMIT 1",
    "MATCH (t:Territory {id: $id}) RETURN t.id AS id",
    "// a comment: CHECKPOINT\nMATCH (t:Territory) RETURN count(*) AS n /* DROP */",
    "OPTIONAL MATCH (t:Territory)-[:PART_OF]->(p) RETURN count(p) AS n",
    "UNWIND [1, 2] AS x WITH x WHERE x > 1 RETURN x",
    "MATCH (t:Territory) RETURN t.id AS id UNION MATCH (o:Organization) RETURN o.id AS id",
    "CALL show_tables() RETURN *",
    "CALL table_info('Territory') RETURN *",
    "CALL db_version() RETURN *",
    "EXPLAIN MATCH (t:Territory) RETURN t.id",
    "MATCH (t:Territory) RETURN t.id AS id;",
    "RETURN " + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + " AS x",
    "RETURN CASE WHEN 1 = 1 THEN CASE WHEN 2 = 2 THEN 'y' END END AS x",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory, tiny_model) -> Path:
    folder = tmp_path_factory.mktemp("readonly")
    return write_ladybug(tiny_model, folder / "city.lbdb")


@pytest.fixture(scope="module")
def tiny_model():
    from loaders import load_dataset

    return load_dataset(TINY)


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("statement", REFUSED, ids=lambda s: s[:40])
def test_statements_that_could_change_anything_are_refused(database: Path, statement: str):
    text = statement.replace("{dir}", str(database.parent))
    before = _state(database.parent)
    with LadybugStore(database) as store:
        started = time.monotonic()
        with pytest.raises(ReadOnlyQueryError, match="refused"):
            store.run(text, {"x": 1})
        assert time.monotonic() - started < 1.0, "refused before it reaches the engine"
        assert store.run("MATCH (t:Territory) RETURN count(*) AS n")["n"].iloc[0] > 0
    assert _state(database.parent) == before, "no file written, changed or left behind"


@pytest.mark.parametrize("statement", ALLOWED, ids=lambda s: s[:40])
def test_what_only_reads_runs(database: Path, statement: str):
    check_read_only(statement)
    before = _state(database.parent)
    with LadybugStore(database) as store:
        store.run(statement, {"id": "T-1"} if "$id" in statement else None)
    assert _state(database.parent) == before


def test_a_writable_store_still_refuses_writes_through_run(tiny_store):
    with pytest.raises(ReadOnlyQueryError):
        tiny_store.run("MATCH (t:Territory) SET t.name = 'x'")


def test_orgnet_query_checkpoint_is_refused_and_the_file_stays_usable(database: Path, capsys):
    before = _state(database.parent)
    for statement in ("CHECKPOINT", "LOAD EXTENSION '/tmp/x.so'",
                      f"COPY (MATCH (m:Member) RETURN m.name) TO '{database.parent}/m.csv'"):
        assert main(["query", "--db", str(database), statement]) == 2
        assert "refused" in capsys.readouterr().err
    assert _state(database.parent) == before
    assert main(["info", "--db", str(database)]) == 0
    assert main(["diagnose", "--db", str(database)]) in (0, 1)


def test_deep_nesting_never_reaches_the_parser(database: Path):
    """5,000 parentheses segfault LadybugDB's parser: the guard refuses in a fresh process
    that then exits normally."""
    code = ("import sys\nfrom stores.ladybug import LadybugStore\n"
            "from graphmodel.errors import ReadOnlyQueryError\n"
            f"store = LadybugStore({str(database)!r})\n"
            "try:\n    store.run('RETURN ' + '(' * 5000 + '1' + ')' * 5000)\n"
            "except ReadOnlyQueryError as err:\n    print('refused', err)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused") and "nested more than" in done.stdout
