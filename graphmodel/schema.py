"""The vocabulary of orgnet: every kind, level, rank, link type and table of the input contract.

This module is the single source of truth. Loaders map spreadsheet headers and category values
onto it, the graph-database writers derive their tables from it, queries and visualizations key
their behaviour by its enums. Nothing else in the code base spells a category as a literal.

Each category enum member has an English code (its value) and the Chinese names people type
(``ZH_NAMES``; the first one is the display name used in messages and pages).

The five-level chain (五级组织链)::

    level 1  city / county          县市党委            city_committee
    level 2  street / township      街道党工委 乡镇党委   street_working_committee /
                                                        township_committee
    level 3  community / village    社区党委 村党组织     community_committee / village_committee
    level 4  grid                   网格党支部           grid_branch
    level 5  residential compound   小区院落党小组        compound_group
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Self, cast

__all__ = [
    "TABLES",
    "ZH_NAMES",
    "AdminRank",
    "Category",
    "ColumnSpec",
    "Entity",
    "Initiator",
    "Level",
    "LinkType",
    "MemberStatus",
    "OrgCategory",
    "OrgKind",
    "PlatformKind",
    "ResourceKind",
    "StepAction",
    "TableSpec",
    "TaskKind",
    "TerritoryKind",
    "UnitKind",
    "compact_token",
    "normalize_token",
    "parse_bool",
    "zh",
]


class Level(IntEnum):
    """The five levels of the chain, top (1) to bottom (5)."""

    CITY = 1
    STREET = 2
    COMMUNITY = 3
    GRID = 4
    COMPOUND = 5


class Entity(StrEnum):
    """Entity kinds: one node label each in the graph database."""

    TERRITORY = "territory"
    ORGANIZATION = "organization"
    UNIT = "unit"
    PLATFORM = "platform"
    MEMBER = "member"
    TASK = "task"
    RESOURCE = "resource"

    @property
    def label(self) -> str:
        """Node label in the graph database (``Territory``, ``Organization`` ...)."""
        return self.value.capitalize()


class Category(StrEnum):
    """Base of every category enum; ``parse`` accepts the English code or a Chinese name."""

    @classmethod
    def parse(cls, text: object) -> Self | None:
        """Return the member named by ``text`` (code or Chinese name, ignoring case, width,
        spaces, underscores, hyphens and invisible characters), or None if unknown."""
        # ``_lookup(cls)`` holds members of ``cls`` only.
        return cast("Self | None", _lookup(cls).get(compact_token(text)))

    @classmethod
    def choices(cls) -> list[str]:
        """Every accepted spelling, codes first, for suggestions in error messages."""
        return [m.value for m in cls] + [n for m in cls for n in ZH_NAMES.get((cls, m.value), ())]

    @property
    def zh(self) -> str:
        """Chinese display name."""
        return zh(self)


class TerritoryKind(Category):
    """Kinds of territory (块)."""

    CITY = "city"
    STREET = "street"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    VILLAGE = "village"
    GRID = "grid"
    COMPOUND = "compound"
    BUSINESS_AREA = "business_area"

    @property
    def level(self) -> Level | None:
        """Chain level of this territory kind; None for business areas (outside the chain)."""
        return _TERRITORY_LEVEL.get(self)


class OrgCategory(StrEnum):
    """How an organization kind is checked."""

    CHAIN = "chain"  # the five-level party chain: level and territory checks apply
    UNIT = "unit"  # a unit's own party organization: must reach the city, no level checks
    BUSINESS = "business"  # a new business area's committee: as UNIT, covers a business area
    MASS = "mass"  # mass organizations led by a party organization: not party chain


class OrgKind(Category):
    """Kinds of organization: the party chain, unit and business-area party organizations,
    and the mass organizations the party organizations lead."""

    CITY_COMMITTEE = "city_committee"
    STREET_WORKING_COMMITTEE = "street_working_committee"
    TOWNSHIP_COMMITTEE = "township_committee"
    COMMUNITY_COMMITTEE = "community_committee"
    VILLAGE_COMMITTEE = "village_committee"
    GRID_BRANCH = "grid_branch"
    COMPOUND_GROUP = "compound_group"
    BUSINESS_AREA_COMMITTEE = "business_area_committee"
    UNIT_ORG = "unit_org"
    OWNERS_COMMITTEE = "owners_committee"
    RESIDENTS_GROUP = "residents_group"
    YOUTH_LEAGUE = "youth_league"
    WOMENS_FEDERATION = "womens_federation"
    SOCIAL_ORG = "social_org"
    PROPERTY_COMPANY = "property_company"
    VOLUNTEER_TEAM = "volunteer_team"

    @property
    def category(self) -> OrgCategory:
        """Which rules apply to this kind."""
        if self in _ORG_LEVEL:
            return OrgCategory.CHAIN
        if self is OrgKind.UNIT_ORG:
            return OrgCategory.UNIT
        if self is OrgKind.BUSINESS_AREA_COMMITTEE:
            return OrgCategory.BUSINESS
        return OrgCategory.MASS

    @property
    def level(self) -> Level | None:
        """Chain level of a chain organization kind; None for the others."""
        return _ORG_LEVEL.get(self)

    @property
    def is_party(self) -> bool:
        """True for party organizations (everything but mass organizations)."""
        return self.category is not OrgCategory.MASS


class UnitKind(Category):
    """Kinds of co-building unit (单位)."""

    AGENCY = "agency"
    INSTITUTION = "institution"
    SOE = "soe"
    FUNCTIONAL_DEPARTMENT = "functional_department"
    PRIVATE_ENTERPRISE = "private_enterprise"
    SOCIAL_ORGANIZATION = "social_organization"


class AdminRank(Category):
    """Administrative rank of a unit; ``order`` ranks them (province highest)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    SECTION = "section"
    NONE = "none"

    @property
    def order(self) -> int:
        """4 for province down to 0 for none."""
        return {"province": 4, "city": 3, "county": 2, "section": 1, "none": 0}[self.value]


