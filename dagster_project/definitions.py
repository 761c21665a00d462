"""The one Dagster entry point: assets, checks, jobs and resources of the warehouse.

Loaded by ``workspace.yaml`` (``make ui``), by ``policy-wh demo`` and by the tests.
"""
from __future__ import annotations

import dagster as dg

from .assets.dbt import dbt_resource, warehouse_dbt_assets
from .assets.extraction import seed_csvs, source_text

# The main job: source text → seeds → dbt build, everything in one run.
build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="抽取种子并构建整个数据仓库。Extract the seeds and build the whole warehouse.",
)

defs = dg.Definitions(
    assets=[source_text, seed_csvs, warehouse_dbt_assets],
    jobs=[build_warehouse_job],
    resources={"dbt": dbt_resource()},
)
