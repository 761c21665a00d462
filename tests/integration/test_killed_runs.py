"""A load killed at any point (kill -9, the OOM killer, a reboot) never blocks the next one.

Before: the killed Dagster run stayed STARTED and kept the ``duckdb_writer`` pool slot, and every later
``policy-wh load`` waited for it for ever, silently, at 100% of a core (Dagster's in-process executor never
slept between claim checks). Now a load recovers a run whose process is gone (marks it FAILURE, frees its
slots, says so in one line), names the run it waits for while it waits (without spinning), and
``policy-wh recover`` does the same on demand — and never touches a run whose process is alive.
"""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.storage.dagster_run import DagsterRun, make_new_run_id

from dagster_project.cli import main
from dagster_project.recovery import WRITER_POOL, WRITER_TAG, ProcessIdentity
from dagster_project.settings import export_environment, load_settings
from dagster_project.submissions.inbox import submit
from tests.support import isolation

REPO_ROOT = Path(__file__).resolve().parents[2]
STEP = "raw_submissions"


# ------------------------------------------------------------------------------------------- helpers

def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "PYTHONUNBUFFERED": "1"}


class Child:
    """A subprocess whose stdout and stderr are read line by line, with deadlines (the test never hangs)."""

    def __init__(self, args: list[str]):
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=_env(), cwd=REPO_ROOT)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise AssertionError(f"no line matching {pattern!r} within {timeout:.0f} s; output:\n" + self.output()[-6000:])
            try:
                line = self._queue.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the process ended (rc {self.process.wait()}) before {pattern!r}; output:\n"
                                     + self.output()[-6000:])
            self.lines.append(line)
            if re.search(pattern, line):
                return line

    def finish(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise AssertionError(f"still running after {timeout:.0f} s; output:\n" + self.output()[-6000:])
            try:
                line = self._queue.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if line is None:
                return self.process.wait(timeout=30)
            self.lines.append(line)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture()
def instance(tmp_path, monkeypatch):
    """A Dagster instance of its own (DAGSTER_HOME in tmp_path, this project's dagster.yaml: pool limit 1)."""
    for name, value in isolation.isolated_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    export_environment(load_settings())
    with dg.DagsterInstance.get() as instance:
        yield instance


def _fake_run(instance, identity: ProcessIdentity | None, claim: bool = True, job_name: str = "daily_load") -> str:
    """A writer run that started (RUN_START reported by this process) and claims the duckdb_writer slot."""
    tags = {WRITER_TAG: "duckdb", **(identity.tags() if identity else {})}
    run = instance.add_run(DagsterRun(job_name=job_name, run_id=make_new_run_id(), tags=tags))
    instance.report_dagster_event(DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=job_name,
                                               message="started", pid=os.getpid()), run_id=run.run_id)
    if claim:
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default(WRITER_POOL)
        storage.claim_concurrency_slot(WRITER_POOL, run.run_id, STEP)
    return run.run_id


def _status(instance, run_id: str) -> str:
    return instance.get_run_by_id(run_id).status.value


def _holders(instance) -> tuple[set[str], set[str]]:
    info = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
    return {s.run_id for s in info.claimed_slots}, {p.run_id for p in info.pending_steps}


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ------------------------------------------------------------------------------- policy-wh recover, unit

def test_recover_leaves_a_live_run_alone(instance, capsys):
    live = _fake_run(instance, ProcessIdentity.current())              # this very process
    live_untagged = _fake_run(instance, None)                          # e.g. launched by the daemon: pid from its events
    assert _holders(instance) == ({live}, {live, live_untagged})

    assert main(["recover"]) == 0
    assert main(["recover", "--run-id", live, "--run-id", live_untagged]) == 0   # not even when named
    out = capsys.readouterr().out
    assert out.startswith("nothing to do"), out
    assert f"left alone run {live} " in out and f"left alone run {live_untagged} " in out
    assert f"pid {os.getpid()}" in out and "is running" in out
    assert _status(instance, live) == "STARTED" and _status(instance, live_untagged) == "STARTED"
    assert _holders(instance) == ({live}, {live, live_untagged})


