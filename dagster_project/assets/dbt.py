"""dbt domain: every seed, model and test of the dbt project as Dagster assets.

Asset keys are ``[schema, name]`` (``raw/documents``, ``marts/dim_document``) so the UI reads like the
warehouse; every seed depends on the ``seed_csvs`` extraction asset. Two asset sets share one manifest:

* the reference set (seeds, staging, dimensions, task and target facts) — rebuilt when the seeds change;
* the daily set (progress facts, the daily status snapshot, reports) — partitioned by day and rebuilt
  incrementally for the window of data days the run's raw load touched (dbt vars min_date/max_date).
"""
import json
from typing import Any, Mapping, Optional

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..dbt_runner import dbt_executable, ensure_manifest
from ..settings import export_environment, load_settings
from ..warehouse import Warehouse, daily_partitions, partition_dates
from .extraction import SEED_CSVS
from .submissions import window_for_run

_settings = load_settings()

dbt_project = DbtProject(project_dir=_settings.dbt_project_dir, profiles_dir=_settings.dbt_project_dir)
# A fresh clone has no target/, and an edited model makes the manifest stale: parse then, and only then
# (dagster-dbt's prepare_if_dev would parse again in every run process of `dagster dev`).
ensure_manifest(_settings)

# Everything downstream of the submitted data, plus the reports: the daily set.
DAILY_SELECTION = (
    "source:raw.progress_reports+ source:raw.indicator_values+ source:raw.air_quality_readings+ "
    "path:models/reports"
)


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys by schema and name; groups by domain; seeds hang below the extraction asset."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Optional[DbtProject]) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "seed":
            spec = spec.merge_attributes(deps=[SEED_CSVS])
        return spec

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    exclude=DAILY_SELECTION,
    name="warehouse_reference_dbt_assets",
)
def warehouse_reference_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build of the reference set: seeds, staging views, dimensions, bridge and target facts, their tests."""
    export_environment(load_settings())  # the dbt subprocess reads POLICY_WH_DB
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    select=DAILY_SELECTION,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    name="warehouse_daily_dbt_assets",
    pool="duckdb_writer",
)
def warehouse_daily_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    """dbt build of the daily set, incrementally for the data days this run loaded."""
    export_environment(load_settings())
    start, end = partition_dates(context)
    window_start, window_end = window_for_run(warehouse, context.run.run_id, start, end)
    context.log.info(f"rebuilding the data days {window_start} … {window_end}")
    dbt_vars = {"min_date": window_start.isoformat(), "max_date": window_end.isoformat()}
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(_settings.dbt_project_dir), dbt_executable=dbt_executable())
