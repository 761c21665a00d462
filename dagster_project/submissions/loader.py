"""Appending inbox files to the raw tables: validate, then write in batches, each file exactly once.

Why this module: the daily job must be safe to rerun and safe to kill. A file's identity is the
SHA-256 of its bytes; a file already in ``raw.submission_files`` is skipped, so resending the same
content (or rerunning a day) is a no-op. Everything a file writes — its progress rows, indicator
rows, air-quality readings (each kind's table as declared in ``submissions/kinds/``; the loader creates
what is missing, :mod:`.raw_tables`), quarantine records and finally its ``raw.submission_files`` row — is
written inside one DuckDB transaction together with the other files of its batch (up to
:data:`BATCH_ROWS` rows: one commit per batch, not per file), so a process killed mid-way leaves
each file either wholly applied or not at all, and the next run applies it exactly once. Raw is
append-only: this module never updates or deletes; a correction is simply a later row.

Rows go in set-wise (a pandas DataFrame registered with DuckDB, then ``insert … select``), never a
statement per row; large UTF-8 progress CSVs are checked and appended inside DuckDB
(:mod:`.bulk_csv`). Timestamps (loaded_at, received_at) are Asia/Shanghai wall-clock time without a
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
import numpy as np
import pandas as pd

from .formats import AIR_QUALITY, INDICATORS, PROGRESS
from . import bulk_csv
from .kinds import KINDS
from ..raw_schema import Table
from .raw_tables import QUARANTINED_ROWS, SUBMISSION_FILES, ensure_submission_tables
from .inbox import read_sidecar
from .reference import Reference, load_reference
from .validation import (REASON_CODES, FileValidation, Problem, SheetValidation, unexpected_error,
                         validate_file)

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
log = logging.getLogger(__name__)

LOW_CARDINALITY = {"sheet_name", "task_id", "status", "reported_by", "org_id", "indicator_id", "region_code",
                   "period", "unit", "reason_code", "column_name", "station_id", "quarter"}
QUARANTINE_COLUMNS = ("sheet_name", "row_number", "column_name", "raw_value", "reason_code", "reason", "raw_row")


def local_now() -> datetime:
    """Now in Langfang, as a naive timestamp (the raw tables' timestamp columns carry no zone)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


# What each kind of accepted row is called in every report (the Dagster UI, `policy-wh load`, the demo).
ROW_KIND_LABELS: dict[str, str] = {
    PROGRESS: "progress rows (任务进展 → raw.progress_reports)",
    INDICATORS: "indicator rows (指标数据 → raw.indicator_values)",
    AIR_QUALITY: "air-quality rows (空气质量 → raw.air_quality_readings)",
}
STATUS_LABELS: dict[str, str] = {"accepted": "accepted", "partially_accepted": "partly accepted",
                                 "rejected": "rejected", "already_loaded": "already loaded", "failed": "failed"}
MAX_REASONS = 5             # Chinese messages kept (and shown) per file, per day; the rest are counted


@dataclass
class ProblemTally:
    """The quarantine records of one file (or of one file on one data day): counted by reason_code, with
    the first :data:`MAX_REASONS` Chinese messages kept for the reports."""

    rows: int = 0               # distinct rows quarantined (a file-level problem quarantines no row)
    problems: int = 0           # quarantine records: one per problem, a row may have several
    by_reason: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[str, str]] = field(default_factory=list)    # (reason_code, Chinese reason), the first few

    @property
    def reasons(self) -> list[str]:
        return [reason for _, reason in self.examples]

    def add(self, problem: Problem, new_row: bool) -> None:
        self.problems += 1
        self.rows += int(new_row)
        self.by_reason[problem.reason_code] = self.by_reason.get(problem.reason_code, 0) + 1
        if len(self.examples) < MAX_REASONS:
            self.examples.append((problem.reason_code, problem.reason))

    def merge(self, other: "ProblemTally") -> None:
        self.rows += other.rows
        self.problems += other.problems
        for code, n in other.by_reason.items():
            self.by_reason[code] = self.by_reason.get(code, 0) + n
        self.examples.extend(other.examples[: max(0, MAX_REASONS - len(self.examples))])


