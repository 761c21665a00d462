"""What a killed writer leaves behind, and how a load (or ``policy-wh recover``) clears it.

A Dagster run executed in process (``policy-wh load``, ``policy-wh demo``) records its own end. If its
process is killed (``kill -9``, the OOM killer, a reboot) nothing does: the run stays STARTED for ever and
keeps what it held —

* a slot of the ``duckdb_writer`` pool (limit 1, settings.DAGSTER_INSTANCE_CONFIG) and its place in the
  pool's queue of pending steps. Every later writing step waits for that slot: the next ``policy-wh load``
  waited for ever, silently;
* its place among the runs tagged ``policy_wh/writer`` (run tag limit 1): the daemon's run queue never
  starts another writer run.

The warehouse file itself is safe (every file is loaded all-or-nothing, ``submissions/loader.py``), and the
writer lock file is an ``flock``, which the kernel releases when its holder dies.

So every run this project starts records which process runs it (:func:`process_tags`: pid, host, boot id
and the process's start time in clock ticks since boot). :func:`recover` looks at every run that holds a
pool slot or a queued claim, and at every unfinished writer run, and decides whether its process is gone:

* recorded on another host: unknown — never touched (``policy-wh recover --run-id`` can, once an operator
  has checked that host);
* another boot id: the machine restarted since, so the process is gone;
* no process with that pid, or a zombie: gone;
* a process with that pid that started at another tick: the pid was reused, the run's process is gone;
* otherwise it is that very process: alive, and never marked failed.

Runs started by the Dagster daemon or the UI carry no such tags; for them the pid is the one Dagster
records on the run's RUN_START/STEP_START events, the host is assumed to be this one (the instance is
SQLite files under DAGSTER_HOME), and a process counts as that run's only if it started no later than the
event.

A run whose process is gone is marked FAILURE (``instance.report_run_failed``, a CANCELING one CANCELED)
and its slots and pending claims are freed (``event_log_storage.free_concurrency_slots_for_run``); a finished
run that still holds slots just has them freed. A publication killed mid-copy leaves its temporary copy
(``.<published name>.<hex>.tmp``) beside the published file; it is removed while the published file's lock
is free.

:class:`PoolWaitWatcher` is what a waiting load runs while Dagster waits for a pool slot: it says which run
it waits for (since when, its pid and host) and how to recover, and recovers a holder that dies meanwhile.
:func:`install_dagster_patches` fixes the busy wait of Dagster's in-process executor (see there).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from dagster import DagsterInstance

WRITER_TAG = "policy_wh/writer"          # jobs.WRITER_TAGS
WRITER_POOL = "duckdb_writer"            # the pool of every writing step (orchestration/assets/*.py)
PID_TAG = "policy_wh/pid"
HOST_TAG = "policy_wh/host"
BOOT_TAG = "policy_wh/boot_id"
START_TAG = "policy_wh/process_start_ticks"

# A pid's process counts as a run's (untagged runs) only if it started no later than this after the run's event.
START_TOLERANCE_SECONDS = 2.0
RECOVER_HINT = "policy-wh recover"


# --------------------------------------------------------------------------------------------- processes

def _read(path: str) -> str | None:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return None


def boot_id() -> str | None:
    value = _read("/proc/sys/kernel/random/boot_id")
    return value.strip() if value else None


def _boot_time() -> float | None:
    for line in (_read("/proc/stat") or "").splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    return None


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks since boot) of a process, from /proc; None if unreadable."""
    text = _read(f"/proc/{pid}/stat")
    if not text or ")" not in text:
        return None
    fields = text[text.rindex(")") + 2:].split()      # fields[0] is field 3 (state); starttime is field 22
    try:
        return fields[0], int(fields[19])
    except (IndexError, ValueError):
        return None


