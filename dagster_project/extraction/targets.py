"""Quantitative targets and the indicators they measure.

OWNER: helper "targets and deadlines". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

TARGET_COLUMNS = (
    "target_id", "doc_id", "task_id", "indicator_id", "comparator", "value", "value_high", "unit", "scope",
    "region_code", "due_date", "verbatim", "line",
)
INDICATOR_COLUMNS = ("indicator_id", "name", "unit", "direction", "description", "line")


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
