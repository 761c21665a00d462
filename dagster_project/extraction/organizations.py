"""Organisations named in the source, their aliases, and the resolver every other extractor uses.

OWNER: helper "organisations". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from dataclasses import dataclass

from .context import ExtractionContext
from .seed_files import SeedTable

ORGANIZATION_COLUMNS = ("org_id", "name", "short_name", "kind", "level", "parent_org_id", "valid_from", "valid_to", "line")
ALIAS_COLUMNS = ("alias", "org_id", "line")


@dataclass(frozen=True)
class NameResolution:
    """What one printed name refers to.

    Exactly one of: an organisation (``org_id``), a region's government (``org_id`` of kind
    region_government *and* ``region_code``), a generic phrase (``generic`` true, e.g. 有关部门,
    市政府各部门, 各县（市、区）政府), or nothing (all empty: unresolved, reported by --report).
    """

    name_as_printed: str
    org_id: str | None = None
    region_code: str | None = None
    generic: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.org_id or self.region_code or self.generic)


def split_names(text: str) -> list[str]:
    """Split a printed list of bodies (顿号/逗号/分号, nested （市、区）kept intact) into single names."""
    raise NotImplementedError


def resolve_name(name: str) -> NameResolution:
    """Resolve one printed name (市人社局, 工商局, 发展改革部门, 三河市政府, 有关部门 …)."""
    return NameResolution(name_as_printed=name)


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
