"""The data-collection workbook (台账模板): the input contract as an Excel form streets fill in.

:func:`write_template` writes one sheet per input table, named as users know it (区域, 党组织,
共建单位 ...; the loaders read these names back), with the Chinese headers of
``graphmodel.schema.TABLES`` in the contract's order, a frozen header row, fitted column
widths, a dropdown of the accepted Chinese values on every category and yes/no column (taken
from the schema's enums), number, percentage and date formats, and a first sheet 填写说明 that
explains every column and the rules people get wrong. Rows may be pre-filled (``rows``): an
existing street's rows (:func:`scope_rows`), a few examples (:func:`example_rows`), or a whole
dataset (the round-trip test).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.atomic import atomic_workbook
from graphmodel.model import OrgModel
from graphmodel.schema import (
    TABLES,
    Category,
    ColumnSpec,
    Entity,
    Level,
    TerritoryKind,
    parse_bool,
    zh,
)

__all__ = ["COLUMN_HELP", "SHEET_NAMES", "example_rows", "scope_rows", "template_headers",
           "write_template"]

# The sheet of each table, as users name it; every one is a table name the loaders accept.
SHEET_NAMES: dict[str, str] = {
    "territories": "区域", "organizations": "党组织", "units": "共建单位", "platforms": "平台",
    "links": "关系", "resources": "资源", "members": "党员", "tasks": "任务",
    "task_steps": "任务步骤",
}
GUIDE_SHEET = "填写说明"
OPTIONS_SHEET = "下拉选项"  # hidden: the dropdown lists (no 255-character limit that way)
BLANK_ROWS = 500  # formatted, validated empty rows below the data for the street to fill
_TABLE_ZH = {"territories": "区域（县市、街道/乡镇、社区/村、网格、小区院落、商圈楼宇园区）",
             "organizations": "党组织和群众组织", "units": "共驻共建单位",
             "platforms": "平台（联席会议、大党委、工作专班、尖刀班、片区等）",
             "links": "关系（共驻共建、双报到、责任单位、认领、平台成员）",
             "resources": "资源（资源清单与到位情况）", "members": "党员（个人信息，注意保密）",
             "tasks": "任务/事项", "task_steps": "任务流转步骤"}

# (table, column) -> (meaning, example). Required-ness and accepted values come from the schema.
COLUMN_HELP: dict[tuple[str, str], tuple[str, str]] = {
    ("territories", "id"): ("区域编号，全工作簿唯一", "T-ST01"),
    ("territories", "name"): ("区域名称", "幸福街道"),
    ("territories", "kind"): ("区域类型", "街道"),
    ("territories", "parent_id"): ("上级区域的编号（不是名称）；县市一行留空", "T-CITY"),
    ("territories", "households"): ("户数，整数", "1200"),
    ("territories", "managed"): ("小区是否有人管理（物业或自管），仅小区院落需填", "否"),
    ("organizations", "id"): ("组织编号，全工作簿唯一（不能与区域、单位等编号重复）", "O-ST01"),
    ("organizations", "name"): ("组织名称", "幸福街道党工委"),
    ("organizations", "kind"): ("组织类型", "街道党工委"),
    ("organizations", "parent_id"): ("上级党组织的编号（组织隶属）；群众组织填领导它的党组织；"
                                     "县市党委留空", "O-CITY"),
    ("organizations", "territory_id"): ("该组织覆盖的区域编号", "T-ST01"),
    ("organizations", "unit_id"): ("单位党组织所属单位的编号（仅单位党组织填）", "U-001"),
    ("units", "id"): ("单位编号，全工作簿唯一", "U-001"),
    ("units", "name"): ("单位名称", "市自然资源局"),
    ("units", "kind"): ("单位类型", "机关"),
    ("units", "admin_rank"): ("行政级别", "市级"),
    ("units", "party_members"): ("正式党员人数，整数", "35"),
    ("units", "territory_id"): ("单位所在区域的编号", "T-CM01"),
    ("platforms", "id"): ("平台编号，全工作簿唯一", "P-001"),
    ("platforms", "name"): ("平台名称", "幸福街道工作专班"),
    ("platforms", "kind"): ("平台类型", "工作专班"),
    ("platforms", "territory_id"): ("平台所在区域的编号", "T-ST01"),
    ("platforms", "convener_id"): ("召集方（组织或单位）的编号", "O-ST01"),
    ("links", "source_id"): ("关系起点的编号（单位、平台或组织）", "U-001"),
    ("links", "target_id"): ("关系终点的编号（社区、小区、平台等）", "T-CM01"),
    ("links", "type"): ("关系类型", "共驻共建"),
    ("links", "since"): ("建立年份，四位数", "2021"),
    ("links", "meetings_per_year"): ("每年共同开会次数", "4"),
    ("links", "activities"): ("每年共同活动次数", "6"),
    ("links", "initiated_by"): ("活动通常由哪一方发起", "双方"),
    ("links", "lead"): ("责任单位是否为牵头单位", "是"),
    ("links", "attendance_rate"): ("平台成员的出勤率，0.85 或 85%", "85%"),
    ("resources", "id"): ("资源编号，全工作簿唯一", "R-001"),
    ("resources", "provider_id"): ("提供资源的单位或组织的编号", "U-001"),
    ("resources", "recipient_id"): ("接收资源的社区或组织的编号", "T-CM01"),
    ("resources", "kind"): ("资源类型", "资金"),
    ("resources", "amount"): ("数量或金额（元）", "50000"),
    ("resources", "year"): ("年份，四位数", "2026"),
    ("resources", "delivered"): ("是否已经到位", "是"),
    ("members", "id"): ("党员编号，全工作簿唯一（不要填身份证号）", "M-0001"),
    ("members", "name"): ("姓名（个人信息：报告和清单中默认不显示）", "张某"),
    ("members", "org_id"): ("组织关系所在党组织的编号", "O-GR01"),
    ("members", "residence_id"): ("居住的小区院落的编号", "T-CP01"),
    ("members", "workplace_id"): ("工作单位的编号", "U-001"),
    ("members", "status"): ("党员状态", "正式党员"),
    ("members", "registered_community_id"): ("在职党员双报到的社区编号", "T-CM01"),
    ("members", "sent_to_id"): ("下沉干部下沉到的社区、平台或组织的编号", "P-002"),
    ("tasks", "id"): ("任务编号，全工作簿唯一", "K-0001"),
    ("tasks", "title"): ("任务或事项的标题", "老旧小区加装电梯"),
    ("tasks", "kind"): ("任务来源", "上级交办"),
    ("tasks", "assigned_to_id"): ("责任方（单位、组织、平台或区域）的编号", "U-001"),
    ("tasks", "created"): ("创建日期", "2026-03-01"),
    ("task_steps", "task_id"): ("所属任务的编号", "K-0001"),
    ("task_steps", "step"): ("步骤序号，从 1 开始", "1"),
    ("task_steps", "from_id"): ("办理这一步的一方的编号", "U-001"),
    ("task_steps", "to_id"): ("转办、上报、退回时接收方的编号；办结留空", "O-CM01"),
    ("task_steps", "action"): ("动作", "转办"),
    ("task_steps", "at"): ("时间", "2026-03-02 09:30"),
}

_RULES: tuple[str, ...] = (
    "1. 编号在整个工作簿中唯一：区域、党组织、单位、平台、资源、党员、任务的编号不能相互重复"
    "（例如区域用 T- 开头、组织用 O- 开头、单位用 U- 开头）。",
    "2. “上级编号”“所属区域编号”等一律填对方的编号，不填名称；编号要与对方那一行的“编号”一字不差。",
    "3. 区域的上级是包含它的区域（网格的上级是社区）；党组织的上级是它隶属的党组织"
    "（网格党支部的上级是本社区党委，不要直接填街道党工委）。",
    "4. 预先填好的行（县市、县市党委，以及本街道已有的区域、组织、单位、平台、关系）请核对更正，"
    "不要改动编号；县市的行各街道都有，保持原样即可。",
    "5. 类型、是否类的列请从下拉列表中选择；是否类填“是”或“否”。",
    "6. 日期写成 2026-03-01，出勤率写 0.85 或 85%，数字列只填数字（可带“人”“户”）。",
    "7. 不要修改工作表名称和表头；可以在表头上方加标题行，"
    "可以删除不用的工作表（区域、党组织两表必须保留）。",
    "8. 灰色斜体的示例行（编号以 EX- 开头）只作说明，交回前请删除。",
    "9. 党员信息是个人信息：只填编号和必要字段，不填身份证号、电话。",
)


def _width(text: str) -> int:
    """Display width: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def template_headers(table: str) -> list[str]:
    """The Chinese headers of a table in the contract's order (each one's first Chinese name).

    Examples
    --------
    >>> template_headers("territories")[:3]
    ['编号', '名称', '类型']
    """
    return [col.zh[0] if col.zh else col.name for col in TABLES[table].columns]


