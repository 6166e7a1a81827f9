"""The notebook API: doctests of orgnet.api, and its behaviour on a store and a dataset."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import orgnet
import orgnet.api
from graphmodel.errors import QueryParameterError, ReadOnlyQueryError, StoreError

TINY = Path(__file__).parents[1] / "data" / "tiny_city"


def test_doctests() -> None:
    result = doctest.testmod(orgnet.api, extraglobs={"TINY_CITY": TINY},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 6
    assert result.failed == 0


def test_public_names() -> None:
    assert set(orgnet.__all__) == {"Network", "__version__", "open"}
    assert orgnet.api.__all__ == ["Network", "open"]


def test_open_a_store_read_only_and_never_changed(tiny_db) -> None:
    before = tiny_db.read_bytes()
    with orgnet.open(tiny_db) as net:
        assert "betweenness" in set(net.query(
            "MATCH (u:Unit) RETURN u.betweenness AS betweenness").columns)
        with pytest.raises(ReadOnlyQueryError):
            net.query("MATCH (t:Territory) SET t.name = 'x'")
        findings = net.findings()
        assert list(findings.columns)[:3] == ["question", "check", "severity"]
        assert net.model.counts()["territories"] == 12
        assert net.graph().number_of_nodes() == 39
        assert "flag_coverage" in net.graph(flags=True).nodes["T-C1"]
        assert {"Territory", "TIE"} <= set(net.schema()["owner"])
        assert "coverage/territory_without_org" in set(net.queries()["name"])
        with pytest.raises(QueryParameterError):
            net.run("coverage/territory_without_org")
    assert tiny_db.read_bytes() == before


def test_open_errors(tmp_path) -> None:
    with pytest.raises(StoreError, match="no database file"):
        orgnet.open(tmp_path / "missing.lbdb")
