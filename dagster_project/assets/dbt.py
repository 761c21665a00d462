"""dbt domain: every seed, model and test of the dbt project as Dagster assets.

Asset keys are ``[schema, name]`` (``raw/documents``, ``marts/dim_document``) so the UI reads
like the warehouse; every seed depends on the ``seed_csvs`` extraction asset.
"""

from typing import Any, Mapping, Optional

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..dbt_runner import dbt_executable, ensure_manifest
from ..settings import export_environment, load_settings
from .extraction import SEED_CSVS

_settings = load_settings()

dbt_project = DbtProject(project_dir=_settings.dbt_project_dir, profiles_dir=_settings.dbt_project_dir)
# A fresh clone has no target/, and an edited model makes the manifest stale: parse then, and only then
# (dagster-dbt's prepare_if_dev would parse again in every run process of `dagster dev`).
ensure_manifest(_settings)


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


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=WarehouseTranslator())
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: seeds, staging views, marts and their tests."""
    export_environment(load_settings())  # the dbt subprocess reads POLICY_WH_DB
    yield from dbt.cli(["build"], context=context).stream()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(_settings.dbt_project_dir), dbt_executable=dbt_executable())