@dataclass
class FileOutcome:
    """What happened to one file in this load."""

    path: Path
    file_sha256: str
    original_name: str
    status: str                 # accepted | partially_accepted | rejected | already_loaded | failed
    error: str | None = None    # the file-level Chinese message (rejected files only); row reasons: quarantine
    rows_total: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    received_at: datetime | None = None
    error_code: str | None = None   # the code of ``error``: a file-level reason code, or no_valid_rows
    rows_by_kind: dict[str, int] = field(default_factory=dict)     # accepted rows: progress | indicators | air_quality
    quarantine: ProblemTally = field(default_factory=ProblemTally)   # every problem of the file, with reasons
    # the same problems by data day (see :func:`_tally_problems`); the load's per-partition reports read it
    quarantine_by_day: dict[date, ProblemTally] = field(default_factory=dict)

    @property
    def applied(self) -> bool:
        return self.status in ("accepted", "partially_accepted", "rejected")

    @property
    def received_day(self) -> date | None:
        return self.received_at.date() if self.received_at else None


@dataclass
class LoadResult:
    """The files of one load, and what they touched (the job rebuilds only these days)."""

    partition_date: date
    files: list[FileOutcome] = field(default_factory=list)
    report_dates: set[date] = field(default_factory=set)           # progress rows' report_date
    periods: set[tuple[date, date]] = field(default_factory=set)   # indicator rows' (period_start, period_end)
    partition_dates: set[date] = field(default_factory=set)        # load days that got new raw rows
    quarters: dict[str, date] = field(default_factory=dict)        # air-quality quarters loaded → quarter's last day
    loaded_at: datetime | None = None                              # the loaded_at stamp of every row this load wrote

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

    def rows_by_kind(self) -> dict[str, int]:
        """Accepted rows of the applied files by kind (progress, indicators, air_quality)."""
        return {kind: sum(f.rows_by_kind.get(kind, 0) for f in self.files) for kind in KINDS}

    def quarantine(self) -> ProblemTally:
        """Every quarantine record of this load (reasons: the first few of the first files only)."""
        total = ProblemTally()
        for outcome in self.files:
            total.merge(outcome.quarantine)
        return total

    def summary(self) -> dict[str, object]:
        """Plain values for Dagster metadata / logs. ``rows_accepted`` is all three kinds together."""
        kinds = self.rows_by_kind()
        quarantine = self.quarantine()
        return {
            "files_applied": len(self.applied), "files_skipped": len(self.skipped), "files_failed": len(self.failed),
            "files_by_status": {status: sum(f.status == status for f in self.files)
                                for status in ("accepted", "partially_accepted", "rejected")},
            "rows_accepted": sum(f.rows_accepted for f in self.files),
            "rows_progress": kinds[PROGRESS], "rows_indicators": kinds[INDICATORS],
            "rows_air_quality": kinds[AIR_QUALITY],
            "rows_quarantined": sum(f.rows_quarantined for f in self.files),
            "problems": quarantine.problems,
            "problems_by_reason": dict(sorted(quarantine.by_reason.items())),
            "report_dates": sorted(d.isoformat() for d in self.report_dates),
            "periods": sorted(f"{s.isoformat()}..{e.isoformat()}" for s, e in self.periods),
            "quarters": sorted(self.quarters),
            "partition_dates": sorted(d.isoformat() for d in self.partition_dates),
        }


