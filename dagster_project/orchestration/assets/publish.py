"""Publishing domain: after each daily load, the read-only copy analysts and BI tools open.

The asset sits downstream of every daily dbt asset (facts and reports), so a run of ``daily_load`` ends
by replacing ``data/published/warehouse.duckdb`` (``POLICY_WH_PUBLISHED``) atomically; the ``publish`` job
materializes it again after ``daily_checks`` has stored its verdicts (the checks never publish). It is not
partitioned (one copy of the whole warehouse, published once per run) and runs in the ``duckdb_writer`` pool because
it holds the working file's writer lock while it copies it (see :mod:`dagster_project.publish`).
"""
import dagster as dg

from ...publish import publish_warehouse, published_path
from ...warehouse import Warehouse
from ..resources import WarehouseSettings
from .dbt import warehouse_daily_dbt_assets

PUBLISHED_WAREHOUSE_KEY = dg.AssetKey("published_warehouse")


@dg.asset(
    key=PUBLISHED_WAREHOUSE_KEY,
    group_name="publishing",
    deps=sorted(warehouse_daily_dbt_assets.keys, key=lambda key: key.to_user_string()),
    pool="duckdb_writer",
    kinds={"duckdb"},
    description="供分析人员和 BI 工具只读使用的仓库副本（原子替换，不阻塞装载）。"
                "The read-only copy of the warehouse for analysts and BI tools, replaced atomically; never blocks a load.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: Warehouse,
                        settings: WarehouseSettings) -> dg.MaterializeResult:
    """Copy the working warehouse to the published file and record meta.publication."""
    target = published_path(settings.get())
    publication = publish_warehouse(warehouse.path, target, run_id=context.run.run_id, published_by="dagster")
    context.log.info(f"published {publication.path} ({publication.bytes} bytes) in {publication.seconds:.2f} s")
    counts = {f"{schema}.{name}": rows for schema, name, kind, rows in publication.table_rows
              if schema in ("marts", "reports")}
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(publication.path)),
        "published_at": publication.published_at.isoformat(),
        "bytes": publication.bytes,
        "seconds": round(publication.seconds, 3),
        "tables": len(publication.table_rows),
        "total_rows": publication.total_rows,
        "rows_by_table": dg.MetadataValue.json(counts),
    })


ASSETS = [published_warehouse]
