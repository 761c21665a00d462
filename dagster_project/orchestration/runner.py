"""Run the warehouse's Dagster jobs in this process, recorded in the persistent Dagster instance.

``policy-wh demo`` and ``policy-wh load`` use this, so their runs show up in the Dagster UI
(``make ui`` points at the same DAGSTER_HOME) and go through exactly the assets the schedule,
the sensors and the UI run.

A daily load is three runs: ``daily_load`` (load, blocking submission checks, dbt, publish), then
``daily_checks`` (the policy targets and task deadlines, as of the last day loaded), then ``publish`` (the
published copy again, with those verdicts). Under the Dagster daemon the ``daily_checks_sensor`` and the
``publish_after_checks_sensor`` start the second and the third; :func:`run_daily` runs all three itself and
tags the first two so that a running daemon does not check or publish the same days again.

A run killed mid-way (``kill -9``, the OOM killer, a reboot) stays STARTED in Dagster and keeps its
``duckdb_writer`` pool slot; the next run would wait for that slot for ever. So before each run
:func:`run_job` recovers what a killed run left (:mod:`dagster_project.recovery`: a run whose process is
gone is marked FAILURE and its slots freed, in one printed line) and tags its own run with its process
(pid, host, boot id, start time), and while a step waits for the pool it says whom it waits for and
recovers a holder that dies meanwhile. ``policy-wh recover`` does the same on demand.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

from ..dbt_runner import ensure_manifest
from ..settings import Settings, export_environment
from .window import RunWindow

BUILD_JOB = "build_warehouse"
DAILY_JOB = "daily_load"
CHECKS_JOB = "daily_checks"
PUBLISH_JOB = "publish"
MAIN_JOB = BUILD_JOB


def run_job(settings: Settings, job_name: str = MAIN_JOB, first_day: date | None = None,
            last_day: date | None = None, quiet: bool = False, tags: dict[str, str] | None = None) -> str:
    """Execute ``job_name`` in process (for a partitioned job, over first_day … last_day as ONE run), with
    ``settings`` as the run's resource config."""
    # this process's Dagster instance (DAGSTER_HOME) and the manifest the definitions are built from
    export_environment(settings)
    ensure_manifest(settings)
    import dagster as dg

    from ..definitions import defs
    from .resources import settings_run_config

    job = defs.resolve_job_def(job_name)
    run_tags: dict[str, str] = dict(tags or {})
    if first_day is not None:
        run_tags.update(RunWindow.of(first_day, last_day).to_tags())
    # quiet: the console shows errors only. The callers (`policy-wh load`, `policy-wh demo`) print the load's
    # report themselves — the same text the raw load logs as a warning into the run's event log (the UI)
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}} if quiet else {}
    resources = settings_run_config(settings)["resources"]
    run_config["resources"] = {key: value for key, value in resources.items() if key in job.resource_defs}
    with dg.DagsterInstance.get() as instance:
        result = execute_recovering(job, instance, run_tags, run_config, settings=settings)
    if not result.success:
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip() if event.event_specific_data and getattr(event.event_specific_data, 'error', None) else 'failed'}"
            for event in result.all_events if event.is_step_failure
        ]
        raise RuntimeError(f"Dagster job {job_name} failed (run {result.run_id}): " + "; ".join(failures))
    return result.run_id


def execute_recovering(job, instance, tags: dict[str, str] | None = None, run_config=None, settings: Settings | None = None,
                       out=None):
    """``job.execute_in_process`` after recovering what killed runs left, watching the pool while it waits.

    Prints (to ``out``, default stderr) one line if it recovered something, and while a step waits for a
    pool slot, which run holds it and how to recover. The run is tagged with this process's identity so
    that a later load can tell whether it is still running."""
    from ..recovery import PoolWaitWatcher, install_dagster_patches, process_tags, recover, set_watcher

    install_dagster_patches()
    stream = out or sys.stderr
    try:
        line = recover(instance, settings=settings).one_line()
    except Exception as error:  # noqa: BLE001 - the load itself may still run; the watcher tries again if it waits
        line = f"policy-wh: could not check for runs a killed load left behind: {error}"
    if line:
        print(line, file=stream, flush=True)
    previous = set_watcher(PoolWaitWatcher(out=stream))
    try:
        return job.execute_in_process(instance=instance, raise_on_error=False,
                                      tags={**(tags or {}), **process_tags()}, run_config=run_config)
    finally:
        set_watcher(previous)


@dataclass(frozen=True)
class DailyRuns:
    load_run_id: str
    checks_run_id: str
    publish_run_id: str


def run_daily(settings: Settings, first_day: date, last_day: date | None = None, quiet: bool = False) -> DailyRuns:
    """``daily_load`` over first_day … last_day as one run, then ``daily_checks`` and ``publish`` for the same days."""
    from .sensors import CHECKS_IN_PROCESS, CHECKS_TAG, PUBLISH_IN_PROCESS, PUBLISH_TAG

    load = run_job(settings, DAILY_JOB, first_day, last_day, quiet=quiet, tags={CHECKS_TAG: CHECKS_IN_PROCESS})
    checks = run_job(settings, CHECKS_JOB, first_day, last_day, quiet=quiet,
                     tags={"policy_wh/checks_for_run": load, PUBLISH_TAG: PUBLISH_IN_PROCESS})
    publish = run_job(settings, PUBLISH_JOB, first_day, last_day, quiet=quiet,
                      tags={"policy_wh/publish_for_run": checks})
    return DailyRuns(load, checks, publish)