class PlatformKind(Category):
    """Kinds of platform (平台)."""

    JOINT_MEETING = "joint_meeting"
    EXPANDED_COMMITTEE = "expanded_committee"
    SOCIAL_WORK_COMMITTEE = "social_work_committee"
    WORK_TEAM = "work_team"
    VANGUARD_TEAM = "vanguard_team"
    CLUSTER = "cluster"


class LinkType(Category):
    """Types of tie in the links table."""

    CO_BUILDING = "co_building"
    DUAL_REPORTING = "dual_reporting"
    RESPONSIBLE_UNIT = "responsible_unit"
    CLAIM = "claim"
    MEMBERSHIP = "membership"


class Initiator(Category):
    """Who initiates the activity on a tie."""

    SOURCE = "source"
    TARGET = "target"
    BOTH = "both"


class ResourceKind(Category):
    """Kinds of resource (资源)."""

    FUNDS = "funds"
    STAFF = "staff"
    VENUE = "venue"
    SERVICE = "service"
    SUPPLIES = "supplies"
    PROJECT = "project"


class MemberStatus(Category):
    """Status of a party member; mobile members are formal members away from home."""

    FORMAL = "formal"
    PROBATIONARY = "probationary"
    MOBILE = "mobile"


class TaskKind(Category):
    """Origins of a task."""

    ASSIGNED = "assigned"
    GRID = "grid"
    RESIDENT = "resident"


class StepAction(Category):
    """Actions of a task step: the first three pass the task on, handle closes it."""

    TRANSFER = "transfer"
    ESCALATE = "escalate"
    RETURN = "return"
    HANDLE = "handle"


