"""Tasks (measures) of the documents: numbered body items, list items and task-table rows.

OWNER: helper "tasks". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from dataclasses import dataclass

from .context import ExtractionContext
from .seed_files import SeedTable

TASK_COLUMNS = (
    "task_id", "doc_id", "task_ref", "task_text", "source_kind", "deadline_text", "deadline_date",
    "deadline_kind", "line", "duplicate_of",
)
ASSIGNMENT_COLUMNS = ("task_id", "org_id", "role", "name_as_printed", "generic", "line")


@dataclass(frozen=True)
class Task:
    task_id: str
    doc_id: str
    task_ref: str
    task_text: str
    source_kind: str        # table | body | list
    deadline_text: str
    deadline_date: str      # ISO or ""
    deadline_kind: str
    line: int               # where the measure's text starts
    line_end: int           # last line of the measure (not written; lets targets find their task)
    duplicate_of: str       # for a body measure repeated by a table row: that row's task_id

    def as_row(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in TASK_COLUMNS}


def find_tasks(ctx: ExtractionContext) -> list[Task]:
    """All tasks of all documents, in source order (cached per run)."""
    return ctx.cached("tasks", lambda: [])


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return []
