"""The sensors: a new file in the inbox starts a load of the days it touches; a successful load starts its checks.

``inbox_sensor`` never opens the working warehouse (a running load holds it: DuckDB allows one writer per
file). It knows which inbox files are handled from two records:

* the warehouse's own record of loaded files, ``raw.submission_files`` (keyed by the SHA-256 of the content,
  which is also the inbox file's name ``<sha256>.<ext>``; rejected files are recorded there too), read from
  the **published** copy (``publish.published_path``), opened read-only — so the ~1,480 files ``make demo``
  loaded outside the sensor are not loaded again. Without a published copy the sensor relies on its cursor;
* its cursor: a watermark over the files' arrival order plus the names of files it requested that arrived
  after the watermark — the files already requested whose load is not published yet.

Arrival order is the file's inode change time (``st_ctime_ns``, set when ``submit`` renames the finished file
into the inbox and never settable by hand; ties broken by name). The watermark is held
:data:`ARRIVAL_MARGIN_SECONDS` behind the clock, so a file that lands while a tick lists the inbox is seen by
the next tick; the files requested inside that margin are named in the cursor so they are not requested twice.

A tick looks only at files after the watermark, skips (unread) those the published copy records, and takes at
most :data:`MAX_FILES_PER_TICK` new files (and stops early after :data:`TICK_BUDGET_SECONDS`); their data days
come from the sidecars ``submit`` wrote (a file without one is parsed):
the rest wait for the next tick, because the watermark only passes files the tick has looked at. For the files
it parsed it asks for ONE run over the daily partitions from the first to the last day they touch among the
partitions that exist (:func:`partition_range_for`). The run loads every inbox file not loaded yet and widens
its dbt window to every data day it loads (``assets/submissions.py``), so the range is what Dagster shows as
materialized, never wider than the files' own days.

The ``daily_checks_sensor`` watches ``daily_load``: when a run succeeds it starts ``daily_checks`` (the GX
target and deadline suites) over the same partitions, so the checks follow every load — from the
schedule, the inbox sensor or the UI — without holding back the publication. The
``publish_after_checks_sensor`` watches ``daily_checks`` in turn and starts ``publish`` (the
``published_warehouse`` asset) over the same partitions, so the published copy carries the verdicts too.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterable, Sequence

import dagster as dg
import duckdb

from ..publish import published_path
from ..settings import load_settings
from ..submissions.inbox import STORED_NAME, stored_data_days
from ..warehouse import FIRST_DAY, local_today
from .jobs import daily_checks_job, daily_load_job, publish_job
from .window import RunWindow, window_tags

# At most this many new files are parsed per tick (their dates decide the run's partitions); the others wait
# for the next tick. A small demo file parses in a few milliseconds, a large workbook in a second or two.
MAX_FILES_PER_TICK = 200
# A tick stops parsing after this many seconds (Dagster gives a tick 60 s), whatever MAX_FILES_PER_TICK says.
TICK_BUDGET_SECONDS = 20.0
# The watermark stays this far behind the clock, so a file renamed into the inbox while a tick lists it is not
# passed over.
ARRIVAL_MARGIN_SECONDS = 10.0


def file_days(path: Path) -> frozenset[date] | None:
    """Every data day a submitted file carries — report dates, indicator period ends, air-quality quarter
    ends (what the loader records as data days) — or None if the file cannot be read. ``submit`` recorded
    them in the file's sidecar (:func:`~dagster_project.submissions.inbox.stored_data_days`), so a tick
    parses only a file that reached the inbox without one."""
    return stored_data_days(path)


def touched_days(path: Path) -> tuple[date, date] | None:
    """First and last data day (report date, period end or quarter end) a submitted file carries, if readable."""
    days = file_days(path)
    return (min(days), max(days)) if days else None


def partition_range_for(days: Iterable[Iterable[date] | None], today: date) -> tuple[str, str]:
    """The daily partitions one run loads for some files: ``days`` holds, per file, the data days it carries
    (:func:`file_days`; a ``(first, last)`` pair from :func:`touched_days` counts as those two days) or None
    for a file whose dates cannot be read.

    The run goes from the first to the last touched day **among the partitions that exist** (FIRST_DAY …
    yesterday). A day outside them — a baseline period before FIRST_DAY, today (its partition does not exist
    until the day ends), a future date (which the loader quarantines) or a period that ends after today —
    widens nothing: nothing is clipped onto FIRST_DAY or yesterday. A file that touches no partition (dates
    unreadable, rejected, or only such days) is loaded with the other files' range: the run loads every file
    not loaded yet whatever its partitions, and rebuilds every data day it loads. If no file touches a
    partition, the run is yesterday's partition — the latest one, what the daily schedule would load.
    """
    first_partition, last_partition = date.fromisoformat(FIRST_DAY), today - timedelta(days=1)
    inside = [d for file in days if file is not None for d in file if first_partition <= d <= last_partition]
    if not inside:
        return last_partition.isoformat(), last_partition.isoformat()
    return min(inside).isoformat(), max(inside).isoformat()


@dataclass(frozen=True)
class InboxEntry:
    """One stored inbox file: its name (<sha256>.<ext>) and its place in the arrival order."""

    path: Path
    arrived_ns: int             # st_ctime_ns: set when the file was renamed into the inbox

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sha256(self) -> str:
        return self.path.name.split(".", 1)[0]

    @property
    def key(self) -> tuple[int, str]:
        return self.arrived_ns, self.path.name


def scan_inbox(inbox_dir: Path) -> list[InboxEntry]:
    """The stored files of the inbox in arrival order (one directory listing and one stat per file; the
    sidecars are not read)."""
    entries: list[InboxEntry] = []
    try:
        listing = os.scandir(inbox_dir)
    except (FileNotFoundError, NotADirectoryError):
        return entries
    with listing:
        for item in listing:
            if not STORED_NAME.match(item.name):
                continue
            try:
                if not item.is_file():
                    continue
                stat = item.stat()
            except FileNotFoundError:       # removed while we listed
                continue
            entries.append(InboxEntry(Path(item.path), max(stat.st_ctime_ns, stat.st_mtime_ns)))
    entries.sort(key=lambda e: e.key)
    return entries


class PublishedUnreadable(RuntimeError):
    """The published copy exists but could not be read (the sensor waits for the next tick)."""


def loaded_files(published: Path) -> frozenset[str] | None:
    """SHA-256 of every file ``raw.submission_files`` records in the published copy — accepted, partly
    accepted and rejected alike: all are handled. None if there is no published copy."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            exists = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'raw' and table_name = 'submission_files'"
            ).fetchone()[0]
            if not exists:
                return frozenset()
            return frozenset(r[0] for r in con.execute("select distinct file_sha256 from raw.submission_files").fetchall())
    except duckdb.Error as error:
        raise PublishedUnreadable(f"cannot read the published warehouse {published}: {error}") from error