_ZH_PAIRS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (TerritoryKind.CITY, ("县市", "县", "市", "县/市")),
    (TerritoryKind.STREET, ("街道",)),
    (TerritoryKind.TOWNSHIP, ("乡镇", "乡", "镇", "乡/镇")),
    (TerritoryKind.COMMUNITY, ("社区",)),
    (TerritoryKind.VILLAGE, ("村",)),
    (TerritoryKind.GRID, ("网格",)),
    (TerritoryKind.COMPOUND, ("小区院落", "小区", "院落", "小区/院落")),
    (TerritoryKind.BUSINESS_AREA, ("新业态区域", "商圈", "楼宇", "园区")),
    (OrgKind.CITY_COMMITTEE, ("县市党委", "市委", "县委")),
    (OrgKind.STREET_WORKING_COMMITTEE, ("街道党工委", "街道党委")),
    (OrgKind.TOWNSHIP_COMMITTEE, ("乡镇党委", "镇党委", "乡党委")),
    (OrgKind.COMMUNITY_COMMITTEE, ("社区党委", "社区党支部", "社区党组织", "社区党总支")),
    (OrgKind.VILLAGE_COMMITTEE, ("村党组织", "村党支部", "村党委", "村党总支")),
    (OrgKind.GRID_BRANCH, ("网格党支部",)),
    (OrgKind.COMPOUND_GROUP, ("小区院落党小组", "院落党小组", "小区党小组")),
    (OrgKind.BUSINESS_AREA_COMMITTEE, ("商圈党委", "楼宇党委", "园区党委")),
    (OrgKind.UNIT_ORG, ("单位党组织", "机关党委", "企业党支部")),
    (OrgKind.OWNERS_COMMITTEE, ("业委会",)),
    (OrgKind.RESIDENTS_GROUP, ("居民小组",)),
    (OrgKind.YOUTH_LEAGUE, ("团组织",)),
    (OrgKind.WOMENS_FEDERATION, ("妇联",)),
    (OrgKind.SOCIAL_ORG, ("社会组织",)),
    (OrgKind.PROPERTY_COMPANY, ("物业公司",)),
    (OrgKind.VOLUNTEER_TEAM, ("志愿服务队",)),
    (UnitKind.AGENCY, ("机关",)),
    (UnitKind.INSTITUTION, ("事业单位",)),
    (UnitKind.SOE, ("国企",)),
    (UnitKind.FUNCTIONAL_DEPARTMENT, ("驻区职能部门",)),
    (UnitKind.PRIVATE_ENTERPRISE, ("非公企业",)),
    (UnitKind.SOCIAL_ORGANIZATION, ("社会组织",)),
    (AdminRank.PROVINCE, ("省级",)),
    (AdminRank.CITY, ("市级", "地级")),
    (AdminRank.COUNTY, ("县级", "县处级")),
    (AdminRank.SECTION, ("科级", "乡科级")),
    (AdminRank.NONE, ("无",)),
    (PlatformKind.JOINT_MEETING, ("党建联席会议", "联席会议")),
    (PlatformKind.EXPANDED_COMMITTEE, ("社区大党委", "街道大工委")),
    (PlatformKind.SOCIAL_WORK_COMMITTEE, ("社工委",)),
    (PlatformKind.WORK_TEAM, ("工作专班",)),
    (PlatformKind.VANGUARD_TEAM, ("尖刀班",)),
    (PlatformKind.CLUSTER, ("片区",)),
    (LinkType.CO_BUILDING, ("共驻共建",)),
    (LinkType.DUAL_REPORTING, ("双报到",)),
    (LinkType.RESPONSIBLE_UNIT, ("责任单位",)),
    (LinkType.CLAIM, ("认领",)),
    (LinkType.MEMBERSHIP, ("平台成员",)),
    (Initiator.SOURCE, ("起点方",)),
    (Initiator.TARGET, ("终点方",)),
    (Initiator.BOTH, ("双方",)),
    (ResourceKind.FUNDS, ("资金",)),
    (ResourceKind.STAFF, ("人员",)),
    (ResourceKind.VENUE, ("场地",)),
    (ResourceKind.SERVICE, ("服务",)),
    (ResourceKind.SUPPLIES, ("物资",)),
    (ResourceKind.PROJECT, ("项目",)),
    (MemberStatus.FORMAL, ("正式党员", "正式")),
    (MemberStatus.PROBATIONARY, ("预备党员", "预备")),
    (MemberStatus.MOBILE, ("流动党员", "流动")),
    (TaskKind.ASSIGNED, ("上级交办",)),
    (TaskKind.GRID, ("网格发现",)),
    (TaskKind.RESIDENT, ("群众诉求",)),
    (StepAction.TRANSFER, ("转办",)),
    (StepAction.ESCALATE, ("上报",)),
    (StepAction.RETURN, ("退回",)),
    (StepAction.HANDLE, ("办结",)),
)