def _is_required(col: ColumnSpec) -> bool:
    return col.required or col.not_null


def _options(col: ColumnSpec) -> list[str]:
    """The dropdown values of a category or yes/no column (Chinese display names)."""
    if col.dtype == "bool":
        return ["是", "否"]
    if col.dtype == "category" and col.category is not None:
        return [zh(member) for member in col.category]
    return []


def _accepted(col: ColumnSpec) -> str:
    """What a column takes, in words, for the guide."""
    options = _options(col)
    if options:
        return "下拉选择：" + "、".join(options)
    return {"id": "文字，唯一", "ref": "另一行的编号", "text": "文字", "int": "整数",
            "float": "数字", "rate": "0 到 1 的比例或百分数", "date": "日期 年-月-日",
            "year": "四位年份"}[col.dtype]


_MISSING = (None, "")


def _cell(col: ColumnSpec, value: Any) -> Any:
    """A frame value as the template writes it: Chinese names, 是/否, numbers and dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if col.dtype == "category" and col.category is not None:
        member = col.category.parse(value)
        return zh(member) if isinstance(member, Category) else str(value)
    if col.dtype == "bool":
        parsed = value if isinstance(value, bool) else parse_bool(value)
        return None if parsed is None else ("是" if parsed else "否")
    if col.dtype in {"int", "year"}:
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if col.dtype in {"float", "rate"}:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return int(number) if number.is_integer() and col.dtype == "float" else number
    if col.dtype == "date":
        stamp = pd.Timestamp(value) if not isinstance(value, pd.Timestamp) else value
        if pd.isna(stamp):
            return None
        return stamp.to_pydatetime()
    return str(value)


def _formats(book) -> dict[str, Any]:
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}
    grey = {**base, "italic": True, "font_color": "#808080"}
    numbers = {"id": "@", "text": "@", "int": "0", "year": "0", "float": "0.##", "rate": "0%",
               "date": "yyyy-mm-dd hh:mm"}
    examples = {f"example_{k}": book.add_format({**grey, "num_format": v})
                for k, v in numbers.items()}
    return {**examples, "example_plain": book.add_format(grey),
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "align": "center"}),
        "required": book.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "border": 1,
                                     "text_wrap": True, "align": "center",
                                     "font_color": "#9C0006"}),
        "id": book.add_format({**base, "num_format": "@"}),
        "text": book.add_format({**base, "num_format": "@"}),
        "int": book.add_format({**base, "num_format": "0"}),
        "year": book.add_format({**base, "num_format": "0"}),
        "float": book.add_format({**base, "num_format": "0.##"}),
        "rate": book.add_format({**base, "num_format": "0%"}),
        "date": book.add_format({**base, "num_format": "yyyy-mm-dd hh:mm"}),
        "plain": book.add_format(base),
        "example": book.add_format({**base, "italic": True, "font_color": "#808080"}),
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "wrap": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "section": book.add_format({**base, "bold": True, "bg_color": "#F2F2F2"}),
    }


def _format_key(col: ColumnSpec) -> str:
    if col.dtype in {"id", "ref"}:
        return "id"
    if col.dtype in {"category", "bool"}:
        return "plain"
    return col.dtype


def _validate(sheet, col: ColumnSpec, c: int, last: int, options_range: str | None) -> None:
    """Data validation of one column over rows 2..last (0-based rows 1..last-1)."""
    header = col.zh[0] if col.zh else col.name
    if options_range is not None:
        sheet.data_validation(1, c, last - 1, c, {
            "validate": "list", "source": options_range, "error_type": "warning",
            "input_title": header[:32], "input_message": "请从下拉列表中选择",
            "error_title": "不在列表中", "error_message": "请从下拉列表中选择（如确为可识别的其他"
            "写法，可点“是”保留）"})
    elif col.dtype in {"int", "year"}:
        low, high = (1900, 2100) if col.dtype == "year" else (0, 10**9)
        if col.name == "step":
            low = -(10**6)
        sheet.data_validation(1, c, last - 1, c, {
            "validate": "integer", "criteria": "between", "minimum": low, "maximum": high,
            "error_type": "warning", "error_title": "应为整数",
            "error_message": f"“{header}”应填整数" + ("（四位年份）" if col.dtype == "year"
                                                     else "")})
    elif col.dtype == "float":
        sheet.data_validation(1, c, last - 1, c, {
            "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
            "error_title": "应为数字", "error_message": f"“{header}”应填不小于 0 的数字"})
    elif col.dtype == "rate":
        sheet.data_validation(1, c, last - 1, c, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
            "error_type": "warning", "error_title": "应为比例",
            "error_message": "出勤率填 0.85 或 85%"})
    elif col.dtype == "date":
        sheet.data_validation(1, c, last - 1, c, {
            "validate": "date", "criteria": ">=", "value": dt.date(1990, 1, 1),
            "error_type": "warning", "error_title": "应为日期",
            "error_message": "日期写成 2026-03-01"})


_GUIDE_WIDTHS = (10, 16, 46, 16, 46, 18, 22)


def _write_guide(book, fmt: dict[str, Any], tables: list[str]) -> None:
    sheet = book.add_worksheet(GUIDE_SHEET)
    sheet.write(0, 0, "基层党组织台账 填写说明", fmt["title"])
    row = 2
    for rule in _RULES:
        sheet.merge_range(row, 0, row, 6, rule, fmt["wrap"])
        sheet.set_row(row, 30)
        row += 1
    row += 1
    heads = ["工作表", "列（表头）", "含义", "是否必填", "可填的值或格式", "示例", "英文列名"]
    for c, text in enumerate(heads):
        sheet.write(row, c, text, fmt["header"])
    sheet.freeze_panes(row + 1, 0)
    first = row
    row += 1
    for table in tables:
        spec = TABLES[table]
        sheet.merge_range(row, 0, row, len(heads) - 1,
                          f"工作表“{SHEET_NAMES[table]}”：{_TABLE_ZH[table]}", fmt["section"])
        row += 1
        for col in spec.columns:
            meaning, example = COLUMN_HELP.get((table, col.name), ("", ""))
            required = "必填" if _is_required(col) else "选填"
            if col.dtype == "id":
                required = "必填，全工作簿唯一"
            values = [SHEET_NAMES[table], col.zh[0] if col.zh else col.name, meaning, required,
                      _accepted(col), example, col.name]
            for c, text in enumerate(values):
                sheet.write_string(row, c, text, fmt["wrap"])
            lines = max(-(-_width(v) // (w - 2)) for v, w in zip(values, _GUIDE_WIDTHS,
                                                                  strict=True))
            if lines > 1:  # wrapped: set the height, not every program fits it
                sheet.set_row(row, 14 * lines)
            row += 1
    for c, width in enumerate(_GUIDE_WIDTHS):
        sheet.set_column(c, c, width)
    _print_setup(sheet, first)


def _print_setup(sheet, header_row: int) -> None:
    """Landscape A4, fitted to the width, the rows down to ``header_row`` on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)


