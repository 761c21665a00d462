"""A read-only connection to the published warehouse that follows each new publication.

Why this module: the pipeline publishes by writing a new file and ``os.replace``-ing it over the old one
(dagster_project/publish.py). A connection that stays open keeps reading the old inode — correct but stale
for ever — and DuckDB caches database instances by path, so simply connecting again to the same path could
hand back the old file. So every page run asks :func:`current` for the publication, which ``stat``s the
file (cheap) and, when its identity (device, inode, size, mtime) changed, opens the new file in a fresh
in-memory DuckDB (``ATTACH … (READ_ONLY)``, never cached by path) and tells the listeners (the query cache,
dashboards/data.py) to drop what they hold. Queries already running on the old snapshot finish on it: the
old database closes when its last cursor is gone.

Nothing here writes: the file is attached READ_ONLY (a shared lock that never blocks a publication, which
only renames), and no extension is downloaded (the intranet has no internet).
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

CATALOG = "published"
# No extension download (there is no internet), and no "replacement scan": without it, a table missing from an
# older publication would be looked up among the Python variables of the calling function.
CONFIG = {"autoinstall_known_extensions": False, "python_enable_replacements": False}
# How often a stat / attach / stat sequence may see the file replaced under it before giving up.
_OPEN_ATTEMPTS = 5


class PublishedFileMissing(FileNotFoundError):
    """There is no published warehouse (yet) at the configured path."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"没有发布的仓库文件：{path}。请先运行 make demo 或 policy-wh publish。"
                         f" No published warehouse at {path}: run `make demo` or `policy-wh publish` first.")
        self.path = path


@dataclass(frozen=True)
class FileStamp:
    """The identity of one published file: a new publication is a new inode (os.replace), or at least a
    new mtime or size."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> "FileStamp":
        try:
            stat = os.stat(path)
        except FileNotFoundError as error:
            raise PublishedFileMissing(path) from error
        return cls(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    @property
    def key(self) -> str:
        return f"{self.device}:{self.inode}:{self.size}:{self.mtime_ns}"


@dataclass(frozen=True)
class Snapshot:
    """One publication, open read-only. ``key`` changes with every new publication (use it in cache keys)."""

    path: Path
    stamp: FileStamp
    published_at: str | None            # meta.publication.published_at as text (None: no publication record)
    database: duckdb.DuckDBPyConnection

    @property
    def key(self) -> str:
        return f"{self.path}|{self.stamp.key}|{self.published_at}"

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own for one thread (DuckDB connections are not shared between threads), with
        the published catalog as default, so queries say ``marts.dim_task`` as everywhere else."""
        cursor = self.database.cursor()
        try:
            cursor.execute(f"use {CATALOG}")
            yield cursor
        finally:
            cursor.close()


def _open(path: Path) -> tuple[FileStamp, duckdb.DuckDBPyConnection]:
    """Attach the file read-only in a new in-memory database; retry if it was replaced meanwhile."""
    for _ in range(_OPEN_ATTEMPTS):
        before = FileStamp.of(path)
        database = duckdb.connect(":memory:", config=CONFIG)
        try:
            escaped = str(path).replace("'", "''")
            database.execute(f"attach '{escaped}' as {CATALOG} (read_only)")
        except duckdb.IOException as error:
            database.close()
            if not path.exists():
                raise PublishedFileMissing(path) from error
            raise
        if FileStamp.of(path) == before:
            return before, database
        database.close()                # replaced between stat and attach: open the newer one
    raise RuntimeError(f"{path} kept changing while it was opened ({_OPEN_ATTEMPTS} attempts)")


def _published_at(database: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = database.execute(f"select cast(max(published_at) as varchar) from {CATALOG}.meta.publication").fetchone()
    except duckdb.CatalogException:     # a copy made by hand without meta (cp working file)
        return None
    return row[0] if row else None


class PublishedReader:
    """The current snapshot of one published path; reopens it when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self.reopened = 0               # how many times a new publication was picked up (for tests and logs)

    def snapshot(self) -> Snapshot:
        stamp = FileStamp.of(self.path)
        with self._lock:
            current = self._snapshot
            if current is not None and current.stamp == stamp:
                return current
            opened_stamp, database = _open(self.path)
            self._snapshot = Snapshot(self.path, opened_stamp, _published_at(database), database)
            if current is not None:
                self.reopened += 1
        if current is not None:
            _notify(self._snapshot)
        return self._snapshot


_readers: dict[Path, PublishedReader] = {}
_readers_lock = threading.Lock()
_listeners: list[Callable[[Snapshot], None]] = []


def on_new_publication(listener: Callable[[Snapshot], None]) -> Callable[[], None]:
    """Call ``listener`` whenever a reader picks up a new publication (after the first open); returns the
    function that stops it."""
    if listener not in _listeners:
        _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def _notify(snapshot: Snapshot) -> None:
    for listener in list(_listeners):
        listener(snapshot)


def published_path() -> Path:
    """settings.published_path: POLICY_WH_PUBLISHED, else data/published/warehouse.duckdb (read each time)."""
    from dagster_project.settings import load_settings

    return load_settings().published_path


def reader(path: Path | None = None) -> PublishedReader:
    """The one reader of ``path`` (default: the configured published path) in this process."""
    resolved = Path(path or published_path()).resolve()
    with _readers_lock:
        if resolved not in _readers:
            _readers[resolved] = PublishedReader(resolved)
        return _readers[resolved]


def current(path: Path | None = None) -> Snapshot:
    """The publication to read now (raises :class:`PublishedFileMissing` when there is none)."""
    return reader(path).snapshot()
