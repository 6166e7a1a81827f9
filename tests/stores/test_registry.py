"""The registry picks a backend from the target; a third backend is one module plus one
registration, and the named queries (the whole diagnosis) run through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stores
from graphmodel.errors import BackendUnavailableError, StoreError
from graphmodel.store import GraphStore
from orgnet.cli import main
from queries.diagnose import diagnose
from queries.library import list_queries
from stores import Backend, backend_of, register_backend
from tests.stores import fake_backend

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_city"


@pytest.mark.parametrize(("target", "name"), [
    ("city.lbdb", "ladybug"), ("/data/备份[old]/x.lbdb", "ladybug"), ("backup@2024.lbdb", "ladybug"),
    ("neo4j://h:7687", "neo4j"), ("neo4j+s://h", "neo4j"), ("neo4j+ssc://h", "neo4j"),
    ("bolt://h:7687", "neo4j"), ("bolt+s://h", "neo4j"), ("bolt+ssc://h", "neo4j"),
    ("NEO4J://h", "neo4j"), ("neo4j:/u:pass@h", "neo4j"),
])
def test_the_target_picks_the_backend(target: str, name: str) -> None:
    assert backend_of(target).name == name


def test_an_unknown_scheme_is_a_clear_error_without_secrets() -> None:
    with pytest.raises(StoreError, match="no graph store for 'memgraph://\\*\\*\\*@h'") as err:
        stores.open_store("memgraph://u:secret@h")
    assert "secret" not in str(err.value)


@pytest.fixture
def fake(monkeypatch):
    """The fake backend registered (one line), removed again afterwards."""
    monkeypatch.setattr(stores, "BACKENDS", list(stores.BACKENDS))
    register_backend(Backend("fake", "tests.stores.fake_backend", fake_backend.claims,
                             "fake://PATH"))
    fake_backend.CALLS.clear()
    return fake_backend


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    from loaders import load_dataset
    from synthetic.write import write_dataset

    folder = tmp_path_factory.mktemp("small")
    return load_dataset(write_dataset(folder / "data", scale="small", seed=0).out_dir)


def test_named_queries_run_through_a_third_backend(fake, small_model, tmp_path) -> None:
    target = f"fake://{tmp_path / 'city.lbdb'}"
    assert stores.write_model(small_model, target) == target
    with stores.open_store(target, writable=True) as store:
        assert isinstance(store, fake.FakeStore) and isinstance(store, GraphStore)
        via_fake = diagnose(small_model, store, now=_NOW)
    names = {name for method, name in fake.CALLS if method == "run"}
    used = {q.name for q in list_queries()} & names
    assert len(used) >= 20, f"the named queries went through the fake store: {sorted(used)}"
    assert ("set_rel_properties", "TIE") in fake.CALLS
    assert ("replace_rels", "HANDLED_BY") in fake.CALLS
    with stores.open_store(tmp_path / "city.lbdb", writable=True) as store:
        direct = diagnose(small_model, store, now=_NOW)
    assert via_fake["findings"] and via_fake == direct


def test_the_command_line_reaches_the_third_backend(fake, tmp_path, capsys) -> None:
    target = f"fake://{tmp_path / 'city.lbdb'}"
    assert main(["load", str(TINY), "--db", target]) == 0
    assert main(["diagnose", "--db", target, "--json", str(tmp_path / "f.json")]) in (0, 1)
    capsys.readouterr()
    assert main(["query", "--db", target, "--format", "json",
                 "MATCH (t:Territory) RETURN count(*) AS n"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["n"] > 0
    methods = [method for method, _ in fake.CALLS]
    assert {"write_model", "read_model", "open_store", "run", "close"} <= set(methods)
    assert "findings" in json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))


def test_neo4j_targets_are_checked_before_any_connection(monkeypatch) -> None:
    import neo4j

    def never(*args, **kwargs):
        raise AssertionError("the driver must not see this URI")

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", never)
    for uri in ("neo4j://h:7687?user=a&password=x", "neo4j:/u:pass@h", "bolt://u:pass@h:7687",
                "neo4j://u@h", "neo4j://"):
        with pytest.raises(BackendUnavailableError) as err:
            stores.open_store(uri)
        assert "pass" not in str(err.value).replace("password or", "")
        assert "=x" not in str(err.value)


_NOW = __import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").UTC)