def report_lines(files: Sequence[FileOutcome], *, skipped: int = 0, failed: int = 0,
                 per_file: int = MAX_REASONS, indent: str = "  ") -> list[str]:
    """The load (or the warehouse) in words: files by status, accepted rows by kind, quarantined rows and
    problems by reason_code, then every file not fully accepted with its first ``per_file`` Chinese
    reasons ("… N more"). The same text in the Dagster step log, ``policy-wh load`` and ``policy-wh demo``."""
    applied = [f for f in files if f.applied]
    status = {s: sum(f.status == s for f in applied) for s in ("accepted", "partially_accepted", "rejected")}
    kinds = {kind: sum(f.rows_by_kind.get(kind, 0) for f in applied) for kind in KINDS}
    quarantine = ProblemTally()
    for outcome in applied:
        quarantine.merge(outcome.quarantine)
    rows_quarantined = sum(f.rows_quarantined for f in applied)
    others = "".join(f"; {n:,} {label}" for n, label in ((skipped, "already loaded (skipped)"), (failed, "failed "
                     "(left in the inbox)")) if n)
    lines = [
        f"files: {len(applied):,} loaded — {status['accepted']:,} accepted, {status['partially_accepted']:,} partly "
        f"accepted, {status['rejected']:,} rejected{others}",
        f"rows accepted: {sum(kinds.values()):,} = " + " + ".join(f"{kinds[k]:,} {ROW_KIND_LABELS[k]}" for k in KINDS),
        f"rows quarantined: {rows_quarantined:,} (raw.quarantined_rows: {quarantine.problems:,} record(s) — one per "
        f"problem, a row may have several; a rejected file's own reason is a record too)",
    ]
    if quarantine.by_reason:
        lines.append("problems by reason_code: " + ", ".join(
            f"{code} {n:,} ({REASON_CODES.get(code, code)})" for code, n in
            sorted(quarantine.by_reason.items(), key=lambda item: (-item[1], item[0]))))
    flagged = sorted((f for f in applied if f.status in ("partially_accepted", "rejected")),
                     key=lambda f: (f.received_at or datetime.min, f.original_name, f.file_sha256))
    if flagged:
        lines.append(f"{len(flagged):,} file(s) not fully accepted:")
    for outcome in flagged:
        lines.extend(indent + line for line in file_problem_lines(outcome, per_file=per_file, indent=indent))
    return lines


def file_problem_lines(outcome: FileOutcome, *, per_file: int = MAX_REASONS, indent: str = "  ") -> list[str]:
    """One file not fully accepted: its status, counts, reason codes and first Chinese reasons."""
    tally = outcome.quarantine
    codes = ", ".join(f"{code} {n}" for code, n in sorted(tally.by_reason.items(), key=lambda i: (-i[1], i[0])))
    head = (f"{outcome.original_name}: {STATUS_LABELS.get(outcome.status, outcome.status)} — "
            f"{outcome.rows_accepted:,} row(s) accepted, {outcome.rows_quarantined:,} quarantined"
            + (f"; {codes}" if codes else ""))
    reasons = [outcome.error] if outcome.error and outcome.error not in tally.reasons else []
    reasons += tally.reasons
    shown = reasons[:per_file]
    lines = [head] + [indent + reason for reason in shown]
    more = tally.problems - (len(shown) - min(len(reasons) - len(tally.reasons), len(shown)))
    if more > 0:
        lines.append(f"{indent}… {more:,} more (all in raw.quarantined_rows)")
    return lines


def loaded_rows_by_day(con: duckdb.DuckDBPyConnection, result: LoadResult) -> pd.DataFrame:
    """The rows this load appended, counted by file, kind and data day (each kind's declared data day: a
    progress row's report_date, an indicator row's period end, an air-quality reading's quarter end).
    Read back from raw (the bulk path's good rows never pass through pandas); the load's own stamp
    ``loaded_at`` selects them, so the zone maps skip the older row groups."""
    empty = pd.DataFrame({"file_sha256": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                          "day": pd.Series([], dtype=object), "rows": pd.Series([], dtype="int64")})
    if result.loaded_at is None or not result.applied:
        return empty
    parts = [f"select file_sha256, '{name}' as kind, {kind.data_day.sql} as day from raw.{kind.table.name} "
             "where loaded_at = $stamp" for name, kind in KINDS.items()]
    frame = con.execute(f"select file_sha256, kind, day, count(*) as rows from ({' union all '.join(parts)}) "
                        f"group by all order by all", {"stamp": result.loaded_at}).df()
    if frame.empty:
        return empty
    frame["day"] = [pd.Timestamp(d).date() for d in frame["day"]]
    return frame


BATCH_ROWS = 250_000        # rows written per transaction: bounds memory; one commit per batch, not per file
BATCH_FILES = 1_000
# bulk-path files checked together in DuckDB: at most this many bytes, or files (each file is a read_csv
# in one query, with its own buffers)
BULK_GROUP_BYTES = 64 * 1024 * 1024
BULK_GROUP_FILES = 200


@dataclass
class _Queued:
    """A file read and hashed, waiting to be checked."""

    position: int               # in the load's list of files (LoadResult.files keeps that order)
    path: Path
    data: bytes
    sha: str
    original_name: str
    received_at: datetime
    reported_by: str | None
    bulk_file: "bulk_csv.BulkFile | None"


