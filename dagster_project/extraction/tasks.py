"""Tasks (measures) of the documents: numbered body items, list items and task-table rows.

One row per task (source-catalog §1 decides what counts): the lowest-level numbered items of
the running text and the 分工方案 / work-point lists (measures.py), and the data rows of the 10
TAB tables (tables.py; the indicator rows of T6 and the assessment points of T10 included,
because n_table_rows counts them). Ids are ``{doc_id}-t{nnn}`` numbered in source order within
the document, so they stay stable as long as the source does.

Seven documents restate body measures in their tables (§9.5): a body measure points at the
table row that repeats it (``duplicate_of``), found by character-trigram overlap, so consumers
can count each measure once.

Each task's responsible bodies go to task_assignments, one row per printed name in printed
order, parsed by assignments.py and resolved by organizations.resolve_name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from . import deadlines, organizations
from .assignments import (
    CO,
    LEAD,
    LinedText,
    Printed,
    find_annotations,
    find_prose_subjects,
    find_responsibility_lines,
    parse_group_closer,
    parse_phrase,
)
from .context import ExtractionContext
from .documents import Document
from .measures import GROUP_CLOSER, Measure, find_measures
from .seed_files import SeedTable
from .source import normalise_whitespace
from .tables import Table, find_tables

TASK_COLUMNS = (
    "task_id", "doc_id", "task_ref", "task_text", "source_kind", "deadline_text", "deadline_date",
    "deadline_kind", "line", "duplicate_of",
)
ASSIGNMENT_COLUMNS = ("task_id", "org_id", "role", "name_as_printed", "generic", "line")
SOURCE_KINDS = ("table", "body", "list")
ROLES = (LEAD, CO)

# Share of a table row's character trigrams found in a body measure above which the row restates the
# measure. Validated by hand over every body measure of docs 2, 3, 10, 21, 22, 23, 25, 35: restated
# pairs score ≥ 0.35 (638 → 「建立健全慈善活动和慈善工作责任追究制度」 0.35, 626 0.36), the best
# unrelated row ≤ 0.30 (2583 vs 「完善跨境电子商务通关服务」, which shares only 电子商务/跨境). Bigrams
# separated worse: short rows reached 0.6 on common words (服务贸易, 云计算).
DUPLICATE_THRESHOLD = 0.33
NGRAM = 3

_TASK_TEXT_HEADERS = ("工作任务", "重点任务", "主要内容", "考核要点")
_DEADLINE_HEADERS = ("时间进度", "进度要求")


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


@dataclass(frozen=True)
class Assignment:
    task_id: str
    org_id: str
    role: str               # lead | co
    name_as_printed: str
    generic: bool
    line: int

    def as_row(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in ASSIGNMENT_COLUMNS}


@dataclass
class _Draft:
    """A task before its id is known: where it came from and what it names."""

    doc: Document
    ref: str
    text: str
    kind: str
    line: int
    line_end: int
    deadline: deadlines.Deadline | None
    printed: list[Printed]
    ngrams: frozenset[str] = frozenset()
    table_id: str = ""
    vice_mayors: bool = False
    duplicate_of: str = ""


# --- privacy --------------------------------------------------------------------------------------
# Contact details printed inside measures (5155 mailbox and password, 9192 mailbox, 9198 contact
# person and phone) never enter the seeds.
_PRIVATE = (
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    re.compile(r"(?<=密码)[:：]?\s*[A-Za-z0-9]+"),
    re.compile(r"(?<=联系人)[:：]\s*[^，,。；;）)]+"),
    re.compile(r"(?<=电话)[:：]?\s*[0-9—\-－]{7,}"),
    re.compile(r"(?<=手机)[:：]?\s*1\d{10}"),
    re.compile(r"0\d{2,3}[—\-－]\d{7,8}"),
)
REDACTED = "〔略〕"


def redact(text: str) -> str:
    """Replace e-mail addresses, passwords, contact names and phone numbers by 〔略〕."""
    for pattern in _PRIVATE:
        text = pattern.sub(REDACTED, text)
    return text


# --- resolution (organizations.py may still be a stub) --------------------------------------------
def _resolver() -> Callable[[str], organizations.NameResolution]:
    def resolve(name: str) -> organizations.NameResolution:
        try:
            return organizations.resolve_name(name)
        except Exception:  # a stub or a bug in the resolver must not lose the printed name
            return organizations.NameResolution(name_as_printed=name)

    return resolve


# --- deadlines ------------------------------------------------------------------------------------
def _parse_cell_deadline(text: str, doc: Document) -> deadlines.Deadline | None:
    if not text:
        return None
    try:
        found = deadlines.parse_deadline(text, doc.year, doc.issued_on)
    except TypeError:  # an older signature without issued_on
        found = deadlines.parse_deadline(text, doc.year)
    return found if found.kind != "none" or found.date else None


def _find_text_deadline(text: str, doc: Document) -> deadlines.Deadline | None:
    """The measure's deadline; periods that only qualify a rule are skipped (see ``_not_a_deadline``)."""
    for _ in range(4):
        try:
            found = deadlines.find_deadline(text, doc.year, doc.issued_on)
        except TypeError:
            found = deadlines.find_deadline(text, doc.year)
        if found is None:
            return None
        start = _not_a_deadline(text, found.text)
        if start < 0:
            return found
        # Blank the phrase out (same length, so later verbatim texts still come from the source) and look again.
        text = text[:start] + _MASK * len(found.text) + text[start + len(found.text):]
    return None


