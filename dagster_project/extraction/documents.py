"""Find the 82 documents in the source text: boundaries, number, title, issuer, date, genre, form.

The layout traps (source-catalog §3) decide the algorithm: the number line comes *after*
the title, blank lines cannot be trusted, and the issuer's name also appears on every
sign-off line. So we anchor on the number lines (exactly one per document, always alone on
its line), walk up to the nearest issuer line for the start, and end each document just
before the next one starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .source import SourceText, remove_whitespace

NUMBER_LINE = re.compile(r"^\s*(?P<prefix>廊政办|廊政)?〔(?P<year>\d{4})〕(?P<number>\d+)号\s*$")
ISSUER_LINE = re.compile(r"^\s*廊坊市人民政府(办公室)?\s*$")
DATE_LINE = re.compile(r"^\s*(?P<y>20\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*$")

GOVERNMENT = "廊坊市人民政府"
GENERAL_OFFICE = "廊坊市人民政府办公室"

# Longest first, so that 实施意见 wins over 意见 and 考核办法 over 办法.
GENRES = (
    "实施意见", "落实意见", "实施方案", "工作方案", "实施细则", "考核办法", "工作要点", "行动计划",
    "意见", "办法", "规则", "规划", "措施", "规定", "决定", "通报", "通知",
)
_TRAILING_PARENTHESES = re.compile(r"（[^（）]*）$")


@dataclass(frozen=True)
class Document:
    """One document of the compilation, with 1-based line numbers into the source."""

    doc_id: str
    doc_no: str
    issuer: str
    title: str
    issued_on: date | None
    genre: str
    form: str
    line_start: int
    line_end: int
    number_line: int
    date_line: int | None

    @property
    def year(self) -> int:
        return int(re.search(r"〔(\d{4})〕", self.doc_no).group(1))

    def as_row(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "doc_no": self.doc_no,
            "issuer": self.issuer,
            "title": self.title,
            "issued_on": self.issued_on.isoformat() if self.issued_on else "",
            "genre": self.genre,
            "form": self.form,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "number_line": self.number_line,
        }


DOCUMENT_COLUMNS = (
    "doc_id", "doc_no", "issuer", "title", "issued_on", "genre", "form", "line_start", "line_end", "number_line",
)


def document_id(prefix: str | None, year: str, number: str, issuer: str) -> str:
    """A stable slug that stays unique although 廊政〔2015〕91号 and a bare 〔2015〕91号 both exist.

    The series prefix is printed for 廊政 (``lz``) and 廊政办 (``lzb``); a bare number gets the
    issuing body instead (``gov`` / ``office``) and a ``bare`` marker, since its prefix is only inferred.
    """
    padded = f"{int(number):03d}"
    if prefix == "廊政":
        return f"lz-{year}-{padded}"
    if prefix == "廊政办":
        return f"lzb-{year}-{padded}"
    body = "office" if issuer == GENERAL_OFFICE else "gov"
    return f"bare-{body}-{year}-{padded}"


def classify_form(title: str) -> str:
    """direct, issuing-notice (印发…的通知) or forwarding-notice (转发…的通知)."""
    head = title.removeprefix("关于")
    if head.startswith("印发"):
        return "issuing-notice"
    if head.startswith("转发"):
        return "forwarding-notice"
    return "direct"


def classify_genre(title: str, form: str) -> str:
    """The document type (文种); for a notice that issues or forwards a text, that text's type."""
    core = title
    if form != "direct":
        core = core.removesuffix("的通知").removesuffix("通知")
    while _TRAILING_PARENTHESES.search(core):
        core = _TRAILING_PARENTHESES.sub("", core)
    for genre in GENRES:
        if core.endswith(genre):
            return genre
    raise ValueError(f"cannot tell the genre of the title {title!r}")


def _issuer_for(prefix: str | None, issuer_line: str) -> str:
    """Issuer from the series prefix where printed, else from the issuer line above the title."""
    if prefix == "廊政":
        stated = GOVERNMENT
    elif prefix == "廊政办":
        stated = GENERAL_OFFICE
    else:
        stated = remove_whitespace(issuer_line)
    line = remove_whitespace(issuer_line)
    if line not in (GOVERNMENT, GENERAL_OFFICE):
        # The joint document's issuer line survives only as its second issuer (" 廊坊军分区").
        return f"{stated}、{line}"
    return stated


def find_documents(source: SourceText) -> list[Document]:
    """Split the source into its documents, in source order."""
    number_lines = [n for n, text in enumerate(source.lines, start=1) if NUMBER_LINE.match(text)]
    if not number_lines:
        raise ValueError(f"{source.path}: no document number line (such as 廊政〔2015〕54号) found")

    starts: list[int] = []
    previous_number_line = 0
    for number_line in number_lines:
        start = None
        for n in range(number_line - 1, previous_number_line, -1):
            if ISSUER_LINE.match(source.line(n)):
                start = n
                break
        if start is None:
            # Only the very first document lacks a full issuer line: its first non-empty line opens it.
            start = next(n for n in range(previous_number_line + 1, number_line) if source.line(n).strip())
        starts.append(start)
        previous_number_line = number_line

    documents = []
    for i, (start, number_line) in enumerate(zip(starts, number_lines)):
        end = (starts[i + 1] - 1) if i + 1 < len(starts) else len(source)
        while end > number_line and source.line(end).strip() in ("", "."):
            end -= 1
        match = NUMBER_LINE.match(source.line(number_line))
        assert match is not None
        prefix, year, number = match.group("prefix"), match.group("year"), match.group("number")
        issuer = _issuer_for(prefix, source.line(start))
        first_issuer = issuer.split("、")[0]
        title = remove_whitespace("".join(source.line(n) for n in range(start + 1, number_line)))
        date_line = next((n for n in range(number_line + 1, end + 1) if DATE_LINE.match(source.line(n))), None)
        issued_on = None
        if date_line is not None:
            d = DATE_LINE.match(source.line(date_line))
            issued_on = date(int(d.group("y")), int(d.group("m")), int(d.group("d")))
        form = classify_form(title)
        documents.append(
            Document(
                doc_id=document_id(prefix, year, number, first_issuer),
                doc_no=remove_whitespace(source.line(number_line)),
                issuer=issuer,
                title=title,
                issued_on=issued_on,
                genre=classify_genre(title, form),
                form=form,
                line_start=start,
                line_end=end,
                number_line=number_line,
                date_line=date_line,
            )
        )
    return documents