@dataclass
class PendingFile:
    """A validated file waiting to be written in the next batch."""

    sha: str
    original_name: str
    outcome: FileValidation
    received_at: datetime
    reported_by: str | None
    entry: FileOutcome          # the file's line in LoadResult.files (status fixed when the batch is written)
    bulk: bool = False          # checked by the bulk path: its certainly-good rows are still in DuckDB
    report_dates: frozenset[date] = frozenset()

    @property
    def rows(self) -> int:
        return self.outcome.rows_total + len(self.outcome.problems)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], frame: pd.DataFrame,
                  constants: dict[str, object], casts: dict[str, str]) -> None:
    """insert into raw.<table> (constants + columns) select … from the registered DataFrame."""
    if frame.empty:
        return
    view = f"_pw_{table}_rows"
    frame = frame.copy(deep=False)
    for column in LOW_CARDINALITY.intersection(frame.columns):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = pd.Categorical(frame[column])   # DuckDB scans a category's codes, not 10⁶ str objects
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


def _problems_of(files: Sequence[PendingFile]) -> pd.DataFrame:
    """The quarantine records of several files in one frame, tagged with their file (built once, not per file)."""
    owners = [(f.sha, f.original_name, p) for f in files for p in f.outcome.problems]
    frame = _quarantine_frame([p for _, _, p in owners])
    frame["file_sha256"] = pd.Series([sha for sha, _, _ in owners], dtype=object)
    frame["file_name"] = pd.Series([name for _, name, _ in owners], dtype=object)
    return frame


def _stacked(files: Sequence[PendingFile], rows_of) -> pd.DataFrame:
    """The rows of several files in one frame, each row tagged with its file (file_sha256, file_name)."""
    frames = [rows_of(f) for f in files]
    lengths = [len(frame) for frame in frames]
    if not any(lengths):
        return frames[0] if frames else pd.DataFrame()
    stacked = pd.concat([frame for frame in frames if len(frame)], ignore_index=True) \
        if sum(1 for n in lengths if n) > 1 else next(frame for frame in frames if len(frame)).reset_index(drop=True)
    owner = np.repeat(np.arange(len(files)), lengths)
    stacked["file_sha256"] = pd.Categorical.from_codes(owner, categories=[f.sha for f in files])
    names = list(dict.fromkeys(f.original_name for f in files))
    name_codes = np.array([names.index(f.original_name) for f in files])
    stacked["file_name"] = pd.Categorical.from_codes(name_codes[owner], categories=names)
    return stacked


_FILE_COLUMNS = ("file_sha256", "file_name")


def _casts(table: Table) -> dict[str, str]:
    """Column → its declared type, for the columns that are not text (the frames hold Python values)."""
    return {c.name: c.type for c in table.columns if c.type != "varchar"}


def write_files(con: duckdb.DuckDBPyConnection, files: Sequence[PendingFile], *, partition_date: date,
                loaded_at: datetime) -> set[str]:
    """Append validated files to raw in ONE transaction (their submission_files rows last); return the
    SHA-256 of the files written. Files another connection loaded meanwhile are left out (exactly once);
    a failure rolls the whole batch back, so every file is still all-or-nothing."""
    if not files:
        return set()
    constants = {"partition_date": partition_date, "loaded_at": loaded_at}
    con.execute("begin transaction")
    try:
        shas = [f.sha for f in files]
        done = {r[0] for r in con.execute(
            "select file_sha256 from raw.submission_files where file_sha256 in (select unnest(?::varchar[]))",
            [shas]).fetchall()}
        todo = [f for f in files if f.sha not in done]
        if not todo:
            con.execute("rollback")
            return set()
        bulk_shas = [f.sha for f in todo if f.bulk]
        if bulk_shas:
            bulk_csv.insert_good_rows(con, bulk_shas, partition_date=partition_date, loaded_at=loaded_at)
        for kind in KINDS.values():
            _insert_frame(con, kind.table.name, _FILE_COLUMNS + kind.stored_columns,
                          _stacked(todo, lambda f, name=kind.name: f.outcome.good_rows(name)), constants, _casts(kind.table))
        _insert_frame(con, QUARANTINED_ROWS.name, _FILE_COLUMNS + QUARANTINE_COLUMNS,
                      _problems_of(todo), constants, _casts(QUARANTINED_ROWS))
        submitted = pd.DataFrame({
            "file_sha256": [f.sha for f in todo], "original_name": [f.original_name for f in todo],
            "received_at": pd.Series([f.received_at for f in todo], dtype="datetime64[us]"),
            "reported_by": pd.Series([f.reported_by for f in todo], dtype=object),
            "status": [f.outcome.status for f in todo], "error": pd.Series([f.outcome.error for f in todo], dtype=object),
            "rows_total": [f.outcome.rows_total for f in todo], "rows_accepted": [f.outcome.rows_accepted for f in todo],
            "rows_quarantined": [f.outcome.rows_quarantined for f in todo],
        })
        _insert_frame(con, SUBMISSION_FILES.name, tuple(submitted.columns), submitted, {"partition_date": partition_date},
                      _casts(SUBMISSION_FILES))
        con.execute("commit")
        return {f.sha for f in todo}
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass
        raise