# In running text a period of years can qualify a rule instead of setting a deadline: 自批准设立起3年内按其…
# 给予奖励 (4427), 对注册5年内并通过认定的 (845), 离岗创业的，3年内保留身份 (847), 在落户后的两年内，继续享有
# (3447), 对年内难以执行完毕的项目预算 (6130); and 便于其他部门及时跟进监管 (5474) or 政府法制机构要主动谋划，及时跟进 (190) say "promptly", not when.
_QUALIFYING_BEFORE = re.compile(r"(自[^。；]{0,12}起，?|注册|毕业|后的|的，)$")
_QUALIFYING_AFTER = re.compile(r"^(?:[^，。；]{0,12}?(?:给予|享有|保留|并通过)|[^，。；]{0,8}?的)")
_MASK = "■"


def _not_a_deadline(text: str, found: str) -> int:
    """Where the found phrase starts if it is not a deadline of the measure, else -1."""
    start = text.find(found)
    if start < 0:
        return -1
    if found == "及时跟进":
        return start
    if re.search(r"(年|个月|日|天)(内|之内|以内)$", found) and not re.search(r"\d{4}年", found):
        before, after = text[max(0, start - 14):start], text[start + len(found):start + len(found) + 14]
        if _QUALIFYING_BEFORE.search(before) or _QUALIFYING_AFTER.match(after):
            return start
    return -1


# --- table rows -----------------------------------------------------------------------------------
def _table_drafts(table: Table, doc: Document) -> list[_Draft]:
    text_column = table.column(*_TASK_TEXT_HEADERS)
    deadline_column = table.column(*_DEADLINE_HEADERS)
    number_column = table.column("序号")
    roles = _column_roles(table)
    drafts: list[_Draft] = []
    last_number, repeat = "", 0
    for row in table.rows:
        number = row.cells[number_column].text if number_column is not None else ""
        if number:
            last_number, repeat = number, 1
            ref = number
        else:
            repeat += 1
            ref = f"{last_number}-{repeat}"
        text_cell = row.cells[text_column] if text_column is not None else row.cells[0]
        if not text_cell.text and table.column("考核指标") is not None:
            text_cell = row.cells[table.column("考核指标")]
        deadline = _parse_cell_deadline(row.cells[deadline_column].text, doc) if deadline_column is not None else None
        printed: list[Printed] = []
        for index, role in roles:
            cell = row.cells[index]
            if cell.parts:
                printed.extend(parse_phrase(LinedText.build(cell.parts, separator="、"), role, table_cell=True))
        text = normalise_whitespace(" ".join(t for _, t in text_cell.parts)) or text_cell.text
        drafts.append(
            _Draft(
                doc=doc,
                ref=ref,
                text=text,
                kind="table",
                line=text_cell.line if text_cell.text else row.line,
                line_end=max(p[0] for c in row.cells for p in c.parts) if any(c.parts for c in row.cells) else row.line,
                deadline=deadline,
                printed=_unique(printed),
                table_id=table.table_id,
            )
        )
    return drafts


