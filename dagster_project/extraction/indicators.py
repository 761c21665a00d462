"""Indicators: the measured quantities that targets refer to, shared across documents.

Two sources feed one registry (source-catalog §5 指标体系, §8.2 T6/T10):
- the indicators of the targets themselves (县域内就诊率 in 〔2015〕181号 …), named after the
  subject the text gives the value (the words before 达到/提高到/≥, or the object of 建成 N 个);
- the indicator systems printed as tables without target values: 廊政〔2015〕118号 附件1 (T6,
  50 three-level indicators with unit and responsible unit) and 廊政办〔2015〕68号's assessment
  table (T10, 13 numbered indicators). They are indicators, not targets.

Ids: ``ind-{nnn}``, numbered in order of first appearance in the source (line, then position
on the line); an indicator is SHARED by every occurrence whose normalised name is equal, so a
rate named in the assessment table (制造业产品质量合格率, T10) and targeted by another document
(〔2015〕168号) is one row. The TAB cells are read here directly (one cell per TAB line, lines
without a TAB continue the cell, §8.1) so that the registry does not wait for the tables module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .context import ExtractionContext
from .documents import Document
from .source import remove_whitespace


@dataclass(frozen=True)
class IndicatorOccurrence:
    name: str
    unit: str
    direction: str      # higher_is_better | lower_is_better
    description: str
    line: int
    position: int = 0   # offset on the line, for a stable order among several on one line


@dataclass(frozen=True)
class Cell:
    text: str
    line: int


_SCOPE_PREFIX = re.compile(r"^(?:全市|我市|市本级|全部|所有)")
_FULL_WIDTH = str.maketrans("（）％，：", "()%,:")


def normalise_name(name: str) -> str:
    """The key under which indicators are shared: no spaces, half-width brackets, no scope prefix."""
    key = remove_whitespace(name).translate(_FULL_WIDTH)
    key = _SCOPE_PREFIX.sub("", key)
    return key.strip("的、,")


def read_cells(ctx: ExtractionContext, first: int, last: int) -> list[Cell]:
    """TAB cells between two lines: a TAB line opens a cell, a non-empty line without TAB continues it."""
    cells: list[Cell] = []
    for n in range(first, last + 1):
        text = ctx.source.line(n)
        if text.startswith("\t"):
            cells.append(Cell(remove_whitespace(text), n))
        elif text.strip() and cells:
            cells[-1] = Cell(cells[-1].text + remove_whitespace(text), cells[-1].line)
    return cells


def _find_line(ctx: ExtractionContext, doc: Document, pattern: re.Pattern, start: int | None = None) -> int | None:
    for n in range(start or doc.line_start, doc.line_end + 1):
        if pattern.search(ctx.source.line(n)):
            return n
    return None


_SEQUENCE = re.compile(r"^\d{1,2}$")
_NEXT_ANNEX = re.compile(r"^\s*附件\s*\d\s*$")


def three_level_indicator_system(ctx: ExtractionContext) -> list[IndicatorOccurrence]:
    """T6: the indicator table whose header holds 三级指标 and 单位 (廊政〔2015〕118号 附件1)."""
    found: list[IndicatorOccurrence] = []
    for doc in ctx.documents:
        header = _find_line(ctx, doc, re.compile(r"^\t三\s*级\s*指\s*标\s*$"))
        if header is None:
            continue
        end = _find_line(ctx, doc, _NEXT_ANNEX, header + 1) or doc.line_end
        cells = read_cells(ctx, header, end - 1)
        level1 = level2 = ""
        last_row_end = 0
        for i, cell in enumerate(cells):
            if not _SEQUENCE.match(cell.text) or i + 3 > len(cells):
                continue
            before = [c.text for c in cells[last_row_end:i]]
            if len(before) >= 2:
                level1 = before[-2] or level1
                level2 = before[-1] or level2
            elif len(before) == 1:
                level2 = before[-1] or level2
            name, unit = cells[i + 1].text, cells[i + 2].text
            responsible = cells[i + 3].text if i + 3 < len(cells) and not _SEQUENCE.match(cells[i + 3].text) else ""
            last_row_end = i + 4
            description = f"{doc.doc_no}附件1指标体系：一级指标 {level1}；二级指标 {level2}；序号 {cell.text}"
            if responsible:
                description += f"；责任单位 {responsible}"
            found.append(IndicatorOccurrence(name, unit.replace("％", "%"), "higher_is_better", description, cells[i + 1].line))
    return found


_RATE = re.compile(r"(?:率|指数|满意度|贡献率|产值率)$")


def assessment_indicator_system(ctx: ExtractionContext) -> list[IndicatorOccurrence]:
    """T10: the numbered assessment indicators (考核内容｜序号｜考核指标｜考核要点｜备注)."""
    found: list[IndicatorOccurrence] = []
    for doc in ctx.documents:
        header = _find_line(ctx, doc, re.compile(r"^\t考核要点\s*$"))
        if header is None:
            continue
        cells = read_cells(ctx, header + 1, doc.line_end)
        group = indicator = ""
        sequences = [i for i, c in enumerate(cells) if _SEQUENCE.match(c.text)]
        for k, i in enumerate(sequences):
            stop = sequences[k + 1] if k + 1 < len(sequences) else len(cells)
            if i > 0 and cells[i - 1].text and not _SEQUENCE.match(cells[i - 1].text):
                group = cells[i - 1].text
            # the last cell before the next number is the next row's 考核内容 (often an empty merged cell)
            row = list(cells[i + 1: stop - 1 if k + 1 < len(sequences) else stop])
            if row and row[0].text:
                indicator = row[0].text
            points = [c.text for c in row[1:] if c.text]
            first_point = row[1] if len(row) > 1 and row[1].text else None
            if first_point is not None and _RATE.search(re.sub(r"[（(][^）)]*[）)]$", "", first_point.text)) \
                    and len(points) <= 2:
                name, line = first_point.text, first_point.line
            else:
                name, line = indicator.rstrip("。"), (row[0].line if row else cells[i].line)
            description = f"{doc.doc_no}考核指标 第{cells[i].text}项：考核内容 {group}；考核指标 {indicator}"
            if points and name == indicator:
                description += "；考核要点 " + "、".join(p for p in points if not p.startswith("相关考核目标"))
            found.append(IndicatorOccurrence(name, "", "higher_is_better", description, line))
    return found


@dataclass
class IndicatorRegistry:
    """Assigns ``ind-{nnn}`` ids by first appearance and shares them by normalised name."""

    rows: dict[str, dict[str, object]]

    @classmethod
    def build(cls, occurrences: list[IndicatorOccurrence]) -> "IndicatorRegistry":
        rows: dict[str, dict[str, object]] = {}
        for occurrence in sorted(occurrences, key=lambda o: (o.line, o.position)):
            key = normalise_name(occurrence.name)
            if not key or key in rows:
                if key in rows and not rows[key]["unit"] and occurrence.unit:
                    rows[key]["unit"] = occurrence.unit
                continue
            rows[key] = {
                "indicator_id": f"ind-{len(rows) + 1:03d}",
                "name": _SCOPE_PREFIX.sub("", remove_whitespace(occurrence.name)).strip("的、,，"),
                "unit": occurrence.unit,
                "direction": occurrence.direction,
                "description": occurrence.description,
                "line": occurrence.line,
            }
        return cls(rows)

    def id_for(self, name: str) -> str:
        row = self.rows.get(normalise_name(name))
        return str(row["indicator_id"]) if row else ""

    def table_rows(self) -> list[dict[str, object]]:
        return list(self.rows.values())
