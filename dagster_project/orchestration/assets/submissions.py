"""Submissions domain: the departments' files in the inbox, loaded into the raw tables day by day.

One multi-asset writes the raw tables, because one file's rows, quarantine records and file record are
written together in one transaction (with the other files of its batch). A run may cover a range of daily
partitions (a backfill runs as one run); it loads every inbox file not loaded yet and emits the window of
data days to rebuild — the run's partitions widened to every data day those files touched — once, as metadata
of raw/submission_files on the run's last partition, where the daily dbt models read it
(:mod:`dagster_project.orchestration.window`). It also records the run in raw.load_runs (the record of the
loads the dashboard shows and the as-of day is read from).

What the run reports (one materialization per asset and partition, as Dagster records a ranged run):

* every partition carries **that day's own numbers** (``day_*``): the rows this run loaded whose *data
  day* is that day — a progress row's 填报日期, an indicator row's period end, an air-quality reading's
  quarter end — by kind, the rows quarantined on that day (a quarantined row's data day is its own date
  cell when that cell is valid, otherwise its file's latest accepted data day, or the day a file with
  none was received), and the files with any such row; raw/quarantined_rows adds that day's reasons as
  tables;
* the **run total** (``run_total_*``: all files and rows of the run, including rows whose data day lies
  outside the run's partitions) is on the run's last partition only, and in the step log.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import dagster as dg
import pandas as pd

from ...checks.runner import import_gx_in_background
from ...submissions.kinds import KINDS
from ...submissions.inbox import inbox_files
from ...submissions.loader import (ROW_KIND_LABELS, STATUS_LABELS, FileOutcome, LoadResult, ProblemTally,
                                  load_files, loaded_rows_by_day, local_now, report_lines)
from ...submissions.validation import REASON_CODES
from ...warehouse import Warehouse, daily_partitions, local_today
from ..resources import WarehouseSettings
from ..window import RunWindow, emitted_window

# The raw tables the load writes: the file register, each declared kind's table, the quarantine.
RAW_TABLES = ("submission_files", *(kind.table.name for kind in KINDS.values()), "quarantined_rows")
RAW_KEYS = {name: dg.AssetKey(["raw", name]) for name in RAW_TABLES}
_PER_PARTITION = (" Each partition's metadata (day_*) counts what the run loaded for that data day (a progress "
                  "row's 填报日期, an indicator row's period end, an air-quality reading's quarter end); the "
                  "whole run's totals (run_total_*) are on the run's last partition only.")
DESCRIPTIONS = {
    "submission_files": "报送文件登记（按内容哈希，只记一次）。Submitted files, one row per distinct content." + _PER_PARTITION,
    **{kind.table.name: kind.table.description + _PER_PARTITION for kind in KINDS.values()},
    "quarantined_rows": "被隔离的行及中文原因。Quarantined rows with the reason in Chinese; the metadata lists "
                        "each not fully accepted file's first reasons and the problems by reason_code (a "
                        "quarantined row counts on its own data day when its date cell is valid, otherwise on "
                        "its file's latest accepted data day, or the day a file with none was received)."
                        + _PER_PARTITION,
}
MAX_TABLE_FILES = 100           # files listed in one metadata table; the rest are counted in a last row
_KIND_KEYS = {name: kind.label.replace("-", "_") + "_rows" for name, kind in KINDS.items()}    # metadata keys
_KIND_WORDS = {name: kind.label + " rows" for name, kind in KINDS.items()}


def load_window(window: RunWindow, result: LoadResult) -> RunWindow:
    """The data days to rebuild: the run's partitions plus every report date, period end and quarter end loaded."""
    return window.widened(result.data_days)


@dataclass
class DayReport:
    """What one run loaded for one data day (or, for ``outside``, for days outside the run's partitions)."""

    rows: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in KINDS})
    rows_by_file: dict[str, int] = field(default_factory=dict)       # accepted rows, all kinds, per file
    quarantine: list[tuple[FileOutcome, ProblemTally]] = field(default_factory=list)
    files: dict[str, FileOutcome] = field(default_factory=dict)

    def status_count(self, status: str) -> int:
        return sum(f.status == status for f in self.files.values())

    @property
    def rows_quarantined(self) -> int:
        return sum(tally.rows for _, tally in self.quarantine)

    @property
    def problems(self) -> int:
        return sum(tally.problems for _, tally in self.quarantine)


