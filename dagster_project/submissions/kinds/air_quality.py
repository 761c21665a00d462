"""空气质量 (air quality): one station's quarterly average composite index (〔2015〕126号 / 144号)."""
from __future__ import annotations

from datetime import date

from ...raw_schema import required
from .shape import DataDay, Field, SubmissionKind, kind_table, reported_by_field


def _quarter_end(text: str) -> date | None:
    from ..cells import parse_quarter
    return (parse_quarter(text) or (None, None))[1]


AIR_QUALITY_KIND = SubmissionKind(
    name="air_quality",
    sheet_title="空气质量",
    title_aliases=("air quality", "空气质量综合指数"),
    fields=(
        Field("station", "监测站", ("监测点", "监测站点", "站点", "监测站名称"), required=True),
        Field("quarter", "季度", ("统计季度",), required=True, fill=True),
        Field("composite_index", "综合指数", ("空气质量综合指数", "季度综合指数", "季度平均综合指数"),
              required=True, fill=True),
        reported_by_field(),
    ),
    table=kind_table(
        "air_quality_readings",
        "空气质量报送行（工作表“空气质量”，已通过校验）：每行一个监测站一个季度的平均综合指数。只增不改；"
        "同一监测站、季度后报覆盖先报（在 fct_air_quality_reading 中）。Accepted rows of the 空气质量 sheets: one "
        "station's quarterly average composite index. Append-only; a later value for the same station and quarter "
        "supersedes the earlier one downstream.",
        required("station_id", "varchar", "监测站编号（解析后）。Station id, resolved from the name or id written."),
        required("quarter", "varchar", "季度（YYYYQn）。Quarter."),
        required("composite_index", "decimal(18,4)", "季度平均空气质量综合指数（decimal(18,4)）。Quarterly average composite index."),
        required("reported_by", "varchar", "填报单位（原样）。Reporting body as written."),
        required("org_id", "varchar", "填报单位（解析后的机构编号）。Reporting organisation, resolved."),
    ),
    key=("station_id", "quarter"),
    key_label="监测站和季度",
    data_day=DataDay("quarter", "quarter_end", _quarter_end,
                     sql="last_day(make_date(cast(left(quarter, 4) as integer), 3 * cast(right(quarter, 1) as integer),"
                         " 1))"),
    helper_columns=("quarter_end",),
)
