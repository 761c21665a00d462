"""The xlsx template a department fills in: its own tasks pre-filled, drop-downs, instructions in Chinese.

Why this module: most bad rows come from retyping — a mistyped 任务编号, a status word the loader does
not know, a date Excel turned into a number. The template removes the retyping: each task the
organisation leads or co-leads is already a row (任务编号, 任务内容, 期限, its last reported status),
状态 and 地区 are drop-down lists, 填报单位 is pre-filled, and the 说明 sheet explains the format. A
filled-in template loads as is (tests/unit/test_template.py proves the round trip).

Indicators: the seeds have no indicator → organisation link, so the 指标数据 sheet lists the
indicators of targets attached to the organisation's tasks (``raw.targets.task_id``); failing that,
those of targets in documents where it has tasks (``raw.targets.doc_id``); failing that, all
indicators. :class:`TemplateInfo.indicator_scope` says which (tasks | documents | all).

Every text cell the template writes that starts with = + - or @ is prefixed with ' so that Excel
shows it as text and never runs it.

``policy-wh template`` (:func:`write_snapshot_template`) reads the published copy, else the seed CSVs
(:func:`~dagster_project.submissions.reference.open_reference_snapshot`) — never the working warehouse,
whose read-only open would make a load that starts meanwhile fail. From the seeds the 上次状态 column
stays empty (no report has been published yet).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from .kinds import KINDS, SubmissionKind
from .reference import Reference, load_reference, open_reference_snapshot
from .validation import STATUSES

FORMULA_START = ("=", "+", "-", "@")
EXTRA_ROWS = 200            # formatted empty rows below the pre-filled ones, for added lines
PROGRESS_KIND, INDICATORS_KIND = KINDS["progress"], KINDS["indicators"]
# The sheets' columns, headers, widths and formats are the kinds' declared templates (submissions/kinds/).
PROGRESS_HEADERS = tuple(PROGRESS_KIND.header(c.name) for c in PROGRESS_KIND.template)
INDICATOR_HEADERS = tuple(INDICATORS_KIND.header(c.name) for c in INDICATORS_KIND.template)
INSTRUCTIONS = (
    "廊坊市政策落实情况报送模板 填写说明",
    "",
    "一、“任务进展”工作表：每个任务一行，已预先列出本单位牵头或配合的任务。",
    "  1. 任务编号、任务内容、期限、上次状态为参考信息，请勿修改任务编号。",
    "  2. 填报日期：必填，格式 2015-09-30，不能晚于报送当天。",
    "  3. 状态：必填，从下拉列表中选择：未启动、推进中、已完成、已延期、受阻。",
    "  4. 完成进度：选填，0 到 100 之间的数字，可写 85 或 85%。",
    "  5. 进展说明：选填，简要文字。",
    "  6. 填报单位：必填，已预填本单位名称；须是该任务的牵头或配合单位。",
    "  7. 本期没有进展的任务，填报日期、状态、完成进度、进展说明都留空即可，该行不会报送。",
    "  8. 本单位职责：任务状态只看牵头单位的报送；多个牵头单位的，全部报“已完成”才算完成。配合单位的报送留存备查，不改变任务状态。",
    "",
    "二、“指标数据”工作表：每个指标、地区、统计期一行。",
    "  1. 指标编号：请勿修改；地区：从下拉列表选择，全市数据填“全市”。",
    "  2. 统计期：2015-09-30（某日）、2015-09（某月）、2015Q3（某季度）或 2015（全年）。",
    "  3. 数值：只填数字，不要带单位或文字；不要填公式。",
    "  4. 单位：须与模板所列单位一致（% 与 ％ 视为相同），留空视为模板所列单位。",
    "",
    "三、注意事项",
    "  1. 请勿修改第1行表头，可以在下方增加行，同一任务同一天只填一行。",
    "  2. 单元格中的公式不会被计算，会按文字保存，请直接填写结果。",
    "  3. 有问题的行会被单独退回并说明原因（第几行、哪一列、什么问题），其他行照常入库。",
    "  4. 也可以将“任务进展”或“指标数据”工作表另存为 CSV 文件报送（UTF-8 或 GBK 编码均可）。",
)


@dataclass(frozen=True)
class TemplateInfo:
    org_id: str
    org_name: str
    path: Path
    tasks: int
    indicators: int
    indicator_scope: str        # tasks | documents | all
    reference_source: str = ""  # where the tasks and last statuses were read (write_snapshot_template)


def escape_text(value: object) -> object:
    """Text starting with = + - @ gets a leading ' (shown as text by Excel); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The columns of raw.<table> (empty if it does not exist)."""
    return {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?",
        [table]).fetchall()}