def write_template(out: str | Path, rows: Mapping[str, pd.DataFrame] | None = None, *,
                   examples: Mapping[str, pd.DataFrame] | None = None,
                   tables: list[str] | None = None) -> Path:
    """Write the data-collection workbook.

    Parameters
    ----------
    out
        The ``.xlsx`` file to write (its folder is created).
    rows
        Rows to pre-fill, one frame per table with the contract's column names (English
        codes or Chinese values, typed or text): an existing street's rows, or a whole dataset.
    examples
        Example rows, written after ``rows`` in grey italics (see :func:`example_rows`).
    tables
        The tables to include (default: all nine, in the contract's order).

    Returns
    -------
    Path
        The file written.
    """
    import xlsxwriter

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = rows or {}
    examples = examples or {}
    tables = [t for t in TABLES if tables is None or t in tables]
    with atomic_workbook(path) as book:
        fmt = _formats(book)
        _write_guide(book, fmt, tables)
        options = book.add_worksheet(OPTIONS_SHEET)
        option_ranges: dict[str, str] = {}
        option_col = 0
        for table in tables:
            for col in TABLES[table].columns:
                values = _options(col)
                key = col.category.__name__ if col.category is not None else col.dtype
                if not values or key in option_ranges:
                    continue
                options.write_string(0, option_col, key)
                for r, value in enumerate(values, start=1):
                    options.write_string(r, option_col, value)
                letter = xlsxwriter.utility.xl_col_to_name(option_col)
                option_ranges[key] = (f"='{OPTIONS_SHEET}'!${letter}$2:"
                                      f"${letter}${len(values) + 1}")
                option_col += 1
        for table in tables:
            _write_table(book, fmt, table, rows.get(table), examples.get(table),
                         option_ranges)
        options.hide()
        book.worksheets()[0].activate()
    return path


