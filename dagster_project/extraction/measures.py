"""The numbered items of the documents' running text, as a tree, and which of them are measures.

Why a tree: source-catalog §1 counts only the *lowest-level* numbered items (一、 > （一） > 1. >
（1）), so a heading such as （一）依法全面履行政府职能 is a measure only when nothing is numbered
under it; and whole branches are excluded by their heading (总体要求, 指导思想, 基本原则, 发展目标,
工作目标, 适用范围, 重要意义). The articles (第X条) of rules-type documents (办法, 规则, 细则, "三定"
规定) are not measures at all, nor are the TAB tables (tables.py) or name lists in annexes.

Most items are one measure each (their continuation paragraphs included). Three layouts put
several measures in one item, one per paragraph: paragraphs that each carry their own department
annotation (廊政办〔2015〕49号 5452–5456), "市商务局负责……" paragraphs under a bare heading
(〔2015〕135号 四、任务分工 7290–7315), and documents written as sub-headings over runs of titled
paragraphs (廊政〔2015〕115号, the special case of §1). Sub-items that only define terms
(廊政办〔2015〕60号 5900–5914) fold back into their parent.

The non-table annex of 廊政〔2015〕114号 (a 分工方案 of 16 numbered items) and the work points of
廊政办〔2015〕50号 (grouped under vice-mayors by "以上工作由……负责" lines) are ``list`` measures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .context import ExtractionContext
from .documents import Document
from .source import SourceText, normalise_whitespace
from .tables import find_tables

# Numbering levels, outermost first. Half-width brackets occur (「(二）」5756).
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^\s*(?P<n>[一二三四五六七八九十]+)、")),
    (2, re.compile(r"^\s*[（(](?P<n>[一二三四五六七八九十]+)[）)]")),
    (3, re.compile(r"^\s*(?P<n>\d{1,2})\s*[.．](?!\d)")),
    (4, re.compile(r"^\s*[（(](?P<n>\d{1,2})[）)]")),
)
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百]+条")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十]+章")
_ANNEX_MARKER = re.compile(r"^\s*附件\s*\d*\s*$")
_ISSUER_LINE = re.compile(r"^\s*廊坊市人民政府(办公室)?\s*$")
_DATE_LINE = re.compile(r"^\s*20\d\d年\d{1,2}月\d{1,2}日\s*$")
# "以上工作由李波常务副市长负责……" closes a group of work points (廊政办〔2015〕50号).
GROUP_CLOSER = re.compile(r"^\s*以上工作由")

# Branches that state aims and principles, not measures (source-catalog §1).
_EXCLUDED_HEADINGS = re.compile(
    r"^(总体要求|总体思路|指导思想|基本原则|发展目标|工作目标|主要目标|总体目标|目标任务|重要意义"
    r"|其他|其他要求|其他事项|.{0,4}(发展|工作|主要|总体)目标|.*基本内涵|.*评价办法|(适用|实施|.*的)范围|实施时间|.*对象和范围|.*内容和时间)$"
)
# Rules-type documents: their numbered provisions are not measures.
_RULES_GENRES = ("办法", "考核办法", "规则", "实施细则", "规定")
# A notice amending a rules text (调整……奖惩办法部分内容) is itself a set of provisions.
_AMENDS_RULES = re.compile(r"调整.*(办法|细则|规则)")
# A numbered line that only names a leading group or committee (lists of members follow).
_GROUP_NAME_LINE = re.compile(r"^(市|廊坊市)\S*(领导小组|委员会|联席会议)$")
# Sub-items that define terms (1.林权。是指……) belong to their parent, which stays the measure.
_DEFINITION = re.compile(r"^[^。]{0,30}。?是指")
# An annex that is a task list (not a TAB table, not a name list).
_LIST_ANNEX_TITLE = re.compile(r"分工方案|任务分工")


@dataclass
class Item:
    """One numbered line of the running text."""

    line: int
    level: int
    number: str                  # as printed, brackets included: （三）, 2., 一、
    heading: str                 # the item's title (after the number, up to the first 。/：)
    heading_line: str            # the whole line after the number
    parent: "Item | None" = None
    children: list["Item"] = field(default_factory=list)
    end: int = 0                 # last line of the item's own text (before the next numbered line)
    in_list_annex: bool = False
    provision: bool = False      # a numbered provision of a rules-type text (under 第X条 or in a 办法)

    @property
    def ref(self) -> str:
        """The numbering qualified by its parents: 二（三）2."""
        parts = []
        node: Item | None = self
        while node is not None:
            parts.append(node.number.rstrip("、.．"))
            node = node.parent
        return "".join(reversed(parts))

    def ancestors(self) -> list["Item"]:
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


@dataclass(frozen=True)
class Measure:
    """A lowest-level numbered item that counts as a task."""

    doc_id: str
    ref: str
    kind: str        # body | list
    line: int
    line_end: int
    text: str        # the item's whole text, continuation paragraphs included, whitespace-normalised
    lines: tuple[tuple[int, str], ...]   # (line, text) of every non-blank line of the item


def _marker(text: str) -> tuple[int, str] | None:
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return level, match.group(0).strip()
    return None


def _core_heading(text: str, marker: str) -> str:
    """The title part of a numbered line: after the marker, up to the first 。 or ：."""
    body = text.strip()[len(marker):].strip()
    return re.split(r"[。：:；]", body, maxsplit=1)[0].strip()


def _boundaries(
    source: SourceText, document: Document, table_lines: set[int]
) -> tuple[set[int], list[tuple[int, int, bool]], set[int]]:
    """Lines that end an item's text, the annexes as (start, end, is_task_list), the annex title lines."""
    stops: set[int] = set()
    annex_titles: set[int] = set()
    annexes: list[tuple[int, int, bool]] = []
    annex_starts = [
        n for n in range(document.number_line + 1, document.line_end + 1) if _ANNEX_MARKER.match(source.line(n))
    ]
    for index, start in enumerate(annex_starts):
        end = annex_starts[index + 1] - 1 if index + 1 < len(annex_starts) else document.line_end
        title = "".join(source.line(n).strip() for n in range(start + 1, min(start + 6, end + 1)))
        has_table = any(start <= n <= end for n in table_lines)
        annexes.append((start, end, bool(_LIST_ANNEX_TITLE.search(title)) and not has_table))
    in_annex_titles = False
    for n in range(document.number_line + 1, document.line_end + 1):
        text = source.line(n)
        # "附件：1.……" may list further annex titles on the lines below ("2.……"): not items.
        # The annex list runs to the sign-off or the first annex.
        if text.strip().startswith("附件："):
            in_annex_titles = True
        elif _ISSUER_LINE.match(text) or _ANNEX_MARKER.match(text) or _DATE_LINE.match(text):
            in_annex_titles = False
        if in_annex_titles:
            annex_titles.add(n)
        if (
            _ANNEX_MARKER.match(text)
            or text.strip().startswith("附件：")
            or _ISSUER_LINE.match(text)
            or _DATE_LINE.match(text)
            or GROUP_CLOSER.match(text)
            or n in table_lines
        ):
            stops.add(n)
    return stops | annex_titles, annexes, annex_titles


