"""The 10 TAB-encoded tables of the source, rebuilt as rows of cells (source-catalog §8).

Why it is not a plain "split on blank lines": the source was exported one cell per line.
A cell is a line starting with a TAB; a line without a TAB continues the cell above (long
cells wrap, department cells put one name per line with blank lines between); a lone TAB is
an empty cell. Blank lines appear both between rows and inside cells, so rows are rebuilt from
the cell sequence instead: on the 序号 cell (``^\\t\\d+$``) where 序号 is the first column, by
the header's column count elsewhere (the indicator tables T6 and T10, whose 序号 column is
not first). Headers repeated at page breaks are skipped; the single-cell section rows of T1
（（一）依法全面履行政府职能 …) become the ``section`` of the rows below them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .context import ExtractionContext
from .source import SourceText, remove_whitespace

_NUMBER = re.compile(r"^\d+$")
# An annex marker line ("附件", " 附件1", "附件2") separates two tables of the same document.
_ANNEX_MARKER = re.compile(r"^\s*附件\s*\d*\s*$")


@dataclass(frozen=True)
class Cell:
    text: str   # continuation lines joined, whitespace-normalised
    line: int   # line of the cell's first (TAB) line
    # (line, text) of every source line of the cell, the TAB line first: department cells put one
    # name per line, and provenance needs the line each name is printed on.
    parts: tuple[tuple[int, str], ...] = ()


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

    def cell(self, row: TableRow, *names: str) -> Cell | None:
        """The row's cell under the first header containing any of ``names``, else None."""
        index = self.column(*names)
        return None if index is None else row.cells[index]


def _read_cells(source: SourceText, first: int, last: int) -> list[Cell]:
    """The cell sequence of lines first..last: TAB lines open cells, other non-blank lines continue them."""
    cells: list[list[tuple[int, str]]] = []
    for number in range(first, last + 1):
        raw = source.line(number)
        if raw.startswith("\t"):
            cells.append([(number, raw[1:].strip())])
        elif raw.strip() and cells:
            cells[-1].append((number, raw.strip()))
    return [
        Cell(text=remove_whitespace("".join(text for _, text in parts)), line=parts[0][0], parts=tuple(parts))
        for parts in cells
    ]


def _blocks(source: SourceText, first: int, last: int) -> list[tuple[int, int]]:
    """Line spans of the TAB tables inside first..last, split at annex marker lines."""
    spans: list[tuple[int, int]] = []
    start = end = None
    for number in range(first, last + 1):
        raw = source.line(number)
        if raw.startswith("\t"):
            if start is None:
                start = number
            end = number
        elif _ANNEX_MARKER.match(raw) and start is not None:
            spans.append((start, end))
            start = end = None
    if start is not None:
        spans.append((start, end))
    # A table's last cell may wrap onto lines after its last TAB line.
    widened = []
    for index, (start, end) in enumerate(spans):
        limit = spans[index + 1][0] - 1 if index + 1 < len(spans) else last
        while end < limit and not _ANNEX_MARKER.match(source.line(end + 1)):
            end += 1
        while not _is_content(source.line(end)):
            end -= 1
        widened.append((start, end))
    return widened


def _header_block(source: SourceText, start: int, last: int) -> int:
    """Last line of the header block opening at ``start``: header lines are contiguous (no blank line)."""
    end = start
    while end + 1 <= last and _is_content(source.line(end + 1)):
        end += 1
    return end


def _is_content(raw: str) -> bool:
    """A cell line (a lone TAB is an empty cell) or a continuation line; False for a blank line."""
    return raw.startswith("\t") or bool(raw.strip())


def _merge_headers(top: list[str], second: list[str]) -> list[str]:
    """Merge a two-line header (T6): the second line's labelled run shares one top-line name."""
    names: list[str] = []
    remaining = list(top)
    index = 0
    while index < len(second):
        if not second[index]:
            names.append(remaining.pop(0) if remaining else "")
            index += 1
            continue
        parent = remaining.pop(0) if remaining else ""
        while index < len(second) and second[index]:
            sub = second[index]
            names.append(sub if sub == "序号" else f"{parent}（{sub}）")
            index += 1
    return names


def _title(source: SourceText, first: int, table_start: int) -> str:
    """The table's name: the non-empty lines between the annex marker (or the document text) and the table."""
    lines: list[str] = []
    number = table_start - 1
    while number >= first:
        text = source.line(number).strip()
        if _ANNEX_MARKER.match(text) or text.startswith("附件："):
            break
        if text:
            lines.insert(0, text)
        elif lines and len(lines) >= 1 and number < table_start - 6:
            break
        number -= 1
    return remove_whitespace("".join(lines[-3:]))


