"""Extraction domain: the source text and the seed CSVs extracted from it."""

import hashlib

import dagster as dg

from ...extraction.pipeline import extract_to_seeds
from ..resources import WarehouseSettings

SOURCE_TEXT = dg.AssetKey(["source_text"])
SEED_CSVS = dg.AssetKey(["seed_csvs"])

source_text = dg.AssetSpec(
    key=SOURCE_TEXT,
    group_name="extraction",
    description=(
        "廊坊市 2015 年下半年政府文件汇编原文（只读）。"
        "The source text: the 82 policy documents of 2015 H2, sources/langfang-2015-policy-documents.txt."
    ),
    kinds={"text"},
)


@dg.asset(
    key=SEED_CSVS,
    deps=[source_text],
    group_name="extraction",
    kinds={"csv"},
    description="从原文抽取的种子表（seeds/*.csv）。Seed CSVs extracted from the source text by policy-wh extract.",
)
def seed_csvs(context: dg.AssetExecutionContext, settings: WarehouseSettings) -> dg.MaterializeResult:
    settings = settings.get()
    extraction = extract_to_seeds(settings.source_path, settings.seeds_dir)
    digest = hashlib.sha256(settings.source_path.read_bytes()).hexdigest()
    rows = {table.name: len(table.rows) for table in extraction.tables}
    context.log.info(f"extracted {rows} from {settings.source_path}")
    return dg.MaterializeResult(
        metadata={
            "source_sha256": digest,
            "seeds_dir": str(settings.seeds_dir),
            **{f"rows_{name}": count for name, count in rows.items()},
        },
        data_version=dg.DataVersion(digest),
    )
