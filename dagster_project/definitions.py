"""The one Dagster entry point: assets, checks, jobs, schedules, sensors and resources of the warehouse.

Loaded by ``workspace.yaml`` (``make ui``), by ``policy-wh`` and by the tests.
"""
import dagster as dg

from .assets.checks import ASSET_CHECKS
from .assets.dbt import dbt_resource, warehouse_daily_dbt_assets, warehouse_reference_dbt_assets
from .assets.extraction import seed_csvs, source_text
from .assets.publish import published_warehouse
from .assets.submissions import raw_submissions
from .sensors import inbox_sensor
from .warehouse import Warehouse

# Source text → seeds → dbt seed → staging → dimensions: rebuilt when the extraction changes.
build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.assets(seed_csvs, warehouse_reference_dbt_assets),
    description="抽取种子并构建参考数据（维度、任务、目标）。Extract the seeds and build the reference part of the warehouse.",
    tags={"policy_wh/writer": "duckdb"},
)

# The main daily job: inbox files → raw tables → progress facts, snapshot and reports → the published copy.
daily_load_job = dg.define_asset_job(
    name="daily_load",
    selection=dg.AssetSelection.assets(raw_submissions, warehouse_daily_dbt_assets, published_warehouse),
    description="装载各部门报送并增量更新进展事实和报表。Load the departments' submissions and update the daily facts and reports.",
    tags={"policy_wh/writer": "duckdb"},
)

# Every morning at 06:00 Langfang time, load yesterday.
daily_schedule = dg.build_schedule_from_partitioned_job(daily_load_job, hour_of_day=6, minute_of_hour=0)

defs = dg.Definitions(
    assets=[
        source_text, seed_csvs, warehouse_reference_dbt_assets,
        raw_submissions, warehouse_daily_dbt_assets, published_warehouse,
    ],
    asset_checks=ASSET_CHECKS,
    jobs=[build_warehouse_job, daily_load_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor],
    resources={"dbt": dbt_resource(), "warehouse": Warehouse()},
)
