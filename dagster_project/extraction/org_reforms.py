"""The 2015 institutional reform (三定 documents 〔2015〕158/159/160号) as organisation changes.

OWNER: helper "organisations". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

REFORM_COLUMNS = ("org_id", "doc_id", "effective_on", "change", "from_org_id", "to_org_id", "detail", "line")


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
