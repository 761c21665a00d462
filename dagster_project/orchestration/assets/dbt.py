"""dbt domain: every seed, model and test of the dbt project as Dagster assets.

Asset keys are ``[schema, name]`` (``raw/documents``, ``marts/dim_document``) so the UI reads like the
warehouse; every seed depends on the ``seed_csvs`` extraction asset. Two asset sets share one manifest:

* the reference set (seeds, staging, dimensions, task and target facts) — rebuilt when the seeds change;
* the daily set (progress facts, the daily status snapshot, reports) — rebuilt incrementally for the window
  of data days the run's raw load touched (dbt vars min_date/max_date: the window the raw load emitted,
  :mod:`dagster_project.orchestration.window`). These assets are NOT partitioned: only the raw load is (the
  days the data belongs to). A daily-partitioned dbt asset made Dagster record one materialization (and one
  "planned" event) per model per day of a run's range: 11,550 materializations and 23,231 events for the
  demo's 18-month run, 260 s of a step whose dbt work took 5 s. Each model is one table maintained
  incrementally, so one materialization per run, with the window it rebuilt in the run's tags and the raw
  load's metadata, is what happened.

How dbt runs: in the step's own process (:func:`dbt_build`), not through ``DbtCliResource.cli``. The CLI
path starts a new Python process and, because the daily run passes ``--vars``, re-parses the whole project
every run (dbt drops its partial-parse cache when vars change): ~12 s of a ~19 s step. In process, the
manifest is parsed once per process without vars (partial parse, < 1 s) and handed to ``dbtRunner``; dbt's
node results are turned into the same Dagster events dagster-dbt yields (materializations, asset check
results for dbt tests) by dagster-dbt's own ``DbtCoreCliEventMessage``, so the UI shows exactly what it did.
"""
import json
from typing import Any, Iterator, Mapping, Optional, Sequence

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from ...dbt_runner import (dbt_environment, dbt_executable, failure_message, invoke_dbt, parsed_manifest,
                           prepare_warehouse, require_manifest)
from ...settings import Settings, load_settings
from ...raw_layer import DAILY_DBT_SELECTION
from ..resources import WarehouseSettings
from .extraction import SEED_CSVS
from .submissions import load_window_of_run

_settings = load_settings()

dbt_project = DbtProject(project_dir=_settings.dbt_project_dir, profiles_dir=_settings.dbt_project_dir)
# Importing these definitions never runs dbt: the manifest is prepared before (`policy-wh build`/`ui`/`load`/
# `demo`, `make manifest`, `make ui`); without one this says how to make it, and a stale one is named in a warning.
require_manifest(_settings)

# Everything downstream of the submitted data, plus the reports: the daily set.
DAILY_SELECTION = DAILY_DBT_SELECTION      # everything downstream of a declared kind's raw table, and the reports


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
def warehouse_reference_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                                   settings: WarehouseSettings):
    """dbt build of the reference set: seeds, staging views, dimensions, bridge and target facts, their tests."""
    yield from dbt_build(context, dbt, ["build"], settings.get())


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    select=DAILY_SELECTION,
    name="warehouse_daily_dbt_assets",
    pool="duckdb_writer",
)
def warehouse_daily_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: WarehouseSettings):
    """dbt build of the daily set, incrementally for the data days this run loaded.

    The dbt unit tests of these models are left out: they test the models' SQL on fixed fixture rows, not
    the day's data, so their verdict only changes with the code — they run in `policy-wh build`, in the
    test suite (tests/integration/test_incremental_facts.py) and in CI, not again every morning (~1 s)."""
    window = load_window_of_run(context)
    context.log.info(f"rebuilding the data days {window}")
    yield from dbt_build(context, dbt, ["build", "--exclude", "resource_type:unit_test",
                                        "--vars", json.dumps(window.dbt_vars())], settings.get())


# dbt's per-node result events, the ones dagster-dbt turns into Dagster events.
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})


def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, args: Sequence[str],
              settings: Settings) -> Iterator[Any]:
    """Run ``dbt <args>`` for the assets (and dbt-test checks) selected in this step, in this process.

    The selection is dagster-dbt's own (``--select``/``--exclude`` for the step's subset, indirect selection
    for the selected checks). A subset so large that dagster-dbt writes a temporary selectors.yml into a
    copy of the project cannot use our parsed manifest, so it goes through the dbt CLI as before."""
    from dbt_common.events.functions import msg_to_dict

    cleaned_args, runtime_selects, runtime_excludes = extract_runtime_selection_from_args(args)
    params = get_updated_cli_invocation_params_for_context(
        context=context, manifest=dbt_project.manifest_path, dagster_dbt_translator=WarehouseTranslator(),
        runtime_selects=runtime_selects, runtime_excludes=runtime_excludes)
    if "--selector" in params.selection_args:
        prepare_warehouse(settings)
        with dbt_environment(settings):
            yield from dbt.cli(list(args), context=context).stream()
        return
    results: list[dict[str, Any]] = []

    def collect(event: Any) -> None:
        if event.info.name in RESULT_EVENTS:
            results.append(msg_to_dict(event))

    flags = [*cleaned_args, *params.selection_args]
    if params.indirect_selection:
        flags += ["--indirect-selection", params.indirect_selection]
    outcome = invoke_dbt(settings, flags, manifest=parsed_manifest(settings), callbacks=[collect])
    for raw_event in results:
        event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=params.manifest, dagster_dbt_translator=params.dagster_dbt_translator, context=context,
            target_path=settings.dbt_target_dir, project=params.dbt_project)
    if not outcome.success:
        raise dg.Failure(description=failure_message(flags, outcome))


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(_settings.dbt_project_dir), dbt_executable=dbt_executable())
