"""The legends of the network pages: small inline SVG samples of each shape and line."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from visualizations import styles

__all__ = ["aggregated_legend", "detailed_legend", "line_svg", "shape_svg"]


def detailed_legend() -> list[dict[str, Any]]:
    """Legend of a detailed page: shapes of the entities, the problem rings and the lines."""
    items = [{"svg": shape_svg(s.shape, s.color, "#ffffff"), "text": s.legend}
             for s in styles.LEGEND_NODES if s is not styles.MISSING]
    red, orange, purple = (styles.PROBLEM[q] for q in ("coverage", "weak_ties", "backflow"))
    items += [
        {"svg": shape_svg("dot", styles.MISSING.color, red, dashed=True),
         "text": "应有而缺失的组织（红色虚线）"},
        {"svg": shape_svg("dot", "#1f5fa8", red, width=4),
         "text": "红框：缺失或断链（覆盖盲区）"},
        {"svg": shape_svg("dot", "#1f5fa8", orange, width=4),
         "text": "橙框：弱关系、依赖单一单位"},
        {"svg": shape_svg("dot", "#1f5fa8", purple, width=4), "text": "紫框：责任回流、推诿"},
        {"svg": line_svg("#4a5a7a", 2, arrow=True), "text": "组织隶属（指向上级）"},
        {"svg": line_svg("#b8c4b0", 1.5), "text": "区域包含"},
        {"svg": line_svg(styles.TIE_COLOR["co_building"], 5), "text": "共建关系：越粗越强"},
        {"svg": line_svg(orange, 2.5, dashed=True), "text": "弱关系（虚线）"},
        {"svg": line_svg(red, 3, dashed=True), "text": "断裂或错位的隶属关系"},
        {"svg": line_svg(purple, 3, arrow=True), "text": "责任回流路线（紫色箭头，标步骤与动作）"},
    ]
    return items


def aggregated_legend() -> list[dict[str, Any]]:
    """Legend of an aggregated page; items with a ``mode`` show only while the circles are
    coloured by that question."""
    red = styles.PROBLEM["coverage"]
    cov = [{"svg": shape_svg("dot", styles.coverage_color(r), "#ffffff"), "text": text,
            "mode": "coverage"}
           for r, text in ((1.0, "覆盖率 100%"), (0.95, "覆盖率 95%"), (0.8, "覆盖率 80% 及以下"))]
    weak = [{"svg": shape_svg("dot", styles.share_color(r, "weak_ties"), "#ffffff"),
             "text": text, "mode": "weak_ties"}
            for r, text in ((0.0, "没有弱关系"), (0.25, "弱关系占共建关系 25%"),
                            (0.5, "弱关系占 50% 及以上"))]
    back = [{"svg": shape_svg("dot", styles.share_color(r, "backflow"), "#ffffff"),
             "text": text, "mode": "backflow"}
            for r, text in ((0.0, "没有回流任务"), (0.5, "回流任务较多"),
                            (1.0, "回流任务最多的区域"))]
    grey = {"svg": shape_svg("dot", "#d5d8dc", "#ffffff"), "text": "无可计算的数据"}
    return [*cov, *weak, *back, grey,
            {"svg": shape_svg("dot", "#ffffff", red, width=4), "text": "红圈：本级党组织缺失"},
            {"svg": shape_svg("dot", "#d5d8dc", "#ffffff"), "text": "圆越大，党员越多"},
            {"svg": line_svg(styles.TIE_COLOR["co_building"], 4),
             "text": "两圆之间的连线：同时服务两地的共建单位（越粗越多）"},
            {"svg": Markup('<svg width="18" height="18" aria-hidden="true"></svg>'),
             "text": "圆下小字：盲区、弱关系、回流问题条数"}]


def shape_svg(shape: str, fill: str, border: str, *, width: float = 1.5,
               dashed: bool = False) -> Markup:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    common = f'fill="{fill}" stroke="{border}" stroke-width="{width}"{dash}'
    body = {
        "dot": f'<circle cx="9" cy="9" r="6" {common}/>',
        "square": f'<rect x="3" y="3" width="12" height="12" {common}/>',
        "triangle": f'<polygon points="9,2 16,15 2,15" {common}/>',
        "triangleDown": f'<polygon points="2,3 16,3 9,16" {common}/>',
        "diamond": f'<polygon points="9,1 17,9 9,17 1,9" {common}/>',
        "hexagon": f'<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" {common}/>',
    }.get(shape, f'<circle cx="9" cy="9" r="6" {common}/>')
    return Markup(f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
                  f"{body}</svg>")


def line_svg(color: str, width: float, *, dashed: bool = False, arrow: bool = False) -> Markup:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    head = (f'<polygon points="30,9 23,5 23,13" fill="{color}"/>' if arrow else "")
    return Markup(f'<svg width="32" height="18" viewBox="0 0 32 18" aria-hidden="true">'
                  f'<line x1="1" y1="9" x2="{24 if arrow else 31}" y2="9" stroke="{color}" '
                  f'stroke-width="{width}"{dash}/>{head}</svg>')