def day_reports(result: LoadResult, loaded: pd.DataFrame, start: date, end: date) -> tuple[dict[date, DayReport], DayReport]:
    """Split a load by data day: one :class:`DayReport` per partition of the run (start … end), and one
    for every row whose data day lies outside them."""
    days = {start + timedelta(days=n): DayReport() for n in range((end - start).days + 1)}
    outside = DayReport()
    outcomes = {f.file_sha256: f for f in result.applied}
    for sha, kind, day, rows in loaded.itertuples(index=False):
        report = days.get(day, outside)
        report.rows[kind] += int(rows)
        report.rows_by_file[sha] = report.rows_by_file.get(sha, 0) + int(rows)
        if sha in outcomes:
            report.files[sha] = outcomes[sha]
    for outcome in result.applied:
        for day, tally in sorted(outcome.quarantine_by_day.items()):
            report = days.get(day, outside)
            report.quarantine.append((outcome, tally))
            report.files[outcome.file_sha256] = outcome
    return days, outside


def _day_numbers(report: DayReport, prefix: str) -> dict[str, int]:
    return {
        f"{prefix}files": len(report.files),
        f"{prefix}files_accepted": report.status_count("accepted"),
        f"{prefix}files_partly_accepted": report.status_count("partially_accepted"),
        f"{prefix}files_rejected": report.status_count("rejected"),
        **{f"{prefix}{_KIND_KEYS[kind]}": report.rows[kind] for kind in KINDS},
        f"{prefix}rows_quarantined": report.rows_quarantined,
    }


QUARANTINE_SCHEMA = dg.TableSchema(columns=[
    dg.TableColumn("file", "string", description="the file's name as sent"),
    dg.TableColumn("status", "string", description="accepted / partly accepted / rejected"),
    dg.TableColumn("reason_code", "string", description="raw.quarantined_rows.reason_code"),
    dg.TableColumn("reason", "string", description="原因（中文，发给报送单位）the Chinese reason"),
])
REASON_SCHEMA = dg.TableSchema(columns=[
    dg.TableColumn("reason_code", "string"),
    dg.TableColumn("meaning", "string", description="中文说明"),
    dg.TableColumn("problems", "int", description="quarantine records (one per problem; a row may have several)"),
    dg.TableColumn("files", "int"),
])
FILES_SCHEMA = dg.TableSchema(columns=[
    dg.TableColumn("file", "string"),
    dg.TableColumn("status", "string"),
    dg.TableColumn("rows_accepted", "int", description="accepted rows (all kinds) counted here"),
    dg.TableColumn("rows_quarantined", "int", description="quarantined rows counted here"),
    dg.TableColumn("reason_codes", "string"),
])


def _codes(tally: ProblemTally) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(tally.by_reason.items(), key=lambda i: (-i[1], i[0])))


def quarantine_tables(entries: list[tuple[FileOutcome, ProblemTally, int]], per_file: int) -> dict[str, dg.TableMetadataValue]:
    """The reasons (first ``per_file`` per file, "… N more"), the problems by reason_code and the files,
    for (file, its problems here, its accepted rows here) entries."""
    reason_rows: list[dg.TableRecord] = []
    file_rows: list[dg.TableRecord] = []
    codes: dict[str, list[int]] = {}
    for outcome, tally, accepted in entries:
        for code, n in tally.by_reason.items():
            counts = codes.setdefault(code, [0, 0])
            counts[0] += n
            counts[1] += 1
    listed = entries[:MAX_TABLE_FILES]
    for outcome, tally, accepted in listed:
        status = STATUS_LABELS.get(outcome.status, outcome.status)
        examples = list(tally.examples)
        if outcome.error and outcome.error not in tally.reasons:
            examples.insert(0, (outcome.error_code or "file", outcome.error))
        shown = examples[:per_file]
        records_shown = sum(1 for example in shown if example in tally.examples)
        for code, reason in shown:
            reason_rows.append(dg.TableRecord({"file": outcome.original_name, "status": status,
                                               "reason_code": code, "reason": reason}))
        if tally.problems > records_shown:
            reason_rows.append(dg.TableRecord({
                "file": outcome.original_name, "status": status, "reason_code": "…",
                "reason": f"… {tally.problems - records_shown} more (all in raw.quarantined_rows)"}))
        file_rows.append(dg.TableRecord({"file": outcome.original_name, "status": status, "rows_accepted": accepted,
                                         "rows_quarantined": tally.rows, "reason_codes": _codes(tally)}))
    if len(entries) > len(listed):
        more = len(entries) - len(listed)
        reason_rows.append(dg.TableRecord({"file": f"… {more} more file(s)", "status": "", "reason_code": "…",
                                           "reason": "see raw.quarantined_rows"}))
        file_rows.append(dg.TableRecord({"file": f"… {more} more file(s)", "status": "", "rows_accepted": 0,
                                         "rows_quarantined": 0, "reason_codes": ""}))
    by_code = [dg.TableRecord({"reason_code": code, "meaning": REASON_CODES.get(code, code), "problems": n,
                               "files": files})
               for code, (n, files) in sorted(codes.items(), key=lambda item: (-item[1][0], item[0]))]
    return {"quarantine": dg.MetadataValue.table(reason_rows, schema=QUARANTINE_SCHEMA),
            "problems_by_reason_code": dg.MetadataValue.table(by_code, schema=REASON_SCHEMA),
            "files_not_fully_accepted": dg.MetadataValue.table(file_rows, schema=FILES_SCHEMA)}


