"""The 2015 institutional reform (三定 documents 〔2015〕158/159/160号) as organisation changes.

Why: the three "三定" regulations (source lines 8345–8850) are the only place where the source
says which body was set up and which duties moved between bodies; tasks of the same year name
the old and the new bodies side by side, so the warehouse needs the changes as rows.

What is read from the text (each row cites its line, ``detail`` quotes the clause):

* ``established``  "设立廊坊市…，为市政府工作部门" (8364, 8562, 8698);
* ``function_transferred``  every "将…职责（，）划入…" clause: from the body the clause names
  (市发展和改革委员会承担的…) or, when it names none, from the regulated body itself;
* ``attached``  an internal unit that carries another body's name (体制改革科（廊坊市深化医药卫生
  体制改革领导小组办公室）8452, 中医科（市中医药管理局）8468): that body sits in the regulated one.

What is inferred (``merged``, detail says so): the 卫计委 took over the former health bureau
(never printed) and the population and family-planning commission (printed once, 8382); the
predecessors are organisation rows with valid_to the day before the regulation's date.

Column ``org_id`` is always the body the regulation is about (卫计委, 质监局, 工商局), so that
the rows of one regulation group together; ``from_org_id``/``to_org_id`` carry the movement.
Rows are in source order (line), ties in the order the rules above list them.
"""
from __future__ import annotations

import re

from .context import ExtractionContext
from .documents import Document
from .organizations import resolve_name
from .seed_files import SeedTable
from .source import remove_whitespace

REFORM_COLUMNS = ("org_id", "doc_id", "effective_on", "change", "from_org_id", "to_org_id", "detail", "line")
CHANGES = ("established", "merged", "function_transferred", "attached")

_REGULATION_TITLE = "主要职责内设机构和人员编制规定"
_ESTABLISHED = re.compile(r"设立(?P<body>廊坊市[^，。]+?)，为市政府工作部门")
_TRANSFER = re.compile(r"^\d+[.．](?P<clause>将(?P<what>.+?)职责，?划入(?P<to>市[^，。；]+?)。)")
_NAMED_SOURCE = re.compile(r"^(?P<body>市[^的承，、]+?(?:委员会|局|办公室))(?:承担)?的")
_ATTACHED_UNIT = re.compile(r"^（[一二三四五六七八九十]+）(?P<unit>[^（）]+)（(?P<body>[^（）]+)）$")

# Inferred predecessors of the 卫计委 (source-catalog §6.2): (org_id, the form to cite, detail).
_HEALTH_COMMISSION = "lf-health-family-planning"
_PREDECESSORS = (
    ("lf-health-bureau", None,
     "原市卫生局的职责并入新设立的市卫生和计划生育委员会（推断：文中未出现“市卫生局”，依机构改革方案惯例）"),
    ("lf-population-family-planning", "市人口和计划生育委员会",
     "原市人口和计划生育委员会并入新设立的市卫生和计划生育委员会（推断：文中仅在此处提及该委员会）"),
)


def _org(name: str) -> str:
    return resolve_name(name).org_id or ""


def _regulations(ctx: ExtractionContext) -> list[Document]:
    return [d for d in ctx.documents if _REGULATION_TITLE in d.title]


def _first_line_with(ctx: ExtractionContext, doc: Document, printed: str | None) -> int | None:
    if not printed:
        return None
    return next((n for n, line in ctx.source.span(doc.line_start, doc.line_end) if printed in line), None)


def _rows_for(ctx: ExtractionContext, doc: Document) -> list[dict[str, object]]:
    effective_on = doc.issued_on.isoformat() if doc.issued_on else ""
    rows: list[dict[str, object]] = []
    subject = ""

    def add(change: str, from_org: str, to_org: str, detail: str, line: int) -> None:
        rows.append({"org_id": subject, "doc_id": doc.doc_id, "effective_on": effective_on, "change": change,
                     "from_org_id": from_org, "to_org_id": to_org, "detail": detail, "line": line})

    for number, raw in ctx.source.span(doc.line_start, doc.line_end):
        text = remove_whitespace(raw)
        established = _ESTABLISHED.search(text)
        if established and not subject:
            subject = _org(established.group("body"))
            add("established", "", subject, established.group(0), number)
            if subject == _HEALTH_COMMISSION:
                for org_id, printed, detail in _PREDECESSORS:
                    add("merged", org_id, subject, detail, _first_line_with(ctx, doc, printed) or number)
            continue
        if not subject:
            continue
        transfer = _TRANSFER.match(text)
        if transfer:
            named = _NAMED_SOURCE.match(transfer.group("what"))
            from_org = _org(named.group("body")) if named else subject
            add("function_transferred", from_org, _org(transfer.group("to")), transfer.group("clause"), number)
        attached = _ATTACHED_UNIT.match(text)
        if attached:
            body = _org(attached.group("body"))
            if body and body != subject:
                add("attached", body, subject, text, number)
    order = {change: index for index, change in enumerate(CHANGES)}
    return sorted(rows, key=lambda r: (r["line"], order[str(r["change"])]))   # stable: source order within a line


def reform_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    return [row for doc in _regulations(ctx) for row in _rows_for(ctx, doc)]


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("org_reforms", REFORM_COLUMNS, reform_rows(ctx))]
