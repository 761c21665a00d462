"""Appending inbox files to the raw tables: validate, then one transaction per file, exactly once.

Why this module: the daily job must be safe to rerun and safe to kill. A file's identity is the
SHA-256 of its bytes; a file already in ``raw.submission_files`` is skipped, so resending the same
content (or rerunning a day) is a no-op. Everything one file writes — its progress rows, indicator
rows, air-quality readings (``raw.air_quality_readings``, created by the dbt macro
``create_air_quality_tables``), quarantine records and finally its ``raw.submission_files`` row — is written inside one DuckDB
transaction, so a process killed mid-way leaves either the whole file applied or nothing, and the
next run applies it exactly once. Raw is append-only: this module never updates or deletes; a
correction is simply a later row, and raw keeps both.

Rows go in set-wise (a pandas DataFrame registered with DuckDB, then ``insert … select``), never a
statement per row. Timestamps (loaded_at, received_at) are Asia/Shanghai wall-clock time without a
zone, like every date in the warehouse.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from .formats import AIR_QUALITY, INDICATORS, PROGRESS
from .inbox import read_sidecar
from .reference import Reference, load_reference
from .validation import FileValidation, Problem, validate_file

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
log = logging.getLogger(__name__)

PROGRESS_COLUMNS = ("sheet_name", "row_number", "task_id", "report_date", "status", "percent_complete", "note",
                    "reported_by", "org_id")
INDICATOR_COLUMNS = ("sheet_name", "row_number", "indicator_id", "region_code", "period", "period_start",
                     "period_end", "value", "unit", "reported_by", "org_id")
AIR_QUALITY_COLUMNS = ("sheet_name", "row_number", "station_id", "quarter", "composite_index", "reported_by", "org_id")
AIR_QUALITY_TABLE = "air_quality_readings"
LOW_CARDINALITY = {"sheet_name", "task_id", "status", "reported_by", "org_id", "indicator_id", "region_code",
                   "period", "unit", "reason_code", "column_name", "station_id", "quarter"}
QUARANTINE_COLUMNS = ("sheet_name", "row_number", "column_name", "raw_value", "reason_code", "reason", "raw_row")


def local_now() -> datetime:
    """Now in Langfang, as a naive timestamp (the raw tables' timestamp columns carry no zone)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


@dataclass
class FileOutcome:
    """What happened to one file in this load."""

    path: Path
    file_sha256: str
    original_name: str
    status: str                 # accepted | partially_accepted | rejected | already_loaded | failed
    error: str | None = None
    rows_total: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0

    @property
    def applied(self) -> bool:
        return self.status in ("accepted", "partially_accepted", "rejected")


@dataclass
class LoadResult:
    """The files of one load, and what they touched (the job rebuilds only these days)."""

    partition_date: date
    files: list[FileOutcome] = field(default_factory=list)
    report_dates: set[date] = field(default_factory=set)           # progress rows' report_date
    periods: set[tuple[date, date]] = field(default_factory=set)   # indicator rows' (period_start, period_end)
    partition_dates: set[date] = field(default_factory=set)        # load days that got new raw rows
    quarters: dict[str, date] = field(default_factory=dict)        # air-quality quarters loaded → quarter's last day

    @property
    def applied(self) -> list[FileOutcome]:
        return [f for f in self.files if f.applied]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "already_loaded"]

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def min_report_date(self) -> date | None:
        return min(self.report_dates, default=None)

    @property
    def min_period_start(self) -> date | None:
        return min((start for start, _ in self.periods), default=None)

    @property
    def quarter_end_dates(self) -> set[date]:
        """The data day of an air-quality reading is its quarter's last day (2016Q1 → 2016-03-31)."""
        return set(self.quarters.values())

    @property
    def data_days(self) -> set[date]:
        """Every data day this load touched: report dates, indicator period ends, air-quality quarter ends."""
        return {*self.report_dates, *(end for _, end in self.periods), *self.quarter_end_dates}

    def summary(self) -> dict[str, object]:
        """Plain values for Dagster metadata / logs."""
        return {
            "files_applied": len(self.applied), "files_skipped": len(self.skipped), "files_failed": len(self.failed),
            "rows_accepted": sum(f.rows_accepted for f in self.files),
            "rows_quarantined": sum(f.rows_quarantined for f in self.files),
            "report_dates": sorted(d.isoformat() for d in self.report_dates),
            "periods": sorted(f"{s.isoformat()}..{e.isoformat()}" for s, e in self.periods),
            "quarters": sorted(self.quarters),
            "partition_dates": sorted(d.isoformat() for d in self.partition_dates),
        }


