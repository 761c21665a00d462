"""One policy area per document, from a short curated list reviewed by hand.

OWNER: helper "groups". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

POLICY_AREA_COLUMNS = ("doc_id", "policy_area")


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
