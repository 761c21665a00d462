"""Run the warehouse's Dagster jobs in this process, recorded in the persistent instance.

``policy-wh demo`` uses this so that the run it makes shows up in the Dagster UI
(``make ui`` points at the same DAGSTER_HOME).
"""
from __future__ import annotations

from .settings import Settings, export_environment

MAIN_JOB = "build_warehouse"


def run_job(settings: Settings, job_name: str = MAIN_JOB) -> str:
    """Execute ``job_name`` in process; return its run id, raise if it failed."""
    export_environment(settings)
    import dagster as dg

    from .definitions import defs

    job = defs.resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        raise RuntimeError(f"Dagster job {job_name} failed (run {result.run_id}) in steps: {', '.join(failed)}")
    return result.run_id