def _rows_by_anchor(cells: list[Cell], header: list[str]) -> list[TableRow]:
    """Rows opened by their 序号 cell; extra cells are section headings or repeated headers."""
    width = len(header)
    rows: list[TableRow] = []
    section = ""
    index = 0
    pending: list[Cell] = []

    def flush_extra(extra: list[Cell]) -> None:
        nonlocal section
        texts = [c.text for c in extra]
        if texts[:width] == header:
            return
        if len(extra) == 1 and extra[0].text:
            section = extra[0].text

    while index < len(cells):
        cell = cells[index]
        if not _NUMBER.match(cell.text):
            pending.append(cell)
            index += 1
            continue
        if pending:
            flush_extra(pending)
            pending = []
        row_cells = [cell]
        index += 1
        while index < len(cells) and len(row_cells) < width and not _NUMBER.match(cells[index].text):
            row_cells.append(cells[index])
            index += 1
        while len(row_cells) < width:
            row_cells.append(Cell(text="", line=row_cells[-1].line))
        rows.append(TableRow(cells=tuple(row_cells), line=cell.line, section=section))
    return rows


def _rows_by_width(cells: list[Cell], header: list[str], number_column: int) -> list[TableRow]:
    """Rows of ``len(header)`` cells; a row is one cell short when the next row's first cell is a 序号.

    That is T10's last two rows (否决项, 工作成效), whose 考核指标 spans two columns.
    """
    width = len(header)
    rows: list[TableRow] = []
    index = 0
    while index < len(cells):
        take = width
        following = index + width
        if number_column > 0 and (
            len(cells) - index == width - 1
            or (following < len(cells) and _NUMBER.match(cells[following].text) and cells[following - 1].text)
        ):
            take = width - 1
        row_cells = list(cells[index:index + take])
        if [c.text for c in row_cells] == header:
            index += take
            continue
        if take < width:
            # The spanning cell is the 考核指标/考核要点 pair: the printed text is the 考核要点.
            row_cells.insert(number_column + 1, Cell(text="", line=row_cells[number_column].line))
        while len(row_cells) < width:
            row_cells.append(Cell(text="", line=row_cells[-1].line))
        rows.append(TableRow(cells=tuple(row_cells), line=row_cells[0].line))
        index += take
    return rows


def _build_table(source: SourceText, doc_id: str, first: int, start: int, end: int, table_id: str) -> Table:
    header_end = _header_block(source, start, end)
    header_cells = _read_cells(source, start, header_end)
    header = [c.text for c in header_cells]
    body_start = header_end + 1
    # A second header line (T6: "", "", 序号, 主要内容, "", "") before any numbered row.
    next_start = next(n for n in range(body_start, end + 1) if _is_content(source.line(n)))
    next_end = _header_block(source, next_start, end)
    second = _read_cells(source, next_start, next_end)
    second_texts = [c.text for c in second]
    if "序号" in second_texts and not any(_NUMBER.match(t) for t in second_texts):
        header = _merge_headers(header, second_texts)
        body_start = next_end + 1
    cells = _read_cells(source, body_start, end)
    number_column = header.index("序号") if "序号" in header else 0
    if number_column == 0:
        rows = _rows_by_anchor(cells, header)
    else:
        rows = _rows_by_width(cells, header, number_column)
    return Table(
        table_id=table_id,
        doc_id=doc_id,
        title=_title(source, first, start),
        header=tuple(header),
        line_start=start,
        line_end=end,
        rows=rows,
    )


def _find_tables(ctx: ExtractionContext) -> list[Table]:
    tables: list[Table] = []
    for document in ctx.documents:
        last = document.line_end
        # The document registry ends on the last non-blank line; a trailing empty cell (6537) is a lone TAB.
        while last < len(ctx.source) and ctx.source.line(last + 1) == "\t":
            last += 1
        for start, end in _blocks(ctx.source, document.line_start, last):
            table_id = f"T{len(tables) + 1}"
            tables.append(_build_table(ctx.source, document.doc_id, document.line_start, start, end, table_id))
    return tables


def find_tables(ctx: ExtractionContext) -> list[Table]:
    """All TAB tables in source order (cached per run)."""
    return ctx.cached("tables", lambda: _find_tables(ctx))