def test_recover_with_nothing_left_behind_says_so(instance, capsys):
    assert main(["recover"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("nothing to do"), out
    assert "writer lock" in out and ": free" in out


def test_recover_fails_runs_whose_process_is_gone_and_frees_their_slots(instance, capsys):
    me = ProcessIdentity.current()
    assert me.boot_id and me.start_ticks is not None, "this test needs Linux /proc"
    gone = _fake_run(instance, ProcessIdentity(pid=_gone_pid(), host=me.host, boot_id=me.boot_id, start_ticks=1))
    reused = _fake_run(instance, ProcessIdentity(pid=me.pid, host=me.host, boot_id=me.boot_id,
                                                 start_ticks=me.start_ticks + 1))   # our pid, another process
    rebooted = _fake_run(instance, ProcessIdentity(pid=me.pid, host=me.host, boot_id="0" * 8 + "-0000-0000-0000-" + "0" * 12,
                                                   start_ticks=me.start_ticks))
    elsewhere = _fake_run(instance, ProcessIdentity(pid=me.pid, host="another-host.invalid", boot_id="x", start_ticks=1))
    finished = _fake_run(instance, me, claim=False)
    instance.report_run_failed(instance.get_run_by_id(finished))
    instance.event_log_storage.claim_concurrency_slot(WRITER_POOL, finished, "stale")   # queued behind `gone`

    assert main(["recover"]) == 0
    out = capsys.readouterr().out
    assert f"recovered run {gone} " in out and "no longer exists; marked it FAILURE and freed its duckdb_writer slot" in out
    assert f"recovered run {reused} " in out and "the pid was reused" in out
    assert f"recovered run {rebooted} " in out and "before this machine restarted" in out
    assert f"recovered run {finished} " in out and "finished (FAILURE)" in out
    assert f"left alone run {elsewhere} " in out and "another-host.invalid" in out and f"--run-id {elsewhere}" in out
    assert [_status(instance, r) for r in (gone, reused, rebooted, elsewhere)] == ["FAILURE", "FAILURE", "FAILURE", "STARTED"]
    info = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
    assert not info.claimed_slots                                 # the dead runs gave the slot back, and
    [(run, assigned)] = [(p.run_id, p.assigned_timestamp) for p in info.pending_steps]
    assert run == elsewhere and assigned is not None              # the next in the queue may claim it
    failure = instance.get_records_for_run(gone, of_type=DagsterEventType.RUN_FAILURE).records[0]
    assert "process that is gone" in failure.event_log_entry.dagster_event.message

    # an operator who checked the other host says so
    assert main(["recover", "--run-id", elsewhere]) == 0
    out = capsys.readouterr().out
    assert f"recovered run {elsewhere} " in out and "marked by hand" in out
    assert _status(instance, elsewhere) == "FAILURE" and _holders(instance) == (set(), set())


LOCK_HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from dagster_project.warehouse import writer_lock
    with writer_lock(Path(sys.argv[1])):
        print("HELD", flush=True)
        time.sleep(300)
""")


def test_the_writer_lock_names_its_holder_to_a_waiting_writer_and_a_killed_holder_leaves_it_free(tmp_path):
    from dagster_project.recovery import describe_lock
    from dagster_project.warehouse import lock_path, read_lock_holder

    database = tmp_path / "warehouse.duckdb"
    first = Child([sys.executable, "-c", LOCK_HOLDER, str(database)])
    second = None
    try:
        first.wait_for("^HELD", timeout=60)
        assert f"by pid {first.process.pid} on {socket.gethostname()}" in describe_lock(database)
        second = Child([sys.executable, "-c", LOCK_HOLDER, str(database)])
        line = second.wait_for("waiting for the writer lock", timeout=60)
        assert f"held by pid {first.process.pid} on {socket.gethostname()} since " in line, line
        first.kill()                                        # kill -9 while holding it: the kernel releases it
        second.wait_for("^HELD", timeout=30)
        assert read_lock_holder(lock_path(database))["pid"] == second.process.pid
        second.kill()
        note = describe_lock(database)                      # a lock file that names a killed holder
        assert f"free (pid {second.process.pid} that held it since " in note and "was killed" in note, note
        assert read_lock_holder(lock_path(database)) is None  # … is emptied
        assert describe_lock(database).endswith(": free")
    finally:
        for child in (first, second):
            if child is not None:
                child.kill()


# --------------------------------------------------------------------------- a load that has to wait

WAITER = textwrap.dedent("""
    import sys, time
    import dagster as dg
    from dagster_project.orchestration.runner import execute_recovering

    @dg.op(pool="duckdb_writer")
    def write():
        print("WROTE", flush=True)

    job = dg.GraphDefinition(name="tiny_writer", node_defs=[write]).to_job(executor_def=dg.in_process_executor)
    with dg.DagsterInstance.get() as instance:
        cpu, wall = time.process_time(), time.monotonic()
        result = execute_recovering(job, instance, {"policy_wh/writer": "duckdb"}, out=sys.stdout)
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    print(f"DONE success={result.success} cpu={cpu:.2f} wall={wall:.2f}", flush=True)
""")


def test_a_waiting_load_names_the_run_it_waits_for_does_not_spin_and_goes_on_when_it_dies(instance):
    holder = subprocess.Popen(["sleep", "300"])
    try:
        run_id = _fake_run(instance, ProcessIdentity.of_pid(holder.pid))
        waiter = Child([sys.executable, "-c", WAITER])
        line = waiter.wait_for(r"^waiting .*duckdb_writer", timeout=90)
        assert run_id in line and f"pid {holder.pid} on {socket.gethostname()}" in line and "started " in line, line
        assert "policy-wh recover" in line, line
        time.sleep(6)                                   # it waits, and does not spin meanwhile (measured below)
        assert waiter.process.poll() is None and "WROTE" not in waiter.output()
        assert _status(instance, run_id) == "STARTED"   # alive: never marked failed
        os.kill(holder.pid, signal.SIGKILL)             # now the holder dies while the load waits
        holder.wait()
        recovered = waiter.wait_for(r"^recovered ", timeout=60)
        assert run_id in recovered and "marked it FAILURE" in recovered, recovered
        done = waiter.wait_for(r"^DONE ", timeout=60)
        assert waiter.finish(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert "success=True" in done and "WROTE" in waiter.output(), waiter.output()
    cpu, wall = (float(v) for v in re.search(r"cpu=([\d.]+) wall=([\d.]+)", done).groups())
    assert wall > 6 and cpu < 0.4 * wall, done           # before the fix: cpu ≈ wall (a spinning core)
    assert _status(instance, run_id) == "FAILURE" and _holders(instance) == (set(), set())


# ------------------------------------------------------------------ kill -9 at several steps of a real load

KILLED_LOAD = textwrap.dedent("""
    import sys, time
    point = sys.argv[1]

    def pause(label):
        print(f"KILL-POINT {label}", flush=True)     # the test kills us (SIGKILL) now
        time.sleep(300)

    if point == "raw":         # in the raw load's transaction: progress rows inserted, the file row not yet
        from dagster_project.submissions import loader
        real_insert = loader._insert_frame
        def insert(con, table, *args, **kwargs):
            real_insert(con, table, *args, **kwargs)
            if table == "progress_reports":
                pause("raw")
        loader._insert_frame = insert
    elif point == "dbt":       # in dbt build, after its first model
        import dagster_project.orchestration.assets.dbt as dbt_assets
        real_invoke = dbt_assets.invoke_dbt
        def invoke(settings, args, manifest=None, callbacks=()):
            def on_event(event):
                if event.info.name == "LogModelResult":
                    pause("dbt")
            return real_invoke(settings, args, manifest=manifest, callbacks=[*callbacks, on_event])
        dbt_assets.invoke_dbt = invoke
    elif point == "publish":   # mid-publication: the temporary copy written, both writer locks held
        import dagster_project.publish as publish
        real_copy = publish._copy_working_file
        def copy(*args, **kwargs):
            method = real_copy(*args, **kwargs)
            pause("publish")
            return method
        publish._copy_working_file = copy

    from dagster_project.cli import main
    sys.exit(main(sys.argv[2:]))
""")
LOAD_ARGS = ["load", "--from", "2016-01-04", "--to", "2016-01-06"]


def _file(warehouse: Path, folder: Path, rows):
    from tests.integration.test_daily_load import _filled_template

    folder.mkdir()
    return _filled_template(warehouse, folder, rows)[0]


def _counts(path: Path) -> tuple[int, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return (con.execute("select count(*) from raw.submission_files").fetchone()[0],
                con.execute("select count(*) from raw.progress_reports").fetchone()[0])


def test_loads_killed_in_the_raw_load_in_dbt_and_in_publish_each_leave_the_next_load_to_finish(private_warehouse, tmp_path):
    warehouse = private_warehouse
    inbox = load_settings().inbox_dir
    files = [
        _file(warehouse, tmp_path / "f1", [("2016-01-04", "推进中", 10, "第一份"), ("2016-01-05", "推进中", 20, "第一份")]),
        _file(warehouse, tmp_path / "f2", [("2016-01-04", "推进中", 30, "第二份"), ("2016-01-05", "推进中", 40, "第二份"),
                                           ("2016-01-06", "已完成", 100, "第二份")]),
        _file(warehouse, tmp_path / "f3", [("2016-01-06", "推进中", 50, "第三份")]),
    ]
    expected_rows = 6
    published = Path(os.environ["POLICY_WH_PUBLISHED"])
    killed: list[str] = []

    def started_runs() -> list[str]:
        with dg.DagsterInstance.get() as instance:
            return [r.dagster_run.run_id for r in instance.get_run_records(
                filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))]

    # 1. killed in the raw load, mid-transaction: nothing of file 1 is applied
    submit([files[0]], inbox_dir=inbox)
    load = Child([sys.executable, "-c", KILLED_LOAD, "raw", *LOAD_ARGS])
    load.wait_for("^KILL-POINT raw", timeout=120)
    load.kill()
    assert _counts(warehouse) == (0, 0)
    [first] = started_runs()
    killed.append(first)

    # 2. the next load recovers run 1 (one line), applies files 1 and 2, and is killed in dbt
    submit([files[1]], inbox_dir=inbox)
    load = Child([sys.executable, "-c", KILLED_LOAD, "dbt", *LOAD_ARGS])
    line = load.wait_for("^recovered ", timeout=120)
    assert first in line and "marked it FAILURE and freed its duckdb_writer slot (raw_submissions)" in line, line
    load.wait_for("^KILL-POINT dbt", timeout=180)
    load.kill()
    assert _counts(warehouse) == (2, 5)
    [second] = [r for r in started_runs() if r not in killed]
    killed.append(second)

    # 3. the next one recovers run 2, applies file 3, and is killed while it publishes
    submit([files[2]], inbox_dir=inbox)
    load = Child([sys.executable, "-c", KILLED_LOAD, "publish", *LOAD_ARGS])
    line = load.wait_for("^recovered ", timeout=120)
    assert second in line and "duckdb_writer slot (warehouse_daily_dbt_assets" in line, line
    load.wait_for("^KILL-POINT publish", timeout=180)
    load.kill()
    assert _counts(warehouse) == (3, expected_rows)
    assert list(published.parent.glob(f".{published.name}.*.tmp")), "the killed publication left its temporary copy"
    [third] = [r for r in started_runs() if r not in killed]
    killed.append(third)

    # 4. `policy-wh load` itself: recovers run 3 and completes, applying nothing twice
    load = Child([str(Path(sys.executable).with_name("policy-wh")), *LOAD_ARGS])
    assert load.finish(timeout=300) == 0, load.output()
    out = load.output()
    recovered = [line for line in load.lines if line.startswith("recovered ")]
    assert len(recovered) == 1 and third in recovered[0] and "temporary copy" in recovered[0], out
    assert "loaded and published the partitions 2016-01-04 … 2016-01-06" in out, out

    assert _counts(warehouse) == (3, expected_rows)            # each file applied exactly once
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(distinct file_sha256), sum(rows_accepted) from raw.submission_files"
                           ).fetchone() == (3, expected_rows)
        # the facts reached marts: one report per task, organisation and day (file 2 resends two of file 1's days)
        assert con.execute("select count(*) from marts.fct_progress_report").fetchone()[0] == con.execute(
            "select count(*) from (select distinct task_id, org_id, report_date from raw.progress_reports)"
        ).fetchone()[0] == 4
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from raw.progress_reports").fetchone()[0] == expected_rows
    assert not list(published.parent.glob(f".{published.name}.*.tmp"))
    with dg.DagsterInstance.get() as instance:
        statuses = {r.dagster_run.run_id: r.dagster_run.status.value for r in instance.get_run_records()}
        assert [statuses[r] for r in killed] == ["FAILURE"] * 3
        assert set(statuses.values()) == {"FAILURE", "SUCCESS"}, statuses   # no run left STARTED
        info = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
        assert not info.claimed_slots and not info.pending_steps
    shutil.rmtree(tmp_path / "f1", ignore_errors=True)


def test_a_run_the_daemon_launches_gets_the_pool_wait_fix_from_the_definitions_alone():
    """`make ui`'s daemon starts each run as `dagster api execute_run`, which imports only definitions.py: the
    busy-wait fix and the interruptible wait must come with that import, not only with `policy-wh load`."""
    probe = ("import dagster_project.definitions\n"
             "from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext as C\n"
             "print(C.interval_to_next_pending_claim_check.__module__, C.claim.__module__)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["dagster_project.recovery", "dagster_project.recovery"]
