"""Network pages of a scope: build the page (detailed or aggregated) and write it.

:func:`network_data` builds what a page shows, drawn in detail
(:mod:`visualizations.detailed`) up to ``aggregate_above_nodes`` nodes and aggregated
(:mod:`visualizations.aggregated`) above; :func:`render_network` writes it into our own page
template around vis-network inlined from pyvis's bundled copy (no CDN: the page works from
``file://`` with no network, unlike pyvis's own ``in_line``/``local`` modes, pyvis #228/#229);
:func:`write_network` writes the file and, for an aggregated page, the drill-down pages beside
it. The page model they share is :mod:`visualizations.pagemodel`; the legends are
:mod:`visualizations.legend`.

Members are never nodes (too many, and personal data): pages carry member counts, and member
names only with ``show_names``.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup

from graphmodel import __version__
from graphmodel.atomic import write_text_atomic
from graphmodel.index import natural_key
from graphmodel.model import OrgModel
from graphmodel.settings import Settings
from visualizations._assets import environment, script_json, vis_assets
from visualizations._scope import Scope, resolve_scope, safe_name
from visualizations.aggregated import aggregated_graph
from visualizations.detailed import detailed_graph
from visualizations.legend import aggregated_legend, detailed_legend
from visualizations.pagemodel import Page, RunContext, attach_findings, page_nodes, run_context

__all__ = ["network_data", "page_file", "render_network", "write_network", "write_pages"]

log = logging.getLogger(__name__)


def page_file(entity_id: str) -> str:
    """File name of the page of a scope (``T-ST1.html``); ids that are not safe file names
    get a short hash so two ids never share a file."""
    stem = safe_name(entity_id)
    if stem != entity_id:
        stem += "-" + hashlib.sha1(entity_id.encode("utf-8")).hexdigest()[:6]
    return f"{stem}.html"



def _build(ctx: RunContext, scope: Scope, href: dict[str, str]) -> dict[str, Any]:
    page = Page(ctx, scope)
    nodes = page_nodes(scope)
    marks = attach_findings(page, set(nodes))
    total = len(nodes) + len(marks.missing)
    aggregated = total > ctx.settings.aggregate_above_nodes
    if aggregated:
        payload, drill = aggregated_graph(page, href)
        log.info("%s: %d nodes > %d, drawn aggregated", scope.title, total,
                 ctx.settings.aggregate_above_nodes)
    else:
        payload, drill = detailed_graph(page, nodes, marks), []
    payload["aggregated"] = aggregated
    return {**page.header(aggregated), "graph": payload, "drill": drill, "total_nodes": total,
            "findings_list": payload.get("findings", [])}



def network_data(model: OrgModel, findings: dict[str, Any] | None = None, *,
                 scope: str | None = None, show_names: bool = False,
                 settings: Settings | None = None,
                 href: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything a network page shows, as plain data.

    Parameters
    ----------
    model
        The model (its structure graph ``G`` and frames).
    findings
        The diagnosis object of FINDINGS.md (``findings``, ``metrics``, ``settings`` ...).
    scope
        None or ``city``, or a territory id (street, community ...); see
        :func:`visualizations._scope.resolve_scope`.
    show_names
        Put member names into hover boxes (they are personal data; off by default).
    settings
        ``aggregate_above_nodes`` decides when the page is aggregated; default: the value
        echoed in ``findings["settings"]``, else the built-in default.
    href
        Links of the drill-down pages of an aggregated page, by territory id.

    Returns
    -------
    dict
        ``title``, ``breadcrumb``, ``aggregated``, ``questions`` (counts), ``counts``,
        ``graph`` (vis-network ``nodes``, ``edges``, ``options``, level ``bands``) and
        ``drill`` (the territories an aggregated page links to).

    Raises
    ------
    ScopeError
        ``scope`` names no territory.
    """
    ctx = run_context(model, findings, settings, show_names)
    return _build(ctx, resolve_scope(model, scope), href or {})



def render_network(model: OrgModel, findings: dict[str, Any] | None = None, *,
                   scope: str | None = None, show_names: bool = False,
                   settings: Settings | None = None, href: dict[str, str] | None = None,
                   links: dict[str, str] | None = None) -> str:
    """The HTML of a network page (see :func:`network_data` for the parameters).

    ``links`` adds navigation links to the header (Chinese label -> relative address), e.g.
    ``{"返回诊断报告": "../index.html"}``.
    """
    data = network_data(model, findings, scope=scope, show_names=show_names,
                        settings=settings, href=href)
    return _render(data, links or {})