def _column_roles(table: Table) -> list[tuple[int, str]]:
    """Department columns and the role of a plain list in each (牵头 lead, 配合/协办 co, 责任 by context)."""
    has_lead_column = table.column("牵头") is not None
    roles = []
    for index, header in enumerate(table.header):
        if "牵头" in header:
            roles.append((index, LEAD))
        elif "配合" in header or "协办" in header:
            roles.append((index, CO))
        elif header in ("责任单位", "负责单位", "负责部门", "责任部门"):
            roles.append((index, CO if has_lead_column else LEAD))
    return roles


# --- body and list measures -----------------------------------------------------------------------
def _measure_draft(ctx: ExtractionContext, measure: Measure, doc: Document) -> _Draft:
    lt = LinedText.build(measure.lines)
    printed = find_annotations(lt) + find_responsibility_lines(measure.lines)
    vice_mayors = False
    if measure.kind == "list" and not printed:
        closer = next(
            (n for n in range(measure.line_end + 1, doc.line_end + 1) if GROUP_CLOSER.match(ctx.source.line(n))),
            None,
        )
        if closer is not None:
            printed = parse_group_closer(closer, ctx.source.line(closer))
            vice_mayors = True
    if not printed and measure.kind == "body":
        printed = find_prose_subjects(lt)
    return _Draft(
        doc=doc,
        ref=measure.ref,
        text=measure.text,
        kind=measure.kind,
        line=measure.line,
        line_end=measure.line_end,
        deadline=_find_text_deadline(measure.text, doc),
        printed=_unique(printed),
        vice_mayors=vice_mayors,
    )


def _split_joined_names(printed: list[Printed]) -> list[Printed]:
    """Run organizations.split_names over every printed name before it is resolved.

    assignments.py splits lists with line provenance; split_names (the organisation resolver's own
    splitter) also knows the registry, so joined names it can prove to be several bodies
    (人行廊坊市中心支行等相关部门及各县（市、区）政府 3218, 廊坊开发区管委会和市直有关单位 3223) become
    several. A piece is kept only if it is printed inside the name, so provenance still holds.
    """
    result: list[Printed] = []
    for p in printed:
        try:
            pieces = organizations.split_names(p.name)
        except Exception:  # the resolver module may be mid-edit: keep the printed name
            pieces = [p.name]
        if len(pieces) > 1 and all(piece and piece in p.name for piece in pieces):
            result.extend(Printed(piece, p.role, p.line) for piece in pieces)
        else:
            result.append(p)
    return _unique(result)


def _unique(printed: list[Printed]) -> list[Printed]:
    seen: set[tuple[str, str]] = set()
    result = []
    for p in printed:
        if (p.name, p.role) not in seen:
            seen.add((p.name, p.role))
            result.append(p)
    return result


# --- duplicates -----------------------------------------------------------------------------------
_NOT_TEXT = re.compile(r"[\s，。、；：:,.“”《》（）()〔〕\d]")


def ngrams(text: str, size: int = NGRAM) -> frozenset[str]:
    """Character n-grams of the text without punctuation, digits and spaces."""
    clean = _NOT_TEXT.sub("", text)
    return frozenset(clean[i:i + size] for i in range(len(clean) - size + 1))


def containment(row: frozenset[str], body: frozenset[str]) -> float:
    """Share of the table row's n-grams found in the body measure (a body item may be split into rows)."""
    return len(row & body) / len(row) if row else 0.0


