"""Checks domain: the Great Expectations suites as Dagster asset checks, on the assets they validate.

* ``submission_<raw table>`` — a BLOCKING check on each submission kind's raw asset (``raw/progress_reports``,
  ``raw/indicator_values``, ``raw/air_quality_readings``: one per kind declared in ``submissions/kinds/``), run
  inside ``daily_load`` (``submission_quality_checks``): the raw rows of the run's daily partitions must pass
  their submission suite, otherwise the day's dbt models do not run (and nothing is published), and the
  check's metadata says which expectation failed and on which values;
* ``targets_<policy area>`` on ``marts/fct_target_observation`` (the relation its DataFrame is read from,
  where dbt decided attainment) — one check per policy-area suite (severity ERROR when a due target is
  missed, WARN when only not-yet-due ones are);
* ``task_deadlines`` on ``marts/fct_task_status_daily`` — departments with tasks past deadline not done
  (the tasks come from marts/fct_lead_task_deadline, a reference table; the check stays on the daily,
  partitioned snapshot whose statuses it judges, like the target checks on a daily asset).

The target and deadline checks (``policy_checks``) are their own job, ``daily_checks``, which the
``daily_checks_sensor`` starts for the same partitions as soon as a ``daily_load`` run succeeds
(``policy-wh load`` and ``policy-wh demo`` run it right after the load). They evaluate the published
facts and block nothing, so the morning's data is not held back by them: they cost ~10 s of GX work,
about as much as the rest of the daily run. They publish nothing themselves: once they have stored their
results, the ``publish`` job materializes the ``published_warehouse`` asset again (started by the
``publish_after_checks_sensor``, or by ``policy-wh load``/``demo``), so the published copy carries the day's
verdicts as well.

Each check writes its results to raw.expectation_results (as of the last day of the run's partitions) and
updates the Data Docs site. The checks are read from the committed suites, so the Dagster definitions load
without importing GX; GX is imported once per process, on the first check that runs.
"""

import json

import dagster as dg

from ...checks.project import committed_suites
from ...checks.suites import SUBMISSION_ASSETS, submission_suite_name
from ...checks.runner import CheckRun, SuiteOutcome, gx_paths, run_policy_checks, run_submission_checks
from ...settings import load_settings
from ...warehouse import Warehouse
from ..resources import WarehouseSettings
from ..window import RunWindow

TARGET_OBSERVATIONS = dg.AssetKey(["marts", "fct_target_observation"])
TASK_STATUS = dg.AssetKey(["marts", "fct_task_status_daily"])
# one blocking check per declared submission kind, on its raw asset raw/<table> (submissions/kinds/)
SUBMISSION_SUITES = {submission_suite_name(table): dg.AssetKey(["raw", table]) for table in SUBMISSION_ASSETS}

_suites = committed_suites(gx_paths(load_settings()).root)


def _check_result(asset_key: dg.AssetKey, outcome: SuiteOutcome, run: CheckRun) -> dg.AssetCheckResult:
    failing = [row for row in outcome.rows if not row.success]
    counts = outcome.counts()
    metadata: dict[str, object] = {
        "as_of_date": run.as_of.isoformat(),
        "expectations": len(outcome.rows),
        "met": counts["met"], "not_met": counts["not_met"], "no_data": counts["no_data"],
        "data_docs": dg.MetadataValue.path(str(run.docs_index)),
    }
    if failing:
        lines = []
        for row in failing[:30]:
            details = json.loads(row.details or "{}")
            what = row.target_id or details.get("org_name") or row.org_id or row.expectation
            extra = details.get("failing_tasks") or details.get("sample") or details.get("error") or ""
            lines.append(f"| {what} | {row.status} | {row.severity} | {row.observed_value if row.observed_value is not None else ''} "
                         f"| {row.expected or ''} | {str(extra)[:200]} |")
        metadata["failing"] = dg.MetadataValue.md(
            "| 检查项 check | 状态 status | 严重度 severity | 观测 observed | 期望 expected | 说明 details |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(lines))
    description = (f"{outcome.name}: {counts['met']} met, {counts['not_met']} not met, {counts['no_data']} no data"
                   if outcome.kind != "submission" else
                   f"{outcome.name}: " + ("all expectations passed" if not failing else
                                          "failed: " + ", ".join(r.expectation for r in failing)))
    return dg.AssetCheckResult(
        asset_key=asset_key, check_name=outcome.name, passed=outcome.passed, metadata=metadata,
        severity=dg.AssetCheckSeverity.ERROR if outcome.severity == "error" else dg.AssetCheckSeverity.WARN,
        description=description)


@dg.multi_asset_check(
    name="submission_quality_checks",
    specs=[dg.AssetCheckSpec(name, asset=key, blocking=True,
                             description="报送质量（阻断）：原始行必须通过 GX 套件，否则当日模型不运行。"
                                         "Submission quality (blocking): the raw rows of the day pass the GX suite.")
           for name, key in SUBMISSION_SUITES.items()],
    pool="duckdb_writer",
)
def submission_quality_checks(context: dg.AssetCheckExecutionContext, warehouse: Warehouse,
                              settings: WarehouseSettings):
    """The submission suites on the raw rows of this run's partitions; a failure blocks the dbt models."""
    settings = settings.get()
    window = RunWindow.from_context(context)
    run = run_submission_checks(settings, warehouse, window.first_day, window.last_day, run_id=context.run.run_id)
    context.log.info(f"submission suites on partitions {window}: {run.seconds}")
    for outcome in run.suites:
        yield _check_result(SUBMISSION_SUITES[outcome.name], outcome, run)


_policy_specs = [
    dg.AssetCheckSpec(s["name"], asset=TARGET_OBSERVATIONS, description=s["description"])
    for s in _suites if s["kind"] == "targets"
] + [
    dg.AssetCheckSpec(s["name"], asset=TASK_STATUS, description=s["description"])
    for s in _suites if s["kind"] == "deadlines"
]


@dg.multi_asset_check(name="policy_checks", specs=_policy_specs, pool="duckdb_writer")
def policy_checks(context: dg.AssetCheckExecutionContext, warehouse: Warehouse, settings: WarehouseSettings):
    """Targets and task deadlines as of the warehouse's as-of day, after the day's dbt models."""
    settings = settings.get()
    # as of the warehouse's as-of day (macros/as_of_date.sql), not the run's last partition: a late file for
    # an old day must not evaluate the targets as of that day, and the reports must show the same verdicts
    run = run_policy_checks(settings, warehouse, None, run_id=context.run.run_id)
    # the published copy gets these verdicts from the publish job that follows (jobs.publish_job)
    context.log.info(f"policy suites as of {run.as_of} (run window {RunWindow.of_run(context)}): "
                     f"{run.seconds}; Data Docs {run.docs_index}")
    for outcome in run.suites:
        yield _check_result(TARGET_OBSERVATIONS if outcome.kind == "targets" else TASK_STATUS, outcome, run)


ASSET_CHECKS = [submission_quality_checks, policy_checks]
