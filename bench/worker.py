"""One measured operation in a fresh process: ``python -m bench.worker @spec.json`` prints one JSON line.

Why a process per operation: the peak memory (``ru_maxrss``) then belongs to that operation alone,
DuckDB's one-writer lock and dbt's in-process state never leak from one measurement into the next,
and Dagster's definitions are imported with this scenario's ``POLICY_WH_*`` environment. Imports are
done before the clock starts, so a figure is the work, not Python's start-up.
"""
from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable

def _daily_selection() -> str:
    """The daily job's own dbt selection (imported when used, like everything here), not a copy of it."""
    from dagster_project.raw_layer import DAILY_DBT_SELECTION

    return DAILY_DBT_SELECTION


def _peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its finished children (dbt subprocesses), MiB.

    Our own peak is VmHWM, not ``ru_maxrss``: Linux carries ru_maxrss across fork+exec, so a worker
    started by a large parent would report the parent's size."""
    own = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _settings():
    from dagster_project.settings import load_settings

    return load_settings()


def _dbt(args: list[str]) -> None:
    from dagster_project.dbt_runner import run_dbt

    run_dbt(_settings(), [*args, "--quiet"])


def op_ref_build(spec: dict[str, Any]) -> dict[str, Any]:
    """dbt build of the reference set (seeds, staging, dimensions) into a new warehouse file."""
    Path(_settings().warehouse_path).unlink(missing_ok=True)
    start = time.perf_counter()
    _dbt(["build", "--exclude", _daily_selection()])
    return {"seconds": time.perf_counter() - start}


def op_history(spec: dict[str, Any]) -> dict[str, Any]:
    """Write the history straight into raw, then the first (full) build of the daily models (timed)."""
    import duckdb

    from bench.generate import FIRST_DAY, Pools, insert_history

    with duckdb.connect(str(_settings().warehouse_path)) as con:
        rows = insert_history(con, Pools.read(con), FIRST_DAY, spec["days"], spec["rows_per_day"])
    start = time.perf_counter()
    _dbt(["build", "--select", _daily_selection()])
    return {"seconds": time.perf_counter() - start, "rows": rows}


def op_full_refresh(spec: dict[str, Any]) -> dict[str, Any]:
    start = time.perf_counter()
    _dbt(["build", "--select", _daily_selection(), "--full-refresh"])
    return {"seconds": time.perf_counter() - start}


def _load(files: list[str], day: date):
    import duckdb

    from dagster_project.submissions.loader import load_files
    from dagster_project.warehouse import local_today

    with duckdb.connect(str(_settings().warehouse_path)) as con:
        return load_files(con, files, partition_date=day, today=local_today())


def _warm_up(files: list[str]) -> None:
    """First use of DuckDB's CSV reader and of pandas costs ~1 s once per process: pay it before the clock."""
    import duckdb

    from dagster_project.submissions.validation import validate_file

    with duckdb.connect() as con:
        con.execute("create table warm as select * from read_csv(?, header = true)", [files[0]])
    validate_file(Path(files[0]).read_bytes(), "warm-up.csv", _empty_reference(), date.today())


def _empty_reference():
    from dagster_project.submissions.reference import Reference

    return Reference({}, {}, {}, {}, {}, {}, {})


def op_ingest_loader(spec: dict[str, Any]) -> dict[str, Any]:
    """The submission loader (read, validate, quarantine, append) over the files."""
    _warm_up(spec["files"])
    start = time.perf_counter()
    result = _load(spec["files"], date.fromisoformat(spec["day"]))
    summary = result.summary()
    return {"seconds": time.perf_counter() - start, "rows_accepted": summary["rows_accepted"],
            "rows_quarantined": summary["rows_quarantined"], "files": len(spec["files"])}


def op_ingest_duckdb(spec: dict[str, Any]) -> dict[str, Any]:
    """DuckDB's own read_csv of the same files into a table: the practical limit."""
    import duckdb

    _warm_up(spec["files"])
    with duckdb.connect(str(_settings().warehouse_path)) as con:
        start = time.perf_counter()
        con.execute("create or replace table bench_read_csv as select * from read_csv(?, header = true)", [spec["files"]])
        seconds = time.perf_counter() - start
        rows = con.execute("select count(*) from bench_read_csv").fetchone()[0]
    return {"seconds": seconds, "rows": rows}


def op_daily_direct(spec: dict[str, Any]) -> dict[str, Any]:
    """The daily job's work without Dagster: the raw load, then the daily models for the window it touched.

    dbt runs as the job's dbt step does: the manifest parsed in this process without vars (partial parse),
    then ``dbt build`` with the window as vars and without the unit tests (see orchestration/assets/dbt.py)."""
    from dagster_project.dbt_runner import run_dbt_parsed
    from dagster_project.orchestration.assets.submissions import load_window
    from dagster_project.orchestration.window import RunWindow

    day = date.fromisoformat(spec["day"])
    start = time.perf_counter()
    result = _load(spec["files"], day)
    loaded = time.perf_counter()
    window = load_window(RunWindow.of(day), result)
    run_dbt_parsed(_settings(), ["build", "--select", _daily_selection(), "--exclude", "resource_type:unit_test",
                                 "--vars", json.dumps(window.dbt_vars()), "--quiet"])
    end = time.perf_counter()
    summary = result.summary()
    return {"seconds": end - start, "load_seconds": loaded - start, "dbt_seconds": end - loaded,
            "rows_accepted": summary["rows_accepted"], "rows_quarantined": summary["rows_quarantined"]}