def _ps_started_at(pid: int) -> float | None:
    """Where there is no /proc: the start of a process from ``ps -o etime=`` ([[dd-]hh:]mm:ss ago)."""
    try:
        out = subprocess.run(["ps", "-o", "etime=", "-p", str(pid)], capture_output=True, text=True,
                             timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if not out:
        return None
    days, _, clock = out.rpartition("-")
    seconds = 0
    for part in clock.split(":"):
        seconds = seconds * 60 + int(part)
    return time.time() - seconds - int(days or 0) * 86400


def _started_at(pid: int) -> float | None:
    stat = _proc_stat(pid)
    boot = _boot_time()
    if stat and boot is not None:
        return boot + stat[1] / os.sysconf("SC_CLK_TCK")
    return _ps_started_at(pid)


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # someone else's process: it exists
        return True
    return True


@dataclass(frozen=True)
class ProcessIdentity:
    """Which process: pid on a host, in one boot, started at a tick (None where unknown)."""

    pid: int
    host: str | None = None
    boot_id: str | None = None
    start_ticks: int | None = None

    @classmethod
    def of_pid(cls, pid: int) -> "ProcessIdentity":
        stat = _proc_stat(pid)
        return cls(pid=pid, host=socket.gethostname(), boot_id=boot_id(), start_ticks=stat[1] if stat else None)

    @classmethod
    def current(cls) -> "ProcessIdentity":
        return cls.of_pid(os.getpid())

    def tags(self) -> dict[str, str]:
        tags = {PID_TAG: str(self.pid)}
        if self.host:
            tags[HOST_TAG] = self.host
        if self.boot_id:
            tags[BOOT_TAG] = self.boot_id
        if self.start_ticks is not None:
            tags[START_TAG] = str(self.start_ticks)
        return tags

    @classmethod
    def from_tags(cls, tags: dict[str, str]) -> "ProcessIdentity | None":
        try:
            pid = int(tags[PID_TAG])
        except (KeyError, ValueError):
            return None
        try:
            ticks = int(tags[START_TAG]) if START_TAG in tags else None
        except ValueError:
            ticks = None
        return cls(pid=pid, host=tags.get(HOST_TAG), boot_id=tags.get(BOOT_TAG), start_ticks=ticks)

    def as_json(self) -> dict:
        return {"pid": self.pid, "host": self.host, "boot_id": self.boot_id, "start_ticks": self.start_ticks}

    @classmethod
    def from_json(cls, data: dict) -> "ProcessIdentity | None":
        try:
            return cls(pid=int(data["pid"]), host=data.get("host"), boot_id=data.get("boot_id"),
                       start_ticks=int(data["start_ticks"]) if data.get("start_ticks") is not None else None)
        except (KeyError, TypeError, ValueError):
            return None


def process_tags() -> dict[str, str]:
    """The run tags that say which process runs a run started here (``orchestration.runner.run_job`` adds them)."""
    return ProcessIdentity.current().tags()


ALIVE, GONE, UNKNOWN = "alive", "gone", "unknown"


@dataclass(frozen=True)
class Liveness:
    state: str          # ALIVE, GONE or UNKNOWN
    reason: str


def check_process(identity: ProcessIdentity, started_by: float | None = None,
                  assume_this_host: bool = False) -> Liveness:
    """Is ``identity`` still running? GONE only when that is certain; a doubt is ALIVE or UNKNOWN.

    ``started_by``: a time the process was certainly running (when only the pid is known, a process with
    that pid that started later is another one)."""
    here = socket.gethostname()
    pid = identity.pid
    if identity.host and identity.host != here:
        return Liveness(UNKNOWN, f"pid {pid} on host {identity.host}, not this host ({here}): cannot check it from here")
    where = f"pid {pid}" + ("" if identity.host or not assume_this_host else " (assumed on this host)")
    this_boot = boot_id()
    if identity.boot_id and this_boot and identity.boot_id != this_boot:
        return Liveness(GONE, f"{where} ran before this machine restarted")
    if identity.boot_id is None and started_by is not None:
        booted = _boot_time()
        if booted is not None and booted > started_by + START_TOLERANCE_SECONDS:
            return Liveness(GONE, f"{where} ran before this machine restarted")
    if pid <= 0 or not _pid_exists(pid):
        return Liveness(GONE, f"{where} no longer exists")
    stat = _proc_stat(pid)
    if stat is not None:
        state, ticks = stat
        if state in ("Z", "X"):
            return Liveness(GONE, f"{where} has exited (zombie)")
        if identity.start_ticks is not None and (identity.boot_id is None or identity.boot_id == this_boot):
            if ticks != identity.start_ticks:
                return Liveness(GONE, f"{where} is now another process (the pid was reused)")
            return Liveness(ALIVE, f"{where} is running")
    if started_by is not None:
        started = _started_at(pid)
        if started is not None and started > started_by + START_TOLERANCE_SECONDS:
            return Liveness(GONE, f"{where} is now another process (started after the run)")
    return Liveness(ALIVE, f"{where} is running")


# ------------------------------------------------------------------------------------------------- runs

@dataclass
class RunFinding:
    """One run that holds pool slots or queued claims, or an unfinished writer run."""

    run_id: str
    job_name: str | None
    status: str | None             # DagsterRunStatus value; None if the run no longer exists
    started_at: float | None
    identity: ProcessIdentity | None
    liveness: Liveness | None      # None for a finished or missing run
    slots: list[tuple[str, str]] = field(default_factory=list)     # (pool, step) claimed
    pending: list[tuple[str, str, bool]] = field(default_factory=list)  # (pool, step, assigned)
    action: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("SUCCESS", "FAILURE", "CANCELED")

    def holds(self, pool: str) -> bool:
        return any(p == pool for p, _ in self.slots) or any(p == pool and assigned for p, _, assigned in self.pending)

    def label(self) -> str:
        parts = [self.job_name or "?"]
        if self.started_at:
            parts.append(f"started {format_time(self.started_at)}")
        if self.identity:
            host = self.identity.host
            parts.append(f"pid {self.identity.pid}" + (f" on {host}" if host else ""))
        return f"run {self.run_id} ({', '.join(parts)})"

    def held(self) -> str:
        things = [f"{pool} slot ({step})" for pool, step in self.slots]
        things += [f"queued {pool} claim ({step})" for pool, step, _ in self.pending
                   if (pool, step) not in self.slots]
        return ", ".join(things) if things else "no pool slot"


def format_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _untagged_identity(instance: "DagsterInstance", run_id: str) -> tuple[ProcessIdentity | None, float | None]:
    """The pid Dagster recorded on the run's latest RUN_START/STEP_START event, and that event's time."""
    from dagster._core.events import DagsterEventType

    connection = instance.get_records_for_run(
        run_id, of_type={DagsterEventType.RUN_START, DagsterEventType.STEP_START}, limit=1, ascending=False)
    for record in connection.records:
        entry = record.event_log_entry
        pid = entry.dagster_event.pid if entry.dagster_event else None
        if pid:
            return ProcessIdentity(pid=int(pid)), entry.timestamp
    return None, None


UNFINISHED = ("STARTING", "STARTED", "CANCELING")


def find_runs(instance: "DagsterInstance", exclude: Iterable[str] = ()) -> list[RunFinding]:
    """Every run that holds a pool slot or a queued claim, and every unfinished writer run, with its process's state."""
    import dagster as dg

    excluded = set(exclude)
    storage = instance.event_log_storage
    slots: dict[str, list[tuple[str, str]]] = {}
    pending: dict[str, list[tuple[str, str, bool]]] = {}
    if storage.supports_global_concurrency_limits:
        pools = sorted(storage.get_concurrency_keys())
        for pool, info in storage.get_concurrency_infos(pools).items():
            for slot in info.claimed_slots:
                slots.setdefault(slot.run_id, []).append((pool, slot.step_key))
            for step in info.pending_steps:
                pending.setdefault(step.run_id, []).append((pool, step.step_key, step.assigned_timestamp is not None))
    unfinished = instance.get_run_records(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus(s) for s in UNFINISHED]))
    writers = {r.dagster_run.run_id: r for r in unfinished if WRITER_TAG in r.dagster_run.tags}
    run_ids = (set(slots) | set(pending) | set(writers)) - excluded
    records = {r.dagster_run.run_id: r for r in instance.get_run_records(filters=dg.RunsFilter(run_ids=sorted(run_ids)))} \
        if run_ids else {}
    findings = []
    for run_id in sorted(run_ids, key=lambda rid: (records[rid].create_timestamp.timestamp() if rid in records else 0, rid)):
        record = records.get(run_id)
        finding = RunFinding(run_id=run_id, job_name=None, status=None, started_at=None, identity=None,
                             liveness=None, slots=slots.get(run_id, []), pending=pending.get(run_id, []))
        if record is not None:
            run = record.dagster_run
            finding.job_name = run.job_name
            finding.status = run.status.value
            finding.started_at = record.start_time or record.create_timestamp.timestamp()
            if not run.is_finished and finding.status in UNFINISHED:
                identity = ProcessIdentity.from_tags(dict(run.tags))
                if identity is not None:
                    finding.identity = identity
                    finding.liveness = check_process(identity, started_by=record.start_time)
                else:
                    identity, event_time = _untagged_identity(instance, run_id)
                    finding.identity = identity
                    if identity is not None:
                        finding.liveness = check_process(identity, started_by=event_time, assume_this_host=True)
                    else:
                        created = record.create_timestamp.timestamp()
                        booted = _boot_time()
                        if booted is not None and booted > created + START_TOLERANCE_SECONDS:
                            finding.liveness = Liveness(GONE, "created before this machine restarted, no process recorded")
                        else:
                            finding.liveness = Liveness(UNKNOWN, "no process recorded for it yet")
        findings.append(finding)
    return findings


