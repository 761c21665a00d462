"""``policy-wh demo``: a complete, realistic run of the warehouse on a fresh machine.

Extract the seeds, build the reference warehouse through Dagster, generate 18 months of department
submissions (deterministic), submit them to the inbox day by day as the departments would have, run the
main daily job over the whole period as ONE Dagster run followed by its checks job (targets, deadlines),
and summarise what the office would see.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as day_time
from itertools import groupby
from pathlib import Path

import duckdb

from .submissions.formats import KINDS
from .settings import Settings
from .warehouse_summary import SubmissionReport

DEMO_START = date(2015, 7, 1)
DEMO_END = date(2016, 12, 31)


@dataclass
class DemoSummary:
    seconds: dict[str, float] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    rows_by_kind: dict[str, int] = field(default_factory=dict)     # accepted rows: progress | indicators | air_quality
    rows_quarantined: int = 0
    submissions: SubmissionReport | None = None                    # every file, with the quarantine's reasons
    as_of: date | None = None
    tasks_overdue: int = 0
    targets: dict[str, int] = field(default_factory=dict)
    table_counts: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        """Accepted rows of all three kinds (= raw.submission_files.rows_accepted summed)."""
        return sum(self.rows_by_kind.values())


def submit_demo_files(settings: Settings, demo_dir: Path, first: date = DEMO_START, last: date = DEMO_END) -> int:
    """Generate the demo submissions for first … last and put them in the inbox, one received day at a time."""
    from .demo_data import generate_demo_submissions
    from .submissions.inbox import submit

    if demo_dir.exists():
        shutil.rmtree(demo_dir)
    manifest = generate_demo_submissions(settings.seeds_dir, demo_dir, first, last)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        from .submissions.reference import load_reference

        reference = load_reference(con)
    for day, files in groupby(manifest.files, key=lambda f: f.received_on):
        files = list(files)
        submit([f.path for f in files], names=[f.name for f in files], inbox_dir=settings.inbox_dir,
               reference=reference, today=day, received_at=datetime.combine(day, day_time(9, 0)))
    return len(manifest.files)


def summarise(settings: Settings, summary: DemoSummary) -> DemoSummary:
    from .checks.frames import default_as_of
    from .warehouse_summary import submission_report, table_counts

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        summary.submissions = submission_report(con)
        summary.files = {status: sum(f.status == status for f in summary.submissions.files)
                         for status in ("accepted", "partially_accepted", "rejected")}
        summary.rows_by_kind = {kind: sum(f.rows_by_kind.get(kind, 0) for f in summary.submissions.files)
                                for kind in KINDS}
        summary.rows_quarantined = sum(f.rows_quarantined for f in summary.submissions.files)
        # the warehouse's one as-of day (dbt/macros/as_of_date.sql), also when no task is overdue
        summary.as_of = default_as_of(con)
        summary.tasks_overdue = con.execute("select count(*) from reports.rpt_overdue_tasks").fetchone()[0]
        summary.targets = dict(con.execute(
            "select attainment_status, count(*) from reports.rpt_target_attainment group by 1").fetchall())
    summary.table_counts = table_counts(settings.warehouse_path)
    return summary


def submissions_lines(summary: DemoSummary, indent: str = "  ") -> list[str]:
    """The demo summary's submissions section: files by status, accepted rows by kind, the quarantine by
    reason_code and every file not fully accepted with its first Chinese reasons (the same words as the
    Dagster step log and `policy-wh load`)."""
    report = summary.submissions or SubmissionReport()
    lines = [f"{indent}submissions in the warehouse (raw.submission_files, raw.quarantined_rows):"]
    lines += [indent * 2 + line for line in report.lines()]
    return lines


def run_demo(settings: Settings, progress=print) -> DemoSummary:
    from .dbt_runner import ensure_manifest
    from .extraction.pipeline import extract_to_seeds
    from .orchestration.runner import BUILD_JOB, CHECKS_JOB, DAILY_JOB, PUBLISH_JOB, run_daily, run_job

    summary = DemoSummary()
    clock = time.perf_counter()

    def lap(name: str) -> float:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = now - clock
        clock = now
        return summary.seconds[name]

    extraction = extract_to_seeds(settings.source_path, settings.seeds_dir)
    progress(f"1/5 extracted {len(extraction.documents)} documents, "
             f"{len(extraction.table('tasks').rows)} tasks, {len(extraction.table('targets').rows)} targets "
             f"into {settings.seeds_dir} ({lap('extract'):.1f} s)")
    ensure_manifest(settings)
    progress(f"2/5 parsed the dbt project ({lap('parse'):.1f} s)")
    run_job(settings, BUILD_JOB, quiet=True)
    progress(f"3/5 ran the Dagster job {BUILD_JOB} ({lap('build'):.1f} s)")
    files = submit_demo_files(settings, settings.data_dir / "demo_submissions")
    progress(f"4/5 generated and submitted {files} demo files for {DEMO_START} … {DEMO_END} "
             f"into {settings.inbox_dir} ({lap('submit'):.1f} s)")
    runs = run_daily(settings, DEMO_START, DEMO_END, quiet=True)
    progress(f"5/5 ran the Dagster job {DAILY_JOB} over {DEMO_START} … {DEMO_END} as one run, then {CHECKS_JOB} "
             f"and {PUBLISH_JOB} ({runs.load_run_id[:8]}, {runs.checks_run_id[:8]}, {runs.publish_run_id[:8]}; "
             f"{lap('load'):.1f} s)")
    return summarise(settings, summary)
