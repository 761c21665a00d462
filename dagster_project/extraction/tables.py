"""The 10 TAB-encoded tables of the source, rebuilt as rows of cells (source-catalog §8).

OWNER: helper "tasks". STUB — to be replaced by the real implementation.

Encoding: a cell is a line starting with a TAB; a line without a TAB continues the cell above;
a lone TAB is an empty cell; headers repeated at page breaks are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .context import ExtractionContext


@dataclass(frozen=True)
class Cell:
    text: str   # continuation lines joined, whitespace-normalised
    line: int   # line of the cell's first (TAB) line


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]   # one per column of the table's header (a missing cell is an empty Cell)
    line: int                 # line of the row's first cell
    section: str = ""         # the section heading row in force (e.g. （一）依法全面履行政府职能), if any


@dataclass(frozen=True)
class Table:
    table_id: str             # T1 … T10 in source order
    doc_id: str
    title: str                # the table's name line
    header: tuple[str, ...]   # column names, whitespace removed (序号, 工作任务, 牵头部门 …)
    line_start: int
    line_end: int
    rows: list[TableRow] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """Index of the first header containing any of ``names`` (e.g. column('牵头')), else None."""
        for index, header in enumerate(self.header):
            if any(name in header for name in names):
                return index
        return None


def find_tables(ctx: ExtractionContext) -> list[Table]:
    """All TAB tables in source order (cached per run)."""
    return ctx.cached("tables", lambda: [])