@dataclass
class Recovery:
    findings: list[RunFinding]
    lock_notes: list[str]
    removed_temporaries: list[Path]

    @property
    def recovered(self) -> list[RunFinding]:
        return [f for f in self.findings if f.action]

    @property
    def untouched(self) -> list[RunFinding]:
        return [f for f in self.findings if not f.action]

    def one_line(self) -> str | None:
        """What was done, in one line (None if nothing): what a load prints before it proceeds."""
        parts = []
        for finding in self.recovered:
            parts.append(f"{finding.label()}: {finding.action}")
        if self.removed_temporaries:
            parts.append(f"removed {len(self.removed_temporaries)} temporary copy(ies) a killed publication left")
        if not parts:
            return None
        return "recovered what a killed load left behind — " + "; ".join(parts)


def _free(instance: "DagsterInstance", run_id: str) -> None:
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def recover(instance: "DagsterInstance", exclude: Iterable[str] = (), force_run_ids: Sequence[str] = (),
            settings=None) -> Recovery:
    """Mark runs whose process is gone FAILURE and free their pool slots; free slots finished runs still hold.

    Never touches a run whose process is alive. A run whose process cannot be checked (another host, no
    process recorded) is left alone unless its id is in ``force_run_ids``."""
    forced = set(force_run_ids)
    findings = find_runs(instance, exclude=exclude)
    for finding in findings:
        freed = finding.held()
        if finding.status is None:
            _free(instance, finding.run_id)
            finding.action = f"the run no longer exists; freed its {freed}"
        elif finding.finished:
            if finding.slots or finding.pending:
                _free(instance, finding.run_id)
                finding.action = f"finished ({finding.status}) but still held {freed}; freed it"
        elif finding.liveness is not None and (finding.liveness.state == GONE or
                                               (finding.liveness.state == UNKNOWN and finding.run_id in forced)):
            why = finding.liveness.reason if finding.liveness.state == GONE else \
                f"{finding.liveness.reason}; marked by hand (policy-wh recover --run-id)"
            run = instance.get_run_by_id(finding.run_id)
            message = (f"Marked by policy-wh: the run was left {finding.status} by a process that is gone ({why}). "
                       f"Nothing it did is half-applied: every file loads all-or-nothing; the next load applies the rest.")
            if finding.status == "CANCELING":
                instance.report_run_canceled(run, message=message)
                outcome = "CANCELED"
            else:
                instance.report_run_failed(run, message=message)
                outcome = "FAILURE"
            _free(instance, finding.run_id)
            finding.action = f"{why}; marked it {outcome}" + ("" if freed == "no pool slot" else f" and freed its {freed}")
    lock_notes: list[str] = []
    removed: list[Path] = []
    if settings is not None:
        lock_notes.append(describe_lock(settings.warehouse_path))
        removed = remove_stale_publication_temporaries(settings)
    return Recovery(findings, lock_notes, removed)