def _records(spec_table: str, frame: pd.DataFrame | None) -> list[list[Any]]:
    if frame is None or frame.empty:
        return []
    columns = TABLES[spec_table].columns
    data = []
    series = [frame[col.name].tolist() if col.name in frame.columns else [None] * len(frame)
              for col in columns]
    for values in zip(*series, strict=True):
        data.append([_cell(col, v) for col, v in zip(columns, values, strict=True)])
    return data


def _write_table(book, fmt: dict[str, Any], table: str, frame: pd.DataFrame | None,
                 example: pd.DataFrame | None, option_ranges: dict[str, str]) -> None:
    spec = TABLES[table]
    sheet = book.add_worksheet(SHEET_NAMES[table])
    headers = template_headers(table)
    data = _records(table, frame)
    samples = _records(table, example)
    last = 1 + len(data) + len(samples) + BLANK_ROWS
    widths = [_width(h) + 2 for h in headers]
    for c, (col, header) in enumerate(zip(spec.columns, headers, strict=True)):
        sheet.write_string(0, c, header, fmt["required" if _is_required(col) else "header"])
        meaning, example_text = COLUMN_HELP.get((table, col.name), ("", ""))
        note = f"{meaning}（{'必填' if _is_required(col) else '选填'}）" + (
            f"\n示例：{example_text}" if example_text else "")
        sheet.write_comment(0, c, note, {"x_scale": 1.6, "font_name": "Microsoft YaHei"})
        widths[c] = max(widths[c], *(_width(o) + 3 for o in _options(col)), 8)
    for r, values in enumerate([*data, *samples], start=1):
        prefix = "" if r <= len(data) else "example_"
        for c, (col, value) in enumerate(zip(spec.columns, values, strict=True)):
            if value is None:
                continue
            cell_format = fmt[prefix + _format_key(col)]
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, cell_format)
            elif isinstance(value, bool):
                sheet.write_string(r, c, "是" if value else "否", cell_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value, cell_format)
            else:
                sheet.write_string(r, c, value, cell_format)
            if r <= 200:  # widths from the first rows (a big sheet is not measured entirely)
                widths[c] = max(widths[c], _width(str(value)) + 2)
    for c, col in enumerate(spec.columns):
        if col.dtype == "date":
            widths[c] = max(widths[c], 18)
        sheet.set_column(c, c, min(widths[c], 48), fmt[_format_key(col)])
        key = col.category.__name__ if col.category is not None else col.dtype
        _validate(sheet, col, c, last, option_ranges.get(key))
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, 0)
    sheet.autofilter(0, 0, max(1, len(data) + len(samples)), len(headers) - 1)


