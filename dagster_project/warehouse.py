"""The DuckDB warehouse file as a Dagster resource, and the daily partitions of the loads.

DuckDB allows one writing process per file, so every write goes through :meth:`Warehouse.connect`,
which takes an exclusive lock file next to the database first: two runs started side by side
(a schedule and a manual backfill, say) wait for each other instead of failing on DuckDB's lock.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from .settings import load_settings

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = "2015-07-01"

# One partition per day of data, in Langfang's time zone, from the start of the documents' period.
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, timezone="Asia/Shanghai")


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


@contextmanager
def writer_lock(database: Path) -> Iterator[None]:
    """Hold the warehouse's writer lock (a sibling ``.lock`` file) for the duration of the block."""
    lock_path = database.with_name(database.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB file; by default POLICY_WH_DB (data/warehouse.duckdb), read when the run starts."""

    database: str = ""

    @property
    def path(self) -> Path:
        return Path(self.database) if self.database else load_settings().warehouse_path

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection, holding the writer lock."""
        with writer_lock(self.path):
            con = duckdb.connect(str(self.path))
            try:
                yield con
            finally:
                con.close()


def partition_dates(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """First and last day of the partitions this run materializes (one run may cover a range)."""
    window = context.partition_time_window
    return window.start.date(), (window.end - timedelta(days=1)).date()