def remove_stale_publication_temporaries(settings) -> list[Path]:
    """Temporary copies a killed publication left beside the published file (only while nobody publishes)."""
    from .publish import published_path
    from .warehouse import try_writer_lock

    target = published_path(settings)
    leftovers = sorted(target.parent.glob(f".{target.name}.*.tmp*")) if target.parent.is_dir() else []
    if not leftovers:
        return []
    removed = []
    with try_writer_lock(target) as acquired:
        if acquired:
            for path in leftovers:
                try:
                    if path.is_file():
                        path.chmod(0o644)
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass
    return removed


def describe_lock(database: Path) -> str:
    """The writer lock's state in words; a free lock file that still names a killed holder is cleared."""
    from .warehouse import lock_path, read_lock_holder, try_writer_lock

    path = lock_path(database)
    if not path.exists():
        return f"writer lock {path}: free"
    holder = read_lock_holder(path)
    with try_writer_lock(database, record=False) as acquired:
        if acquired:            # (releasing it empties the file)
            if holder:
                return (f"writer lock {path}: free (pid {holder.get('pid')} that held it since "
                        f"{holder.get('since', '?')} was killed; the kernel released it)")
            return f"writer lock {path}: free"
    if not holder:
        return f"writer lock {path}: held by a process that did not record itself"
    identity = ProcessIdentity.from_json(holder)
    liveness = check_process(identity) if identity else Liveness(UNKNOWN, "holder unknown")
    text = (f"writer lock {path}: held since {holder.get('since', '?')} by pid {holder.get('pid')}"
            f" on {holder.get('host', '?')} ({holder.get('command', '?')}) — {liveness.reason}")
    if liveness.state == GONE:
        text += f"; a process that inherited its file descriptor still holds it (find it with: fuser {path})"
    return text


