"""Network pages, without a browser: what is drawn, where, how; scope; aggregation; privacy."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from graphmodel.settings import Settings
from loaders import load_dataset
from tests.helpers import append, edit, run_diagnosis
from tests.visualizations.pages import (
    MEMBER_NAMES,
    STREET2_MARKERS,
    external_refs,
    html_without_vis,
)
from visualizations import (
    ScopeError,
    network_data,
    render_network,
    write_network,
    write_report,
)
from visualizations.styles import PROBLEM


def _nodes(data: dict) -> dict[str, dict]:
    return {n["id"]: n for n in data["graph"]["nodes"]}


def _edges(data: dict) -> list[dict]:
    return data["graph"]["edges"]


def _edge(data: dict, source: str, target: str, **attrs: object) -> dict:
    hits = [e for e in _edges(data) if e["from"] == source and e["to"] == target
            and all(e.get(k) == v for k, v in attrs.items())]
    assert hits, f"no edge {source}->{target} {attrs}"
    return hits[0]


def _graph_json(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="orgnet-graph">(.*?)</script>', html,
                      flags=re.DOTALL)
    assert match
    return json.loads(match.group(1))


# --- the picture --------------------------------------------------------------------------------


def test_levels_read_top_to_bottom_and_orgs_sit_over_their_territories(two_streets, findings):
    nodes = _nodes(network_data(two_streets, findings))
    chain = ["O-CITY", "O-ST1", "O-C1", "O-G11", "O-P111"]
    territories = ["T-CITY", "T-ST1", "T-C1", "T-G11", "T-P111"]
    for upper, lower in itertools.pairwise(chain):
        assert nodes[upper]["y"] < nodes[lower]["y"]
    for org, territory in zip(chain, territories, strict=True):
        assert nodes[org]["x"] == nodes[territory]["x"]
        assert nodes[org]["y"] < nodes[territory]["y"]
    for territory, lower_org in zip(territories, chain[1:], strict=False):
        assert nodes[territory]["y"] < nodes[lower_org]["y"]
    # the owners' committee (mass organization) sits below its compound
    assert nodes["O-Y111"]["y"] > nodes["T-P111"]["y"]
    # units and platforms sit in their own band between the street and community levels
    for side in ("U-1", "U-2", "P-JM", "P-WT"):
        assert nodes["T-ST1"]["y"] < nodes[side]["y"] < nodes["O-C1"]["y"]


def test_organizations_territories_units_platforms_look_different(two_streets, findings):
    nodes = _nodes(network_data(two_streets, findings))
    shapes = {nodes[n]["shape"] for n in ("O-C1", "T-C1", "U-1", "P-JM")}
    assert len(shapes) == 4
    assert nodes["O-C1"]["color"]["background"] != nodes["T-C1"]["color"]["background"]
    assert nodes["O-Y111"]["size"] < nodes["O-P111"]["size"]  # mass orgs drawn smaller
    assert nodes["O-CITY"]["size"] > nodes["O-C1"]["size"]  # top of the chain larger


def test_no_physics_and_fixed_positions(two_streets, findings):
    data = network_data(two_streets, findings)
    options = data["graph"]["options"]
    assert options["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int)
               for n in data["graph"]["nodes"])


def test_problems_are_marked_by_colour(two_streets, findings):
    data = network_data(two_streets, findings)
    nodes = _nodes(data)
    red, orange, purple = PROBLEM["coverage"], PROBLEM["weak_ties"], PROBLEM["backflow"]
    # a grid without branch: a dashed red placeholder where the branch should be
    missing = nodes["missing:T-G32"]
    assert missing["label"] == "缺网格党支部"
    assert missing["color"]["border"] == red and missing["shapeProperties"]["borderDashes"]
    assert missing["y"] < nodes["T-G32"]["y"] and missing["x"] == nodes["T-G32"]["x"]
    assert nodes["T-G32"]["color"]["border"] == red
    # a compound group reporting straight to the street: red, and its link dashed red
    assert nodes["O-P321"]["color"]["border"] == red
    skip = _edge(data, "O-P321", "O-ST2", rel="REPORTS_TO")
    assert skip["color"]["color"] == red and skip["dashes"]
    # weak ties: orange and dashed; a community whose only problem is backflow: purple
    weak = _edge(data, "U-5", "T-C3", rel="TIE")
    assert weak["color"]["color"] == orange and weak["dashes"] and weak["weak"]
    assert nodes["O-C4"]["color"]["border"] == purple
    assert nodes["U-5"]["color"]["border"] == orange
    # the backflow route: purple arrows hop by hop, with step numbers and actions
    route = [e for e in _edges(data) if e.get("rel") == "ROUTE"]
    assert route and {e["color"]["color"] for e in route} == {purple}
    labels = {e["label"] for e in route if e["id"].startswith("route:K-6:")}
    assert {"1转办", "2转办", "3转办", "4退回", "5转办", "6退回"} <= labels
    assert _edge(data, "U-6", "O-ST2", rel="ROUTE")["arrows"]["to"]["enabled"]


def test_tie_thickness_follows_strength_and_weak_ties_are_dashed(two_streets, findings):
    data = network_data(two_streets, findings)
    strong = _edge(data, "U-1", "T-C1", type="co_building")
    weak = _edge(data, "U-2", "T-C1", type="dual_reporting")
    assert strong["score"] == pytest.approx(0.84) and weak["score"] == pytest.approx(0.28)
    assert strong["width"] > weak["width"]
    assert "dashes" not in strong and weak["dashes"]
    # two ties between the same pair are drawn apart
    lead = _edge(data, "U-1", "T-C1", type="responsible_unit")
    assert lead.get("smooth", {}).get("enabled")


def test_hover_shows_chinese_name_kind_and_findings(two_streets, findings):
    nodes = _nodes(network_data(two_streets, findings))
    tip = nodes["T-G32"]["tip"]
    assert tip["t"] == "长乐社区第二网格"
    assert ["类型", "网格"] in tip["f"]
    assert any("没有网格党支部" in line[3] and line[0] == "coverage" for line in tip["p"])
    org = nodes["O-C1"]["tip"]
    assert ["类型", "社区党委"] in org["f"] and ["上级组织", "和平街道党工委"] in org["f"]
    unit = nodes["U-6"]["tip"]
    assert ["类型", "驻区职能部门"] in unit["f"] and ["行政级别", "县级"] in unit["f"]
    assert nodes["O-P111"]["members"] == 3  # member counts, never member nodes
    assert not [n for n in nodes if n.startswith("M-")]


def test_member_findings_attach_to_where_the_member_is(two_streets, findings):
    nodes = _nodes(network_data(two_streets, findings))
    # M-12 has no organization: shown on the compound where he lives
    assert any("M-12" in line[3] for line in nodes["T-P321"]["tip"]["p"])
    # the sent-down cadre M-13 on the community he was sent to
    assert any("M-13" in line[3] for line in nodes["T-C4"]["tip"]["p"])


def test_page_is_self_contained(two_streets, findings):
    html = render_network(two_streets, findings)
    assert not external_refs(html)
    assert "<link" not in html and not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<img[^>]*\bsrc=", html)
    # vis-network inlined from pyvis, licence header kept
    assert "vis-network" in html and "@license" in html and "MIT License" in html
    assert 'lang="zh-CN"' in html and "图例" in html and "缺失或断链" in html
    assert _graph_json(html)["nodes"]


def test_script_data_cannot_end_its_block(two_streets, findings):
    findings["findings"][0]["message"] = "</script><script>alert(1)</script>"
    html = render_network(two_streets, findings)
    assert "</script><script>alert(1)" not in html
    assert any("alert(1)" in line[3] for n in _graph_json(html)["nodes"]
               for line in n.get("tip", {}).get("p", []))


def test_output_is_deterministic(two_streets, findings):
    assert render_network(two_streets, findings) == render_network(two_streets, findings)
    assert (render_network(two_streets, findings, scope="T-ST2")
            == render_network(two_streets, findings, scope="T-ST2"))


def test_without_findings(two_streets):
    data = network_data(two_streets, None)
    assert data["graph"]["nodes"] and all("problem" not in n for n in data["graph"]["nodes"])


# --- scope ------------------------------------------------------------------------------------


def test_street_page_holds_nothing_of_the_other_street(two_streets, diagnosed, findings):
    for result in (findings, diagnosed):
        html = html_without_vis(render_network(two_streets, result, scope="T-ST1"))
        leaked = [m for m in STREET2_MARKERS if m in html]
        assert not leaked
        assert "和平街道" in html and "幸福社区" in html


def test_cross_street_references_are_redacted(two_streets, findings):
    # O-G21 (street 1) is said to report to O-C3 (street 2): the finding stays on street 1's
    # page, but the other street's organization is named only as 范围外
    nodes = _nodes(network_data(two_streets, findings, scope="T-ST1"))
    lines = [line[3] for line in nodes["O-G21"]["tip"]["p"]]
    assert lines == ["“光明社区第一网格党支部”隶属于“（范围外）”，但后者并不覆盖其所在区域“光明社区”"]


def test_other_street_page_holds_nothing_of_the_first(two_streets, findings):
    html = html_without_vis(render_network(two_streets, findings, scope="T-ST2"))
    for marker in ("T-ST1", "和平街道", "幸福", "光明", "O-C1", "U-1", "U-4", "K-3"):
        assert marker not in html
    assert "长乐社区" in html and "区住建局" in html


def test_community_scope(two_streets, findings):
    data = network_data(two_streets, findings, scope="T-C1")
    nodes = _nodes(data)
    assert {"T-C1", "O-C1", "T-G11", "T-P121", "O-Y121"} <= set(nodes)
    assert not {"T-C2", "O-C2", "T-ST1", "O-ST1", "T-G21"} & set(nodes)
    assert "U-1" in nodes and "U-4" not in nodes  # units tied to the community come along
    assert data["breadcrumb"] == ["示范市", "和平街道", "幸福社区"]
    chain = [n for n in nodes.values() if n["entity"] in ("organization", "territory")]
    assert min(n["y"] for n in chain) == nodes["O-C1"]["y"]  # the top is level 3
    assert [b["label"] for b in data["graph"]["bands"]] == [
        "共建单位与平台", "第3级 社区/村", "第4级 网格", "第5级 小区院落"]


def test_scope_by_org_id_or_unique_name(two_streets, findings):
    by_id = network_data(two_streets, findings, scope="T-ST1")
    assert network_data(two_streets, findings, scope="O-ST1") == by_id
    assert network_data(two_streets, findings, scope="和平街道") == by_id
    assert network_data(two_streets, findings, scope="city")["scope_id"] == "T-CITY"


def test_unknown_scope_is_an_error(two_streets):
    with pytest.raises(ScopeError, match="unknown scope 'T-NOPE'"):
        network_data(two_streets, None, scope="T-NOPE")


# --- aggregation ------------------------------------------------------------------------------


def test_large_scope_is_drawn_aggregated(two_streets, findings):
    data = network_data(two_streets, findings, settings=Settings(aggregate_above_nodes=10),
                        href={"T-ST1": "T-ST1.html", "T-ST2": "T-ST2.html"})
    assert data["aggregated"] and data["total_nodes"] > 10
    nodes = _nodes(data)
    assert set(nodes) == {"T-CITY", "T-ST1", "T-ST2"}  # the city and its streets
    # sized by members, coloured by coverage, linked to drill-down pages
    assert nodes["T-ST1"]["members"] == 10 and nodes["T-ST2"]["members"] == 3
    assert nodes["T-ST1"]["size"] > nodes["T-ST2"]["size"]
    assert nodes["T-ST1"]["ratio"] == 1.0 and nodes["T-ST2"]["ratio"] == pytest.approx(5 / 6)
    assert nodes["T-ST1"]["color"]["background"] != nodes["T-ST2"]["color"]["background"]
    assert nodes["T-ST2"]["href"] == "T-ST2.html"
    assert [row["id"] for row in data["drill"]] == ["T-ST1", "T-ST2"]
    st2 = data["drill"][1]
    assert st2["counts"] == [4, 3, 3] and st2["high"] == 4
    # coverage computed from the model where the metrics have no row
    street = _nodes(network_data(two_streets, findings, scope="T-ST2",
                                 settings=Settings(aggregate_above_nodes=10)))
    assert set(street) == {"T-ST2", "T-C3", "T-C4"}
    assert street["T-C4"]["ratio"] == 1.0 and street["T-C3"]["ratio"] == pytest.approx(0.5)


def test_aggregated_page_uses_the_threshold_in_the_findings(two_streets, findings):
    findings["settings"]["aggregate_above_nodes"] = 10
    assert network_data(two_streets, findings)["aggregated"]
    assert not network_data(two_streets, findings, settings=Settings())["aggregated"]


def test_drill_down_pages_are_written_and_every_link_resolves(two_streets, findings,
                                                            tmp_path: Path):
    written = write_network(two_streets, findings, tmp_path / "page.html", drill_down=True,
                            settings=Settings(aggregate_above_nodes=12))
    names = sorted(p.name for p in written)
    assert names[0] == "T-C1.html" and "page.html" in names and "T-ST2.html" in names
    for path in written:
        html = path.read_text(encoding="utf-8")
        assert not external_refs(html)
        for href in re.findall(r'href="([^"#]+)"', html_without_vis(html)):
            assert (path.parent / href).exists(), f"{path.name} links to missing {href}"
        for node in _graph_json(html)["nodes"]:
            if node.get("href"):
                assert (path.parent / node["href"]).exists()
    st1 = (tmp_path / "T-ST1.html").read_text(encoding="utf-8")
    assert "返回示范市" in st1 and 'href="page.html"' in st1
    assert not [m for m in STREET2_MARKERS if m in html_without_vis(st1)]


def test_pages_can_share_vis_network_from_a_folder(two_streets, findings, tmp_path: Path):
    written = write_network(two_streets, findings, tmp_path / "city.html", drill_down=True,
                            settings=Settings(aggregate_above_nodes=10), assets="folder")
    assert len(written) > 3 and (tmp_path / "lib" / "vis-network.min.js").is_file()
    for path in written:
        html = path.read_text(encoding="utf-8")
        assert '<script src="lib/vis-network.min.js"></script>' in html
        assert "@license" not in html and len(html) < 200_000
    with pytest.raises(ValueError, match="assets"):
        write_network(two_streets, findings, tmp_path / "x.html", assets="cdn")


def test_without_drill_down_only_the_page_is_written(two_streets, findings, tmp_path: Path):
    small = Settings(aggregate_above_nodes=10)
    written = write_network(two_streets, findings, tmp_path / "city.html", settings=small)
    assert written == [tmp_path / "city.html"]
    html = written[0].read_text(encoding="utf-8")
    # no link may lead to a missing file: the areas are listed, with how to write their pages
    assert 'href="T-ST1.html"' not in html and "和平街道" in html and "--drill-down" in html
    assert not [n for n in _graph_json(html)["nodes"] if n.get("href")]
    # once a street's page exists beside it, the page links to it
    write_network(two_streets, findings, tmp_path / "T-ST1.html", scope="T-ST1")
    html = write_network(two_streets, findings, tmp_path / "city.html",
                         settings=small)[0].read_text(encoding="utf-8")
    assert 'href="T-ST1.html"' in html and 'href="T-ST2.html"' not in html


def test_auto_assets_inline_one_page_and_share_a_folder_for_many(two_streets, findings,
                                                                 tmp_path: Path):
    one = write_network(two_streets, findings, tmp_path / "a" / "city.html", assets="auto")
    assert len(one) == 1 and "@license" in one[0].read_text(encoding="utf-8")
    assert not (tmp_path / "a" / "lib").exists()
    many = write_network(two_streets, findings, tmp_path / "b" / "city.html", assets="auto",
                         drill_down=True, settings=Settings(aggregate_above_nodes=10))
    assert len(many) > 3 and (tmp_path / "b" / "lib" / "vis-network.min.js").is_file()
    assert all("lib/vis-network.min.js" in p.read_text(encoding="utf-8") for p in many)


# --- privacy ----------------------------------------------------------------------------------


def test_member_names_only_with_show_names(two_streets, findings, diagnosed):
    for result in (findings, diagnosed):
        for scope in (None, "T-ST1", "T-ST2"):
            html = html_without_vis(render_network(two_streets, result, scope=scope))
            assert not [n for n in MEMBER_NAMES if n in html]
    html = html_without_vis(render_network(two_streets, findings, show_names=True))
    assert "郭涛" in html  # M-12, the member without organization, in the hover box
    assert "张伟" in html and "孙丽" in html  # members listed on their organization
    assert "本页含党员姓名" in html


def test_real_diagnosis_draws(two_streets, diagnosed):
    data = network_data(two_streets, diagnosed, scope="T-ST2")
    nodes = _nodes(data)
    assert nodes["missing:T-G32"]["problem"] == "coverage"
    assert _edge(data, "U-5", "T-C3", rel="TIE")["weak"]
    assert [e for e in _edges(data) if e.get("rel") == "ROUTE"]


def test_broken_data_still_draws_every_node_apart(tiny_dir: Path, tmp_path: Path):
    # a cycle of parents between two compounds, a dangling superior, a dangling territory
    edit(tiny_dir, "territories", "T-P112,和谐苑,小区,T-G11", "T-P112,和谐苑,小区,T-P113")
    append(tiny_dir, "territories", "T-P113,环岛,小区,T-P112,10,是")
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部,O-C1,",
         "O-G12,幸福社区第二网格党支部,网格党支部,O-XX,")
    edit(tiny_dir, "organizations", "O-G12,T-P121,", "O-G12,T-NOPE,")
    model = load_dataset(tiny_dir)
    assert len(model.warnings) == 3
    result = run_diagnosis(tiny_dir, tmp_path, only={"coverage"})
    data = network_data(model, result)
    nodes = _nodes(data)
    positions = [(n["x"], n["y"]) for n in nodes.values()]
    assert len(set(positions)) == len(positions)
    assert {"T-P112", "T-P113", "O-P121"} <= set(nodes)
    assert nodes["O-G12"]["problem"] == "coverage"  # cannot reach the city committee
    assert write_report(model, result, tmp_path / "report").exists()


def test_a_very_wide_picture_is_stretched_down_keeping_its_levels():
    from visualizations._layout import MAX_STRETCH, layered_layout

    kids = {"S": [f"C{i}" for i in range(16)]}
    kids |= {f"C{i}": [f"G{i}-{j}" for j in range(6)] for i in range(16)}
    levels = {"S": 2} | {c: 3 for c in kids["S"]} | {
        g: 4 for c in kids["S"] for g in kids[c]}

    def picture(aspect):
        layout = layered_layout(roots=["S"], children=kids, level_of=levels, above={},
                                below={}, top_level=2, aspect=aspect)
        height = layout.bands[-1].y1 - layout.bands[0].y0
        return layout, (layout.x1 - layout.x0) / height

    flat, wide = picture(None)
    tall, ratio = picture(2.5)
    assert wide > 2.5 * 1.5  # 16 blocks of grids in a row
    assert ratio == pytest.approx(max(2.5, wide / MAX_STRETCH))
    assert tall.pos["S"][1] < tall.pos["C0"][1] < tall.pos["G0-0"][1]
    assert [b.label for b in tall.bands] == [b.label for b in flat.bands]
    assert {n: x for n, (x, _) in tall.pos.items()} == {n: x for n, (x, _) in flat.pos.items()}