# Keyed by (enum class, code): members of different enums share codes ("city", "grid") and
# StrEnum members compare equal to their strings, so a plain member-keyed dict would collide.
ZH_NAMES: dict[tuple[type, str], tuple[str, ...]] = {
    (type(member), member.value): names for member, names in _ZH_PAIRS
}

_TERRITORY_LEVEL: dict[TerritoryKind, Level] = {
    TerritoryKind.CITY: Level.CITY,
    TerritoryKind.STREET: Level.STREET,
    TerritoryKind.TOWNSHIP: Level.STREET,
    TerritoryKind.COMMUNITY: Level.COMMUNITY,
    TerritoryKind.VILLAGE: Level.COMMUNITY,
    TerritoryKind.GRID: Level.GRID,
    TerritoryKind.COMPOUND: Level.COMPOUND,
}

_ORG_LEVEL: dict[OrgKind, Level] = {
    OrgKind.CITY_COMMITTEE: Level.CITY,
    OrgKind.STREET_WORKING_COMMITTEE: Level.STREET,
    OrgKind.TOWNSHIP_COMMITTEE: Level.STREET,
    OrgKind.COMMUNITY_COMMITTEE: Level.COMMUNITY,
    OrgKind.VILLAGE_COMMITTEE: Level.COMMUNITY,
    OrgKind.GRID_BRANCH: Level.GRID,
    OrgKind.COMPOUND_GROUP: Level.COMPOUND,
}

# Chinese names of the levels, for messages and pages.
LEVEL_ZH: dict[Level, str] = {
    Level.CITY: "县市",
    Level.STREET: "街道/乡镇",
    Level.COMMUNITY: "社区/村",
    Level.GRID: "网格",
    Level.COMPOUND: "小区院落",
}

# The chain organization kind expected to cover each territory kind.
EXPECTED_ORG: dict[TerritoryKind, OrgKind] = {
    TerritoryKind.CITY: OrgKind.CITY_COMMITTEE,
    TerritoryKind.STREET: OrgKind.STREET_WORKING_COMMITTEE,
    TerritoryKind.TOWNSHIP: OrgKind.TOWNSHIP_COMMITTEE,
    TerritoryKind.COMMUNITY: OrgKind.COMMUNITY_COMMITTEE,
    TerritoryKind.VILLAGE: OrgKind.VILLAGE_COMMITTEE,
    TerritoryKind.GRID: OrgKind.GRID_BRANCH,
    TerritoryKind.COMPOUND: OrgKind.COMPOUND_GROUP,
    TerritoryKind.BUSINESS_AREA: OrgKind.BUSINESS_AREA_COMMITTEE,
}

# Street-or-community level chain organizations: the ones that end up doing the work.
GRASSROOTS_ORG_KINDS: frozenset[OrgKind] = frozenset(
    {
        OrgKind.STREET_WORKING_COMMITTEE,
        OrgKind.TOWNSHIP_COMMITTEE,
        OrgKind.COMMUNITY_COMMITTEE,
        OrgKind.VILLAGE_COMMITTEE,
    }
)

# Ties of the co-building network (DOMAIN.md); ties that get a strength score.
COBUILDING_LINKS: frozenset[LinkType] = frozenset(LinkType)
SCORED_LINKS: frozenset[LinkType] = frozenset(
    {LinkType.CO_BUILDING, LinkType.DUAL_REPORTING, LinkType.RESPONSIBLE_UNIT}
)

