"""The diagnosis report, without a browser: contents, charts, scope, privacy, command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphmodel.settings import Settings
from orgnet.cli import main
from tests.visualizations.pages import (
    MEMBER_NAMES,
    STREET2_MARKERS,
    external_refs,
    html_without_vis,
)
from visualizations import report_data, write_report
from visualizations.charts import RouteBox, coverage_chart, route_svg


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.html"))}


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, flags=re.DOTALL)
    assert match, section_id
    return match.group(0)


@pytest.fixture
def city_report(two_streets, findings, tmp_path: Path) -> Path:
    return write_report(two_streets, findings, tmp_path / "report")


def test_report_and_network_pages_are_written(city_report: Path):
    folder = city_report.parent
    assert city_report.name == "index.html"
    assert sorted(_files(folder)) == ["index.html", "network/T-ST1.html", "network/T-ST2.html",
                                      "network/city.html"]
    html = city_report.read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"#]+)"', html):
        assert (folder / href).exists(), href
    street = (folder / "network" / "T-ST2.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in street and 'href="city.html"' in street


def test_every_file_is_self_contained(city_report: Path):
    folder = city_report.parent
    for name, html in _files(folder).items():
        assert not external_refs(html), name
        # network pages share vis-network from network/lib/, beside them; nothing else
        refs = re.findall(r'<(?:script|link|img)[^>]*\b(?:src|href)="([^"]+)"', html)
        assert set(refs) <= {"lib/vis-network.min.js", "lib/vis-network.css"}, name
        for ref in refs:
            assert ((folder / name).parent / ref).is_file()
    lib = (folder / "network" / "lib" / "vis-network.min.js").read_text(encoding="utf-8")
    assert lib.startswith("/**") and "@license" in lib and "MIT License" in lib
    index = city_report.read_text(encoding="utf-8")
    assert "http://" not in index and "https://" not in index and "<script src" not in index


def test_headline_and_summary(city_report: Path):
    html = city_report.read_text(encoding="utf-8")
    overview = _section(html, "overview")
    assert "示范市基层党组织网络诊断报告" in html and 'lang="zh-CN"' in html
    assert re.search(r"发现问题</div>\s*<div class=\"value\">15<", overview)
    # one vocabulary: a question's card counts its findings, its checks listed beneath
    assert re.search(r"责任回流</div>\s*<div class=\"value\"[^>]*>4<small>条", overview)
    assert "涉及任务 2 个" in overview  # K-6, K-3
    assert re.search(r"弱关系</div>\s*<div class=\"value\"[^>]*>5<small>条", overview)
    assert "共建关系强度低（联谊性合作） 2" in overview and "下沉干部与群众联系少 2" in overview
    assert "区域缺少本级党组织" in overview and "territory_without_org" in overview


def test_coverage_chart_is_inline_svg_with_text(city_report: Path):
    section = _section(city_report.read_text(encoding="utf-8"), "coverage")
    svg = re.search(r"<svg.*?</svg>", section, flags=re.DOTALL).group(0)
    assert 'class="chart"' in svg and "<metadata" not in svg
    # svg.fonttype = none: the Chinese names are text, drawn with the reader's fonts
    assert re.search(r"<text[^>]*>平安街道</text>", svg) and ">和平街道</text>" in svg
    assert "Microsoft YaHei" in svg and "<!DOCTYPE" not in section
    assert "2/3（67%）" in section  # the table under the chart


def test_findings_tables_are_sortable(city_report: Path):
    html = city_report.read_text(encoding="utf-8")
    assert "window.orgnetSort" in html  # our own sorter, inline
    for question, title in (("coverage", "覆盖盲区"), ("weak_ties", "弱关系"),
                            ("backflow", "责任回流")):
        section = _section(html, f"findings-{question}")
        assert f"{title}：" in section and 'class="sortable"' in section
        assert 'data-type="num"' in section  # severity sorts by rank
    weak = _section(html, "findings-weak_ties")
    assert "平安物流有限公司 — 长乐社区" in weak and "平安街道" in weak  # subject and its street
    backflow = _section(html, "findings-backflow")
    assert "区住建局 → 平安街道党工委 → 长乐社区党委" in backflow  # path by names


def test_worst_backflow_routes_drawn_step_by_step(city_report: Path):
    routes = _section(city_report.read_text(encoding="utf-8"), "routes")
    articles = re.findall(r'<article class="route">.*?</article>', routes, flags=re.DOTALL)
    assert len(articles) == 2
    first = articles[0]  # K-6: high severity, the longest route
    assert "长乐新村管网改造" in first and 'class="route-svg"' in first
    steps = re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="steps">(.*?)</ol>', first,
                                                    flags=re.DOTALL).group(1), flags=re.DOTALL)
    assert [re.sub(r"<.*?>", "", s) for s in steps] == [
        "区住建局 → 平安街道党工委：转办", "平安街道党工委 → 长乐社区党委：转办",
        "长乐社区党委 → 长乐社区第一网格党支部：转办", "长乐社区第一网格党支部 → 长乐社区党委：退回",
        "长乐社区党委 → 长乐社区第一网格党支部：转办", "长乐社区第一网格党支部 → 长乐社区党委：退回",
        "长乐社区党委：办结"]
    svg = re.search(r'<svg class="route-svg".*?</svg>', first, flags=re.DOTALL).group(0)
    assert "区住建局" in svg and "1.转办" in svg and "4.退回" in svg and ">办结<" in svg
    # K-3's recorded steps do not follow its path: the hops are drawn, marked unrecorded
    assert "交接（未记录）" in articles[1]


def test_route_boxes_sit_by_level():
    svg = route_svg([RouteBox("区住建局", "驻区职能部门", 1), RouteBox("社区党委", "社区党委", 3)],
                    ["转办"], handled=True, label="x", uid="t")
    ys = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg)]
    assert ys[0] < ys[1]
    assert 'id="t-down"' in svg and "url(#t-down)" in svg


def test_print_friendly(city_report: Path):
    html = city_report.read_text(encoding="utf-8")
    assert "@media print" in html and "@page" in html and "break-inside: avoid" in html


def test_metric_tables(city_report: Path):
    tables = _section(city_report.read_text(encoding="utf-8"), "tables")
    assert "关系强度最弱的共建关系" in tables and "平安物流有限公司 — 长乐社区" in tables


def test_street_report_holds_only_that_street(two_streets, findings, diagnosed,
                                              tmp_path: Path):
    for i, result in enumerate((findings, diagnosed)):
        folder = tmp_path / f"st1-{i}"
        write_report(two_streets, result, folder, scope="T-ST1")
        files = _files(folder)
        assert sorted(files) == ["index.html", "network/T-ST1.html"]
        assert sorted(p.name for p in (folder / "network" / "lib").iterdir()) == [
            "vis-network.css", "vis-network.min.js"]
        for name, html in files.items():
            leaked = [m for m in STREET2_MARKERS if m in html_without_vis(html)]
            assert not leaked, (name, leaked)
        index = files["index.html"]
        assert "和平街道基层党组织网络诊断报告" in index and "幸福社区" in index
    # the other street's own report has its data, and none of the first street's
    folder = tmp_path / "st2"
    write_report(two_streets, findings, folder, scope="T-ST2")
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "长乐社区第二网格" in index and "区住建局" in index
    for marker in ("和平街道", "幸福", "光明", "T-ST1", "O-C1", "K-3"):
        assert marker not in index


def test_a_street_report_written_over_the_city_report_drops_the_other_pages(
        two_streets, findings, tmp_path: Path):
    folder = tmp_path / "report"
    write_report(two_streets, findings, folder)
    assert (folder / "network" / "T-ST2.html").exists()
    mine = folder / "network" / "notes.html"  # not orgnet's: left alone
    mine.write_text("<p>会议记录</p>", encoding="utf-8")
    write_report(two_streets, findings, folder, scope="T-ST1")
    assert sorted(p.name for p in (folder / "network").glob("*.html")) == [
        "T-ST1.html", "notes.html"]
    for name, html in _files(folder).items():
        if name != "network/notes.html":
            assert not [m for m in STREET2_MARKERS if m in html_without_vis(html)], name


def test_findings_link_to_the_network_page_of_their_area(city_report: Path):
    coverage = _section(city_report.read_text(encoding="utf-8"), "findings-coverage")
    links = re.findall(r'<a href="(network/[^"]+)" title="打开该区域的网络图">([^<]+)</a>',
                       coverage)
    assert ("network/T-ST2.html", "平安街道") in links
    for href, _ in links:
        assert (city_report.parent / href).is_file()


def test_street_report_metrics_are_filtered(two_streets, diagnosed):
    data = report_data(two_streets, diagnosed, scope="T-ST1")
    text = repr(data)
    assert "T-ST2" not in text and "平安街道" not in text
    tables = {t["title"]: t for t in data["tables"]}
    streets = tables.get("各街道任务与资源（“资源都在上面，责任都在下面”）")
    assert streets and [row["id"] for row in streets["rows"]] == ["T-ST1"]
    assert "各层级任务与资源" not in tables  # city-wide rows cannot be split by street
    assert [row["id"] for row in data["coverage"]["table"]] == ["T-C1", "T-C2"]


def test_member_names_only_with_show_names(two_streets, findings, diagnosed, tmp_path: Path):
    for i, result in enumerate((findings, diagnosed)):
        write_report(two_streets, result, tmp_path / f"plain{i}")
        for name, html in _files(tmp_path / f"plain{i}").items():
            assert not [n for n in MEMBER_NAMES if n in html_without_vis(html)], name
    write_report(two_streets, findings, tmp_path / "named", show_names=True)
    index = (tmp_path / "named" / "index.html").read_text(encoding="utf-8")
    assert "郭涛（M-12）" in index and "本报告含党员姓名" in index


def test_output_is_deterministic(two_streets, diagnosed, tmp_path: Path):
    write_report(two_streets, diagnosed, tmp_path / "a")
    write_report(two_streets, diagnosed, tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_top_n_limits_the_routes(two_streets, findings, tmp_path: Path):
    data = report_data(two_streets, findings, settings=Settings(top_n=1))
    assert [r["task"] for r in data["routes"]] == ["K-6"]


def test_report_without_findings(two_streets, tmp_path: Path):
    index = write_report(two_streets, None, tmp_path / "r", network=False)
    html = index.read_text(encoding="utf-8")
    assert "未发现问题" in html and not (tmp_path / "r" / "network").exists()


def test_coverage_chart_handles_missing_levels():
    svg = coverage_chart([("甲街道", {"grid": 0.5, "compound": None})],
                         [("grid", "网格"), ("compound", "小区院落")], title="覆盖率")
    assert svg.startswith("<svg") and ">无</text>" in svg and ">50%</text>" in svg


# --- command line ------------------------------------------------------------------------------


def test_cli_report_and_viz(two_streets_dir: Path, tmp_path: Path, capsys):
    db = tmp_path / "city.lbdb"
    assert main(["load", str(two_streets_dir), "--db", str(db)]) == 0
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "rep"),
                 "--scope", "T-ST1"]) == 0
    assert (tmp_path / "rep" / "index.html").exists()
    assert (tmp_path / "rep" / "network" / "T-ST1.html").exists()
    settings = tmp_path / "s.toml"
    settings.write_text("aggregate_above_nodes = 10\n", encoding="utf-8")
    # an aggregated page comes with the pages it links to (by default), sharing lib/
    assert main(["viz", "--db", str(db), "--out", str(tmp_path / "v" / "city.html"),
                 "--settings", str(settings)]) == 0
    pages = sorted((tmp_path / "v").glob("*.html"))
    assert {"city.html", "T-ST1.html", "T-ST2.html"} <= {p.name for p in pages}
    assert (tmp_path / "v" / "lib" / "vis-network.min.js").is_file()
    for page in pages:
        html = html_without_vis(page.read_text(encoding="utf-8"))
        for href in re.findall(r'href="([^"#]+)"', html):
            assert (page.parent / href).is_file(), f"{page.name} links to missing {href}"
    assert main(["viz", "--db", str(db), "--out", str(tmp_path / "w" / "city.html"),
                 "--settings", str(settings), "--no-drill-down"]) == 0
    assert [p.name for p in (tmp_path / "w").iterdir()] == ["city.html"]
    out = capsys.readouterr().out
    assert "诊断报告已写入" in out and "网络图已写入" in out and "另有下级页面" in out


def test_cli_reuses_a_findings_file(two_streets_dir: Path, tmp_path: Path):
    findings = tmp_path / "f.json"
    assert main(["diagnose", str(two_streets_dir), "--json", str(findings)]) == 1
    assert main(["viz", str(two_streets_dir), "--findings", str(findings), "--scope", "T-C3",
                 "--out", str(tmp_path / "c3.html")]) == 0
    assert "长乐社区" in (tmp_path / "c3.html").read_text(encoding="utf-8")
    findings.write_text("not json", encoding="utf-8")
    assert main(["viz", str(two_streets_dir), "--findings", str(findings),
                 "--out", str(tmp_path / "x.html")]) == 2


def test_cli_bad_scope_exits_2(two_streets_dir: Path, tmp_path: Path, capsys):
    assert main(["report", str(two_streets_dir), "--out", str(tmp_path / "r"),
                 "--scope", "T-NOPE"]) == 2
    assert "unknown scope" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_times_are_china_standard_time_as_people_read_them(city_report: Path):
    """generated_at 2026-11-22T10:00:00+08:00 is written 2026年11月22日 10:00 on the report
    and its pages; a UTC time is turned into Beijing time."""
    from visualizations._common import china_time

    assert "诊断时间 2026年11月22日 10:00（北京时间）" in city_report.read_text(encoding="utf-8")
    page = (city_report.parent / "network" / "city.html").read_text(encoding="utf-8")
    assert "诊断时间 2026年11月22日 10:00（北京时间）" in page
    assert china_time("2026-12-03T10:57:30Z") == "2026年12月3日 18:57"
    assert china_time("2026-12-31T16:05:00") == "2027年1月1日 00:05"  # no offset: UTC
    assert china_time(None) == "—" and china_time("昨天") == "昨天"