# ---------------------------------------------------------------------------------------------
# What a template is pre-filled with
# ---------------------------------------------------------------------------------------------

_STRUCTURE = ("territories", "organizations", "units", "platforms", "links")


def scope_rows(model: OrgModel, street: str) -> dict[str, pd.DataFrame]:
    """The rows a street's template is pre-filled with: the city's own rows (the city
    territories and the organizations covering them) and the street's rows of the structure
    tables (区域, 党组织, 共建单位, 平台, 关系) found in ``model``. Members, tasks, task steps and
    resources are not pre-filled: they are personal or per-round data the street reports.

    A link is the street's when either end lies in it; a unit, platform or organization when
    it lies in the street or is the other end of one of the street's links (a unit serving
    two streets is in both workbooks, and the merge takes it once); the unit of an
    organization kept is kept too.

    Raises
    ------
    KeyError
        ``street`` is not a street or township territory of the model.
    """
    if model.node(street).get("level") != Level.STREET:
        raise KeyError(street)
    frames = model.frames
    territories = frames["territories"]
    cities = {str(t) for t, kind in zip(territories["id"], territories["kind"], strict=True)
              if kind == TerritoryKind.CITY}

    def in_street(entity_id: object) -> bool:
        return isinstance(entity_id, str) and model.street_of(entity_id) == street

    def city_row(entity_id: object) -> bool:
        if not isinstance(entity_id, str):
            return False
        node = model.node(entity_id)
        if node.get("entity") == Entity.TERRITORY:
            return entity_id in cities
        return node.get("entity") == Entity.ORGANIZATION and \
            model.covered_territory(entity_id) in cities
    links = frames["links"]
    keep_links = [in_street(a) or in_street(b) for a, b in
                  zip(links["source_id"], links["target_id"], strict=True)]
    # The units, platforms and organizations at the other end of the street's ties (a unit
    # that serves several streets is in each of their workbooks), and the units of the
    # organizations kept (a unit's own party organization).
    ends = {str(v) for v in (*links["source_id"][keep_links], *links["target_id"][keep_links])
            if isinstance(v, str)}
    orgs = frames["organizations"]
    keep_orgs = [city_row(i) or in_street(i) or i in ends for i in orgs["id"]]
    ends |= {str(u) for u in orgs["unit_id"][keep_orgs] if isinstance(u, str)}
    keep = {"links": keep_links, "organizations": keep_orgs}
    out: dict[str, pd.DataFrame] = {}
    for table in _STRUCTURE:
        frame = frames[table]
        if frame.empty:
            continue
        rows = keep.get(table)
        if rows is None:
            rows = [city_row(i) or in_street(i) or (table != "territories" and i in ends)
                    for i in frame["id"]]
        out[table] = frame[rows]
    return out