_TRUE = {"true", "yes", "y", "1", "是", "有", "t", "1.0", "对", "√", "有人", "有人管理"}
_FALSE = {"false", "no", "n", "0", "否", "无", "f", "0.0", "没有", "×", "无人", "无人管理"}


def normalize_token(text: object) -> str:
    """Fold a header or category value for matching: NFKC (full-width to half-width),
    lower case, no spaces, underscores or hyphens kept as underscores.

    Examples
    --------
    >>> normalize_token(" Parent ID ")
    'parent_id'
    >>> normalize_token("ＧＲＩＤ")
    'grid'
    """
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"[\s\-]+", "_", s)
    return s.strip("_")


_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")


def compact_token(text: object) -> str:
    """``normalize_token`` without separators or invisible characters (BOM, zero-width
    spaces): the one key on which headers, table names and category values are matched.

    Examples
    --------
    >>> compact_token("Parent-ID"), compact_token("\u200b网格 党支部")
    ('parentid', '网格党支部')
    """
    return normalize_token(_INVISIBLE.sub("", str(text))).replace("_", "")


def parse_bool(text: object) -> bool | None:
    """Parse a yes/no value (true/false, yes/no, y/n, 1/0, 是/否, 有/无); None if not one.

    Examples
    --------
    >>> parse_bool("是"), parse_bool("N"), parse_bool("maybe")
    (True, False, None)
    """
    s = normalize_token(text)
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


def zh(member: Category) -> str:
    """Chinese display name of a category member (its code when it has none)."""
    names = ZH_NAMES.get((type(member), member.value))
    return names[0] if names else member.value


_LOOKUPS: dict[type, dict[str, Category]] = {}


def _lookup(cls: type[Category]) -> dict[str, Category]:
    table = _LOOKUPS.get(cls)
    if table is None:
        table = {}
        for member in cls:
            for alias in (member.value, member.name, *ZH_NAMES.get((cls, member.value), ())):
                table.setdefault(compact_token(alias), member)
        _LOOKUPS[cls] = table
    return table


# ---------------------------------------------------------------------------------------------
# Tables of the input contract
# ---------------------------------------------------------------------------------------------

ColumnType = str  # "id" | "ref" | "text" | "int" | "float" | "rate" | "bool" | "date" | "year"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an input table.

    ``dtype`` is one of ``id`` (unique key), ``ref`` (an id of another row), ``text``, ``int``,
    ``float``, ``rate`` (a share: 0.85, 85 or 85%), ``bool``, ``date``, ``year`` (a year or a
    date), ``category`` (then ``category`` names the enum). A ``required`` column must be
    present in the file; a ``not_null`` column must have a value in every row.
    """

    name: str
    zh: tuple[str, ...]
    dtype: ColumnType
    category: type[Category] | None = None
    required: bool = False
    not_null: bool = False


@dataclass(frozen=True)
class TableSpec:
    """One table of the input contract (a CSV file or an Excel sheet)."""

    name: str
    zh: tuple[str, ...]
    entity: Entity | None
    columns: tuple[ColumnSpec, ...]
    required: bool = False

    def column(self, name: str) -> ColumnSpec:
        """The column spec called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def key(self) -> str | None:
        """Name of the id column, if the table has one."""
        for col in self.columns:
            if col.dtype == "id":
                return col.name
        return None


def _c(name: str, zh_names: str, dtype: str, category: type[Category] | None = None, *,
       required: bool = False, not_null: bool = False) -> ColumnSpec:
    return ColumnSpec(name, tuple(zh_names.split("/")) if zh_names else (), dtype, category,
                      required, not_null)


