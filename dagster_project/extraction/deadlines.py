"""Deadline phrases → the last day allowed and the kind of deadline.

Tasks print their deadlines in a dozen ways (source-catalog §4.4): a table cell (持续实施,
2016年6月底前完成，持续实施, 2015-2017年实施, 根据改革试点进度推进), or a phrase inside a
measure's running text (于8月底前, 到2017年底, 到“十三五”末, 本决定下发后10日内). One parser
turns all of them into (verbatim text, ISO last day allowed, kind), so that every table that
cites a deadline agrees on what it means.

Conventions (``Deadline.date`` is the LAST DAY ALLOWED):
- ``YYYY年M月底(前)`` and ``YYYY年M月`` (as a phase end, 2016年3月) → the last day of that month.
- ``YYYY年M月前`` without 底 means *before that month starts* → the last day of the previous
  month (2017年5月前 → 2017-04-30). With 底 it is the month's last day (2016年6月底前 → 2016-06-30).
- ``YYYY年M月D日前`` → that day itself (2016年1月31日前 → 2016-01-31): read as "by".
- A bare year with or without 底/末/前 or a verb (2015年底前, 2016年完成, 到2017年) → 31 December.
- A month without a year (于8月底前) and 年底前/今年/年内 take the document's year.
- “十二五”末 → 2015-12-31, “十三五”末 → 2020-12-31 (the plans end in those years).
- A range of years or dates (2015-2017年实施, 2016年1月至2016年4月) → kind ``phased``, dated at its end.
- 持续实施, 持续落实, 落实并实施, recurring dates (每年12月31日前, 每季度末) → ``ongoing``, no date.
  A date followed by 持续实施 (2016年6月底前完成，持续实施) keeps the date and kind ``date``.
- 根据…进度推进, 及时跟进, 适时启动 and relative limits (6个月内, 会议结束后7个工作日内,
  用3年时间) → ``conditional``, no date. A limit counted from THIS document (本决定下发后10日内)
  is anchored to its signature date: if the caller passes ``issued_on`` the date is computed
  (calendar days; months by calendar month) and the kind is ``date``, otherwise ``conditional``.
- Nothing usable → ``none``.

``find_deadline`` (running text) is stricter than ``parse_deadline`` (a cell known to hold a
deadline): a month without a year needs 前, 于/在/到 or a verb (11月底完成; not 9月底仍未支出),
a year before the document's is history (在2014年…), 年底 alone is a recurring step, and
根据…要求/情况 is a basis rather than a timing (only 根据…进度推进, 及时跟进, 适时启动 are conditional).
Effective dates (自…起施行) and titles in 《》 are masked first.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numbers import CN_NUMERAL, normalise_digits, to_number

DEADLINE_KINDS = ("date", "ongoing", "conditional", "phased", "none")


@dataclass(frozen=True)
class Deadline:
    text: str            # verbatim, as printed
    date: date | None    # the last day allowed (2016年6月底前 → 2016-06-30); None for ongoing/conditional
    kind: str            # one of DEADLINE_KINDS


# --- building blocks (matched against digit-normalised text, which keeps every offset) -------------
_YEAR = r"20\d\d"
_NUM = rf"(?:\d+|[{CN_NUMERAL}]+)"
_BEFORE = r"(?:以前|之前|前)"
# One calendar point: 2016年6月底, 2015年年底, 2016年1月31日, 8月底, 12月31日, 2017年.
def _point(p: str) -> str:
    return (
        rf"(?:(?P<{p}y>{_YEAR})年)?(?:(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}})日)?)?"
        rf"(?P<{p}end>年底|年末|底|末|份)?"
    )


_FIVE_YEAR_PLAN = re.compile(r"[“\"‘]?(?P<plan>十二五|十三五)[”\"’]?(?:期?末|时期末)")
_RANGE_OF_YEARS = re.compile(rf"(?P<y1>{_YEAR})(?:年)?\s*(?:—|-|至|到|~)\s*(?P<y2>{_YEAR})年")
_RANGE_OF_DATES = re.compile(
    rf"{_point('a')}\s*(?:—|-|至|到|~)\s*{_point('b')}"
)
_POINT_RE = re.compile(rf"{_point('')}(?P<before>{_BEFORE})?")
_THIS_YEAR = re.compile(rf"(?<![\d{CN_NUMERAL}])(?:今年)?(?:年底前|年底|年末|年内)|今年")
# In running text only the unambiguous forms: 年底 alone is often a recurring step (年底总结考核).
_THIS_YEAR_IN_TEXT = re.compile(rf"(?<![\d{CN_NUMERAL}])(?:今年(?:年底前?|年内)?|(?:在|于|到)?年底前|年内)")
_ONGOING = re.compile(r"持续实施|持续落实|落实并实施|持续推进|长期坚持|常态化|长期")
_ONGOING_IN_TEXT = re.compile(r"持续实施|持续落实|落实并实施|长期坚持")
_RECURRING = re.compile(r"每(?:年|季度|季|月|半年|周)")
_CONDITIONAL = re.compile(r"根据.{0,30}?(?:进度|进展|情况|要求)|及时跟进|适时|视情")
# In running text 根据…要求/情况 is a basis, not a timing: only progress-bound and 适时 phrases count.
_CONDITIONAL_IN_TEXT = re.compile(r"根据[^，。；]{0,20}?(?:进度|进展)[^，。；]{0,10}?(?:推进|跟进|修订|实施)|及时跟进|适时(?:启动|开展|推进|出台)")
_RELATIVE = re.compile(
    rf"(?P<anchor>本(?:决定|通知|意见|方案|办法|规定)(?:下发|印发|发布)(?:后|之日起))?"
    rf"(?:[^，。；、\d\s]{{1,12}}?后)?在?(?P<n>{_NUM})(?P<unit>个工作日|个月|日|天|年|周)(?:内|之内|以内)"
)
_FROM_THEN_ON = re.compile(r"(?:月|年|日)(?:以后|之后|起)")
_SPAN_OF_YEARS = re.compile(rf"(?:用|力争用)?(?P<n>{_NUM})(?:(?:—|-|至|到)(?P<n2>{_NUM}))?年(?:时间|内)")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _point_date(
    m: re.Match, prefix: str, doc_year: int, before: bool, default_year: int | None = None,
    issued_on: date | None = None,
) -> date | None:
    """The last day allowed by one calendar point of ``_POINT``.

    A month without a year takes the document's year, or the next year when that month has
    already passed at signature (于3月底前 in a document of 30 December means next March).
    """
    due = _point_date_in(m, prefix, doc_year, before, default_year)
    if due and issued_on and not m.group(prefix + "y") and not default_year and due < issued_on.replace(day=1):
        due = _point_date_in(m, prefix, doc_year + 1, before, default_year)
    return due


def _point_date_in(m: re.Match, prefix: str, doc_year: int, before: bool, default_year: int | None) -> date | None:
    y, mo, d, end = (m.group(prefix + k) for k in ("y", "m", "d", "end"))
    if not (y or mo):
        return None
    year = int(y) if y else (default_year or doc_year)
    if not mo:
        return date(year, 12, 31)
    month = int(mo)
    if not 1 <= month <= 12:
        return None
    if d:
        return date(year, month, min(int(d), calendar.monthrange(year, month)[1]))
    if before and not end:
        # 2017年5月前: before May → the last day of April.
        return _month_end(year, month - 1) if month > 1 else date(year - 1, 12, 31)
    return _month_end(year, month)


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _relative(m: re.Match, text: str, issued_on: date | None) -> Deadline:
    """本决定下发后10日内 is anchored to the signature date; every other relative limit is conditional."""
    verbatim = text[m.start():m.end()]
    if m.group("anchor") and issued_on is not None and m.group("unit") in ("日", "天", "个月"):
        n = int(to_number(m.group("n")))
        due = issued_on + timedelta(days=n) if m.group("unit") != "个月" else _add_months(issued_on, n)
        return Deadline(verbatim, due, "date")
    return Deadline(verbatim, None, "conditional")


# In running text a year alone is too ambiguous (比2010年, 2014年以来, 2015年11月1日起施行); a
# deadline needs a marker before (到/于/在/至) or after (底/末/前, or a completion verb).
_MARKED_POINT = re.compile(
    rf"(?P<lead>(?:力争|确保|争取)?(?:到|于|在|至|截至)\s*)?"
    rf"{_point('')}(?P<before>{_BEFORE})?"
    rf"(?P<verb>(?:完成|实施|出台|启动|建立|成立|建成|实现|开工|取得|全面))?"
)
_NOT_A_DEADLINE_AFTER = re.compile(r"^(?:起|以来|开始|度|的|以后|之后|后|为|第)")
_NOT_A_DEADLINE_BEFORE = re.compile(r"(?:比|较|与|自|从|截止|同|于\d{4}年|以)$")


def _phased(text: str, norm: str, doc_year: int) -> Deadline | None:
    m = _RANGE_OF_YEARS.search(norm)
    if m:
        return Deadline(text[m.start():m.end()], date(int(m.group("y2")), 12, 31), "phased")
    for m in _RANGE_OF_DATES.finditer(norm):
        if not (m.group("am") or m.group("ay")) or not (m.group("bm") or m.group("by")):
            continue
        first_year = int(m.group("ay")) if m.group("ay") else doc_year
        end = _point_date(m, "b", doc_year, before=False, default_year=first_year)
        if end is not None:
            return Deadline(text[m.start():m.end()], end, "phased")
    return None


def _dated(text: str, norm: str, doc_year: int, running_text: bool, issued_on: date | None = None) -> Deadline | None:
    """The first calendar deadline in the text (most specific reading of that phrase)."""
    plan = _FIVE_YEAR_PLAN.search(norm)
    candidates: list[tuple[int, Deadline]] = []
    if plan:
        year = 2015 if plan.group("plan") == "十二五" else 2020
        start = plan.start()
        lead = re.search(r"(?:到|在|至)$", norm[:start])
        if lead:
            start = lead.start()
        candidates.append((start, Deadline(text[start:plan.end()], date(year, 12, 31), "date")))
    pattern = _MARKED_POINT if running_text else _POINT_RE
    for m in pattern.finditer(norm):
        if not (m.group("y") or m.group("m")):
            continue
        if running_text:
            marked = m.group("lead") or m.group("end") or m.group("before") or m.group("verb")
            if not marked:
                continue
            if _NOT_A_DEADLINE_AFTER.match(norm[m.end():]) or _NOT_A_DEADLINE_BEFORE.search(norm[: m.start()]):
                continue
            if m.group("m") and not m.group("y") and not (m.group("before") or m.group("lead") or m.group("verb")):
                continue   # 9月底仍未支出的, 12月份…活动: a month without 前/于/a verb is no deadline
            if m.group("y") and int(m.group("y")) < doc_year:
                continue   # 在2014年和2015年…: a past year is history, not a deadline
            if norm[m.end(): m.end() + 1] in ("和", "、") and not m.group("before"):
                continue
            if not m.group("m") and not (m.group("end") or m.group("before") or m.group("lead") or m.group("verb")):
                continue
        due = _point_date(m, "", doc_year, before=bool(m.group("before")), issued_on=issued_on)
        if due is None:
            continue
        end = m.end()
        if running_text and m.group("verb"):
            end = m.start("verb")
        candidates.append((m.start(), Deadline(text[m.start():end], due, "date")))
        break
    this_year = (_THIS_YEAR_IN_TEXT if running_text else _THIS_YEAR).search(norm)
    if this_year:
        start = this_year.start()
        lead = re.search(r"(?:力争|确保)?(?:于|在|到)$", norm[:start])
        start = lead.start() if lead else start
        candidates.append((start, Deadline(text[start:this_year.end()], date(doc_year, 12, 31), "date")))
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]


def parse_deadline(text: str, doc_year: int, issued_on: date | None = None) -> Deadline:
    """Parse a whole deadline cell or phrase (持续实施, 2016年6月底前完成, 年底前 …).

    ``Deadline.text`` is the whole cell/phrase as given (stripped).
    """
    verbatim = text.strip()
    norm = normalise_digits(verbatim)
    if not norm:
        return Deadline(verbatim, None, "none")
    phased = _phased(norm, norm, doc_year)
    if phased:
        return Deadline(verbatim, phased.date, "phased")
    if _RECURRING.search(norm) and not _RANGE_OF_YEARS.search(norm):
        return Deadline(verbatim, None, "ongoing")
    if _FROM_THEN_ON.search(norm):
        return Deadline(verbatim, None, "ongoing")
    relative = _RELATIVE.search(norm)
    if relative:
        found = _relative(relative, norm, issued_on)
        return Deadline(verbatim, found.date, found.kind)
    dated = _dated(norm, norm, doc_year, running_text=False, issued_on=issued_on)
    if dated:
        return Deadline(verbatim, dated.date, "date")
    if _CONDITIONAL.search(norm) or _SPAN_OF_YEARS.search(norm):
        return Deadline(verbatim, None, "conditional")
    if _ONGOING.search(norm):
        return Deadline(verbatim, None, "ongoing")
    return Deadline(verbatim, None, "none")


_TITLE = re.compile(r"《[^》]*》")


def _blank(m: re.Match) -> str:
    """Mask a span without moving any offset (keeps verbatim slicing of the original text valid)."""
    return "＿" * len(m.group(0))


_EFFECTIVE = re.compile(r"(?:自|从)[^，。；]{0,20}?起(?:施行|执行|实施)?|有效期")


def find_deadline(text: str, doc_year: int, issued_on: date | None = None) -> Deadline | None:
    """The deadline phrase inside a measure's running text, if any (``Deadline.text`` is verbatim).

    Effective dates (自2015年11月1日起施行) are not deadlines and are skipped.
    """
    if not text:
        return None
    norm = normalise_digits(text)
    masked = _EFFECTIVE.sub(_blank, _TITLE.sub(_blank, norm))
    phased = _phased(text, masked, doc_year)
    dated = _dated(text, masked, doc_year, running_text=True, issued_on=issued_on)
    recurring = _RECURRING.search(masked)
    if dated and recurring and 0 <= dated_offset(masked, dated, text) - recurring.end() <= 4:
        # 每年12月31日前 / 每年要在12月底前: a recurring date, not a one-off deadline.
        return Deadline(text[recurring.start():dated_offset(masked, dated, text) + len(dated.text)], None, "ongoing")
    found: list[tuple[int, Deadline]] = []
    if phased:
        found.append((text.find(phased.text), phased))
    if dated:
        found.append((dated_offset(masked, dated, text), dated))
    if found:
        return min(found, key=lambda pair: pair[0])[1]
    relative = _RELATIVE.search(masked)
    if relative:
        return _relative(relative, text, issued_on)
    span = _SPAN_OF_YEARS.search(masked)
    if span:
        return Deadline(text[span.start():span.end()], None, "conditional")
    for pattern, kind in ((_CONDITIONAL_IN_TEXT, "conditional"), (_ONGOING_IN_TEXT, "ongoing")):
        m = pattern.search(masked)
        if m:
            return Deadline(text[m.start():m.end()], None, kind)
    return None


def dated_offset(norm: str, deadline: Deadline, text: str) -> int:
    """Where a found deadline's verbatim text starts (its first occurrence)."""
    index = text.find(deadline.text)
    return index if index >= 0 else norm.find(normalise_digits(deadline.text))
