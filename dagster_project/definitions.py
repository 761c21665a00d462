"""The one Dagster entry point: assets, checks, jobs, schedules, sensors and resources of the warehouse.

Loaded by ``workspace.yaml`` (``make ui``), by ``policy-wh`` and by the tests. Everything it puts
together lives in ``orchestration/`` (assets, jobs, sensors).
"""
import dagster as dg

from .orchestration.assets.checks import ASSET_CHECKS
from .orchestration.assets.dbt import dbt_resource, warehouse_daily_dbt_assets, warehouse_reference_dbt_assets
from .orchestration.assets.extraction import seed_csvs, source_text
from .orchestration.assets.publish import published_warehouse
from .orchestration.assets.submissions import raw_submissions
from .orchestration.jobs import build_warehouse_job, daily_checks_job, daily_load_job, daily_schedule, publish_job
from .orchestration.resources import WarehouseSettings
from .orchestration.sensors import daily_checks_sensor, inbox_sensor, publish_after_checks_sensor
from .recovery import install_dagster_patches
from .warehouse import Warehouse

# Every process that loads these definitions — `make ui`'s code server and each run the daemon launches
# (`dagster api execute_run` imports this module), not only `policy-wh load` — waits for a duckdb_writer pool
# slot without spinning a core, and can be interrupted while it waits (dagster_project/recovery.py).
install_dagster_patches()

defs = dg.Definitions(
    assets=[
        source_text, seed_csvs, warehouse_reference_dbt_assets,
        raw_submissions, warehouse_daily_dbt_assets, published_warehouse,
    ],
    asset_checks=ASSET_CHECKS,
    jobs=[build_warehouse_job, daily_load_job, daily_checks_job, publish_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor, daily_checks_sensor, publish_after_checks_sensor],
    # the settings from the environment (settings.py's defaults); `policy-wh load`/`demo` pass theirs as run config
    resources={"dbt": dbt_resource(), "warehouse": Warehouse(), "settings": WarehouseSettings()},
)
