"""The pages on a generated city (the synthetic generator's small scale, seed 1): a street's
report and network pages hold nothing of the other streets, and member names (which the
generator writes into members.csv) appear only with ``show_names``.

What belongs to another street is worked out here from the input files alone (the territory
tree and the organizations covering it), not with the scope code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.settings import Settings
from loaders import load_dataset
from synthetic import write_dataset
from tests.helpers import run_diagnosis
from tests.visualizations.pages import external_refs, html_without_vis
from visualizations import write_network, write_report

ID = re.compile(r"[A-Z]-[0-9A-Z][0-9A-Z-]*")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("generated") / "data"
    write_dataset(folder, scale="small", seed=1)
    model = load_dataset(folder)
    result = run_diagnosis(folder, tmp_path_factory.mktemp("generated_db"))
    return folder, model, result


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("territories", "organizations", "members", "units", "platforms",
                         "tasks")}


def _street_parts(tables: dict[str, pd.DataFrame]) -> tuple[list[str], dict[str, str]]:
    """The streets, and the street of every territory below one."""
    terr = tables["territories"]
    parent = dict(zip(terr["id"], terr["parent_id"], strict=True))
    streets = sorted(terr.loc[terr["kind"].isin(["street", "township"]), "id"])
    street_of: dict[str, str] = {}
    for t in terr["id"]:
        node, seen = t, set()
        while node and node not in streets and node not in seen:
            seen.add(node)
            node = parent.get(node, "")
        if node in streets:
            street_of[t] = node
    return streets, street_of


def _foreign(tables: dict[str, pd.DataFrame], street: str) -> tuple[set[str], set[str]]:
    """Ids and names of the territories and organizations of the other streets, and of the
    members who live and are organized there."""
    _, street_of = _street_parts(tables)
    terr, orgs, members = tables["territories"], tables["organizations"], tables["members"]
    other_t = {t for t, s in street_of.items() if s != street}
    other_o = orgs[orgs["territory_id"].isin(other_t)]
    ids = other_t | set(other_o["id"])
    names = set(terr.loc[terr["id"].isin(other_t), "name"]) | set(other_o["name"])
    ids |= set(members.loc[members["residence_id"].isin(other_t)
                           & members["org_id"].isin(ids), "id"])
    # a foreign name that is part of a name of this street (华府公寓 in 华府公寓三期) says
    # nothing about the other street
    every = (set(terr["name"]) | set(orgs["name"]) | set(tables["units"]["name"])
             | set(tables["platforms"]["name"]))
    own = "\n".join(every - names)
    return ids, {n for n in names if n and n not in own}


def _written(folder: Path) -> dict[Path, str]:
    return {p: html_without_vis(p.read_text(encoding="utf-8"))
            for p in sorted(folder.rglob("*.html"))}


def _person_names(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Member names that are not part of any other name of the data (a two-character name
    can be part of a company's name)."""
    others = "\n".join("\n".join(tables[t]["name"]) for t in
                       ("territories", "organizations", "units", "platforms"))
    others += "\n" + "\n".join(tables["tasks"]["title"])
    return {n for n in tables["members"]["name"] if n and n not in others}


def test_street_report_holds_nothing_of_other_streets(generated, tmp_path: Path):
    folder, model, result = generated
    tables = _tables(folder)
    streets, _ = _street_parts(tables)
    street = streets[0]
    # a low threshold: the street's page is aggregated and its community pages written too
    out = write_report(model, result, tmp_path / "report", scope=street,
                       settings=Settings(aggregate_above_nodes=200))
    pages = _written(out.parent)
    assert len(pages) > 3  # the report, the street page and its community pages
    ids, names = _foreign(tables, street)
    assert len(ids) > 100 and len(names) > 100
    for path, html in pages.items():
        assert not external_refs(html), path
        leaked = set(ID.findall(html)) & ids
        assert not leaked, f"{path.name}: {sorted(leaked)[:5]}"
        shown = [n for n in names if n in html]
        assert not shown, f"{path.name}: {shown[:5]}"
        for href in re.findall(r'href="([^"#]+)"', html):
            assert (path.parent / href).is_file(), f"{path.name} links to missing {href}"
    report = pages[out]
    assert model.name(street) in report and street in report


def test_community_page_holds_nothing_of_other_streets(generated, tmp_path: Path):
    folder, model, result = generated
    tables = _tables(folder)
    streets, street_of = _street_parts(tables)
    terr = tables["territories"]
    community = sorted(terr.loc[(terr["kind"].isin(["community", "village"]))
                                & terr["id"].map(street_of).eq(streets[-1]), "id"])[0]
    page = write_network(model, result, tmp_path / "c.html", scope=community)[0]
    html = html_without_vis(page.read_text(encoding="utf-8"))
    ids, names = _foreign(tables, streets[-1])
    assert not set(ID.findall(html)) & ids
    assert not [n for n in names if n in html]


def _names_in(html: str, people: set[str]) -> set[str]:
    """The names of ``people`` (2 to 4 characters) found in ``html``: every piece of every
    run of Chinese characters is looked up (much faster than searching for each name)."""
    lengths = {len(n) for n in people}
    found = set()
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", html):
        for k in lengths:
            found.update(run[i:i + k] for i in range(len(run) - k + 1))
    return found & people


def test_member_names_never_appear_without_show_names(generated, tmp_path: Path):
    folder, model, result = generated
    people = _person_names(_tables(folder))
    assert len(people) > 100
    write_report(model, result, tmp_path / "plain")
    for path, html in _written(tmp_path / "plain").items():
        shown = _names_in(html, people)
        assert not shown, f"{path.name} shows member names {sorted(shown)[:5]}"
    write_report(model, result, tmp_path / "named", show_names=True)
    named = _written(tmp_path / "named")
    assert any(_names_in(html, people) for html in named.values())