def load_files(con: duckdb.DuckDBPyConnection, files: Iterable[str | Path], partition_date: date, today: date,
               *, reference: Reference | None = None, loaded_at: datetime | None = None,
               bulk_min_bytes: int | None = bulk_csv.BULK_MIN_BYTES) -> LoadResult:
    """Validate and append every file not yet in raw.submission_files.

    ``files`` are inbox files (``<sha256>.<ext>`` with an optional ``<sha256>.json`` sidecar; any other
    path works too, its name then being the original name). ``today`` bounds "future" dates.
    Reference data is read once (or passed in). Validated files are written in batches of up to
    :data:`BATCH_ROWS` rows, one transaction per batch: a file is never half-applied, and a batch
    killed mid-way is applied whole by the next run. Whatever goes wrong while one file is read or
    checked is that file's problem, never the load's: an exception of any type from the bulk path
    sends its files row by row, and one from the row-by-row path rejects the file
    (``unexpected_error``, recorded in raw.submission_files, so no later load tries it again) while
    the other files load. Only a file that cannot be read from disk is ``failed`` (left for the
    next run); a database error rolls its batch back and propagates.
    UTF-8 progress CSVs are checked inside DuckDB (:mod:`.bulk_csv`, same rules and messages) when
    enough of them come together: ``bulk_min_bytes`` bytes, or BULK_MIN_FILES files (None: never).
    """
    result = LoadResult(partition_date=partition_date)
    paths = [Path(f) for f in files]
    if not paths:
        return result
    ensure_submission_tables(con)
    reference = reference or load_reference(con, with_text=False)
    known = {r[0] for r in con.execute("select distinct file_sha256 from raw.submission_files").fetchall()}
    stamp = loaded_at or local_now()
    result.loaded_at = stamp
    batch: list[PendingFile] = []

    def flush() -> None:
        written = write_files(con, batch, partition_date=partition_date, loaded_at=stamp)
        pending_rows[0] = 0
        for pending in batch:
            if pending.sha not in written:
                pending.entry.status = "already_loaded"
                pending.entry.rows_total = pending.entry.rows_accepted = pending.entry.rows_quarantined = 0
                pending.entry.rows_by_kind, pending.entry.error, pending.entry.error_code = {}, None, None
                pending.entry.quarantine, pending.entry.quarantine_by_day = ProblemTally(), {}
        if written:
            result.partition_dates.add(partition_date)
            _note_data_days(result, [p for p in batch if p.sha in written])
        batch.clear()

    queued: list[_Queued] = []          # bulk-path candidates, checked together
    slots: list[FileOutcome | None] = [None] * len(paths)     # each file's outcome, in the order given
    pending_rows = [0]                  # rows of the row-by-row files in the batch

    def admit(item: _Queued, outcome: FileValidation, report_dates: frozenset[date] = frozenset(),
              bulk: bool = False) -> None:
        """Add a checked file to the batch (a bulk group is written whole, when the group is done)."""
        try:
            entry, guess = _entry(item, outcome, report_dates, bulk)
        except Exception as error:      # the outcome itself trips the report: the file is rejected, the load goes on
            outcome, report_dates, bulk = unexpected_error(item.original_name, error), frozenset(), False
            entry, guess = _entry(item, outcome, report_dates, bulk)
        slots[item.position] = entry
        batch.append(PendingFile(item.sha, item.original_name, outcome, item.received_at,
                                 guess or item.reported_by, entry, bulk=bulk, report_dates=report_dates))
        if not bulk:
            pending_rows[0] += batch[-1].rows
            if pending_rows[0] >= BATCH_ROWS or len(batch) >= BATCH_FILES:
                flush()

    def check_row_by_row(item: _Queued) -> None:
        try:
            outcome = validate_file(item.data, item.original_name, reference, today)
        except Exception as error:  # whatever it is, it is this file's: rejected and recorded, the load goes on
            outcome = unexpected_error(item.original_name, error)      # (logged there, with the traceback)
        admit(item, outcome)

    def check_queued() -> None:
        """The queued bulk candidates, together in DuckDB; one at a time if that fails, then row by row.

        A group too small to pay for the SQL set-up (fewer than BULK_MIN_FILES files and fewer than
        ``bulk_min_bytes`` bytes) is checked row by row straight away."""
        group_bytes = sum(len(q.data) for q in queued)
        if len(queued) < bulk_csv.BULK_MIN_FILES and group_bytes < (bulk_min_bytes or 0):
            items = queued[:]
            queued.clear()
            for item in items:
                check_row_by_row(item)
            return
        groups = [queued[:]] if len(queued) > 1 else [[q] for q in queued]
        queued.clear()
        while groups:
            group = groups.pop(0)
            try:
                outcomes = bulk_csv.validate_bulk(con, [q.bulk_file for q in group], reference, today)
                checked = [(item, outcomes[item.sha]) for item in group]
            except Exception as error:  # BulkMismatch, or anything else the bulk reader hits: row by row decides
                bulk_csv.drop_work_tables(con)
                if len(group) > 1:
                    groups[:0] = [[q] for q in group]
                    continue
                log.warning("bulk path not usable for %s, checking it row by row: %s", group[0].original_name, error)
                check_row_by_row(group[0])
                continue
            try:
                for item, outcome in checked:
                    admit(item, outcome.validation, frozenset(outcome.report_dates), bulk=True)
                if batch:
                    flush()                     # while the group's rows are still in DuckDB
            finally:
                bulk_csv.drop_work_tables(con)

    try:
        for position, path in enumerate(paths):
            try:
                data = path.read_bytes()
            except OSError as error:            # vanished or unreadable: nothing recorded, retried next run
                slots[position] = FileOutcome(path, "", path.name, "failed", f"{type(error).__name__}: {error}")
                continue
            sha = hashlib.sha256(data).hexdigest()
            sidecar = read_sidecar(path)
            original_name = str(sidecar.get("original_name") or path.name)
            if sha in known:
                slots[position] = FileOutcome(path, sha, original_name, "already_loaded")
                continue
            known.add(sha)
            received_at = _parse_timestamp(sidecar.get("received_at")) or datetime.fromtimestamp(
                path.stat().st_mtime, LOCAL_TZ).replace(tzinfo=None)
            plan = bulk_csv.bulk_plan(data) if bulk_min_bytes is not None else None
            item = _Queued(position, path, data, sha, original_name, received_at, sidecar.get("reported_by"),
                           bulk_csv.BulkFile(path, plan, original_name, sha) if plan else None)
            if item.bulk_file is not None:
                queued.append(item)
                if len(queued) >= BULK_GROUP_FILES or sum(len(q.data) for q in queued) >= BULK_GROUP_BYTES:
                    check_queued()
                continue
            if queued:
                check_queued()                  # keep the files' order
            check_row_by_row(item)
        if queued:
            check_queued()
        if batch:
            flush()
    finally:
        bulk_csv.release(con)       # the bulk path's temporary tables
        result.files = [slot for slot in slots if slot is not None]
    return result


