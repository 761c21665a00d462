"""Leading groups, committees and joint conferences, with their named members.

OWNER: helper "groups". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from .context import ExtractionContext
from .seed_files import SeedTable

GROUP_COLUMNS = ("group_id", "doc_id", "name", "office_org_id", "line")
MEMBER_COLUMNS = ("group_id", "role", "person_name", "position_text", "org_id", "line")


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