def example_rows() -> dict[str, pd.DataFrame]:
    """A few consistent example rows (ids ``EX-...``, names 示例...), one small street."""
    rows: dict[str, list[dict[str, Any]]] = {
        "territories": [
            {"id": "EX-T-CITY", "name": "示例市", "kind": "city", "households": 300000},
            {"id": "EX-T-ST", "name": "示例街道", "kind": "street", "parent_id": "EX-T-CITY",
             "households": 12000},
            {"id": "EX-T-CM", "name": "示例社区", "kind": "community", "parent_id": "EX-T-ST",
             "households": 3000},
            {"id": "EX-T-GR", "name": "示例社区第一网格", "kind": "grid",
             "parent_id": "EX-T-CM", "households": 400},
            {"id": "EX-T-CP", "name": "示例小区", "kind": "compound", "parent_id": "EX-T-GR",
             "households": 200, "managed": False},
        ],
        "organizations": [
            {"id": "EX-O-CITY", "name": "示例市委", "kind": "city_committee",
             "territory_id": "EX-T-CITY"},
            {"id": "EX-O-ST", "name": "示例街道党工委", "kind": "street_working_committee",
             "parent_id": "EX-O-CITY", "territory_id": "EX-T-ST"},
            {"id": "EX-O-CM", "name": "示例社区党委", "kind": "community_committee",
             "parent_id": "EX-O-ST", "territory_id": "EX-T-CM"},
            {"id": "EX-O-GR", "name": "示例社区第一网格党支部", "kind": "grid_branch",
             "parent_id": "EX-O-CM", "territory_id": "EX-T-GR"},
            {"id": "EX-O-CP", "name": "示例小区党小组", "kind": "compound_group",
             "parent_id": "EX-O-GR", "territory_id": "EX-T-CP"},
            {"id": "EX-O-YW", "name": "示例小区业委会", "kind": "owners_committee",
             "parent_id": "EX-O-CP", "territory_id": "EX-T-CP"},
        ],
        "units": [{"id": "EX-U-1", "name": "示例市自然资源局", "kind": "agency",
                   "admin_rank": "city", "party_members": 35, "territory_id": "EX-T-CM"}],
        "platforms": [{"id": "EX-P-1", "name": "示例街道工作专班", "kind": "work_team",
                       "territory_id": "EX-T-ST", "convener_id": "EX-O-ST"}],
        "links": [
            {"source_id": "EX-U-1", "target_id": "EX-T-CM", "type": "co_building",
             "since": 2021, "meetings_per_year": 4, "activities": 6, "initiated_by": "both"},
            {"source_id": "EX-U-1", "target_id": "EX-T-CM", "type": "responsible_unit",
             "since": 2022, "lead": True},
            {"source_id": "EX-O-CM", "target_id": "EX-P-1", "type": "membership",
             "attendance_rate": 0.85},
        ],
        "resources": [{"id": "EX-R-1", "provider_id": "EX-U-1", "recipient_id": "EX-T-CM",
                       "kind": "funds", "amount": 50000, "year": 2026, "delivered": True}],
        "members": [{"id": "EX-M-1", "name": "张某（示例）", "org_id": "EX-O-CP",
                     "residence_id": "EX-T-CP", "workplace_id": "EX-U-1", "status": "formal",
                     "registered_community_id": "EX-T-CM"}],
        "tasks": [{"id": "EX-K-1", "title": "示例：老旧小区加装电梯", "kind": "assigned",
                   "assigned_to_id": "EX-U-1", "created": "2026-03-01"}],
        "task_steps": [
            {"task_id": "EX-K-1", "step": 1, "from_id": "EX-U-1", "to_id": "EX-O-CM",
             "action": "transfer", "at": "2026-03-02 09:30"},
            {"task_id": "EX-K-1", "step": 2, "from_id": "EX-O-CM", "action": "handle",
             "at": "2026-04-10 16:00"},
        ],
    }
    return {table: pd.DataFrame(records) for table, records in rows.items()}