def _entries_of_day(report: DayReport) -> list[tuple[FileOutcome, ProblemTally, int]]:
    return [(outcome, tally, report.rows_by_file.get(outcome.file_sha256, 0)) for outcome, tally in report.quarantine]


def _entries_of_run(result: LoadResult) -> list[tuple[FileOutcome, ProblemTally, int]]:
    flagged = [f for f in result.applied if f.status in ("partially_accepted", "rejected") or f.quarantine.problems]
    flagged.sort(key=lambda f: (f.received_at or datetime.min, f.original_name, f.file_sha256))
    return [(f, f.quarantine, f.rows_accepted) for f in flagged]


def partition_metadata(result: LoadResult, loaded: pd.DataFrame, start: date, end: date, *,
                       window: RunWindow, per_file: int = 5) -> dict[str, dict[str, dict[str, object]]]:
    """partition key → asset name → metadata: each day's own numbers on every partition; the run total
    on the last partition only."""
    days, outside = day_reports(result, loaded, start, end)
    out: dict[str, dict[str, dict[str, object]]] = {}
    for day, report in days.items():
        numbers = _day_numbers(report, "day_")
        per_asset = {name: dict(numbers) for name in RAW_TABLES}
        per_asset["quarantined_rows"]["day_problems"] = report.problems
        if report.quarantine:
            tables = quarantine_tables(_entries_of_day(report), per_file)
            per_asset["quarantined_rows"].update({"day_quarantine": tables["quarantine"],
                                                  "day_problems_by_reason_code": tables["problems_by_reason_code"]})
            per_asset["submission_files"]["day_files_not_fully_accepted"] = tables["files_not_fully_accepted"]
        out[day.isoformat()] = per_asset
    summary = result.summary()
    totals: dict[str, object] = {
        "run_total_partitions": dg.MetadataValue.text(
            f"{start.isoformat()} … {end.isoformat()} ({len(days)} partition(s)); the run_total_* entries are on "
            f"this, the run's last partition, only"),
        "run_total_files_loaded": summary["files_applied"],
        "run_total_files_accepted": summary["files_by_status"]["accepted"],
        "run_total_files_partly_accepted": summary["files_by_status"]["partially_accepted"],
        "run_total_files_rejected": summary["files_by_status"]["rejected"],
        "run_total_files_already_loaded": summary["files_skipped"],
        "run_total_progress_rows": summary["rows_progress"],
        "run_total_indicator_rows": summary["rows_indicators"],
        "run_total_air_quality_rows": summary["rows_air_quality"],
        "run_total_rows_accepted": dg.MetadataValue.int(summary["rows_accepted"]),
        "run_total_rows_quarantined": summary["rows_quarantined"],
        "run_total_problems": summary["problems"],
        "run_total_outside_partitions": dg.MetadataValue.text(
            f"{sum(outside.rows.values())} accepted row(s) ("
            + ", ".join(f"{outside.rows[k]} {_KIND_WORDS[k]}" for k in KINDS)
            + f"), {outside.rows_quarantined} quarantined row(s) and {outside.problems} problem(s) of "
              f"{len(outside.files)} file(s) have a data day outside this run's partitions (a rejected file: the "
              f"day it was received): they are counted in the run total only"),
        "run_total_rebuild_window": dg.MetadataValue.text(f"{window} (the data days the daily models rebuild)"),
        "run_total_counting": dg.MetadataValue.text(
            "rows accepted = " + " + ".join(ROW_KIND_LABELS[k] for k in KINDS)
            + "; rows quarantined = distinct rows in raw.quarantined_rows; problems = its records (one per "
              "problem, a rejected file's own reason included)"),
    }
    last = out[end.isoformat()]
    for name in RAW_TABLES:
        last[name].update(totals)
    entries = _entries_of_run(result)
    if entries:
        tables = quarantine_tables(entries, per_file)
        last["quarantined_rows"].update({"run_total_quarantine": tables["quarantine"],
                                         "run_total_problems_by_reason_code": tables["problems_by_reason_code"]})
        last["submission_files"]["run_total_files_not_fully_accepted"] = tables["files_not_fully_accepted"]
    return out


