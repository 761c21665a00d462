"""Measure the checks on a demo-sized warehouse: ``python -m bench.checks BUILT.duckdb WORKDIR``.

Copies a warehouse built by both jobs (for example the tests' ``built_warehouse`` or ``data/warehouse.duckdb``
right after ``build_warehouse``), generates the deterministic demo submissions for a short window, submits
them, runs the daily job WITH the asset checks as one run, then times ``policy-wh checks`` twice (the second
run replaces the first one's rows) and prints every number docs/checks.md quotes.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path


def _prepare(built: Path, workdir: Path) -> Path:
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "dagster_home").mkdir(parents=True)
    warehouse = workdir / "warehouse.duckdb"
    shutil.copy(built, warehouse)
    os.environ.update(POLICY_WH_DB=str(warehouse), POLICY_WH_INBOX=str(workdir / "inbox"),
                      DAGSTER_HOME=str(workdir / "dagster_home"), POLICY_WH_DATA=str(workdir / "data"))
    return warehouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("built", type=Path, help="a DuckDB file built by build_warehouse (copied, never written)")
    parser.add_argument("workdir", type=Path, help="scratch folder (emptied)")
    parser.add_argument("--from", dest="first", default="2015-07-01")
    parser.add_argument("--to", dest="last", default="2015-12-31")
    args = parser.parse_args(argv)
    first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)

    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import great_expectations"], check=True)
    print(f"import great_expectations in a fresh process: {time.perf_counter() - started:.1f} s")

    warehouse = _prepare(args.built.resolve(), args.workdir.resolve())
    from dagster_project.demo import submit_demo_files
    from dagster_project.settings import export_environment, load_settings

    settings = load_settings()
    export_environment(settings)
    clock = time.perf_counter()
    files = submit_demo_files(settings, settings.data_dir / "demo_submissions", first, last)
    print(f"generated and submitted {files} demo files for {first} … {last} in {time.perf_counter() - clock:.1f} s")

    import dagster as dg
    import duckdb

    from dagster_project.definitions import defs
    from dagster_project.orchestration.assets.checks import ASSET_CHECKS
    from dagster_project.orchestration.runner import CHECKS_JOB, DAILY_JOB, PUBLISH_JOB
    from dagster_project.orchestration.window import RunWindow

    local = dg.Definitions.merge(defs, dg.Definitions(asset_checks=ASSET_CHECKS))
    clock = time.perf_counter()
    step_seconds: dict[str, float | None] = {}
    checks = []
    tags = RunWindow(first, last).to_tags()
    with dg.DagsterInstance.get() as instance:
        for job_name in (DAILY_JOB, CHECKS_JOB, PUBLISH_JOB):     # what the sensors start after a load
            result = local.resolve_job_def(job_name).execute_in_process(
                instance=instance, raise_on_error=False, tags=tags,
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
            for event in result.all_events:
                if event.event_type_value == "STEP_SUCCESS" or event.is_step_failure:
                    step_seconds[event.step_key] = event.event_specific_data.duration_ms / 1000 if event.event_type_value == "STEP_SUCCESS" else None
            checks += [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
            if not result.success:
                break
    print(f"daily_load and daily_checks over {first} … {last}: success={result.success}, "
          f"{time.perf_counter() - clock:.1f} s in all")
    for step, seconds in sorted(step_seconds.items()):
        print(f"  step {step}: {seconds:.1f} s" if seconds is not None else f"  step {step}: FAILED")
    passed = sum(1 for c in checks if c.passed)
    print(f"  {len(checks)} asset check evaluations, {passed} passed")

    from dagster_project.warehouse import Warehouse
    from dagster_project.checks.runner import run_all_checks

    for attempt in ("first", "rerun"):
        clock = time.perf_counter()
        run = run_all_checks(settings, Warehouse(database=str(warehouse)), last)
        parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(run.seconds.items()))
        print(f"policy-wh checks --as-of {last} ({attempt}, GX already imported): "
              f"{time.perf_counter() - clock:.1f} s [{parts}]")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select count(*), count(distinct run_id) from raw.expectation_results where as_of_date = ?",
                           [last]).fetchone()
        statuses = con.execute("select status, count(*) from raw.expectation_results where suite like 'targets_%' "
                               "and as_of_date = ? group by 1 order by 1", [last]).fetchall()
        observations = con.execute("select count(*) from marts.fct_indicator_observation").fetchone()[0]
        raw_rows = con.execute("select (select count(*) from raw.progress_reports), (select count(*) from raw.indicator_values)").fetchone()
    print(f"warehouse: {raw_rows[0]} progress rows, {raw_rows[1]} indicator rows, {observations} observations")
    print(f"raw.expectation_results as of {last}: {rows[0]} rows from {rows[1]} run(s); targets {dict(statuses)}")
    print(f"Data Docs: {run.docs_index}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
