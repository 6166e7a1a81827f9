"""One count everywhere (DOMAIN.md rule 12, issue 17): the counts a page or the report shows
for a place equal the findings JSON counted with :func:`graphmodel.places.place_of`.

The expected numbers are worked out here from the JSON and the place function alone; the
pages' own counting is what is under test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from graphmodel.checks import QUESTIONS
from graphmodel.index import model_index
from graphmodel.places import place_of
from graphmodel.schema import Entity, Level
from visualizations import write_network, write_report


def _header_counts(html: str) -> dict[str, int]:
    return {q: int(n) for q, n in re.findall(
        r'<li class="q"[^>]*data-question="(\w+)"><span class="q-name">[^<]*</span> '
        r"<b data-count>(\d+)</b>", html)}


def _expected(result: dict, index, *, street: str | None = None,
              community: str | None = None) -> dict[str, int]:
    counts = Counter()
    for f in result["findings"]:
        place = place_of(f, index)
        if (street is None and community is None) or (street and place.street_id == street) \
                or (community and place.community_id == community):
            counts[f["question"]] += 1
    return {q: counts.get(q, 0) for q in QUESTIONS}


@pytest.fixture(scope="module")
def report(two_streets, diagnosed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(two_streets, diagnosed, tmp_path_factory.mktemp("counts") / "r")


def test_city_and_street_pages_count_by_place(two_streets, diagnosed, report: Path):
    index = model_index(two_streets)
    folder = report.parent / "network"
    city = _header_counts((folder / "city.html").read_text(encoding="utf-8"))
    assert city == _expected(diagnosed, index)
    assert sum(city.values()) == len(diagnosed["findings"])
    streets = [t for t in two_streets.nodes_of(Entity.TERRITORY)
               if two_streets.node(t).get("level") == Level.STREET]
    assert streets
    for street in streets:
        html = (folder / f"{street}.html").read_text(encoding="utf-8")
        assert _header_counts(html) == _expected(diagnosed, index, street=street), street


def test_community_pages_count_by_place(two_streets, diagnosed, tmp_path: Path):
    index = model_index(two_streets)
    communities = [t for t in two_streets.nodes_of(Entity.TERRITORY)
                   if two_streets.node(t).get("level") == Level.COMMUNITY]
    assert len(communities) >= 3
    for community in communities:
        page = write_network(two_streets, diagnosed, tmp_path / f"{community}.html",
                             scope=community)[0]
        got = _header_counts(page.read_text(encoding="utf-8"))
        assert got == _expected(diagnosed, index, community=community), community


def test_report_cards_and_street_links_count_by_place(two_streets, diagnosed, report: Path):
    index = model_index(two_streets)
    html = report.read_text(encoding="utf-8")
    cards = {q: int(n) for q, n in re.findall(
        r'<div class="value" data-question="(\w+)">(\d+)<small>条', html)}
    assert cards == _expected(diagnosed, index)
    # a street's own report counts what its page counts
    street_report = write_report(two_streets, diagnosed, report.parent.parent / "st2",
                                 scope="T-ST2")
    cards = {q: int(n) for q, n in re.findall(
        r'<div class="value" data-question="(\w+)">(\d+)<small>条',
        street_report.read_text(encoding="utf-8"))}
    page = (street_report.parent / "network" / "T-ST2.html").read_text(encoding="utf-8")
    assert cards == _expected(diagnosed, index, street="T-ST2") == _header_counts(page)


def test_side_list_tells_what_is_counted_elsewhere(two_streets, findings):
    """Task K-6 is assigned to 区住建局 (a street-level unit of 平安街道) and bounces inside
    长乐社区: the community's page lists and draws its route, but counts it in the street."""
    from visualizations import network_data, render_network

    data = network_data(two_streets, findings, scope="T-C3")
    rows = {r["check"]: r for r in data["graph"]["findings"] if r["q"] == "backflow" and r["e"]}
    assert rows and not any(r["here"] for r in rows.values())
    assert data["questions"][2]["count"] == 0  # 责任回流 of 长乐社区, by rule 12
    assert all(r["here"] for r in data["graph"]["findings"] if r["q"] == "coverage")
    assert "途经本范围，计入其他范围" in render_network(two_streets, findings, scope="T-C3")
