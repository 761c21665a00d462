"""Run the warehouse's Dagster jobs in this process, recorded in the persistent Dagster instance.

``policy-wh demo`` and ``policy-wh load`` use this, so their runs show up in the Dagster UI
(``make ui`` points at the same DAGSTER_HOME) and go through exactly the assets the schedule,
the sensor and the UI run.
"""
from __future__ import annotations

from datetime import date

from .settings import Settings, export_environment

BUILD_JOB = "build_warehouse"
DAILY_JOB = "daily_load"
MAIN_JOB = BUILD_JOB


def run_job(settings: Settings, job_name: str = MAIN_JOB, first_day: date | None = None,
            last_day: date | None = None, quiet: bool = False) -> str:
    """Execute ``job_name`` in process (for a partitioned job, over first_day … last_day as ONE run)."""
    export_environment(settings)
    import dagster as dg

    from .definitions import defs

    job = defs.resolve_job_def(job_name)
    tags: dict[str, str] = {}
    if first_day is not None:
        tags["dagster/asset_partition_range_start"] = first_day.isoformat()
        tags["dagster/asset_partition_range_end"] = (last_day or first_day).isoformat()
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}} if quiet else None
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, tags=tags, run_config=run_config)
    if not result.success:
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip() if event.event_specific_data and getattr(event.event_specific_data, 'error', None) else 'failed'}"
            for event in result.all_events if event.is_step_failure
        ]
        raise RuntimeError(f"Dagster job {job_name} failed (run {result.run_id}): " + "; ".join(failures))
    return result.run_id