def _entry(item: _Queued, outcome: FileValidation, report_dates: frozenset[date],
           bulk: bool) -> tuple[FileOutcome, str | None]:
    """A checked file's line in the load's report, and the 填报单位 it most often names."""
    entry = FileOutcome(item.path, item.sha, item.original_name, outcome.status, outcome.error,
                        outcome.rows_total, outcome.rows_accepted, outcome.rows_quarantined,
                        received_at=item.received_at, error_code=outcome.error_code)
    _tally_problems(entry, outcome, report_dates, bulk)
    return entry, outcome.reported_by_guess


def _tally_problems(entry: FileOutcome, outcome: FileValidation, bulk_report_dates: frozenset[date],
                    bulk: bool) -> None:
    """Fill a file's report fields: accepted rows by kind, and its problems counted by reason_code, with
    the first Chinese messages, in total and by data day.

    A quarantined row's data day is the one its own date cell gives (填报日期; the last day of its 统计期
    or 季度) when that cell is filled and is not itself what is wrong with the row; otherwise — and for a
    rejected file's own reason — it is the file's latest data day among its accepted rows, or, for a file
    with none, the day the file was received. Reporting only: nothing here changes what is written."""
    if bulk:      # a bulk file is one progress CSV; its certainly-good rows never left DuckDB
        entry.rows_by_kind = {PROGRESS: outcome.rows_accepted}
    else:
        entry.rows_by_kind = {kind: sum(s.rows_accepted for s in outcome.sheets if s.sheet.kind == kind)
                              for kind in KINDS}
    problems = outcome.problems
    if not problems:
        return
    fallback = _latest_data_day(outcome, bulk_report_dates) or entry.received_day or date.min
    by_day = entry.quarantine_by_day
    seen: set[tuple[str | None, int | None]] = set()

    def note(problem: Problem, day: date) -> None:
        key = (problem.sheet_name, problem.row_number)
        new_row = problem.row_number is not None and key not in seen
        seen.add(key)
        entry.quarantine.add(problem, new_row)
        by_day.setdefault(day, ProblemTally()).add(problem, new_row)

    for problem in outcome.file_problems:
        note(problem, fallback)
    for sheet in outcome.sheets:
        days = _problem_days(sheet)
        for problem in sheet.problems:
            note(problem, days.get(problem.row_number) or fallback)