@dataclass(frozen=True)
class InboxCursor:
    """Every file up to ``after`` (arrival order) is handled, and so are the files named in ``requested``."""

    after: tuple[int, str] = (0, "")
    requested: frozenset[str] = frozenset()

    def encode(self) -> str:
        return json.dumps({"after": [self.after[0], self.after[1]], "requested": sorted(self.requested)},
                          separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | None) -> "InboxCursor":
        if not text:
            return cls()
        text = text.strip()
        if text.isdigit():          # the cursor before: the newest mtime_ns seen
            return cls((int(text), ""))
        value = json.loads(text)
        return cls((int(value["after"][0]), str(value["after"][1])), frozenset(value.get("requested") or ()))


@dataclass
class TickPlan:
    """What one tick decided: the files to load (with their days) and the next cursor."""

    cursor: InboxCursor
    to_load: list[tuple[InboxEntry, frozenset[date] | None]] = field(default_factory=list)
    already_loaded: int = 0     # files after the watermark the published copy records
    waiting: int = 0            # new files left for the next tick


def plan_tick(entries: Sequence[InboxEntry], cursor: InboxCursor, loaded: Callable[[], frozenset[str] | None], *,
              now_ns: int, max_files: int | None = None, budget_seconds: float | None = None,
              days_of: Callable[[Path], frozenset[date] | None] | None = None) -> TickPlan:
    """Decide one tick (no Dagster here, so it can be tested with any clock).

    ``loaded`` is called only if there are files after the watermark. Files are looked at in arrival order;
    the watermark moves to the last file looked at, but never closer than ARRIVAL_MARGIN_SECONDS to
    ``now_ns``; files requested beyond the watermark are named in the cursor.
    """
    max_files = MAX_FILES_PER_TICK if max_files is None else max_files
    budget_seconds = TICK_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    days_of = days_of or file_days
    candidates = [e for e in entries if e.key > cursor.after and e.name not in cursor.requested]
    plan = TickPlan(cursor=cursor)
    horizon = (now_ns - int(ARRIVAL_MARGIN_SECONDS * 1e9), "")
    if not candidates:          # every file is handled: the watermark may pass them all (up to the horizon)
        newest = max((e.key for e in entries), default=cursor.after)
        plan.cursor = _prune(InboxCursor(max(cursor.after, min(newest, horizon)), cursor.requested), entries)
        return plan
    known = loaded() or frozenset()
    started = time.monotonic()
    looked_at: tuple[int, str] | None = None
    for position, entry in enumerate(candidates):
        if len(plan.to_load) >= max_files or (plan.to_load and time.monotonic() - started > budget_seconds):
            plan.waiting = sum(1 for e in candidates[position:] if e.sha256 not in known)
            break
        looked_at = entry.key
        if entry.sha256 in known:
            plan.already_loaded += 1
            continue
        plan.to_load.append((entry, days_of(entry.path)))
    after = max(cursor.after, min(looked_at, horizon)) if looked_at else cursor.after
    requested = set(cursor.requested) | {e.name for e, _ in plan.to_load}
    plan.cursor = _prune(InboxCursor(after, frozenset(requested)), entries)
    return plan


