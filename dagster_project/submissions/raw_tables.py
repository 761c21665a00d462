"""The raw tables the loader writes, declared once: the kinds' tables and the load's own bookkeeping.

Why here: the loader owns the raw layer it appends to. :func:`ensure_submission_tables` creates what is
missing (empty: "no data yet" is a valid state) before a load and before dbt runs, so a warehouse built before
a kind existed gains its table instead of failing the load; the kinds' tables come from their declarations
(submissions/kinds/), the bookkeeping tables are declared below.
"""
from __future__ import annotations

import duckdb

from ..raw_schema import Column, Table, ensure_tables, required
from .kinds import KINDS

SUBMISSION_FILES = Table(
    "submission_files",
    "报送文件登记：每个收到的文件一行（按内容哈希，重复报送只记一次）。One row per received file, keyed by its content hash.",
    (
        required("file_sha256", "varchar", "文件内容的 SHA-256。SHA-256 of the file's bytes."),
        required("original_name", "varchar", "报送时的文件名。File name as submitted."),
        required("received_at", "timestamp", "收件时间。When the file entered the inbox."),
        Column("reported_by", "varchar", "报送单位（原样）。Sending body as written."),
        required("status", "varchar",
                 "结果：accepted（全部接收）/ partially_accepted（部分行隔离）/ rejected（拒收）。Outcome of validation."),
        Column("error", "varchar", "拒收原因（中文）。Why the file was rejected, in Chinese."),
        required("rows_total", "integer", "数据行数。Data rows in the file."),
        required("rows_accepted", "integer", "接收行数。Rows loaded."),
        required("rows_quarantined", "integer", "隔离行数。Rows quarantined."),
        required("partition_date", "date", "装载日（每日分区）。The daily partition that loaded it."),
    ),
)

QUARANTINED_ROWS = Table(
    "quarantined_rows",
    "被隔离的行及原因（中英文）。Quarantined rows with the reason, in Chinese and English.",
    (
        required("file_sha256", "varchar", "来源文件的哈希。Hash of the source file."),
        required("file_name", "varchar", "来源文件名。Source file name."),
        Column("sheet_name", "varchar", "工作表名。Sheet name."),
        Column("row_number", "integer", "文件中的行号。Row number in the file."),
        Column("column_name", "varchar", "出错的列。Column at fault."),
        Column("raw_value", "varchar", "出错的值（原样）。Offending value as received."),
        required("reason_code", "varchar", "原因代码（英文）。Reason code in English, e.g. unknown_task."),
        required("reason", "varchar", "原因（中文，给报送单位看）。Reason in Chinese, for the clerk who sent the file."),
        Column("raw_row", "varchar", "原始行（JSON）。The row as received, JSON."),
        required("partition_date", "date", "装载日。Load day."),
        required("loaded_at", "timestamp", "装载时间。Load timestamp."),
    ),
)

LOAD_RUNS = Table(
    "load_runs",
    "日装载运行登记：每次 Dagster 日装载一行——装载的分区、重建的数据日窗口和数量。One row per daily_load run — its "
    "partitions, the window of data days it rebuilt, and its counts. The latest partition_end is the warehouse's "
    "as-of day (macros/as_of_date.sql).",
    (
        required("run_id", "varchar", "Dagster 运行编号。Dagster run id."),
        required("partition_start", "date", "首个装载分区日。First daily partition of the run."),
        required("partition_end", "date",
                 "最后装载分区日；其最大值即统计截止日。Last daily partition of the run; the largest is the as-of day."),
        required("window_start", "date", "重建窗口首日。First data day rebuilt."),
        required("window_end", "date", "重建窗口末日。Last data day rebuilt."),
        required("files_applied", "integer", "本次写入的文件数。Files applied by the run."),
        required("files_skipped", "integer", "已装载而跳过的文件数。Files skipped as already loaded."),
        required("rows_accepted", "integer", "接收行数。Rows accepted."),
        required("rows_quarantined", "integer", "隔离行数。Rows quarantined."),
        required("loaded_at", "timestamp", "装载时间。Load timestamp."),
    ),
)

# In the order the dbt sources list them.
SUBMISSION_TABLES: tuple[Table, ...] = (
    SUBMISSION_FILES, KINDS["progress"].table, KINDS["indicators"].table, QUARANTINED_ROWS, LOAD_RUNS,
    *(kind.table for name, kind in KINDS.items() if name not in ("progress", "indicators")),
)


def ensure_submission_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the missing raw tables of the submissions and write their descriptions as comments."""
    ensure_tables(con, SUBMISSION_TABLES)