def _latest_data_day(outcome: FileValidation, extra: Iterable[date]) -> date | None:
    """The latest data day among a file's accepted rows (``extra``: the bulk path's report dates)."""
    days = set(extra)
    for sheet in outcome.sheets:
        good, column = sheet.good, KINDS[sheet.sheet.kind].data_day.good_column
        if len(good) and column in good.columns:
            latest = pd.to_datetime(good[column], errors="coerce").max()
            if not pd.isna(latest):
                days.add(pd.Timestamp(latest).date())
    return max(days, default=None)


def _problem_days(checked: SheetValidation) -> dict[int, date | None]:
    """row_number → the data day its own date cell gives, for the sheet's quarantined rows (None: the date
    cell is empty, unreadable or itself has a problem)."""
    sheet = checked.sheet
    data_day = KINDS[sheet.kind].data_day
    name, parse = data_day.field, data_day.parse
    bad_cells: dict[int, set[str | None]] = {}
    for problem in checked.problems:
        if problem.row_number is not None:
            bad_cells.setdefault(problem.row_number, set()).add(problem.column_name)
    if not bad_cells:
        return {}
    numbers = sheet.row_numbers.to_numpy()
    cells = sheet.column(name)
    days: dict[int, date | None] = {}
    for position in np.flatnonzero(np.isin(numbers, np.fromiter(bad_cells, dtype=numbers.dtype))):
        row_number = int(numbers[position])
        text = cells.iat[position]
        if not text or name in bad_cells[row_number]:
            days[row_number] = None
        else:
            days[row_number] = parse(text)
    return days


def _note_data_days(result: LoadResult, written: Sequence[PendingFile]) -> None:
    """Record the report dates, indicator periods and air-quality quarters the written files carry."""
    for pending in written:
        result.report_dates.update(pending.report_dates)
        progress = pending.outcome.good_rows(PROGRESS)
        if len(progress):
            result.report_dates.update(d.date() for d in pd.to_datetime(progress["report_date"]).dropna().unique())
        indicators = pending.outcome.good_rows(INDICATORS)
        if len(indicators):
            pairs = indicators[["period_start", "period_end"]].drop_duplicates()
            result.periods.update((pd.Timestamp(s).date(), pd.Timestamp(e).date())
                                  for s, e in pairs.itertuples(index=False))
        readings = pending.outcome.good_rows(AIR_QUALITY)
        if len(readings):
            for quarter, end in readings[["quarter", "quarter_end"]].drop_duplicates().itertuples(index=False):
                result.quarters[str(quarter)] = pd.Timestamp(end).date()


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
