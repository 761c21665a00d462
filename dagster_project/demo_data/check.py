"""Feed generated submissions through the real inbox and loader, day by day, and time it.

``load_demo`` builds a DuckDB file with the seeds as ``raw.*`` tables (every column varchar, as
:mod:`dagster_project.submissions.reference` reads them) plus the raw submission tables from
their declarations (``submissions/raw_tables.py``), then for each received day:
``submit`` that day's files into an inbox (today = that day) and ``load_files`` what submit stored (partition_date = today = that day).
A resent file is stored once by submit; loading its stored path again reports ``already_loaded``.
"""
from __future__ import annotations

import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from itertools import groupby
from pathlib import Path

import duckdb

from ..submissions.inbox import submit
from ..submissions.loader import load_files
from ..submissions.raw_tables import ensure_submission_tables
from ..submissions.reference import load_reference
from .generate import DemoManifest
from .model import load_seed_tables


def prepare_database(con: duckdb.DuckDBPyConnection, seeds_dir: Path) -> None:
    load_seed_tables(con, seeds_dir)
    ensure_submission_tables(con)


@dataclass
class DemoLoadReport:
    files: int = 0
    submit_seconds: float = 0.0
    load_seconds: float = 0.0
    submit_status: Counter = field(default_factory=Counter)      # accepted | partially_accepted | rejected
    submit_duplicates: int = 0
    load_status: Counter = field(default_factory=Counter)        # … | already_loaded | failed
    by_name: dict[str, str] = field(default_factory=dict)        # generated file name → load status
    rows: dict[str, int] = field(default_factory=dict)           # raw table → rows

    def summary(self) -> str:
        return (f"{self.files} files: submit {self.submit_seconds:.1f}s, load {self.load_seconds:.1f}s; "
                f"submit {dict(self.submit_status)} ({self.submit_duplicates} duplicates); "
                f"load {dict(self.load_status)}; rows {self.rows}")


def load_demo(manifest: DemoManifest, db_path: Path, inbox_dir: Path, seeds_dir: Path) -> DemoLoadReport:
    """Submit and load every file of the manifest, one received day at a time; see the module docstring."""
    report = DemoLoadReport(files=len(manifest.files))
    with duckdb.connect(str(db_path)) as con:
        prepare_database(con, seeds_dir)
        reference = load_reference(con)
        for day, group in groupby(manifest.files, key=lambda f: f.received_on):
            group = list(group)
            started = clock.perf_counter()
            results = submit([f.path for f in group], inbox_dir=inbox_dir, reference=reference, today=day,
                             received_at=datetime.combine(day, time(17, 0)))
            report.submit_seconds += clock.perf_counter() - started
            report.submit_status.update(r.status for r in results)
            report.submit_duplicates += sum(r.duplicate for r in results)
            stored = [r.stored_path for r in results]
            started = clock.perf_counter()
            loaded = load_files(con, stored, partition_date=day, today=day, reference=reference,
                                loaded_at=datetime.combine(day, time(23, 0)))
            report.load_seconds += clock.perf_counter() - started
            for demo_file, outcome in zip(group, loaded.files):
                report.load_status[outcome.status] += 1
                report.by_name[demo_file.name] = outcome.status
        for table in ("submission_files", "progress_reports", "indicator_values", "air_quality_readings",
                      "quarantined_rows"):
            report.rows[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return report
