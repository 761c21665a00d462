"""The 11 regional units of Langfang (10 county-level divisions and 廊坊开发区).

OWNER: helper "organisations". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

REGION_COLUMNS = ("region_code", "name", "short_name", "kind", "aq_group", "line")


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