def recovery_report_lines(recovery: Recovery) -> list[str]:
    """What ``policy-wh recover`` prints: every run it looked at, what it did, and the writer lock."""
    lines = []
    for finding in recovery.findings:
        if finding.action:
            lines.append(f"recovered {finding.label()}: {finding.action}")
        elif finding.finished:
            continue
        elif finding.liveness and finding.liveness.state == ALIVE:
            lines.append(f"left alone {finding.label()}, {finding.status}, holds {finding.held()}: "
                         f"alive ({finding.liveness.reason})")
        else:
            reason = finding.liveness.reason if finding.liveness else "its process is not known"
            lines.append(f"left alone {finding.label()}, {finding.status}, holds {finding.held()}: {reason}. "
                         f"If you know its process is gone: policy-wh recover --run-id {finding.run_id}")
    for path in recovery.removed_temporaries:
        lines.append(f"removed {path}, a temporary copy a killed publication left")
    if not recovery.recovered and not recovery.removed_temporaries:
        lines.insert(0, "nothing to do: no run left behind by a killed process holds the duckdb_writer pool or the "
                        "writer runs' slot" + ("" if not recovery.untouched else
                                               " (the runs below are alive or cannot be checked from here)"))
    lines.extend(recovery.lock_notes)
    return lines


# ---------------------------------------------------------------------------------------- while waiting

class PoolWaitWatcher:
    """Called whenever a step of ``run_id`` could not claim a pool slot (see :func:`install_dagster_patches`).

    Every ``check_every`` seconds it looks at who holds the pool: a holder whose process is gone is
    recovered (one line) and the step claims again at once; a live one is named — run, since when, pid,
    host — with how to recover, once per holder and again every ``remind_every`` seconds."""

    def __init__(self, run_id: str | None = None, out=None, check_every: float = 5.0, remind_every: float = 300.0):
        self.run_id = run_id
        self.out = out
        self.check_every = check_every
        self.remind_every = remind_every
        self._next_check = 0.0
        self._said: tuple | None = None
        self._said_at = 0.0
        self._waiting_since: float | None = None

    def _print(self, text: str) -> None:
        print(text, file=self.out or sys.stderr, flush=True)

    def blocked(self, instance: "DagsterInstance", run_id: str, pool: str, step_key: str) -> bool:
        """True if something was freed (claim again now)."""
        if self.run_id is not None and run_id != self.run_id:
            return False
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if now < self._next_check:
            return False
        self._next_check = now + self.check_every
        try:
            recovery = recover(instance, exclude=[run_id])
        except Exception as error:  # noqa: BLE001 - a failed look must not fail the load; say so and keep waiting
            self._print(f"policy-wh: could not check who holds the {pool} pool: {error}")
            return False
        line = recovery.one_line()
        if line:
            self._print(line)
            return True
        holders = [f for f in recovery.findings if f.holds(pool)]
        key = tuple(f.run_id for f in holders)
        if key != self._said or now - self._said_at >= self.remind_every:
            waited = now - self._waiting_since
            if holders:
                names = "; ".join(f"{f.label()}, {f.status}, holds {f.held()}, "
                                  f"{f.liveness.reason if f.liveness else 'process unknown'}" for f in holders)
            else:
                names = "a slot being handed over (no run holds it now)"
            text = (f"waiting{f' ({_duration(waited)} so far)' if waited >= 1 else ''} for the {pool} pool slot "
                    f"(step {step_key}, this run {run_id}): held by {names}. This load goes on by itself when that "
                    f"run ends or its process dies (Ctrl-C stops it); if it was killed on another host, check there, then run "
                    f"`{RECOVER_HINT}` (or `{RECOVER_HINT} --run-id RUN_ID`).")
            self._print(text)
            try:
                run = instance.get_run_by_id(run_id)
                if run is not None:
                    instance.report_engine_event(text, run)
            except Exception:  # noqa: BLE001 - the message was printed; the event log is a bonus
                pass
            self._said, self._said_at = key, now
        return False