ASSETS = ("inline", "folder", "auto")
LIB = "lib"


def _render(data: dict[str, Any], links: dict[str, str], assets: str = "inline") -> str:
    vis_version, vis_js, vis_css = vis_assets()
    template = environment().get_template("network.html")
    legend = aggregated_legend() if data["aggregated"] else detailed_legend()
    inline = assets == "inline"
    return template.render(page=data, legend=legend, links=links,
                           graph_json=script_json(data["graph"]), version=__version__,
                           vis_version=vis_version, vis_inline=inline,
                           vis_js=Markup(vis_js) if inline else "",
                           vis_css=Markup(vis_css) if inline else "")


def _write_lib(folder: Path) -> list[Path]:
    """vis-network's script (with its licence header) and style, for pages that share them."""
    _, vis_js, vis_css = vis_assets()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in (("vis-network.min.js", vis_js), ("vis-network.css", vis_css)):
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
        out.append(path)
    return out


def write_network(model: OrgModel, findings: dict[str, Any] | None, out: str | Path, *,
                  scope: str | None = None, show_names: bool = False,
                  settings: Settings | None = None, drill_down: bool = False,
                  links: dict[str, str] | None = None, assets: str = "inline") -> list[Path]:
    """Write the network page of ``scope`` to ``out``; return the pages written.

    An aggregated page links to a page per territory one level down (``<id>.html`` beside
    ``out``, see :func:`page_file`). With ``drill_down`` those pages are written too (and
    theirs, when they are aggregated in turn); without it the links name pages that
    ``orgnet viz --scope ID`` would write.

    ``assets="inline"`` (default) puts vis-network inside every page, so each file stands
    alone; ``"folder"`` writes it once into ``lib/`` beside the pages, which keeps a city's
    hundreds of drill-down pages small (the folder must travel with them); ``"auto"`` is
    inline when one page is written and the folder when drill-down pages are written too.

    Without ``drill_down``, an aggregated page links only to the drill-down pages that
    already exist beside ``out`` (no link leads to a missing file); the others are listed
    without a link, with the command that writes them.
    """
    ctx = run_context(model, findings, settings, show_names)
    return write_pages(ctx, out, resolve_scope(model, scope), drill_down=drill_down,
                          links=links, assets=assets)


def write_pages(ctx: RunContext, out: str | Path, scope: Scope, *, drill_down: bool,
                   links: dict[str, str] | None, assets: str) -> list[Path]:
    """:func:`write_network` within a run (``ctx`` shared by the run's pages)."""
    if assets not in ASSETS:
        msg = f"`assets` must be one of {', '.join(ASSETS)}, got {assets!r}"
        raise ValueError(msg)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    first = None
    if assets == "auto":
        first = _build(ctx, scope, _drill_href(ctx, scope, out, drill_down))
        assets = "folder" if drill_down and first["aggregated"] else "inline"
    if assets == "folder":
        _write_lib(out.parent / LIB)
    written: list[Path] = []
    _write(ctx, scope, out, drill_down, links or {}, written, assets, first)
    return written


def _drill_href(ctx: RunContext, scope: Scope, out: Path, drill_down: bool) -> dict[str, str]:
    """Links of an aggregated page to the pages one level down: all of them when they are
    written in this run, else only those already beside ``out``."""
    G = ctx.model.G
    next_level = (scope.level or 0) + 1
    targets = sorted((t for t in scope.territories
                      if G.nodes[t].get("level") == next_level or
                      (scope.root is None and ctx.model.parent_territory(t) is None)),
                     key=natural_key)
    href = {t: page_file(t) for t in targets if t != scope.root}
    if not drill_down:
        href = {t: f for t, f in href.items() if (out.parent / f).is_file()}
    return href


def _write(ctx: RunContext, scope: Scope, out: Path, drill_down: bool, links: dict[str, str],
           written: list[Path], assets: str, data: dict[str, Any] | None = None) -> None:
    if data is None:
        data = _build(ctx, scope, _drill_href(ctx, scope, out, drill_down))
    write_text_atomic(out, _render(data, links, assets))
    written.append(out)
    if not (drill_down and data["aggregated"]):
        return
    back = {**links, f"返回{scope.title}": out.name}
    for row in data["drill"]:
        if row.get("href") and (out.parent / row["href"]) not in written:
            _write(ctx, resolve_scope(ctx.model, row["id"]), out.parent / row["href"], True,
                   back, written, assets)