def _items(source: SourceText, document: Document, table_lines: set[int]) -> list[Item]:
    """The numbered lines of the document's running text (annexes that are task lists included)."""
    stops, annexes, annex_titles = _boundaries(source, document, table_lines)
    items: list[Item] = []
    stack: list[Item] = []
    rules_text = document.genre in _RULES_GENRES
    for n in range(document.number_line + 1, document.line_end + 1):
        if n in table_lines or n in annex_titles:
            continue
        annex = next((a for a in annexes if a[0] <= n <= a[1]), None)
        if annex is not None and not annex[2]:
            continue
        if annex is not None and annex[0] == n:
            stack = []
            continue
        text = source.line(n)
        if _ARTICLE.match(text) or _CHAPTER.match(text):
            rules_text = True
        found = _marker(text)
        if found is None:
            continue
        level, number = found
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        item = Item(
            line=n,
            level=level,
            number=number,
            heading=_core_heading(text, number),
            heading_line=text.strip()[len(number):].strip(),
            parent=parent,
            in_list_annex=annex is not None,
            provision=rules_text and annex is None,
        )
        if parent is not None:
            parent.children.append(item)
        stack.append(item)
        items.append(item)
    # Each item's own text runs to the line before the next numbered line or boundary.
    item_lines = {i.line for i in items}
    for item in items:
        end = item.line
        n = item.line + 1
        while n <= document.line_end and n not in item_lines and n not in stops:
            if _ARTICLE.match(source.line(n)) or _CHAPTER.match(source.line(n)):
                break
            end = n
            n += 1
        while end > item.line and not source.line(end).strip():
            end -= 1
        item.end = end
    return items


def _collapsed(item: Item) -> bool:
    """True when most children only define a term (1.林权。是指……, 5900–5914): the parent is the measure."""
    defining = sum(1 for child in item.children if _DEFINITION.match(child.heading_line))
    return bool(item.children) and defining * 2 > len(item.children)


def _is_measure(item: Item, rules_document: bool) -> bool:
    if item.children and not _collapsed(item):
        return False
    if item.provision or (rules_document and not item.in_list_annex):
        return False
    if _GROUP_NAME_LINE.match(item.heading_line) or any(_collapsed(a) for a in item.ancestors()):
        return False
    return not any(_EXCLUDED_HEADINGS.match(node.heading) for node in [item, *item.ancestors()])


def _last_line(item: Item) -> int:
    return max([item.end, *(_last_line(child) for child in item.children)])


