"""任务进展 (task progress): one row per task, report date and reporting body — the kind most files carry."""
from __future__ import annotations

from datetime import date

from ...raw_schema import Column, required
from .shape import DataDay, Field, SubmissionKind, TemplateColumn, kind_table, reported_by_field


def _report_day(text: str) -> date | None:
    from ..cells import parse_date
    return parse_date(text)


PROGRESS_KIND = SubmissionKind(
    name="progress",
    sheet_title="任务进展",
    title_aliases=("progress", "task progress"),
    fields=(
        Field("task_id", "任务编号", ("task",), required=True),
        Field("report_date", "填报日期", ("date",), required=True, fill=True),
        Field("status", "状态", required=True, fill=True),
        Field("percent_complete", "完成进度", ("完成进度%", "percent", "progress"), fill=True),
        Field("note", "进展说明", fill=True),
        reported_by_field(),
    ),
    info_headers=(
        Field("task_text", "任务内容"), Field("deadline", "期限"), Field("last_status", "上次状态"),
        Field("role", "本单位职责"),
    ),
    table=kind_table(
        "progress_reports", "任务进展报送行（已通过校验）。Accepted rows of the 任务进展 (task progress) sheets.",
        required("task_id", "varchar", "任务编号。Task id."),
        required("report_date", "date", "填报日期。Report date."),
        required("status", "varchar", "状态（not_started / in_progress / done / delayed / blocked）。Status."),
        Column("percent_complete", "double", "完成进度（0–100）。Percent complete."),
        Column("note", "varchar", "进展说明。Progress note."),
        required("reported_by", "varchar", "填报单位（原样）。Reporting body as written."),
        required("org_id", "varchar", "填报单位（解析后的机构编号）。Reporting organisation, resolved."),
    ),
    template=(
        TemplateColumn("task_id", 20, "@", reference=True), TemplateColumn("task_text", 60, reference=True),
        TemplateColumn("deadline", 12, "@", reference=True), TemplateColumn("last_status", 10, reference=True),
        TemplateColumn("report_date", 12, "yyyy-mm-dd"), TemplateColumn("status", 10),
        TemplateColumn("percent_complete", 10, "General"), TemplateColumn("note", 40),
        TemplateColumn("reported_by", 28, "@"), TemplateColumn("role", 32, reference=True),
    ),
    key=("task_id", "report_date", "org_id"),
    key_label="任务编号、填报日期和填报单位",
    data_day=DataDay("report_date", "report_date", _report_day,
                     sql="report_date"),
)