def _already_loaded(con: duckdb.DuckDBPyConnection, sha: str) -> bool:
    return bool(con.execute("select count(*) from raw.submission_files where file_sha256 = ?", [sha]).fetchone()[0])


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], frame: pd.DataFrame,
                  constants: dict[str, object], casts: dict[str, str]) -> None:
    """insert into raw.<table> (constants + columns) select … from the registered DataFrame."""
    if frame.empty:
        return
    view = f"_pw_{table}_rows"
    frame = frame.copy(deep=False)
    for column in LOW_CARDINALITY.intersection(frame.columns):
        frame[column] = pd.Categorical(frame[column])     # DuckDB scans a category's codes, not 10⁶ str objects
    con.register(view, frame)
    try:
        names = list(constants) + list(columns)
        selects = [f"cast(${name} as {casts.get(name, 'varchar')})" for name in constants]
        selects += [f"cast({_quote(c)} as {casts[c]})" if c in casts else _quote(c) for c in columns]
        con.execute(f"insert into raw.{table} ({', '.join(_quote(n) for n in names)}) "
                    f"select {', '.join(selects)} from {view}", constants)
    finally:
        con.unregister(view)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quarantine_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame({
        "sheet_name": pd.Series([p.sheet_name for p in problems], dtype=object),
        "row_number": pd.Series([p.row_number for p in problems], dtype="Int64"),
        "column_name": pd.Series([p.column_name for p in problems], dtype=object),
        "raw_value": pd.Series([p.raw_value for p in problems], dtype=object),
        "reason_code": pd.Series([p.reason_code for p in problems], dtype=object),
        "reason": pd.Series([p.reason for p in problems], dtype=object),
        "raw_row": pd.Series([p.raw_row for p in problems], dtype=object),
    })


class MissingRawTable(RuntimeError):
    """A raw table the file needs does not exist yet (the warehouse was built before it was added)."""


def _require_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                         "and table_name = ?", [table]).fetchone()[0]
    if not exists:
        raise MissingRawTable(f"raw.{table} does not exist: run `policy-wh build` (the dbt on-run-start macros "
                              f"create it) before loading this file")


def write_file(con: duckdb.DuckDBPyConnection, outcome: FileValidation, *, sha: str, original_name: str,
               received_at: datetime, reported_by: str | None, partition_date: date, loaded_at: datetime) -> bool:
    """Append one validated file to raw, all in one transaction (the submission_files row goes last).

    Returns False (and writes nothing) if the file is already in raw.submission_files."""
    constants = {"file_sha256": sha, "file_name": original_name, "partition_date": partition_date,
                 "loaded_at": loaded_at}
    date_casts = {"partition_date": "date", "loaded_at": "timestamp"}
    con.execute("begin transaction")
    try:
        if _already_loaded(con, sha):       # another connection got there first: still exactly once
            con.execute("rollback")
            return False
        _insert_frame(con, "progress_reports", PROGRESS_COLUMNS, outcome.good_rows(PROGRESS), constants,
                      {"row_number": "integer", "report_date": "date", "percent_complete": "double", **date_casts})
        _insert_frame(con, "indicator_values", INDICATOR_COLUMNS, outcome.good_rows(INDICATORS), constants,
                      {"row_number": "integer", "period_start": "date", "period_end": "date", "value": "double",
                       **date_casts})
        readings = outcome.good_rows(AIR_QUALITY)
        if len(readings):
            _require_table(con, AIR_QUALITY_TABLE)
        _insert_frame(con, AIR_QUALITY_TABLE, AIR_QUALITY_COLUMNS, readings, constants,
                      {"row_number": "integer", "composite_index": "decimal(18,4)", **date_casts})
        _insert_frame(con, "quarantined_rows", QUARANTINE_COLUMNS, _quarantine_frame(outcome.problems), constants,
                      {"row_number": "integer", **date_casts})
        con.execute(
            "insert into raw.submission_files (file_sha256, original_name, received_at, reported_by, status, error, "
            "rows_total, rows_accepted, rows_quarantined, partition_date) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, original_name, received_at, reported_by, outcome.status, outcome.error, outcome.rows_total,
             outcome.rows_accepted, outcome.rows_quarantined, partition_date])
        con.execute("commit")
        return True
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass
        raise


