"""Network pages read in a meeting (issue 17), in Chromium at 1600×1000 and 800×1000.

On a generated city (the synthetic generator's small scale, seed 1) and on the two-street
city: after open nothing lies outside the canvas or under the legend; the names of the
page's own level are drawn at 12 px or more (measured on the canvas: every ``fillText`` call
is recorded with its font size times the canvas transform); each layer switch changes the
drawn edges; 只看问题 shows exactly the entities with findings and their neighbours; the view
is kept in the address; a finding clicked in the side list draws its route; a page prints on
one A3 landscape sheet. Screenshots of the city, a street (detailed and aggregated) and a
community at both widths are written to ``ORGNET_SCREENSHOTS`` when it is set (the README's
``docs/screenshots``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from graphmodel.index import model_index
from graphmodel.schema import Entity
from graphmodel.settings import Settings
from loaders import load_dataset
from synthetic import write_dataset
from tests.helpers import edit, run_diagnosis
from tests.visualizations.pages import MEMBER_NAMES, TINY, add_second_street
from visualizations import write_network, write_report

pytestmark = pytest.mark.browser

WIDTHS = (1600, 800)
MIN_PX = 12

# every fillText on a canvas, with its size on screen (font px times the canvas scale)
RECORD_TEXT = """
(() => {
  window.__texts = [];
  const draw = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, w) {
    const m = /(\\d+(?:\\.\\d+)?)px/.exec(this.font);
    const k = this.getTransform().a / (window.devicePixelRatio || 1);
    if (m) { window.__texts.push([String(text), parseFloat(m[1]) * k]); }
    return draw.apply(this, arguments);
  };
})();
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A generated city, diagnosed, and its pages: the report's (city aggregated, streets
    detailed), a street aggregated, a community."""
    root = tmp_path_factory.mktemp("meeting")
    folder = root / "data"
    write_dataset(folder, scale="small", seed=1)
    model = load_dataset(folder)
    result = run_diagnosis(folder, root)
    write_report(model, result, root / "report")
    net = root / "report" / "network"
    streets = sorted(p.stem for p in net.glob("T-*.html"))
    street = streets[0]
    aggregated = write_network(model, result, root / "agg" / f"{street}.html", scope=street,
                               settings=Settings(aggregate_above_nodes=200),
                               drill_down=False)[0]
    community = max(  # the community of the street with the most grids and compounds
        (t for t in model.nodes_of(Entity.TERRITORY)
         if model.parent_territory(t) == street and model.node(t).get("level") == 3),
        key=lambda t: (len(model_index(model).subtree(t)), t))
    community_page = write_network(model, result, root / "community.html",
                                   scope=community)[0]
    return {"model": model, "result": result, "pages": {
        "city": net / "city.html", "street": net / f"{street}.html",
        "street-aggregated": aggregated, "community": community_page}}


def _open(browser: Any, path: Path, width: int, hash_: str = "") -> tuple[Any, Any, list]:
    context = browser.new_context(viewport={"width": width, "height": 1000},
                                  device_scale_factor=1)
    context.add_init_script(RECORD_TEXT)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file://", "data:"))
            else problems.append(r.url))
    page.goto(path.as_uri() + hash_)
    page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=30000)
    page.wait_for_timeout(150)
    return context, page, problems


def _keep(shot: Path) -> None:
    folder = os.environ.get("ORGNET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


GEOMETRY = """() => {
  const net = window.orgnet.network;
  const box = document.querySelector('#network').getBoundingClientRect();
  const side = document.querySelector('#side');
  const sb = side && getComputedStyle(side).display !== 'none' ? side.getBoundingClientRect()
    : null;
  const out = [];
  net.body.nodeIndices.forEach(id => {
    const n = net.body.nodes[id];
    const p = net.canvasToDOM({x: n.x, y: n.y});
    const r = (n.options.size || 10) * net.getScale();
    out.push([id, box.left + p.x, box.top + p.y, r]);
  });
  return {box: [box.left, box.top, box.right, box.bottom],
          side: sb ? [sb.left, sb.top, sb.right, sb.bottom] : null, nodes: out};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["city", "street", "street-aggregated", "community"])
