"""Read-only look at the built warehouse: table sizes, and what the submissions brought — files by status,
accepted rows by kind, the quarantine with its Chinese reasons — for ``policy-wh demo`` and ``policy-wh load``.

The quarantine report reads raw (``raw.submission_files``, the row tables and ``raw.quarantined_rows``)
and is printed by :func:`~dagster_project.submissions.loader.report_lines`, the function that writes the
same report into the Dagster step log from the load itself, so the numbers and words agree everywhere.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb

from .submissions.kinds import KINDS
from .submissions.loader import MAX_REASONS, FileOutcome, report_lines

ROW_TABLES = {name: kind.table.name for name, kind in KINDS.items()}      # each kind's declared raw table


def table_counts(warehouse_path: Path) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every table and view in the warehouse's own schemas."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        names = con.execute(
            """
            select table_schema, table_name from information_schema.tables
            where table_schema in ('raw', 'staging', 'marts', 'reports')
            order by table_schema, table_name
            """
        ).fetchall()
        return [
            (schema, name, con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in names
        ]


@dataclass
class SubmissionReport:
    """The submitted files of the warehouse (or of one load run), as the loader reports them."""

    files: list[FileOutcome] = field(default_factory=list)
    skipped: int = 0                    # a run's files that were already loaded (raw.load_runs.files_skipped)
    run_id: str | None = None

    def lines(self, per_file: int = MAX_REASONS) -> list[str]:
        return report_lines(self.files, skipped=self.skipped, per_file=per_file)

    @property
    def flagged(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status in ("partially_accepted", "rejected")]


def _existing(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}


def submission_report(con: duckdb.DuckDBPyConnection, run_id: str | None = None,
                      per_file: int = MAX_REASONS) -> SubmissionReport:
    """Every file in raw.submission_files — or only those the Dagster run ``run_id`` loaded (its rows carry
    the stamp raw.load_runs.loaded_at records) — with accepted rows by kind and, for each file, its
    problems by reason_code and its first ``per_file`` Chinese reasons (in the order they were written)."""
    existing = _existing(con)
    if "submission_files" not in existing:
        return SubmissionReport(run_id=run_id)
    row_tables = {kind: table for kind, table in ROW_TABLES.items() if table in existing}
    params: dict[str, object] = {}
    if run_id is None:
        where = ""
        skipped = 0
    else:
        params["run"] = run_id
        stamps = "loaded_at in (select loaded_at from raw.load_runs where run_id = $run)"
        union = " union ".join(f"select file_sha256 from raw.{table} where {stamps}"
                               for table in [*row_tables.values(), "quarantined_rows"])
        where = f"where file_sha256 in ({union})"
        skipped = int(con.execute("select coalesce(sum(files_skipped), 0) from raw.load_runs where run_id = $run",
                                  params).fetchone()[0])
    files: dict[str, FileOutcome] = {}
    for sha, name, status, error, total, accepted, quarantined, received_at in con.execute(
            f"select file_sha256, original_name, status, error, rows_total, rows_accepted, rows_quarantined, "
            f"received_at from raw.submission_files {where} order by received_at, original_name, file_sha256",
            params).fetchall():
        files[sha] = FileOutcome(Path(name), sha, name, status, error, total, accepted, quarantined,
                                 received_at=received_at, rows_by_kind={kind: 0 for kind in ROW_TABLES})
    for kind, table in row_tables.items():
        for sha, rows in con.execute(f"select file_sha256, count(*) from raw.{table} {where} group by 1",
                                     params).fetchall():
            if sha in files:
                files[sha].rows_by_kind[kind] = rows
    if "quarantined_rows" in existing:
        for sha, code, problems in con.execute(
                f"select file_sha256, reason_code, count(*) from raw.quarantined_rows {where} group by all "
                f"order by all", params).fetchall():
            if sha in files:
                tally = files[sha].quarantine
                tally.problems += problems
                tally.by_reason[code] = problems
        for sha, rows in con.execute(
                f"select file_sha256, count(distinct (sheet_name, row_number)) from raw.quarantined_rows {where} "
                f"{'and' if where else 'where'} row_number is not null group by 1", params).fetchall():
            if sha in files:
                files[sha].quarantine.rows = rows
        for sha, code, reason in con.execute(
                f"""select file_sha256, reason_code, reason from (
                        select file_sha256, reason_code, reason, row_number() over (
                            partition by file_sha256 order by position) as n
                        from (select *, rowid as position from raw.quarantined_rows {where}))
                    where n <= {int(per_file)} order by file_sha256, n""", params).fetchall():
            if sha in files:
                files[sha].quarantine.examples.append((code, reason))
    for outcome in files.values():
        if outcome.error and outcome.error not in outcome.quarantine.reasons:
            outcome.error_code = "no_valid_rows"    # the one file-level message that is not a quarantine record
    return SubmissionReport(list(files.values()), skipped, run_id)


@contextmanager
def read_only(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the working warehouse, taken under the writer lock (so no load is writing)."""
    from .warehouse import writer_lock

    with writer_lock(warehouse_path):
        with duckdb.connect(str(warehouse_path), read_only=True) as con:
            yield con


def run_report(warehouse_path: Path, run_id: str, per_file: int = MAX_REASONS) -> SubmissionReport:
    """What one Dagster ``daily_load`` run loaded (its files, rows and quarantine)."""
    with read_only(warehouse_path) as con:
        return submission_report(con, run_id, per_file)


__all__ = ["SubmissionReport", "read_only", "run_report", "submission_report", "table_counts"]