# A paragraph that carries its own departments: a trailing （责任单位：…）/（X牵头…）/（X负责…）
# annotation, or a sentence opening "市商务局负责……" (廊政办〔2015〕49号 5452–5456, 〔2015〕135号 7290–7315).
_OWN_ANNOTATION = re.compile(r"[（〔(][^（〔(]*?(责任单位|牵头单位|牵头|负责|配合)[^）〕)]*[）〕)][。；]?$")
_OWN_SUBJECT = re.compile(r"^(此外，)?(市|廊坊|国网|各县)[^，。；：“”]{1,80}?(负责|要配合)")
_RESPONSIBILITY_LINE = re.compile(r"^\s*责任单位[：:]")
# A heading line with no sentence of its own (（一）加强知识产权运用能力建设).
_BARE_HEADING = re.compile(r"^[^。；，]{1,40}$")


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """One paragraph per line; a separate 责任单位：… line belongs to the paragraph above it (doc 15)."""
    paragraphs: list[list[tuple[int, str]]] = []
    for number, text in lines:
        if paragraphs and _RESPONSIBILITY_LINE.match(text):
            paragraphs[-1].append((number, text))
        else:
            paragraphs.append([(number, text)])
    return paragraphs


def _split(item: Item, lines: list[tuple[int, str]], titled_paragraphs: bool) -> list[list[tuple[int, str]]]:
    """The measures inside one leaf item: usually the whole item, sometimes one per paragraph."""
    paragraphs = _paragraphs(lines)
    if len(paragraphs) < 2:
        return [lines]
    annotated = [i for i, p in enumerate(paragraphs) if _OWN_ANNOTATION.search(p[-1][1]) or len(p) > 1]
    if len(annotated) >= 2:
        # Each annotated paragraph closes a measure; a trailing unannotated run joins the last one.
        groups: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        for index, paragraph in enumerate(paragraphs):
            current.extend(paragraph)
            if index in annotated:
                groups.append(current)
                current = []
        if current:
            groups[-1].extend(current)
        return groups
    heading_is_bare = bool(_BARE_HEADING.match(item.heading_line.strip()))
    subjects = [i for i, p in enumerate(paragraphs) if _OWN_SUBJECT.match(p[0][1])]
    if len(subjects) >= 2 and heading_is_bare:
        # "X负责……" paragraphs, one measure each; the heading and any preamble are not measures.
        groups = []
        for index, paragraph in enumerate(paragraphs):
            if index in subjects:
                groups.append(list(paragraph))
            elif groups:
                groups[-1].extend(paragraph)
        return groups
    if titled_paragraphs and heading_is_bare and item.level >= 2:
        # Titled paragraphs under a bare sub-heading are counted one by one (source-catalog §1, doc 20).
        return paragraphs[1:]
    return [lines]


def document_measures(ctx: ExtractionContext, document: Document, table_lines: set[int]) -> list[Measure]:
    source = ctx.source
    items = _items(source, document, table_lines)
    rules_document = document.genre in _RULES_GENRES or bool(_AMENDS_RULES.search(document.title))
    grouped = any(GROUP_CLOSER.match(source.line(n)) for n in range(document.line_start, document.line_end + 1))
    leaves = [item for item in items if _is_measure(item, rules_document)]
    spans = {
        item.line: [(n, source.line(n).strip()) for n in range(item.line, _last_line(item) + 1) if source.line(n).strip()]
        for item in leaves
    }
    # A document written as sub-headings over runs of titled paragraphs (廊政〔2015〕115号, source-catalog §1)
    # counts each paragraph; one sub-heading with two paragraphs (廊政〔2015〕125号) does not make that style.
    titled_paragraphs = any(
        item.level >= 2 and _BARE_HEADING.match(item.heading_line) and len(spans[item.line]) >= 5 for item in leaves
    )
    measures = []
    for item in leaves:
        groups = _split(item, spans[item.line], titled_paragraphs)
        for index, group in enumerate(groups, start=1):
            measures.append(
                Measure(
                    doc_id=document.doc_id,
                    ref=item.ref if len(groups) == 1 else f"{item.ref}[{index}]",
                    kind="list" if item.in_list_annex or grouped else "body",
                    line=group[0][0],
                    line_end=group[-1][0],
                    text=normalise_whitespace(" ".join(text for _, text in group)),
                    lines=tuple(group),
                )
            )
    return measures


def find_measures(ctx: ExtractionContext) -> list[Measure]:
    """Every body or list measure of every document, in source order (cached per run)."""

    def compute() -> list[Measure]:
        table_lines = {
            n for table in find_tables(ctx) for n in range(table.line_start, table.line_end + 1)
        }
        return [m for d in ctx.documents for m in document_measures(ctx, d, table_lines)]

    return ctx.cached("measures", compute)