@dg.multi_asset(
    specs=[
        dg.AssetSpec(key, group_name="submissions", description=DESCRIPTIONS[name], kinds={"duckdb"})
        for name, key in RAW_KEYS.items()
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="duckdb_writer",
)
def raw_submissions(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: WarehouseSettings):
    """Validate and append every inbox file not loaded yet; quarantine bad rows; each file all-or-nothing."""
    import_gx_in_background()   # the blocking submission check that follows needs GX: import it meanwhile
    settings = settings.get()
    window = RunWindow.from_context(context)
    start, end = window.first_day, window.last_day
    files = inbox_files(settings.inbox_dir)
    with warehouse.connect() as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'load_runs'"
        ).fetchone()[0]
        if not exists:
            raise dg.Failure(
                description="The warehouse has no raw tables yet: run `policy-wh build` (or the build_warehouse job) first.",
            )
        # one stamp for the rows and the run's raw.load_runs row: `policy-wh load` finds the run's files by it
        stamp = local_now()
        result = load_files(con, files, partition_date=end, today=local_today(), loaded_at=stamp)
        rebuild = load_window(window, result)
        summary = result.summary()
        # the record of the run (the dashboard's last loads, the as-of day); the window itself travels as metadata
        con.execute(
            "insert into raw.load_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [context.run.run_id, start, end, rebuild.first_day, rebuild.last_day, summary["files_applied"],
             summary["files_skipped"], summary["rows_accepted"], summary["rows_quarantined"], stamp],
        )
        loaded = loaded_rows_by_day(con, result)
    # One log message for all of it: every message is an event Dagster stores (tens of ms each).
    lines = report_lines(result.files, skipped=len(result.skipped), failed=len(result.failed))
    message = f"run total for the partitions {start} … {end}:\n" + "\n".join(lines)
    flagged = any(f.status in ("rejected", "partially_accepted") for f in result.files)
    (context.log.warning if flagged else context.log.info)(message)
    if result.failed:
        names = ", ".join(f.original_name for f in result.failed)
        raise dg.Failure(description=f"{len(result.failed)} file(s) could not be validated and stay in the inbox: {names}")
    per_partition = partition_metadata(result, loaded, start, end, window=rebuild)
    # the window the daily models rebuild, emitted once: on raw/submission_files, the run's last partition
    per_partition[end.isoformat()]["submission_files"].update(rebuild.to_metadata())
    for partition_key, per_asset in per_partition.items():
        for name, metadata in per_asset.items():
            context.add_asset_metadata(metadata, asset_key=RAW_KEYS[name], partition_key=partition_key)
    for key in RAW_KEYS.values():
        yield dg.MaterializeResult(asset_key=key)


def load_window_of_run(context: dg.AssetExecutionContext) -> RunWindow:
    """The data days a daily step of this run rebuilds: its partitions, widened to the window this run's raw load
    emitted (none if the run did not load: a run of the dbt assets alone rebuilds the window of its tags)."""
    window = RunWindow.of_run(context)
    return window.union(emitted_window(context, RAW_KEYS["submission_files"], window.last_day))