def test_opens_fitted_readable_and_clean(browser, city, which: str, width: int,
                                         tmp_path: Path):
    context, page, problems = _open(browser, city["pages"][which], width)
    shot = tmp_path / f"{which}-{width}.png"
    page.screenshot(path=str(shot))
    _keep(shot)
    g = page.evaluate(GEOMETRY)
    left, top, right, bottom = g["box"]
    assert g["nodes"]
    for node_id, x, y, r in g["nodes"]:
        assert left <= x - r and x + r <= right and top <= y - r and y + r <= bottom, node_id
        if g["side"]:
            sl, st, sr, sb = g["side"]
            assert not (sl <= x <= sr and st <= y <= sb), f"{node_id} under the legend"
    if width < 1000:  # the legend is a button, the picture the whole width
        assert g["side"] is None
        assert page.locator("#network").bounding_box()["width"] >= width - 2
    # the names of the page's own level: drawn, and at 12 px or more
    own = page.evaluate("""() => {
        const d = window.orgnet.data;
        const level = d.own_level || (Math.min(...d.nodes.map(n => n.level || 9)) + 1);
        return d.nodes.filter(n => n.level === level && n.entity === 'territory')
                      .map(n => n.label.split('\\n')[0]);
    }""")
    page.evaluate("() => { window.__texts = []; window.orgnet.network.redraw(); }")
    page.wait_for_timeout(100)
    texts = page.evaluate("() => window.__texts")
    # a name is drawn whole, cut into lines, or without its parent's name in front
    drawn = [(t, px) for t, px in texts if any(len(t) >= 2 and t in o for o in own)]
    assert own and drawn, (own, texts[:20])
    small = [(t, round(px, 1)) for t, px in drawn if px < MIN_PX - 0.01]
    assert not small, small
    named = {o for o in own if any(t in o for t, _ in drawn)}
    assert len(named) >= 0.5 * len(set(own)), (sorted(set(own) - named), width)
    tiny = [(t, round(px, 1)) for t, px in texts if px < MIN_PX - 0.01]
    assert not tiny, tiny[:10]  # no text at all is drawn smaller than 12 px
    assert not problems, problems
    context.close()


VIEW = """() => {  // the part of the picture in the canvas, in canvas coordinates
  const net = window.orgnet.network, box = document.querySelector('#network');
  const a = net.DOMtoCanvas({x: 0, y: 0});
  const z = net.DOMtoCanvas({x: box.clientWidth, y: box.clientHeight});
  return [a.x, a.y, z.x, z.y];
}"""


def _inside(geometry: dict) -> set[str]:
    """The nodes whose centre lies inside the canvas."""
    left, top, right, bottom = geometry["box"]
    return {n for n, x, y, _ in geometry["nodes"] if left <= x <= right and top <= y <= bottom}


def _drawn_edges(page: Any) -> set[str]:
    return set(page.evaluate("() => window.orgnet.network.body.edgeIndices.map(String)"))


def _drawn_nodes(page: Any) -> set[str]:
    return set(page.evaluate("() => window.orgnet.network.body.nodeIndices.map(String)"))


@pytest.mark.parametrize("width", WIDTHS)
def test_each_layer_switch_changes_the_drawn_edges_and_the_address(browser, city,
                                                                  width: int):
    context, page, problems = _open(browser, city["pages"]["street"], width)
    every = _drawn_edges(page)
    for layer, zh in (("chain", "组织链"), ("ties", "共驻共建"), ("routes", "责任回流"),
                      ("mass", "成员/群众组织")):
        box = page.get_by_label(zh, exact=True)
        box.uncheck()
        without = _drawn_edges(page)
        assert without < every, layer
        assert "layers=" in page.url and layer not in page.url.split("layers=")[1].split("&")[0]
        box.check()
        assert _drawn_edges(page) == every
    # a link keeps the view: reopened with its address, the same edges are drawn
    page.get_by_label("共驻共建", exact=True).uncheck()
    url, expected = page.url, _drawn_edges(page)
    assert "#layers=chain%2Croutes%2Cmass" in url or "#layers=chain,routes,mass" in url
    context.close()
    context, page, problems = _open(browser, city["pages"]["street"], width,
                                    "#" + url.split("#", 1)[1])
    assert _drawn_edges(page) == expected
    assert not page.get_by_label("共驻共建", exact=True).is_checked()
    assert not problems, problems
    context.close()