def load_files(con: duckdb.DuckDBPyConnection, files: Iterable[str | Path], partition_date: date, today: date,
               *, reference: Reference | None = None, loaded_at: datetime | None = None) -> LoadResult:
    """Validate and append every file not yet in raw.submission_files; one transaction per file.

    ``files`` are inbox files (``<sha256>.<ext>`` with an optional ``<sha256>.json`` sidecar; any other
    path works too, its name then being the original name). ``today`` bounds "future" dates.
    Reference data is read once (or passed in). A file whose *validation* crashes is reported as
    ``failed`` and left for the next run; a database error rolls that file back and propagates.
    """
    result = LoadResult(partition_date=partition_date)
    paths = [Path(f) for f in files]
    if not paths:
        return result
    reference = reference or load_reference(con)
    known = {r[0] for r in con.execute("select distinct file_sha256 from raw.submission_files").fetchall()}
    stamp = loaded_at or local_now()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:            # vanished or unreadable: nothing recorded, retried next run
            result.files.append(FileOutcome(path, "", path.name, "failed", f"{type(error).__name__}: {error}"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        sidecar = read_sidecar(path)
        original_name = str(sidecar.get("original_name") or path.name)
        if sha in known:
            result.files.append(FileOutcome(path, sha, original_name, "already_loaded"))
            continue
        try:
            outcome = validate_file(data, original_name, reference, today)
        except Exception as error:  # a bug, not a bad file: keep the file for the next run
            log.exception("validating %s failed", path)
            result.files.append(FileOutcome(path, sha, original_name, "failed", f"{type(error).__name__}: {error}"))
            continue
        received_at = _parse_timestamp(sidecar.get("received_at")) or datetime.fromtimestamp(
            path.stat().st_mtime, LOCAL_TZ).replace(tzinfo=None)
        reported_by = outcome.reported_by_guess or sidecar.get("reported_by")
        written = write_file(con, outcome, sha=sha, original_name=original_name, received_at=received_at,
                             reported_by=reported_by, partition_date=partition_date, loaded_at=stamp)
        known.add(sha)
        if not written:
            result.files.append(FileOutcome(path, sha, original_name, "already_loaded"))
            continue
        result.files.append(FileOutcome(path, sha, original_name, outcome.status, outcome.error, outcome.rows_total,
                                        outcome.rows_accepted, outcome.rows_quarantined))
        result.partition_dates.add(partition_date)
        progress = outcome.good_rows(PROGRESS)
        if len(progress):
            result.report_dates.update(d.date() for d in pd.to_datetime(progress["report_date"]).dropna().unique())
        indicators = outcome.good_rows(INDICATORS)
        if len(indicators):
            pairs = indicators[["period_start", "period_end"]].drop_duplicates()
            result.periods.update((pd.Timestamp(s).date(), pd.Timestamp(e).date())
                                  for s, e in pairs.itertuples(index=False))
        readings = outcome.good_rows(AIR_QUALITY)
        if len(readings):
            for quarter, end in readings[["quarter", "quarter_end"]].drop_duplicates().itertuples(index=False):
                result.quarters[str(quarter)] = pd.Timestamp(end).date()
    return result


def _parse_timestamp(value: object) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return stamp
