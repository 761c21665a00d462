"""``raw.expectation_results``: write one check run's results; a rerun of a date replaces, never duplicates.

Decision: raw is append-only everywhere else, but here a rerun for the same as_of_date must not add a
second set of rows. Within ONE transaction the rows of that as_of_date and suite are deleted and the new
ones inserted, so the table holds exactly one result per (as_of_date, suite, expectation) and a killed
run leaves the previous results intact. run_id and evaluated_at say which run wrote them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

import duckdb
import pandas as pd

from ..raw_schema import Column, Table, ensure_tables, required

EXPECTATION_RESULTS = Table(
    "expectation_results",
    "检查结果：每次检查运行中每个 Great Expectations 期望一行；同一统计日、同一套件重跑时替换（先删后插，同一事务）。"
    "One row per Great Expectations expectation evaluated by a check run; a rerun of the same as-of date and suite "
    "replaces that date's rows of the suite (delete + insert in one transaction).",
    (
        required("run_id", "varchar", "运行编号（Dagster run id 或 cli-…）。Dagster run id, or cli-<uuid> for policy-wh checks."),
        required("evaluated_at", "timestamp", "检查时间（北京时间）。When the suite ran (Asia/Shanghai)."),
        required("as_of_date", "date", "评估日。Evaluation date."),
        required("suite", "varchar", "检查套件，如 targets_health、task_deadlines、submission_progress_reports。Suite name."),
        required("expectation", "varchar", "套件内的检查项键（目标编号、机构编号或 检查:列）。Key within the suite (target id, org id or check:column)."),
        required("expectation_type", "varchar", "GX 期望类型。The GX expectation type."),
        Column("target_id", "varchar", "目标编号（目标检查）。Target id (target checks)."),
        Column("indicator_id", "varchar", "指标编号。Indicator id."),
        Column("org_id", "varchar", "牵头单位编号（期限检查）。Lead organisation (deadline checks)."),
        Column("region_code", "varchar", "评估地区。Region evaluated."),
        required("success", "boolean", "是否通过（no_data 不算通过）。Passed (no_data never passes)."),
        required("status", "varchar", "met 达成 / not_met 未达成 / no_data 无数据。Status."),
        required("severity", "varchar", "error（已到期、常设、期限与报送检查）/ warn（未到期目标）。Severity."),
        Column("observed_value", "double", "观测值（目标检查）或不合格行数。Observed value, or the number of failing rows."),
        Column("expected", "varchar", "期望（可读文本）。What was expected, readable."),
        Column("gap", "double", "距达成的差距（达成为 0）。Gap to the target (0 when met)."),
        Column("projected_value", "double", "趋势推算到期日的值。Trend projection to the due date."),
        Column("projected_status", "varchar", "推算是否达成。Whether the projection meets the target."),
        Column("element_count", "integer", "检查的行数。Rows checked."),
        Column("unexpected_count", "integer", "不合格行数。Failing rows."),
        Column("details", "varchar", "详情 JSON（未完成任务清单、不合格值样例）。JSON details (failing tasks, sample values)."),
    ),
)


@dataclass
class ResultRow:
    """One evaluated expectation, as stored."""

    run_id: str
    evaluated_at: datetime
    as_of_date: date
    suite: str
    expectation: str
    expectation_type: str
    target_id: str | None
    indicator_id: str | None
    org_id: str | None
    region_code: str | None
    success: bool
    status: str
    severity: str
    observed_value: float | None
    expected: str | None
    gap: float | None
    projected_value: float | None
    projected_status: str | None
    element_count: int | None
    unexpected_count: int | None
    details: str | None


COLUMNS = [f.name for f in fields(ResultRow)]


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    ensure_tables(con, (EXPECTATION_RESULTS,))


def write_results(con: duckdb.DuckDBPyConnection, rows: list[ResultRow]) -> int:
    """Replace the results of each (as_of_date, suite) in ``rows`` with ``rows``, in one transaction."""
    ensure_table(con)
    if not rows:
        return 0
    frame = pd.DataFrame([asdict(row) for row in rows], columns=COLUMNS)
    keys = sorted({(row.as_of_date, row.suite) for row in rows})
    con.execute("begin transaction")
    try:
        for as_of_date, suite in keys:
            con.execute("delete from raw.expectation_results where as_of_date = ? and suite = ?", [as_of_date, suite])
        con.register("new_expectation_results", frame)
        con.execute(f"insert into raw.expectation_results ({', '.join(COLUMNS)}) "
                    f"select {', '.join(COLUMNS)} from new_expectation_results")
        con.unregister("new_expectation_results")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(rows)
