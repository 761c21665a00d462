"""The warehouse's jobs and schedule (imported by definitions.py and by the sensors that start them).

Every job runs its steps in ONE process (``in_process_executor``). Dagster's default executor starts a
new Python process per step, and each one imports the definitions again (~6 s) — a quarter of a daily
run. The steps of these jobs are sequential anyway: they all write the one DuckDB file, and the
``duckdb_writer`` pool lets one writing step run at a time.
"""
import dagster as dg

from .assets.checks import policy_checks
from .assets.dbt import warehouse_daily_dbt_assets, warehouse_reference_dbt_assets
from .assets.extraction import seed_csvs
from .assets.publish import published_warehouse
from .assets.submissions import raw_submissions

WRITER_TAGS = {"policy_wh/writer": "duckdb"}

# Source text → seeds → dbt seed → staging → dimensions: rebuilt when the extraction changes.
build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.assets(seed_csvs, warehouse_reference_dbt_assets),
    description="抽取种子并构建参考数据（维度、任务、目标）。Extract the seeds and build the reference part of the warehouse.",
    tags=WRITER_TAGS,
    executor_def=dg.in_process_executor,
)

# The main daily job: inbox files → raw tables → (blocking submission checks) → progress facts, snapshot and
# reports (with their dbt tests) → the published copy. The target and deadline checks are daily_checks.
daily_load_job = dg.define_asset_job(
    name="daily_load",
    selection=(dg.AssetSelection.assets(raw_submissions, warehouse_daily_dbt_assets, published_warehouse)
               - dg.AssetSelection.checks(policy_checks)),
    description="装载各部门报送并增量更新进展事实和报表，然后发布。Load the departments' submissions, update the daily "
                "facts and reports, publish.",
    tags=WRITER_TAGS,
    executor_def=dg.in_process_executor,
)

# After each successful daily_load (daily_checks_sensor): the policy targets and task deadlines, evaluated
# as of the last day loaded, on the facts just published. The sensor gives it the load run's window (its
# partition tags, window.window_tags): the submission suites check those partitions.
daily_checks_job = dg.define_asset_job(
    name="daily_checks",
    selection=dg.AssetSelection.checks(policy_checks),
    description="按最后装载日评估政策目标和任务期限（GX）。Evaluate the policy targets and task deadlines (GX) as of "
                "the last day loaded.",
    tags=WRITER_TAGS,
    executor_def=dg.in_process_executor,
)

# After each successful daily_checks (publish_after_checks_sensor; policy-wh load and demo run it themselves):
# the published copy again, so analysts (reports.rpt_check_history, rpt_target_attainment.check_status) see the
# verdicts just stored. Publishing is the published_warehouse asset, never a side effect of a check.
publish_job = dg.define_asset_job(
    name="publish",
    selection=dg.AssetSelection.assets(published_warehouse),
    description="发布仓库副本（含最新检查结果）。Publish the warehouse again, with the verdicts daily_checks stored.",
    tags=WRITER_TAGS,
    executor_def=dg.in_process_executor,
)

# Every morning at 06:00 Langfang time, load yesterday.
daily_schedule = dg.build_schedule_from_partitioned_job(daily_load_job, hour_of_day=6, minute_of_hour=0)