def _prune(cursor: InboxCursor, entries: Sequence[InboxEntry]) -> InboxCursor:
    """Forget requested names the watermark has passed (or that left the inbox)."""
    beyond = {e.name for e in entries if e.key > cursor.after}
    return InboxCursor(cursor.after, frozenset(cursor.requested & beyond))


def run_key_for(names: Iterable[str]) -> str:
    """The same files give the same key (Dagster then starts no second run for them)."""
    return "inbox-" + hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:24]


@dg.sensor(
    job_name="daily_load",
    minimum_interval_seconds=60,
    description="收件箱有新文件时，装载其涉及的日期（已入库的文件不再装载）。When new files reach the inbox, load the "
                "days they touch (files the published warehouse records as loaded are skipped).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    settings = load_settings()
    published = published_path(settings)
    cursor = InboxCursor.decode(context.cursor)
    entries = scan_inbox(settings.inbox_dir)
    try:
        plan = plan_tick(entries, cursor, lambda: loaded_files(published), now_ns=time.time_ns())
    except PublishedUnreadable as error:
        return dg.SensorResult(skip_reason=f"{error}; trying again next tick", cursor=context.cursor)
    source = (f"raw.submission_files in the published warehouse {published}" if published.exists()
              else f"no published warehouse at {published}: the sensor's cursor alone")
    later = f"; {plan.waiting} more new file(s) wait for the next tick" if plan.waiting else ""
    if not plan.to_load:
        if plan.already_loaded:
            reason = (f"{plan.already_loaded} file(s) in {settings.inbox_dir} this sensor had not seen yet are "
                      f"already loaded ({source}); nothing to load{later}")
        else:
            reason = f"no new file in {settings.inbox_dir} ({len(entries)} file(s), all handled before)"
        return dg.SensorResult(skip_reason=reason, cursor=plan.cursor.encode())
    start, end = partition_range_for([days for _, days in plan.to_load], local_today())
    names = [entry.name for entry, _ in plan.to_load]
    context.log.info(f"{len(names)} new file(s): load {start} … {end}; {plan.already_loaded} already loaded "
                     f"({source}){later}")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(
            run_key=run_key_for(names),
            tags={**RunWindow(date.fromisoformat(start), date.fromisoformat(end)).to_tags(),
                  "policy_wh/new_files": str(len(names))},
        )],
        cursor=plan.cursor.encode(),
    )


# A daily_load run whose caller runs daily_checks itself (policy-wh load, policy-wh demo) carries this tag,
# so the sensor does not evaluate the same day twice.
CHECKS_TAG = "policy_wh/checks"
CHECKS_IN_PROCESS = "in_process"


def checks_request(run: dg.DagsterRun) -> dg.RunRequest | None:
    """The daily_checks run for a finished daily_load run: the same window (its partition tags as they are);
    None if its caller checks."""
    if run.tags.get(CHECKS_TAG) == CHECKS_IN_PROCESS:
        return None
    tags = window_tags(run.tags)
    tags["policy_wh/checks_for_run"] = run.run_id
    return dg.RunRequest(run_key=f"checks-{run.run_id}", tags=tags)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_load_job],
    request_job=daily_checks_job,
    name="daily_checks_sensor",
    description="每次日装载成功后，按同一日期评估政策目标和任务期限。After each successful daily_load, evaluate the "
                "policy targets and task deadlines for the same days (job daily_checks).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def daily_checks_sensor(context: dg.RunStatusSensorContext):
    request = checks_request(context.dagster_run)
    if request is None:
        return dg.SkipReason(f"run {context.dagster_run.run_id} is checked by the process that ran it")
    return request


# A daily_checks run whose caller publishes itself afterwards (policy-wh load, policy-wh demo) carries this tag.
PUBLISH_TAG = "policy_wh/publish"
PUBLISH_IN_PROCESS = "in_process"


def publish_request(run: dg.DagsterRun) -> dg.RunRequest | None:
    """The publish run for a finished daily_checks run: the same window; None if its caller publishes."""
    if run.tags.get(PUBLISH_TAG) == PUBLISH_IN_PROCESS:
        return None
    return dg.RunRequest(run_key=f"publish-{run.run_id}",
                         tags={**window_tags(run.tags), "policy_wh/publish_for_run": run.run_id})


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_checks_job],
    request_job=publish_job,
    name="publish_after_checks_sensor",
    description="每次检查成功后重新发布仓库副本，使其包含最新检查结果。After each successful daily_checks, publish the "
                "warehouse again (job publish), so the published copy carries the verdicts just stored.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def publish_after_checks_sensor(context: dg.RunStatusSensorContext):
    request = publish_request(context.dagster_run)
    if request is None:
        return dg.SkipReason(f"run {context.dagster_run.run_id} is published by the process that ran it")
    return request