def op_daily_dagster(spec: dict[str, Any]) -> dict[str, Any]:
    """The same day through Dagster's daily_load job (files stored in a fresh inbox first, untimed), then its
    daily_checks job (timed separately), each with the per-step seconds of its run."""
    from datetime import datetime

    from dagster_project.orchestration.runner import CHECKS_JOB, DAILY_JOB, PUBLISH_JOB, run_job
    from dagster_project.submissions.inbox import store

    settings = _settings()
    for name in spec["files"]:
        path = Path(name)
        store(path.read_bytes(), path.name, settings.inbox_dir, received_at=datetime.now(), reported_by=None)
    import dagster_project.definitions  # noqa: F401  (imported before the clock, like a running daemon has it)

    day = date.fromisoformat(spec["day"])
    start = time.perf_counter()
    run_id = run_job(settings, DAILY_JOB, day, day, quiet=True)
    seconds = time.perf_counter() - start
    out = {"seconds": seconds, "run_id": run_id, **run_timings(run_id)}
    # What the sensors start after the load (targets, deadlines, then the publication with their verdicts):
    # timed on its own, since it no longer holds back the publication.
    start = time.perf_counter()
    checks_id = run_job(settings, CHECKS_JOB, day, day, quiet=True)
    run_job(settings, PUBLISH_JOB, day, day, quiet=True)
    checks = run_timings(checks_id)
    out.update(checks_seconds=time.perf_counter() - start, checks_run_seconds=checks["run_seconds"],
               checks_steps=checks["steps"])
    return out


def run_timings(run_id: str) -> dict[str, Any]:
    """Per-step seconds of one run, read from the Dagster instance's event log (STEP_START → STEP_SUCCESS).

    Why from the event log: it is what the Dagster UI shows for the run, so the bench and an operator
    looking at the run's timeline see the same figures; ``run_seconds`` (RUN_START → RUN_SUCCESS) less the
    steps is the executor's own cost."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        stats = instance.get_run_stats(run_id)
        steps = {s.step_key: (s.end_time - s.start_time) for s in instance.get_run_step_stats(run_id)
                 if s.start_time is not None and s.end_time is not None}
    run_seconds = (stats.end_time - stats.start_time) if stats.start_time and stats.end_time else None
    return {"run_seconds": run_seconds, "steps": steps}


def op_extract(spec: dict[str, Any]) -> dict[str, Any]:
    """The whole source text to seed CSVs (into a scratch folder)."""
    from dagster_project.extraction.pipeline import extract_to_seeds

    out = Path(spec["out"])
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    extraction = extract_to_seeds(_settings().source_path, out)
    return {"seconds": time.perf_counter() - start, "tables": len(extraction.tables)}


def op_submit_cli(spec: dict[str, Any]) -> dict[str, Any]:
    """``policy-wh submit FILE`` as a clerk runs it: a cold process, imports included; its peak memory is this
    worker's RUSAGE_CHILDREN maximum (the one child). The outcome is read from the command's own words."""
    import os
    import subprocess

    command = [str(Path(sys.executable).with_name("policy-wh")), "submit", spec["file"]]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    first = output.splitlines()[0] if output else ""
    status = next((s for label, s in (("部分接收", "partially_accepted"), ("拒收", "rejected"), ("已接收", "received"),
                                      ("接收", "accepted")) if label in first), "unknown")
    codes = [part.strip().rsplit(" ", 1)[0] for line in output.splitlines() if "problems by reason_code:" in line
             for part in line.split(":", 1)[1].split(",")]
    return {"seconds": seconds, "exit": done.returncode, "status": status, "codes": codes, "output": output[-4000:]}


OPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    name[3:]: fn for name, fn in globals().items() if name.startswith("op_")
}


def main(argv: list[str]) -> int:
    text = Path(argv[0][1:]).read_text(encoding="utf-8") if argv[0].startswith("@") else argv[0]
    spec = json.loads(text)
    if spec["op"] not in ("extract", "ingest_duckdb", "submit_cli"):
        from dbt.cli.main import dbtRunner  # noqa: F401  (dbt's import cost stays outside the clock)
        import dbt.adapters.duckdb  # noqa: F401
    result = OPS[spec["op"]](spec)
    own, children = _peak_mib()
    result.update(peak_rss_mib=own, peak_rss_children_mib=children)
    print("BENCH-RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
