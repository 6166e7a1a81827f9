"""The registry of checks: the one place that spells out the check codes of FINDINGS.md.

Each :class:`CheckSpec` says which question a check answers, its severity, its Chinese title,
the named query (``queries/cypher/<query>.cypher``) that answers it, the kind of subject it
reports and how pages draw it. The checks (``queries.checks``), the synthetic generator's plant
rates, the styles, the report and the pages all read this tuple; no other module holds a
literal list of codes.

Examples
--------
>>> CHECKS_BY_CODE["weak_tie"].question
'weak_ties'
>>> [spec.code for spec in checks_of("backflow")][:2]
['backflow_path', 'ping_pong']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["BROKEN_CHAIN_CHECKS", "CHECKS", "CHECKS_BY_CODE", "CHECK_CODES", "QUESTIONS",
           "QUESTION_SHORT_ZH", "QUESTION_ZH", "SEVERITIES", "SEVERITY_ZH", "CheckSpec",
           "checks_of"]

# The three questions, in FINDINGS.md order, with their Chinese names.
QUESTIONS: tuple[str, ...] = ("coverage", "weak_ties", "backflow")
QUESTION_ZH: dict[str, str] = {"coverage": "覆盖盲区", "weak_ties": "弱关系",
                              "backflow": "责任回流"}
# The short words where room is scarce (circles of aggregated pages, narrow tables).
QUESTION_SHORT_ZH: dict[str, str] = {"coverage": "盲区", "weak_ties": "弱关系", "backflow": "回流"}
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
SEVERITY_ZH: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}

Subject = Literal["territory", "organization", "unit", "unit_or_platform", "member", "tie",
                  "task"]
# How a page marks a finding: on its subject node, on the tie it names, or along a task route.
Draw = Literal["node", "tie", "route"]


@dataclass(frozen=True)
class CheckSpec:
    """One check of FINDINGS.md.

    Attributes
    ----------
    code
        The stable check code (``territory_without_org`` ...).
    question
        ``coverage``, ``weak_ties`` or ``backflow``.
    severity
        ``high``, ``medium`` or ``low``.
    title_zh
        The Chinese title shown in reports, pages and worklists.
    query
        The named query that answers it (``<question>/<code>``).
    subject
        What the finding's ``subject`` id names.
    draw
        How pages mark it: ``node`` (the subject), ``tie`` (the link) or ``route`` (the task's
        path).
    """

    code: str
    question: str
    severity: str
    title_zh: str
    subject: Subject
    draw: Draw

    @property
    def query(self) -> str:
        """Name of the named query that answers the check."""
        return f"{self.question}/{self.code}"


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("territory_without_org", "coverage", "high", "区域缺少本级党组织",
              "territory", "node"),
    CheckSpec("compound_without_owners_committee", "coverage", "medium", "小区院落缺少业委会",
              "territory", "node"),
    CheckSpec("unit_without_org", "coverage", "high", "单位有3名以上正式党员但未建党组织",
              "unit", "node"),
    CheckSpec("new_area_without_org", "coverage", "high", "新业态区域未建党组织",
              "territory", "node"),
    CheckSpec("org_unreachable", "coverage", "high", "组织链断裂（无法到达县市党委）",
              "organization", "node"),
    CheckSpec("org_skips_level", "coverage", "high", "越级隶属", "organization", "node"),
    CheckSpec("org_territory_mismatch", "coverage", "high", "隶属与区域不对应",
              "organization", "node"),
    CheckSpec("member_without_org", "coverage", "medium", "游离党员（无组织关系）",
              "member", "node"),
    CheckSpec("community_without_cobuilding_unit", "coverage", "medium", "社区没有共建单位",
              "territory", "node"),
    CheckSpec("community_without_lead_unit", "coverage", "medium", "社区没有牵头单位",
              "territory", "node"),
    CheckSpec("unclaimed_unmanaged_compound", "coverage", "medium", "无人管理小区无单位认领",
              "territory", "node"),
    CheckSpec("weak_tie", "weak_ties", "medium", "共建关系强度低（联谊性合作）", "tie", "tie"),
    CheckSpec("single_unit_dependency", "weak_ties", "medium", "共建支持依赖单一单位",
              "territory", "node"),
    CheckSpec("bridge_unit", "weak_ties", "medium", "唯一桥梁单位", "unit_or_platform", "node"),
    CheckSpec("low_attendance", "weak_ties", "low", "平台成员出勤率低", "tie", "tie"),
    CheckSpec("cadre_low_contact", "weak_ties", "low", "下沉干部与群众联系少", "member", "node"),
    CheckSpec("backflow_path", "backflow", "high", "责任回流路径", "task", "route"),
    CheckSpec("ping_pong", "backflow", "medium", "推诿（来回踢皮球）", "task", "route"),
    CheckSpec("misplaced_responsibility", "backflow", "medium", "主体责任错位", "task", "route"),
    CheckSpec("no_feedback_channel", "backflow", "low", "缺乏向上反馈渠道", "organization",
              "node"),
)

CHECKS_BY_CODE: dict[str, CheckSpec] = {spec.code: spec for spec in CHECKS}
CHECK_CODES: tuple[str, ...] = tuple(CHECKS_BY_CODE)

BROKEN_CHAIN_CHECKS: frozenset[str] = frozenset(
    spec.code for spec in CHECKS if spec.question == "coverage" and spec.subject == "organization")
"""The checks of a broken chain (an organization that cannot reach the city committee, skips a
level or reports into another territory's branch), as pages group them."""


def checks_of(question: str) -> tuple[CheckSpec, ...]:
    """The checks of one question, in FINDINGS.md order."""
    return tuple(spec for spec in CHECKS if spec.question == question)
