"""指标数据 (indicator values): one value of an indicator for a region and a statistical period."""
from __future__ import annotations

from datetime import date

from ...raw_schema import Column, required
from .shape import DataDay, Field, SubmissionKind, TemplateColumn, kind_table, reported_by_field


def _period_end(text: str) -> date | None:
    from ..cells import parse_period
    return (parse_period(text) or (None, None))[1]


INDICATORS_KIND = SubmissionKind(
    name="indicators",
    sheet_title="指标数据",
    title_aliases=("indicators", "indicator data"),
    fields=(
        Field("indicator_id", "指标编号", ("indicator",), required=True),
        Field("region", "地区", ("region code",), required=True),
        Field("period", "统计期", required=True, fill=True),
        Field("value", "数值", required=True, fill=True),
        Field("unit", "单位"),
        reported_by_field(),
    ),
    info_headers=(Field("indicator_name", "指标名称"),),
    table=kind_table(
        "indicator_values", "指标数据报送行（已通过校验）。Accepted rows of the 指标数据 (indicator data) sheets.",
        required("indicator_id", "varchar", "指标编号。Indicator id."),
        required("region_code", "varchar", "地区代码（全市为 131000）。Region code (131000 for the whole city)."),
        required("period", "varchar", "统计期（原样：YYYY-MM-DD / YYYY-MM / YYYYQn / YYYY）。Period as written."),
        required("period_start", "date", "统计期起始日。First day of the period."),
        required("period_end", "date", "统计期结束日。Last day of the period."),
        required("value", "double", "数值。Value."),
        Column("unit", "varchar", "单位。Unit."),
        required("reported_by", "varchar", "填报单位（原样）。Reporting body as written."),
        required("org_id", "varchar", "填报单位（解析后）。Reporting organisation, resolved."),
    ),
    template=(
        TemplateColumn("indicator_id", 20, "@"), TemplateColumn("indicator_name", 40), TemplateColumn("region", 14),
        TemplateColumn("period", 12, "@"), TemplateColumn("value", 12), TemplateColumn("unit", 10, "@"),
        TemplateColumn("reported_by", 28, "@"),
    ),
    key=("indicator_id", "region_code", "period_start", "period_end", "org_id"),
    key_label="指标编号、地区、统计期和填报单位",
    data_day=DataDay("period", "period_end", _period_end,
                     sql="period_end"),
)