def resolve_template_org(reference: Reference, org: str) -> str:
    if org in reference.org_display:
        return org
    org_id, why = reference.resolve_org(org)
    if org_id is None:
        raise ValueError(f"organisation {org!r}: {why}")
    return org_id


# What the clerk is told about each task (the status rule: only a lead's report moves a task's status).
ROLE_TEXT = {"lead": "牵头：本单位报送决定任务状态", "co": "配合：报送留存备查，不改变任务状态"}


def _tasks(con: duckdb.DuckDBPyConnection, org_id: str) -> list[tuple[str, str, object, str]]:
    """(task id, text, deadline, role text) of the tasks the organisation leads or co-operates on."""
    if not _exists(con, "task_assignments") or not _exists(con, "tasks"):
        return []
    rows = con.execute(
        "select t.task_id, coalesce(cast(t.task_text as varchar), ''), t.deadline_date, a.role "
        "from raw.tasks t inner join (select task_id, min(role) as role from raw.task_assignments "
        "  where org_id = ? and role in ('lead', 'co') group by task_id) a on a.task_id = t.task_id "
        "order by t.task_id", [org_id]).fetchall()
    # min(role): 'co' < 'lead', so a body printed as both would read as co — take lead then
    both = {r[0] for r in con.execute(
        "select task_id from raw.task_assignments where org_id = ? and role = 'lead'", [org_id]).fetchall()}
    return [(task_id, text, deadline, ROLE_TEXT["lead" if task_id in both else role])
            for task_id, text, deadline, role in rows]


def _last_status(con: duckdb.DuckDBPyConnection, task_ids: list[str]) -> dict[str, str]:
    if not task_ids or not _exists(con, "progress_reports"):
        return {}
    rows = con.execute(
        "select task_id, status from raw.progress_reports where task_id in (select unnest(?)) "
        "qualify row_number() over (partition by task_id order by report_date desc, loaded_at desc, row_number desc) = 1",
        [task_ids]).fetchall()
    return {task: STATUSES.get(status, status) for task, status in rows}


def _indicators(con: duckdb.DuckDBPyConnection, reference: Reference, task_ids: list[str]) -> tuple[list[str], str]:
    columns = _exists(con, "targets")
    if "indicator_id" in columns and task_ids:
        if "task_id" in columns:
            found = [r[0] for r in con.execute(
                "select distinct indicator_id from raw.targets where task_id in (select unnest(?)) "
                "and indicator_id is not null order by 1", [task_ids]).fetchall()]
            if found:
                return [i for i in found if i in reference.indicator_units], "tasks"
        if "doc_id" in columns and _exists(con, "tasks"):
            found = [r[0] for r in con.execute(
                "select distinct indicator_id from raw.targets where doc_id in "
                "(select doc_id from raw.tasks where task_id in (select unnest(?))) "
                "and indicator_id is not null order by 1", [task_ids]).fetchall()]
            if found:
                return [i for i in found if i in reference.indicator_units], "documents"
    return sorted(reference.indicator_units), "all"