_ACTIVE_WATCHER: PoolWaitWatcher | None = None


def set_watcher(watcher: PoolWaitWatcher | None) -> PoolWaitWatcher | None:
    global _ACTIVE_WATCHER
    previous, _ACTIVE_WATCHER = _ACTIVE_WATCHER, watcher
    return previous


_PATCHED = False


def install_dagster_patches() -> None:
    """Two changes to Dagster's InstanceConcurrencyContext (1.13.27), in this process:

    1. The busy wait. While a step waits for a pool slot, the in-process executor loops
       ``get_next_step() … sleep_til_ready()``, and ``sleep_til_ready`` sleeps
       ``interval_to_next_pending_claim_check()``, which is ``min([0, *[ready_at - now …]])`` — never more
       than 0 — so it never sleeps: a waiting load spun at 100% of a core. Here it returns the time until
       the next claim check (at least 0), so the loop sleeps between checks (1 s, growing to 15 s).
    2. The silence. A claim that fails calls the active :class:`PoolWaitWatcher`, which says who holds the
       slot and recovers a holder whose process is gone (then the step claims again at once).
    3. Ctrl-C. Dagster defers SIGINT/SIGTERM during a run to its step boundaries, so a load waiting for a slot
       could not be stopped. A failed claim now raises the deferred interrupt (the run ends CANCELED/FAILURE
       as after any interrupt, and its queued claim is withdrawn).
    """
    global _PATCHED
    if _PATCHED:
        return
    from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext as Context

    if not all(hasattr(Context, name) for name in ("claim", "interval_to_next_pending_claim_check")):
        return          # a Dagster whose internals changed: leave it as it is

    def interval_to_next_pending_claim_check(self) -> float:
        if not getattr(self, "_pending_claims", None):
            return 0.0
        now = time.time()
        waits = [ready_at - now for ready_at in getattr(self, "_pending_timeouts", {}).values()]
        return max(0.0, min(waits)) if waits else 0.0

    original_claim = Context.claim

    try:
        from dagster._core.errors import DagsterExecutionInterruptedError
        from dagster._utils.interrupts import pop_captured_interrupt
    except ImportError:  # pragma: no cover - other Dagster internals: no interrupt while waiting, as before
        pop_captured_interrupt = None

    def claim(self, concurrency_key: str, step_key: str, step_priority: int = 0) -> bool:
        claimed = original_claim(self, concurrency_key, step_key, step_priority)
        if not claimed and pop_captured_interrupt is not None and pop_captured_interrupt():
            raise DagsterExecutionInterruptedError(
                f"interrupted while waiting for a {concurrency_key} pool slot (step {step_key})")
        watcher = _ACTIVE_WATCHER
        if not claimed and watcher is not None:
            if watcher.blocked(self._instance, self._run_id, concurrency_key, step_key):
                timeouts = getattr(self, "_pending_timeouts", None)
                if isinstance(timeouts, dict) and step_key in timeouts:
                    timeouts[step_key] = 0.0      # something was freed: claim again on the next loop
        return claimed

    Context.interval_to_next_pending_claim_check = interval_to_next_pending_claim_check
    Context.claim = claim
    _PATCHED = True


def lock_holder_record(command: Sequence[str] | None = None) -> dict:
    """What a writer writes into the lock file it holds (read by a waiting writer and ``policy-wh recover``)."""
    record = ProcessIdentity.current().as_json()
    record["since"] = datetime.now().astimezone().isoformat(timespec="seconds")
    record["command"] = " ".join(command if command is not None else sys.argv)[:300]
    return record


def lock_holder_json(command: Sequence[str] | None = None) -> str:
    return json.dumps(lock_holder_record(command), ensure_ascii=False)


__all__ = [
    "ALIVE", "GONE", "UNKNOWN", "Liveness", "PoolWaitWatcher", "ProcessIdentity", "Recovery", "RunFinding",
    "check_process", "describe_lock", "find_runs", "install_dagster_patches", "lock_holder_json", "process_tags",
    "recover", "recovery_report_lines", "set_watcher",
]