def _link_duplicates(drafts: list[_Draft], ids: list[str]) -> None:
    rows = [(i, d) for i, d in enumerate(drafts) if d.kind == "table" and d.table_id not in _INDICATOR_TABLES]
    if not rows:
        return
    for draft in drafts:
        if draft.kind != "body":
            continue
        best = max(rows, key=lambda r: (containment(r[1].ngrams, draft.ngrams), len(r[1].ngrams & draft.ngrams)))
        if containment(best[1].ngrams, draft.ngrams) >= DUPLICATE_THRESHOLD:
            draft.duplicate_of = ids[best[0]]


# T6 (indicator system) and T10 (assessment points) restate no measure.
_INDICATOR_TABLES = ("T6", "T10")


# --- assembly -------------------------------------------------------------------------------------
def _document_drafts(ctx: ExtractionContext) -> dict[str, list[_Draft]]:
    by_doc: dict[str, list[_Draft]] = {d.doc_id: [] for d in ctx.documents}
    for measure in find_measures(ctx):
        doc = ctx.document(measure.doc_id)
        by_doc[doc.doc_id].append(_measure_draft(ctx, measure, doc))
    for table in find_tables(ctx):
        doc = ctx.document(table.doc_id)
        by_doc[doc.doc_id].extend(_table_drafts(table, doc))
    for drafts in by_doc.values():
        # Source order; a body measure and a table row never share a line, the kind is a safe tiebreak.
        drafts.sort(key=lambda d: (d.line, d.kind))
    return by_doc


def _build(ctx: ExtractionContext) -> tuple[list[Task], list[Assignment]]:
    resolve = _resolver()
    government = resolve("市政府")
    tasks: list[Task] = []
    assignments: list[Assignment] = []
    for doc_id, drafts in _document_drafts(ctx).items():
        ids = [f"{doc_id}-t{index:03d}" for index in range(1, len(drafts) + 1)]
        if any(d.kind == "table" for d in drafts):
            for draft in drafts:
                draft.ngrams = ngrams(draft.text)
            _link_duplicates(drafts, ids)
        for task_id, draft in zip(ids, drafts):
            deadline = draft.deadline
            tasks.append(
                Task(
                    task_id=task_id,
                    doc_id=doc_id,
                    task_ref=draft.ref,
                    task_text=redact(draft.text),
                    source_kind=draft.kind,
                    deadline_text=deadline.text if deadline else "",
                    deadline_date=deadline.date.isoformat() if deadline and deadline.date else "",
                    deadline_kind=deadline.kind if deadline else "",
                    line=draft.line,
                    line_end=draft.line_end,
                    duplicate_of=draft.duplicate_of,
                )
            )
            emitted: set[tuple[str, str]] = set()
            for printed in _split_joined_names(draft.printed):
                resolution = resolve(printed.name)
                org_id = resolution.org_id or ""
                if draft.vice_mayors and not resolution.resolved:
                    org_id = government.org_id or ""
                # One body printed twice in one task (民政部门 … 市民政部门, 626) is one assignment per role.
                if org_id and not draft.vice_mayors and (org_id, printed.role) in emitted:
                    continue
                emitted.add((org_id, printed.role))
                assignments.append(
                    Assignment(
                        task_id=task_id,
                        org_id=org_id,
                        role=printed.role,
                        name_as_printed=printed.name,
                        generic=bool(resolution.generic),
                        line=printed.line,
                    )
                )
    return tasks, assignments


def find_tasks(ctx: ExtractionContext) -> list[Task]:
    """All tasks of all documents, in source order (cached per run)."""
    return ctx.cached("tasks", lambda: _cached_build(ctx)[0])


def find_assignments(ctx: ExtractionContext) -> list[Assignment]:
    """Every task's printed lead and co bodies, in task order then printed order (cached per run)."""
    return ctx.cached("task_assignments", lambda: _cached_build(ctx)[1])


def _cached_build(ctx: ExtractionContext) -> tuple[list[Task], list[Assignment]]:
    return ctx.cached("tasks_and_assignments", lambda: _build(ctx))


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return [
        SeedTable("tasks", TASK_COLUMNS, [t.as_row() for t in find_tasks(ctx)]),
        SeedTable("task_assignments", ASSIGNMENT_COLUMNS, [a.as_row() for a in find_assignments(ctx)]),
    ]