def test_only_problems_shows_the_entities_with_findings_and_their_neighbours(browser, city,
                                                                            tmp_path: Path):
    context, page, problems = _open(browser, city["pages"]["street"], 1600)
    data = page.evaluate("() => window.orgnet.data")
    node_ids = {n["id"] for n in data["nodes"]}
    flagged = {n["id"] for n in data["nodes"] if n.get("problem") or n.get("f")}
    # the findings the page lists are on the nodes flagged, and a finding about a drawn
    # node (its subject, or an end of its tie) flags that node
    for row in data["findings"]:
        assert set(row["n"]) <= flagged
    listed = {r["msg"] for r in data["findings"]}
    for f in city["result"]["findings"]:
        if f["message"] in listed:
            for part in f["subject"].split("->"):
                assert part not in node_ids or part in flagged, f["subject"]
    expected = set(flagged)
    for e in data["edges"]:
        if e["from"] in flagged:
            expected.add(e["to"])
        if e["to"] in flagged:
            expected.add(e["from"])
    page.get_by_label("只看问题").check()
    shown = _drawn_nodes(page)
    shot = tmp_path / "street-problems-1600.png"
    page.screenshot(path=str(shot))
    _keep(shot)
    assert shown == expected and len(shown) < len(node_ids)
    assert "view=problems" in page.url
    page.get_by_label("只看问题").uncheck()
    assert _drawn_nodes(page) == node_ids
    assert not problems, problems
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_finding_clicked_focuses_it_and_draws_its_route(browser, city, width: int):
    context, page, problems = _open(browser, city["pages"]["street"], width,
                                    "#layers=chain,ties,mass")
    data = page.evaluate("() => window.orgnet.data")
    row = next(r for r in data["findings"] if r["q"] == "backflow" and r["e"])
    assert not _drawn_edges(page) & set(row["e"])  # routes are off
    if width < 1000:  # the side panel is folded into buttons
        page.locator('#toolbar [data-open="findings"]').click()
    else:
        page.locator('#side [data-tab="findings"]').click()
    page.locator(f'#finding-list button[data-i="{row["i"]}"]').click()
    assert set(row["e"]) <= _drawn_edges(page)
    selected = page.evaluate("() => window.orgnet.network.getSelectedEdges()")
    assert set(row["e"]) <= set(selected)
    assert f"finding={row['i']}" in page.url
    g = page.evaluate(GEOMETRY)
    ends = {e for id_ in row["e"] for e in page.evaluate(
        "(id) => [window.orgnet.edges.get(id).from, window.orgnet.edges.get(id).to]", id_)}
    left, top, right, bottom = g["box"]
    for node_id, x, y, _ in g["nodes"]:
        if node_id in ends:
            assert left <= x <= right and top <= y <= bottom, node_id
    assert not problems, problems
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_aggregated_page_colours_by_each_question(browser, city, width: int):
    context, page, problems = _open(browser, city["pages"]["city"], width)
    data = page.evaluate("() => window.orgnet.data")
    circles = [n for n in data["nodes"] if n.get("colors")]
    assert circles and all(set(n["colors"]) == {"coverage", "weak_ties", "backflow"}
                           for n in circles)
    for mode, zh in (("weak_ties", "弱关系占比"), ("backflow", "回流任务"),
                     ("coverage", "覆盖率")):
        page.get_by_label(zh, exact=True).check()
        got = page.evaluate("() => window.orgnet.nodes.get().filter(n => n.colors)"
                            ".map(n => [n.id, n.color.background, n.label])")
        for node_id, color, label in got:
            want = next(n for n in circles if n["id"] == node_id)
            assert color == want["colors"][mode] and want["values"][mode] in label
        if mode != "coverage":
            assert f"color={mode}" in page.url
    # the units serving several streets are ties between the circles
    ties = [e for e in data["edges"] if e.get("rel") == "UNITS"]
    assert ties and all(e["units"] >= 1 for e in ties)
    page.get_by_label("跨区域共建单位").uncheck()
    assert not _drawn_edges(page) & {e["id"] for e in ties}
    assert not problems, problems
    context.close()


def test_page_prints_on_one_a3_landscape_sheet_with_its_legend(browser, city,
                                                             tmp_path: Path):
    context, page, problems = _open(browser, city["pages"]["street"], 1600,
                                    "#view=problems")
    page.evaluate("() => window.orgnet.network.moveTo({scale: 0.6, animation: false})")
    page.wait_for_timeout(100)
    on_screen, seen = _inside(page.evaluate(GEOMETRY)), page.evaluate(VIEW)
    page.emulate_media(media="print")
    page.evaluate("() => window.orgnet.forPrint()")
    # the view printed is the view on screen: what was seen is on the sheet, and little more
    printed, sheet = _inside(page.evaluate(GEOMETRY)), page.evaluate(VIEW)
    assert on_screen and on_screen <= printed
    assert sheet[0] <= seen[0] + 1 and sheet[1] <= seen[1] + 1
    assert sheet[2] >= seen[2] - 1 and sheet[3] >= seen[3] - 1
    area = (seen[2] - seen[0]) * (seen[3] - seen[1])
    assert (sheet[2] - sheet[0]) * (sheet[3] - sheet[1]) <= 1.6 * area
    assert page.locator("#legend").is_visible() and page.locator("h1").is_visible()
    assert "北京时间" in page.locator(".page-head .meta").inner_text()
    assert page.locator("#toolbar").is_hidden() and page.locator("#findings").is_hidden()
    # the view printed is the view on screen: 只看问题 stays
    assert page.evaluate("() => window.orgnet.state.problems") is True
    pdf = tmp_path / "street.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    raw = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", raw)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", raw)
    assert box and float(box.group(1)) == pytest.approx(1190.55, abs=2) \
        and float(box.group(2)) == pytest.approx(841.89, abs=2)
    assert not problems, problems
    context.close()


def test_names_are_escaped_and_member_names_hidden(browser, tmp_path: Path):
    folder = tmp_path / "city"
    shutil.copytree(TINY, folder)
    add_second_street(folder)
    edit(folder, "units", "平安物流有限公司", '"<img src=x onerror=""window.__pwned=1"">"')
    model = load_dataset(folder)
    result = run_diagnosis(folder, tmp_path)
    path = write_network(model, result, tmp_path / "T-ST2.html", scope="T-ST2")[0]
    context, page, problems = _open(browser, path, 1600)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img").count() == 0
    page.locator('#side [data-tab="findings"]').click()
    text = page.locator("body").inner_text()
    labels = page.evaluate("() => window.orgnet.data.nodes.map(n => n.label)")
    assert any("<img" in label for label in labels)  # the name is text, drawn as text
    assert not any(name in text for name in MEMBER_NAMES)
    assert not problems, problems
    context.close()