def _deadline_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def write_template(con: duckdb.DuckDBPyConnection, org: str, out_path: str | Path, *,
                   reference: Reference | None = None) -> TemplateInfo:
    """Write the template for one organisation (org_id, full name, short name or alias) to out_path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    reference = reference or load_reference(con)
    org_id = resolve_template_org(reference, org)
    org_name = reference.org_display.get(org_id, org_id)
    tasks = _tasks(con, org_id)
    last = _last_status(con, [t[0] for t in tasks])
    indicators, scope = _indicators(con, reference, [t[0] for t in tasks])

    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    workbook = Workbook()

    sheet = workbook.active
    last_row = len(tasks) + 1 + EXTRA_ROWS
    _lay_out(sheet, PROGRESS_KIND, [
        {"task_id": task_id, "task_text": text, "deadline": _deadline_text(deadline), "last_status": last.get(task_id, ""),
         "reported_by": org_name, "role": role} for task_id, text, deadline, role in tasks], last_row, bold, grey)
    status_list = DataValidation(type="list", formula1='"' + ",".join(STATUSES.values()) + '"', allow_blank=True,
                                 showErrorMessage=True, errorTitle="状态", error="请从列表中选择：" + "、".join(STATUSES.values()))
    status_list.add(_cells(PROGRESS_KIND, "status", last_row))
    percent_range = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                                   showErrorMessage=True, errorTitle="完成进度", error="请填写 0 到 100 之间的数字。")
    percent_range.add(_cells(PROGRESS_KIND, "percent_complete", last_row))
    sheet.add_data_validation(status_list)
    sheet.add_data_validation(percent_range)

    indicator_sheet = workbook.create_sheet()
    last_row = len(indicators) + 1 + EXTRA_ROWS
    _lay_out(indicator_sheet, INDICATORS_KIND, [
        {"indicator_id": indicator_id, "indicator_name": reference.indicator_names.get(indicator_id, ""),
         "region": "全市", "unit": reference.indicator_units.get(indicator_id, ""), "reported_by": org_name}
        for indicator_id in indicators], last_row, bold, grey)
    regions = ["全市"] + [name for code, name in sorted(reference.region_names.items()) if code != reference.city_code]
    region_formula = '"' + ",".join(regions) + '"'
    if len(region_formula) <= 255:
        region_list = DataValidation(type="list", formula1=region_formula, allow_blank=True, showErrorMessage=False)
        region_list.add(_cells(INDICATORS_KIND, "region", last_row))
        indicator_sheet.add_data_validation(region_list)

    notes = workbook.create_sheet("说明")
    for line in INSTRUCTIONS:
        notes.append([escape_text(line)])
    notes.append([])
    notes.append([escape_text(f"本模板为“{org_name}”生成，共 {len(tasks)} 项任务、{len(indicators)} 项指标。")])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 100
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out_path)
    return TemplateInfo(org_id, org_name, out_path, len(tasks), len(indicators), scope)


def write_snapshot_template(org: str, out_path: str | Path, settings=None) -> TemplateInfo:
    """:func:`write_template` from the published copy (else the seed CSVs), never the working warehouse.

    Raises :class:`~dagster_project.submissions.reference.ReferenceUnavailable` when neither can be read."""
    from dataclasses import replace

    with open_reference_snapshot(settings) as (con, source):
        info = write_template(con, org, out_path)
    return replace(info, reference_source=source.describe())


def _cells(kind: SubmissionKind, name: str, last_row: int) -> str:
    """The data cells of column ``name`` in the kind's sheet, e.g. F2:F210."""
    letter = kind.template_letter(name)
    return f"{letter}2:{letter}{last_row}"


def _lay_out(sheet, kind: SubmissionKind, rows: list[dict[str, object]], last_row: int, bold, grey) -> None:
    """The kind's sheet as declared: title, header row, pre-filled rows (cells by column name), each column's
    number format down to ``last_row``, reference columns shaded, widths, bold frozen header."""
    sheet.title = kind.sheet_title
    sheet.append([kind.header(c.name) for c in kind.template])
    for row in rows:
        sheet.append([escape_text(row.get(c.name)) for c in kind.template])
    for column in kind.template:
        letter = kind.template_letter(column.name)
        for row_number in range(2, last_row + 1):
            cell = sheet[f"{letter}{row_number}"]
            if column.number_format:
                cell.number_format = column.number_format
            if column.reference and row_number <= len(rows) + 1:
                cell.fill = grey
        sheet.column_dimensions[letter].width = column.width
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