_ID = _c("id", "编号/ID/id号", "id", required=True, not_null=True)
_NAME = _c("name", "名称/名字/姓名", "text")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec("territories", ("区域", "地域", "区域表"), Entity.TERRITORY, (
            _ID, _NAME,
            _c("kind", "类型/区域类型", "category", TerritoryKind, required=True, not_null=True),
            _c("parent_id", "上级编号/上级区域编号", "ref"),
            _c("households", "户数", "int"),
            _c("managed", "是否有人管理", "bool"),
        ), required=True),
        TableSpec("organizations", ("组织", "组织表"), Entity.ORGANIZATION, (
            _ID, _NAME,
            _c("kind", "类型/组织类型", "category", OrgKind, required=True, not_null=True),
            _c("parent_id", "上级编号/上级组织编号", "ref"),
            _c("territory_id", "所属区域编号/覆盖区域编号/区域编号", "ref"),
            _c("unit_id", "所属单位编号", "ref"),
        ), required=True),
        TableSpec("units", ("单位", "单位表"), Entity.UNIT, (
            _ID, _NAME,
            _c("kind", "类型/单位类型", "category", UnitKind, required=True, not_null=True),
            _c("admin_rank", "行政级别", "category", AdminRank),
            _c("party_members", "党员人数", "int"),
            _c("territory_id", "所属区域编号/所在区域编号/区域编号", "ref"),
        )),
        TableSpec("platforms", ("平台", "平台表"), Entity.PLATFORM, (
            _ID, _NAME,
            _c("kind", "类型/平台类型", "category", PlatformKind, required=True, not_null=True),
            _c("territory_id", "所属区域编号", "ref"),
            _c("convener_id", "召集方编号", "ref"),
        )),
        TableSpec("links", ("关系", "关系表", "联系"), None, (
            _c("source_id", "起点编号", "ref", required=True, not_null=True),
            _c("target_id", "终点编号", "ref", required=True, not_null=True),
            _c("type", "关系类型/类型", "category", LinkType, required=True, not_null=True),
            _c("since", "建立年份", "year"),
            _c("meetings_per_year", "年会议次数", "float"),
            _c("activities", "活动次数", "float"),
            _c("initiated_by", "发起方", "category", Initiator),
            _c("lead", "是否牵头", "bool"),
            _c("attendance_rate", "出勤率", "rate"),
        )),
        TableSpec("resources", ("资源", "资源表"), Entity.RESOURCE, (
            _c("id", "编号/ID", "id", required=True, not_null=True),
            _c("provider_id", "提供方编号", "ref", required=True, not_null=True),
            _c("recipient_id", "接收方编号", "ref"),
            _c("kind", "类型/资源类型", "category", ResourceKind),
            _c("amount", "数量/金额", "float"),
            _c("year", "年份", "int"),
            _c("delivered", "是否到位", "bool"),
        )),
        TableSpec("members", ("党员", "党员表", "成员"), Entity.MEMBER, (
            _ID,
            _c("name", "姓名/名称", "text"),
            _c("org_id", "组织编号/所属组织编号/党组织编号/所在党组织编号", "ref"),
            _c("residence_id", "居住地编号", "ref"),
            _c("workplace_id", "工作单位编号", "ref"),
            _c("status", "状态/党员状态", "category", MemberStatus),
            _c("registered_community_id", "报到社区编号", "ref"),
            _c("sent_to_id", "下沉至编号", "ref"),
        )),
        TableSpec("tasks", ("任务", "任务表", "事项"), Entity.TASK, (
            _ID,
            _c("title", "标题/名称", "text"),
            _c("kind", "类型/任务类型", "category", TaskKind),
            _c("assigned_to_id", "责任方编号", "ref"),
            _c("created", "创建时间/时间", "date"),
        )),
        TableSpec("task_steps", ("任务步骤", "步骤", "任务流转"), None, (
            _c("task_id", "任务编号", "ref", required=True, not_null=True),
            _c("step", "步骤/步骤序号", "int", required=True),
            _c("from_id", "发出方编号", "ref", required=True, not_null=True),
            _c("to_id", "接收方编号", "ref"),
            _c("action", "动作", "category", StepAction, required=True, not_null=True),
            _c("at", "时间", "date"),
        )),
    )
}
