"""The DuckDB warehouse file as a Dagster resource, and the daily partitions of the loads.

DuckDB allows one writing process per file, so every write goes through :meth:`Warehouse.connect`,
which takes an exclusive lock file next to the database first: two runs started side by side
(a schedule and a manual backfill, say) wait for each other instead of failing on DuckDB's lock.

The lock is an ``flock`` on ``<database>.lock``: the kernel releases it when its holder dies, however it
dies, so a killed writer never leaves it taken. While held, the file names its holder (pid, host, boot
id, process start, since when, command); a writer that has to wait says whom it waits for, and
``policy-wh recover`` reports a lock file a killed holder left (the file is emptied on release).
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
from contextlib import contextmanager
from datetime import date, datetime
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


def lock_path(database: Path) -> Path:
    """The writer lock file of a DuckDB file: ``<name>.lock`` beside it."""
    return database.with_name(database.name + ".lock")


def read_lock_holder(path: Path) -> dict | None:
    """The holder a lock file names (None if it names nobody: free, or written by an older version)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _open_lock(database: Path) -> tuple[int, Path]:
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    # not "w": opening must not truncate the record of the process that holds it
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644), path


def _record_holder(fd: int) -> None:
    from .recovery import lock_holder_json

    data = (lock_holder_json() + "\n").encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _say_waiting(path: Path) -> None:
    from .recovery import GONE, ProcessIdentity, check_process

    holder = read_lock_holder(path)
    if not holder:
        who = "another process (it did not record itself)"
    else:
        identity = ProcessIdentity.from_json(holder)
        who = (f"pid {holder.get('pid')} on {holder.get('host', '?')} since {holder.get('since', '?')}"
               f" ({holder.get('command', '?')})")
        if identity is not None and check_process(identity).state == GONE:
            who += (f" — that process is gone, so a process that inherited its file descriptor holds it"
                    f" (find it with: fuser {path})")
    print(f"policy-wh: waiting for the writer lock {path}, held by {who}; it is released when that process ends.",
          file=sys.stderr, flush=True)


@contextmanager
def writer_lock(database: Path) -> Iterator[None]:
    """Hold the warehouse's writer lock (a sibling ``.lock`` file) for the duration of the block."""
    fd, path = _open_lock(database)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say_waiting(path)
            fcntl.flock(fd, fcntl.LOCK_EX)     # a blocking wait in the kernel: no polling
        _record_holder(fd)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


@contextmanager
def try_writer_lock(database: Path, record: bool = True) -> Iterator[bool]:
    """Take the writer lock only if it is free now; yields whether it was taken."""
    fd, _ = _open_lock(database)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        if record:
            _record_holder(fd)
        try:
            yield True
        finally:
            _release(fd)
    finally:
        os.close(fd)


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

