"""The pages in a real headless browser: Chromium driven by Playwright's Python API.

They load from ``file://`` with no console error and no network request, draw their nodes,
show hover boxes, follow drill-down links, sort tables and print. Run alone with
``pytest -m browser``. The browser is Debian's ``chromium`` (or ``ORGNET_CHROMIUM``, or a
browser Playwright installed itself); the tests skip only when no Chromium and no playwright
package can be found.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graphmodel.settings import Settings
from visualizations import write_network, write_report

pytestmark = pytest.mark.browser

LOCAL = ("file://", "data:")


@dataclass
class Visit:
    """A page opened in the browser, with what it logged and requested."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert self.requests, "the page itself should have been requested"
        remote = [u for u in self.requests if not u.startswith(LOCAL)]
        assert not remote, remote


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_page(path: Path, *, width: int = 1280, height: int = 860,
                  ready: bool = True) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        v = Visit(page)
        page.on("console", lambda m: v.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(str(e)))
        page.on("request", lambda r: v.requests.append(r.url))
        page.goto(path.as_uri())
        if ready:
            page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=20000)
        return v

    yield open_page
    for context in contexts:
        context.close()


def _keep(shot: Path) -> None:
    """Copy a screenshot into ``ORGNET_SCREENSHOTS`` (when set) for people to look at."""
    folder = os.environ.get("ORGNET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


def _non_blank_pixels(page: Any) -> int:
    return page.evaluate("""() => {
        const canvas = document.querySelector('#network canvas');
        const ctx = canvas.getContext('2d');
        const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 16) {
            if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) n++;
        }
        return n;
    }""")


def _node_point(page: Any, node_id: str, scale: float = 1.6) -> tuple[float, float]:
    """Zoom onto a node and return its position on the page."""
    point = page.evaluate("""([id, scale]) => {
        const net = window.orgnet.network;
        net.focus(id, {scale: scale, animation: false});
        const p = net.canvasToDOM(net.getPosition(id));
        const box = document.querySelector('#network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [node_id, scale])
    page.wait_for_timeout(150)
    return point[0], point[1]


def test_network_page_loads_offline_and_draws(two_streets, findings, visit, tmp_path: Path):
    path = write_network(two_streets, findings, tmp_path / "city.html")[0]
    v = visit(path)
    page = v.page
    page.wait_for_timeout(300)
    v.check_clean()
    counts = page.evaluate("() => [window.orgnet.nodes.length, window.orgnet.edges.length,"
                           " window.orgnet.data.nodes.length]")
    assert counts[0] == counts[2] > 40 and counts[1] > 40
    assert page.evaluate("() => window.orgnet.network.physics.options.enabled") is False
    assert _non_blank_pixels(page) > 500
    assert page.locator("#legend").inner_text().count("缺失") >= 1
    shot = tmp_path / "network.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    _keep(shot)


def test_hover_box_shows_name_kind_and_findings(two_streets, findings, visit,
                                                tmp_path: Path):
    path = write_network(two_streets, findings, tmp_path / "st2.html", scope="T-ST2")[0]
    v = visit(path)
    page = v.page
    x, y = _node_point(page, "T-G32")
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.inner_text()
    assert "长乐社区第二网格" in text and "网格" in text and "没有网格党支部" in text
    assert "覆盖盲区" in text
    page.screenshot(path=str(tmp_path / "hover.png"))
    _keep(tmp_path / "hover.png")
    v.check_clean()


def test_aggregated_page_drills_down(two_streets, findings, visit, tmp_path: Path):
    write_network(two_streets, findings, tmp_path / "city.html", drill_down=True,
                  settings=Settings(aggregate_above_nodes=10))
    v = visit(tmp_path / "city.html")
    page = v.page
    assert page.evaluate("() => window.orgnet.nodes.length") == 3
    assert "汇总图" in page.locator("h1").inner_text()
    page.screenshot(path=str(tmp_path / "aggregated.png"))
    _keep(tmp_path / "aggregated.png")
    x, y = _node_point(page, "T-ST2", scale=1.0)
    with page.expect_navigation():
        page.mouse.click(x, y)
    page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=20000)
    assert page.url.endswith("/T-ST2.html")
    assert "平安街道" in page.locator("h1").inner_text()
    page.go_back()
    page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=20000)
    page.get_by_role("link", name="和平街道").click()
    page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=20000)
    assert page.url.endswith("/T-ST1.html")
    v.check_clean()


def test_report_loads_offline_sorts_and_prints(two_streets, diagnosed, visit, tmp_path: Path):
    index = write_report(two_streets, diagnosed, tmp_path / "report")
    v = visit(index, height=1000, ready=False)
    page = v.page
    page.wait_for_load_state("load")
    chart = page.locator("svg.chart").bounding_box()
    assert chart and chart["height"] > 100 and chart["width"] > 300
    route = page.locator("svg.route-svg").first.bounding_box()
    assert route and route["height"] > 60
    # sorting: the severity column of the weak-tie table, ascending then descending
    table = page.locator("#findings-weak_ties table")
    header = table.locator("th").first
    ranks = "(t) => Array.from(t.tBodies[0].rows, r => Number(r.cells[0].dataset.sort))"
    header.click()
    up = table.evaluate(ranks)
    assert up == sorted(up) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    down = table.evaluate(ranks)
    assert down == sorted(down, reverse=True) and len(set(down)) > 1
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 50_000
    _keep(tmp_path / "report.png")
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert (tmp_path / "report.pdf").stat().st_size > 10_000
    # the network pages the report links to open too
    page.emulate_media(media="screen")
    page.get_by_role("link", name="平安街道").last.click()
    page.wait_for_selector("html[data-orgnet-ready]", state="attached", timeout=20000)
    assert _non_blank_pixels(page) > 500
    v.check_clean()


def test_overview_leaves_room_for_level_labels_and_names_the_areas(two_streets, findings,
                                                                   visit, tmp_path: Path):
    path = write_network(two_streets, findings, tmp_path / "city.html")[0]
    v = visit(path, width=900, height=700)
    page = v.page
    # the whole picture fits, right of the level labels of the bands
    left, scale = page.evaluate("""() => {
        const net = window.orgnet.network;
        const xs = window.orgnet.data.nodes.map(n => net.canvasToDOM({x: n.x, y: n.y}).x);
        return [Math.min(...xs), net.getScale()];
    }""")
    assert left > 90
    # zoomed out, the node labels are too small: the streets' names are drawn instead
    page.evaluate("() => window.orgnet.network.moveTo({scale: 0.2, animation: false})")
    page.wait_for_timeout(100)
    drawn = page.evaluate("() => window.orgnet.headersDrawn")
    assert {"示范市", "和平街道", "平安街道"} <= set(drawn)
    shot = tmp_path / "overview.png"
    page.screenshot(path=str(shot))
    _keep(shot)
    # 显示全图 brings the whole picture back
    page.get_by_role("button", name="显示全图").click()
    assert page.evaluate("() => window.orgnet.network.getScale()") == pytest.approx(scale)
    v.check_clean()
