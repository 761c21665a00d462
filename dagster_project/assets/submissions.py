"""Submissions domain: the departments' files in the inbox, loaded into the raw tables day by day.

One multi-asset writes the four raw tables, because one file's rows, quarantine records and file
record are written together in one transaction (with the other files of its batch). A run may cover a range of daily partitions (a
backfill runs as one run); it loads every inbox file not loaded yet and records, in raw.load_runs,
the window of data days those files touched, which the daily dbt models then rebuild.
"""
from datetime import date

import dagster as dg

from ..checks.runner import import_gx_in_background
from ..settings import load_settings
from ..submissions.inbox import inbox_files
from ..submissions.loader import LoadResult, load_files, local_now
from ..warehouse import Warehouse, daily_partitions, local_today, partition_dates

RAW_TABLES = ("submission_files", "progress_reports", "indicator_values", "air_quality_readings", "quarantined_rows")
RAW_KEYS = {name: dg.AssetKey(["raw", name]) for name in RAW_TABLES}
DESCRIPTIONS = {
    "submission_files": "报送文件登记（按内容哈希，只记一次）。Submitted files, one row per distinct content.",
    "progress_reports": "任务进展报送行。Accepted task-progress rows.",
    "indicator_values": "指标数据报送行。Accepted indicator rows.",
    "air_quality_readings": "空气质量季度综合指数报送行。Accepted quarterly air-quality readings.",
    "quarantined_rows": "被隔离的行及中文原因。Quarantined rows with the reason in Chinese.",
}


def load_window(start: date, end: date, result: LoadResult) -> tuple[date, date]:
    """The data days to rebuild: the run's partitions plus every report date, period end and quarter end loaded."""
    days = {start, end, *result.data_days}
    return min(days), max(days)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(key, group_name="submissions", description=DESCRIPTIONS[name], kinds={"duckdb"})
        for name, key in RAW_KEYS.items()
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="duckdb_writer",
)
def raw_submissions(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Validate and append every inbox file not loaded yet; quarantine bad rows; each file all-or-nothing."""
    import_gx_in_background()   # the blocking submission check that follows needs GX: import it meanwhile
    settings = load_settings()
    start, end = partition_dates(context)
    files = inbox_files(settings.inbox_dir)
    with warehouse.connect() as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'load_runs'"
        ).fetchone()[0]
        if not exists:
            raise dg.Failure(
                description="The warehouse has no raw tables yet: run `policy-wh build` (or the build_warehouse job) first.",
            )
        result = load_files(con, files, partition_date=end, today=local_today())
        window_start, window_end = load_window(start, end, result)
        summary = result.summary()
        con.execute(
            "insert into raw.load_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [context.run.run_id, start, end, window_start, window_end, summary["files_applied"],
             summary["files_skipped"], summary["rows_accepted"], summary["rows_quarantined"], local_now()],
        )
    # One log message for all of them: every message is an event Dagster stores (tens of ms each).
    flagged = [f"{outcome.original_name}: {outcome.status} — {outcome.error or ''} "
               f"({outcome.rows_quarantined} rows quarantined)"
               for outcome in result.files if outcome.status in ("rejected", "partially_accepted")]
    if flagged:
        context.log.warning(f"{len(flagged)} file(s) not fully accepted:\n" + "\n".join(flagged))
    if result.failed:
        names = ", ".join(f.original_name for f in result.failed)
        raise dg.Failure(description=f"{len(result.failed)} file(s) could not be validated and stay in the inbox: {names}")
    metadata = {
        "files_applied": summary["files_applied"],
        "files_already_loaded": summary["files_skipped"],
        "rows_accepted": summary["rows_accepted"],
        "rows_quarantined": summary["rows_quarantined"],
        "window_start": window_start.isoformat(),
        "window_end": window_end.isoformat(),
    }
    for key in RAW_KEYS.values():
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)


def window_for_run(warehouse: Warehouse, run_id: str, start: date, end: date) -> tuple[date, date]:
    """The window the raw load of this run recorded; the run's own partitions if it loaded nothing."""
    with warehouse.connect() as con:
        row = con.execute(
            "select min(window_start), max(window_end) from raw.load_runs where run_id = ?", [run_id]
        ).fetchone()
    if row and row[0]:
        return min(row[0], start), max(row[1], end)
    return start, end
