"""Test data of the page tests: the tiny city with a second street, hand-written findings,
and checks on written HTML.

The second street (平安街道, T-ST2) has one problem of each kind the pages draw: a grid without
branch, a compound without owners' committee, a compound group skipping a level, a member with
no organization, a weak tie, a low-attendance membership and a task assigned to a functional
department that bounces in a community and is handled there. Its names and ids appear nowhere
in street T-ST1, so a page scoped to T-ST1 must not contain any of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import append

TINY = Path(__file__).parents[1] / "data" / "tiny_city"

# Names and ids found only in the second street (and the members there).
STREET2_MARKERS = ("T-ST2", "平安街道", "T-C3", "长乐", "T-C4", "永宁", "O-C3", "U-5", "平安物流",
                   "U-6", "区住建局", "P-WT2", "K-6", "M-11", "M-12", "M-13")
MEMBER_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴刚",
                "孙丽", "郭涛", "何平")


def add_second_street(folder: Path) -> None:
    """Append street T-ST2 (see the module docstring) to a copy of the tiny city."""
    append(folder, "territories",
           "T-ST2,平安街道,街道,T-CITY,8000,是",
           "T-C3,长乐社区,社区,T-ST2,2100,是",
           "T-C4,永宁社区,社区,T-ST2,1900,是",
           "T-G31,长乐社区第一网格,网格,T-C3,500,是",
           "T-G32,长乐社区第二网格,网格,T-C3,450,是",
           "T-G41,永宁社区第一网格,网格,T-C4,600,是",
           "T-P311,长乐花苑,小区,T-G31,300,是",
           "T-P321,长乐新村,小区,T-G32,200,否",
           "T-P411,永宁家园,小区,T-G41,350,是")
    append(folder, "organizations",
           "O-ST2,平安街道党工委,街道党工委,O-CITY,T-ST2,",
           "O-C3,长乐社区党委,社区党委,O-ST2,T-C3,",
           "O-C4,永宁社区党委,社区党委,O-ST2,T-C4,",
           "O-G31,长乐社区第一网格党支部,网格党支部,O-C3,T-G31,",
           "O-G41,永宁社区第一网格党支部,网格党支部,O-C4,T-G41,",
           "O-P311,长乐花苑党小组,院落党小组,O-G31,T-P311,",
           "O-P321,长乐新村党小组,院落党小组,O-ST2,T-P321,",
           "O-P411,永宁家园党小组,院落党小组,O-G41,T-P411,",
           "O-Y311,长乐花苑业委会,业委会,O-P311,T-P311,",
           "O-Y321,长乐新村业委会,业委会,O-P321,T-P321,",
           "O-U5,平安物流党支部,单位党组织,O-ST2,,U-5")
    append(folder, "units",
           "U-5,平安物流有限公司,非公企业,无,8,T-C4",
           "U-6,区住建局,驻区职能部门,县级,20,T-ST2")
    append(folder, "platforms", "P-WT2,平安街道工作专班,工作专班,T-ST2,O-ST2")
    append(folder, "links",
           "U-5,T-C3,共驻共建,2025,1,0,终点方,,",
           "U-6,T-C4,共驻共建,2019,6,4,双方,,",
           "U-6,T-C3,责任单位,2020,4,2,起点方,否,",
           "O-C3,P-WT2,平台成员,2021,,,,,0.3")
    append(folder, "members",
           "M-11,孙丽,O-C3,T-P311,,正式党员,,",
           "M-12,郭涛,,T-P321,,正式党员,,",
           "M-13,何平,O-G41,T-P411,U-6,正式党员,,T-C4")
    append(folder, "tasks", "K-6,长乐新村管网改造,上级交办,U-6,2026-06-01")
    append(folder, "task_steps",
           "K-6,1,U-6,O-ST2,转办,2026-06-02",
           "K-6,2,O-ST2,O-C3,转办,2026-06-03",
           "K-6,3,O-C3,O-G31,转办,2026-06-04",
           "K-6,4,O-G31,O-C3,退回,2026-06-05",
           "K-6,5,O-C3,O-G31,转办,2026-06-06",
           "K-6,6,O-G31,O-C3,退回,2026-06-07",
           "K-6,7,O-C3,,办结,2026-06-09")


def _finding(question: str, check: str, subject: str, severity: str, message: str,
             path: list[str] | None = None, **detail: object) -> dict:
    return {"question": question, "check": check, "subject": subject, "severity": severity,
            "message": message, "path": path or [], "detail": detail}


# Findings of the contract the pages must draw, written by hand (the weak-tie and backflow
# checks are developed separately; the pages are tested against FINDINGS.md, not them).
HAND_FINDINGS = [
    _finding("coverage", "territory_without_org", "T-G32", "high",
             "网格“长乐社区第二网格”没有网格党支部", territory_kind="grid",
             expected_org_kind="grid_branch"),
    _finding("coverage", "org_skips_level", "O-P321", "high",
             "小区院落党小组“长乐新村党小组”直接隶属街道党工委“平安街道党工委”，越过了2级",
             ["O-P321", "O-ST2"]),
    _finding("coverage", "member_without_org", "M-12", "high", "党员M-12没有组织关系（未填写）"),
    _finding("coverage", "compound_without_owners_committee", "T-P411", "medium",
             "小区院落“永宁家园”没有业委会"),
    _finding("coverage", "community_without_lead_unit", "T-C1", "medium",
             "社区“幸福社区”有2个责任单位，但没有牵头单位"),
    _finding("weak_ties", "weak_tie", "U-5->T-C3", "medium",
             "“平安物流有限公司”与“长乐社区”的共驻共建关系强度0.05，低于0.3", type="co_building",
             score=0.05),
    _finding("weak_ties", "weak_tie", "U-2->T-C1", "medium",
             "“区人民医院”与“幸福社区”的双报到关系强度0.28，低于0.3", type="dual_reporting",
             score=0.28),
    _finding("weak_ties", "low_attendance", "O-C3->P-WT2", "low",
             "“长乐社区党委”在“平安街道工作专班”的出勤率30%，低于50%", type="membership"),
    _finding("weak_ties", "cadre_low_contact", "M-13", "low", "下沉干部M-13没有参与任何任务"),
    _finding("weak_ties", "cadre_low_contact", "M-9", "low", "下沉干部M-9没有参与任何任务"),
    _finding("backflow", "backflow_path", "K-6", "high",
             "驻区职能部门“区住建局”承接的任务“长乐新村管网改造”最终由社区党委“长乐社区党委”办结",
             ["U-6", "O-ST2", "O-C3", "O-G31", "O-C3", "O-G31", "O-C3"]),
    _finding("backflow", "ping_pong", "K-6", "medium",
             "任务“长乐新村管网改造”在“长乐社区党委”与“长乐社区第一网格党支部”之间来回推诿",
             ["O-C3", "O-G31", "O-C3", "O-G31", "O-C3"], pattern="round_trips"),
    _finding("backflow", "backflow_path", "K-3", "high",
             "驻区职能部门“区城管执法局”承接的任务“商圈占道经营整治”最终由其自身办结（示例）",
             ["U-4", "O-ST1", "O-C2"]),
    _finding("backflow", "no_feedback_channel", "O-C4", "medium",
             "“永宁社区党委”没有联系任何工作专班"),
    _finding("coverage", "org_territory_mismatch", "O-G21", "high",
             "“光明社区第一网格党支部”隶属于“长乐社区党委”，但后者并不覆盖其所在区域“光明社区”",
             ["O-G21", "O-C3"], territory_id="T-G21", superior_id="O-C3"),
]


def findings_object(metrics: dict | None = None) -> dict:
    """A FINDINGS.md object holding HAND_FINDINGS and hand-made metrics."""
    coverage = [
        {"scope": "T-CITY", "scope_kind": "city", "level": "street", "level_zh": "街道/乡镇",
         "covered": 2, "total": 2, "ratio": 1.0},
        {"scope": "T-ST1", "scope_kind": "street", "level": "grid", "level_zh": "网格",
         "covered": 3, "total": 3, "ratio": 1.0},
        {"scope": "T-ST1", "scope_kind": "street", "level": "compound", "level_zh": "小区院落",
         "covered": 4, "total": 4, "ratio": 1.0},
        {"scope": "T-ST2", "scope_kind": "street", "level": "grid", "level_zh": "网格",
         "covered": 2, "total": 3, "ratio": 0.6667},
        {"scope": "T-ST2", "scope_kind": "street", "level": "compound", "level_zh": "小区院落",
         "covered": 3, "total": 3, "ratio": 1.0},
        {"scope": "T-C3", "scope_kind": "community", "level": "grid", "level_zh": "网格",
         "covered": 1, "total": 2, "ratio": 0.5},
    ]
    tie_strength = [
        {"source": "U-1", "target": "T-C1", "type": "co_building", "score": 0.84, "rid": "L2"},
        {"source": "U-2", "target": "T-C1", "type": "dual_reporting", "score": 0.28},
        {"source": "U-5", "target": "T-C3", "type": "co_building", "score": 0.05},
    ]
    return {
        "orgnet_version": "0.1.0",
        "generated_at": "2026-11-22T10:00:00+08:00",
        "settings": {"weak_tie_threshold": 0.3, "attendance_threshold": 0.5,
                     "aggregate_above_nodes": 1500, "top_n": 10},
        "dataset": {"territories": 21, "organizations": 31},
        "findings": list(HAND_FINDINGS),
        "metrics": metrics if metrics is not None else {
            "coverage": coverage, "tie_strength": tie_strength,
            "flow": [{"org": "O-C3", "received": 4, "pushed_back": 0, "absorbed": 1},
                     {"org": "O-C1", "received": 2, "pushed_back": 0, "absorbed": 0}],
            "city_totals": {"note": "not a list of rows: left out of scoped pages"},
        },
    }


def html_without_vis(text: str) -> str:
    """A page's HTML minus the inlined vis-network library (whose minified code could
    contain any short string)."""
    from visualizations._assets import vis_assets

    _, js, css = vis_assets()
    return text.replace(js, "").replace(css, "")


EXTERNAL = (
    r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import"""
)


def external_refs(text: str) -> list[str]:
    """Attributes and CSS that would fetch from the network (src/href to http(s) or //)."""
    return re.findall(EXTERNAL, text, flags=re.IGNORECASE)
