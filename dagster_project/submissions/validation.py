"""Row-level rules for submitted sheets: typed good rows, and every problem with a code and a Chinese sentence.

Why this module: a department's file must never be all-or-nothing because of one typo. Each row is
checked column by column; a row with any problem is *quarantined* (written to raw.quarantined_rows
with the problem), the others load. A row may carry several problems — each is one quarantine record,
so the clerk can fix them all at once; ``rows_quarantined`` counts rows, not problems.

The rules run column-wise on pandas Series (one parse per *distinct* cell text for dates, statuses,
names, periods; ``pd.to_numeric`` for numbers), so a 10⁶-row CSV is checked in seconds, not minutes.
Messages are rendered only for the rows that fail.

Reason codes are English snake_case; :data:`REASON_CODES` lists them all with a Chinese label
(:data:`FILE_CODES` are the file-level ones). A readable file whose rows *all* fail is rejected with
error code ``no_valid_rows`` (its row problems are still recorded).
"""
from __future__ import annotations

import json
import logging
import re
import traceback
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .formats import (AIR_QUALITY, FIELDS, INDICATORS, MAX_CELL_CHARS, PROGRESS, FileRejected, Sheet, SubmissionFile,
                      nonblank, read_submission)
from .kinds import KINDS
from .reference import Reference, lookup_key, unit_key

log = logging.getLogger(__name__)

STATUSES: dict[str, str] = {
    "not_started": "未启动", "in_progress": "推进中", "done": "已完成", "delayed": "已延期", "blocked": "受阻",
}
_STATUS_WORDS: dict[str, str] = {
    **{re.sub(r"[_\-]", "", k): k for k in STATUSES},
    **{v: k for k, v in STATUSES.items()},
    "进行中": "in_progress", "完成": "done", "延期": "delayed", "未开始": "not_started", "阻塞": "blocked",
    "completed": "done", "inprogress": "in_progress", "ongoing": "in_progress",
}

REASON_CODES: dict[str, str] = {
    # file level: the whole file is rejected
    "unreadable_file": "文件无法读取",
    "wrong_file_type": "文件类型不对",
    "unknown_encoding": "文字编码无法识别",
    "file_too_large": "文件过大",
    "empty_file": "文件没有数据",
    "missing_columns": "缺少必填列",
    "duplicate_column": "列重复",
    "encrypted_file": "文件设置了密码（已加密）",
    "unpacked_too_large": "Excel 文件解压后过大",
    "too_many_rows": "行数超过上限",
    "too_many_columns": "列数超过上限",
    "too_many_cells": "单元格数超过上限",
    "line_too_long": "CSV 一行过长",
    "unbalanced_quote": "CSV 引号未闭合",
    "unexpected_error": "读取或校验时出错",
    # row level: the row is quarantined
    "cell_too_long": "单元格文字超过上限",
    "missing_value": "必填项为空",
    "unknown_task": "任务编号不存在",
    "unknown_indicator": "指标编号不存在",
    "unknown_organization": "填报单位不在名录中",
    "ambiguous_organization": "填报单位名称有歧义",
    "organization_not_assigned": "填报单位不是该任务的责任单位",
    "invalid_status": "状态无法识别",
    "invalid_percent": "完成进度不是数字",
    "percent_out_of_range": "完成进度超出 0–100",
    "invalid_date": "日期无法识别",
    "future_date": "日期晚于今天",
    "invalid_period": "统计期无法识别",
    "non_numeric_value": "数值不是数字",
    "formula_not_allowed": "单元格是公式",
    "unit_mismatch": "单位不一致",
    "unknown_region": "地区无法识别",
    "duplicate_row": "与前面的行重复",
    "conflicting_rows": "同一任务（指标）同日多行且内容矛盾",
    "unknown_station": "监测站不在名录中",
    "invalid_quarter": "季度无法识别",
    "quarter_not_ended": "季度尚未结束",
    "index_out_of_range": "综合指数超出合理范围",
    "too_many_decimals": "综合指数小数位过多",
}
FILE_CODES = ("unreadable_file", "wrong_file_type", "unknown_encoding", "file_too_large", "empty_file",
              "missing_columns", "duplicate_column", "encrypted_file", "unpacked_too_large", "too_many_rows",
              "too_many_columns", "too_many_cells", "line_too_long", "unbalanced_quote", "unexpected_error")

_MESSAGES: dict[str, str] = {
    "cell_too_long": "单元格有 {length} 个字符，超过上限 {limit} 个字符（Excel 一个单元格的上限），请删减后重新报送。",
    "missing_value": "此项必须填写，不能为空。",
    "unknown_task": "任务编号 {value} 不存在，请核对模板中的任务编号。",
    "unknown_indicator": "指标编号 {value} 不存在，请核对模板中的指标编号。",
    "unknown_organization": "填报单位“{value}”不在机构名录中，请填写单位全称或规范简称。",
    "ambiguous_organization": "填报单位“{value}”可能指不止一个单位，请填写单位全称。",
    "organization_not_assigned": "“{value}”不是任务 {task_id} 的牵头或配合单位，请核对任务编号或填报单位。",
    "invalid_status": "状态“{value}”无法识别，只能填写：未启动、推进中、已完成、已延期、受阻。",
    "invalid_percent": "完成进度“{value}”不是数字，请填写 0 到 100 之间的数（如 85 或 85%）。",
    "percent_out_of_range": "完成进度 {value} 超出范围，应在 0 到 100 之间。",
    "invalid_date": "日期“{value}”无法识别，请按 2015-09-30 的格式填写。",
    "future_date": "日期 {value} 晚于今天（{today}），请核对。",
    "future_period": "统计期 {value} 尚未开始（今天是 {today}），请核对。",
    "invalid_period": "统计期“{value}”无法识别，请写成 2015-09-30、2015-09、2015Q3 或 2015 这几种格式之一。",
    "non_numeric_value": "数值“{value}”不是数字，请只填写数字，不要带单位或文字。",
    "formula_not_allowed": "单元格是公式“{value}”，系统不计算公式，请直接填写结果。",
    "unit_mismatch": "单位“{value}”与指标 {indicator_id} 的单位“{expected}”不一致，请换算成“{expected}”后填写。",
    "unknown_region": "地区“{value}”无法识别，请填写县（市、区）名称、地区代码或“全市”。",
    "duplicate_row": "本行与第{other}行完全相同，只接收了第{other}行。",
    "conflicting_rows": "本行与第{other}行的{key}相同但内容不同，无法判断以哪一行为准，请只保留一行后重新报送。",
    "unknown_station": "监测站“{value}”不在监测站名录中，请填写监测站名称（如 药材公司、北华航天学院、三河市省控站）或编号。",
    "invalid_quarter": "季度“{value}”无法识别，请按 2016Q1 的格式填写（年份加 Q 加季度 1–4）。",
    "quarter_not_ended": "季度 {value} 尚未结束（今天是 {today}），季度平均综合指数要在季度结束后填报。",
    "non_numeric_index": "综合指数“{value}”不是数字，请只填写数字（如 8.52），不要带单位或文字。",
    "index_out_of_range": "综合指数 {value} 超出合理范围，应大于 0 且小于 1000，请核对。",
    "too_many_decimals": "综合指数 {value} 的小数超过 4 位，请四舍五入到至多 4 位小数后填写。",
}
# The columns of each kind's good rows, and the ones stored (after file_sha256, file_name), read off the
# declarations in submissions/kinds/: a helper column (quarter_end: the data day of an air-quality row)
# travels with the rows but is not stored.
GOOD_COLUMNS: dict[str, tuple[str, ...]] = {name: kind.good_columns for name, kind in KINDS.items()}
HELPER_COLUMNS = frozenset(c for kind in KINDS.values() for c in kind.helper_columns)
STORED_COLUMNS: dict[str, tuple[str, ...]] = {name: kind.stored_columns for name, kind in KINDS.items()}
INDEX_DECIMALS = 4                  # raw.air_quality_readings.composite_index is decimal(18,4)
INDEX_LIMIT = Decimal(1000)
_MAX_LABEL = 80


@dataclass
class Problem:
    """One quarantine record (a row-level problem, or a file-level one with row_number None)."""

    sheet_name: str | None
    row_number: int | None
    column_name: str | None
    raw_value: str | None
    reason_code: str
    reason: str
    raw_row: str | None = None


@dataclass
class SheetValidation:
    sheet: Sheet
    good: pd.DataFrame                  # typed rows for raw.progress_reports / raw.indicator_values
    problems: list[Problem]
    rows_quarantined: int

    @property
    def rows_total(self) -> int:
        return len(self.sheet)

    @property
    def rows_accepted(self) -> int:
        return len(self.good)


@dataclass
class FileValidation:
    """The outcome of one file: status, Chinese error (if rejected), good rows, problems."""

    file_name: str
    status: str                         # accepted | partially_accepted | rejected
    error: str | None = None
    error_code: str | None = None
    file_type: str | None = None
    encoding: str | None = None
    sheets: list[SheetValidation] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    rows_blank: int = 0
    notes: list[str] = field(default_factory=list)     # Chinese: what the reader left out (hidden sheet …)

    @property
    def rows_total(self) -> int:
        return sum(s.rows_total for s in self.sheets)

    @property
    def rows_accepted(self) -> int:
        return sum(s.rows_accepted for s in self.sheets)

    @property
    def rows_quarantined(self) -> int:
        return sum(s.rows_quarantined for s in self.sheets)

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + [p for s in self.sheets for p in s.problems]

    def good_rows(self, kind: str) -> pd.DataFrame:
        frames = [s.good for s in self.sheets if s.sheet.kind == kind and len(s.good)]
        if not frames:
            return _empty_good(kind)
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    @property
    def reported_by_guess(self) -> str | None:
        """The most frequent 填报单位 text in the file (for the inbox sidecar)."""
        counts: dict[str, int] = {}
        for s in self.sheets:
            for text, n in s.sheet.column("reported_by").value_counts().items():
                if text:
                    counts[text] = counts.get(text, 0) + int(n)
        return max(counts, key=lambda k: counts[k]) if counts else None


# --- parsing single cell texts (cached: the same date / status / name repeats down a column) ----------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


def _nfkc(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date | None:
    """2015-09-30, 2015/9/30, 2015.9.30, 2015年9月30日, 20150930 (a time part is ignored) → date."""
    parts = re.split(r"\s+|T", unicodedata.normalize("NFKC", text).strip(), maxsplit=1)
    if len(parts) == 2 and not _TIME.fullmatch(parts[1].strip()):
        return None
    clean = parts[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(clean)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if not _year_ok(year):
                return None
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))


_PERIOD_DAY = _DATE_PATTERNS
_PERIOD_MONTH = (re.compile(r"(\d{4})[-/.](\d{1,2})"), re.compile(r"(\d{4})年(\d{1,2})月(?:份)?"))
_PERIOD_QUARTER = (re.compile(r"(\d{4})[-/]?[qQ]([1-4])"), re.compile(r"(\d{4})年?第?([1-4一二三四])季度?"))
_PERIOD_HALF = (re.compile(r"(\d{4})[-/]?[hH]([12])"), re.compile(r"(\d{4})年?([上下])半年"))
_PERIOD_YEAR = re.compile(r"(\d{4})年?(?:度|全年)?")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


@lru_cache(maxsize=65536)
def parse_period(text: str) -> tuple[date, date] | None:
    """YYYY-MM-DD (a day), YYYY-MM (a month), YYYYQn (a quarter), YYYYHn, YYYY (a year) → (start, end)."""
    clean = _nfkc(text)
    for pattern in _PERIOD_DAY:
        if pattern.fullmatch(clean):
            day = parse_date(clean)
            return (day, day) if day else None
    try:
        for pattern in _PERIOD_MONTH:
            m = pattern.fullmatch(clean)
            if m:
                year, month = int(m.group(1)), int(m.group(2))
                return (date(year, month, 1), _month_end(year, month)) if _year_ok(year) else None
        for pattern in _PERIOD_QUARTER:
            m = pattern.fullmatch(clean)
            if m:
                year = int(m.group(1))
                q = _CN_QUARTER.get(m.group(2)) or int(m.group(2))
                return (date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) if _year_ok(year) else None
        for pattern in _PERIOD_HALF:
            m = pattern.fullmatch(clean)
            if m:
                year = int(m.group(1))
                half = 1 if m.group(2) in ("1", "上") else 2
                return (date(year, 6 * half - 5, 1), _month_end(year, 6 * half)) if _year_ok(year) else None
        m = _PERIOD_YEAR.fullmatch(clean)
        if m and _year_ok(int(m.group(1))):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


def _year_ok(year: int) -> bool:
    return 1900 <= year <= 2200


@lru_cache(maxsize=4096)
def parse_status(text: str) -> str | None:
    """未启动 / not_started / Not started → not_started (the five statuses, Chinese or English)."""
    return _STATUS_WORDS.get(re.sub(r"[_\-]", "", lookup_key(text)))


_NUMBER_CLEAN = re.compile(r"[,，\s]")


def parse_number(text: str) -> tuple[float | None, bool]:
    """'1,234.5' / '１２' / '85%' → (value, had_percent_sign); (None, …) if not a number."""
    clean = _NUMBER_CLEAN.sub("", unicodedata.normalize("NFKC", text))
    percent = clean.endswith("%")
    if percent:
        clean = clean[:-1]
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", clean):
        return None, percent
    return float(clean), percent


# --- column-wise helpers ----------------------------------------------------------------------------

def _map_unique(series: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """Apply fn once per distinct value and spread the results back down the column (None → None)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [fn(u) for u in uniques] if len(uniques) else []
    results[-1] = None                                   # code -1: a missing value
    return pd.Series(results[codes], index=series.index, dtype=object)


def _map_unique_many(series: pd.Series, *fns: Callable[[str], object]) -> list[pd.Series]:
    """Like _map_unique for several functions, factorising the column once."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    out = []
    for fn in fns:
        results = np.empty(len(uniques) + 1, dtype=object)
        results[:-1] = [fn(u) for u in uniques] if len(uniques) else []
        results[-1] = None
        out.append(pd.Series(results[codes], index=series.index, dtype=object))
    return out


def _assigned(reference: Reference, tasks: np.ndarray, orgs: np.ndarray, check: np.ndarray) -> np.ndarray:
    """True where the row's organisation is assigned to its task (or the row is not checked): one set
    lookup per row, no strings built."""
    task_orgs = reference.task_orgs
    empty: tuple[str, ...] = ()
    return np.fromiter((not c or not (orgs_of := task_orgs.get(t, empty)) or o in orgs_of
                        for t, o, c in zip(tasks, orgs, check)), dtype=bool, count=len(tasks))


def _flags(series: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """A boolean per row from a per-distinct-value test."""
    return _map_unique(series, lambda u: bool(test(u))).to_numpy(dtype=bool)


def _numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values with NaN for blank/invalid, had_percent) for a column of texts; vectorised fast path."""
    filled = nonblank(series)
    values = pd.to_numeric(series.where(filled, None), errors="coerce").to_numpy(dtype="float64", copy=True)
    percent = np.zeros(len(series), dtype=bool)
    slow = np.flatnonzero(np.isnan(values) & filled)
    for position in slow:
        value, had_percent = parse_number(series.iat[position])
        values[position] = np.nan if value is None else value
        percent[position] = had_percent
    values[~np.isfinite(values)] = np.nan
    return values, percent


class _Checks:
    """Collects failing rows per (column, reason) for one sheet, and renders their messages."""

    def __init__(self, sheet: Sheet, file_label: str, today: date, show_sheet: bool) -> None:
        self.sheet = sheet
        self.n = len(sheet)
        self.bad = np.zeros(self.n, dtype=bool)
        self.field_bad: dict[str, np.ndarray] = {}
        self.records: list[tuple[int, str | None, str, str, dict[str, object]]] = []
        self.file_label = file_label
        self.today = today
        self.show_sheet = show_sheet

    def ok(self, name: str) -> np.ndarray:
        return ~self.field_bad.get(name, np.zeros(self.n, dtype=bool))

    def flag(self, mask: np.ndarray | pd.Series, name: str | None, code: str,
             message_code: str | None = None, **extra: pd.Series | np.ndarray | str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if name is not None:
            mask = mask & self.ok(name)
            self.field_bad[name] = ~self.ok(name) | mask
        self.bad |= mask
        column = self.sheet.column(name) if name else None
        for position in np.flatnonzero(mask):
            values = {k: (v if isinstance(v, str) else v[position]) for k, v in extra.items()}
            raw = "" if column is None else column.iat[position]
            self.records.append((int(position), name, code, raw, {"message_code": message_code or code, **values}))

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        raw_rows: dict[int, str] = {}
        for position, name, code, raw, extra in self.records:
            if position not in raw_rows:
                raw_rows[position] = json.dumps(self.sheet.raw_row(position), ensure_ascii=False)
            row_number = int(self.sheet.row_numbers.iat[position])
            out.append(Problem(
                sheet_name=self.sheet.name, row_number=row_number, column_name=name, raw_value=raw or None,
                reason_code=code, reason=self.message(row_number, name, code, raw, extra), raw_row=raw_rows[position],
            ))
        out.sort(key=lambda p: (p.row_number or 0))
        return out

    def message(self, row_number: int, name: str | None, code: str, raw: str, extra: dict[str, object]) -> str:
        where = f"文件“{self.file_label}”"
        if self.show_sheet:
            where += f"工作表“{self.sheet.name}”"
        where += f"第{row_number}行"
        if name:
            where += f"“{self.sheet.header(name)}”列"
        extra = dict(extra)
        template = _MESSAGES[str(extra.pop("message_code", code))]
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        return where + "：" + template.format(value=shown, today=self.today.isoformat(), **extra)


def file_label(name: str) -> str:
    """A file name fit for a message: no control characters, not absurdly long."""
    label = re.sub(r"[\x00-\x1f\x7f]", "", name)
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


def _long_cells(checks: _Checks, sheet: Sheet) -> None:
    """A cell longer than MAX_CELL_CHARS quarantines its row (first, so it is that cell's only problem)."""
    if not sheet.long_cells or not len(sheet):
        return
    for name in FIELDS[sheet.kind]:
        if name not in sheet.fields:
            continue
        values = sheet.column(name).to_numpy(dtype=object)
        lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
        checks.flag(lengths > MAX_CELL_CHARS, name, "cell_too_long", length=lengths, limit=str(MAX_CELL_CHARS))


def _required(checks: _Checks, sheet: Sheet, name: str) -> pd.Series:
    column = sheet.column(name)
    checks.flag(~nonblank(column), name, "missing_value")
    return column


def _formula(checks: _Checks, column: pd.Series, name: str, failing: np.ndarray) -> None:
    """Among the cells that did not parse, the ones that are formulas get their own reason."""
    mask = np.zeros(len(column), dtype=bool)
    for position in np.flatnonzero(failing):
        mask[position] = column.iat[position].startswith("=")
    checks.flag(mask, name, "formula_not_allowed")


def _dates(checks: _Checks, sheet: Sheet, name: str, today: date) -> pd.Series:
    column = _required(checks, sheet, name)
    parsed, future = _map_unique_many(column, parse_date, lambda u: (parse_date(u) or today) > today)
    failing = parsed.isna().to_numpy()
    _formula(checks, column, name, failing)
    checks.flag(failing, name, "invalid_date")
    checks.flag(future.to_numpy(dtype=bool), name, "future_date")
    return parsed


def _organisations(checks: _Checks, sheet: Sheet, reference: Reference,
                   task_ids: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """(org_id, reported_by) — resolved per distinct name; ambiguous names narrowed by the row's task."""
    names = _required(checks, sheet, "reported_by")
    org, code = _map_unique_many(names, lambda n: reference.resolve_org(n)[0], lambda n: reference.resolve_org(n)[1])
    if task_ids is not None:
        for position in np.flatnonzero((code == "ambiguous_organization").to_numpy()):
            task = task_ids.iat[position]
            if isinstance(task, str):
                org_id, why = reference.resolve_org(names.iat[position], task)
                org.iat[position], code.iat[position] = org_id, why
    for reason in ("unknown_organization", "ambiguous_organization"):
        checks.flag((code == reason).to_numpy(), "reported_by", reason)
    return org, names


def _duplicates(checks: _Checks, typed: pd.DataFrame, key: list[str], key_label: str) -> None:
    """Rows sharing a key with different content → conflicting_rows (all of them: we do not guess which
    is right); otherwise later exact copies of a row → duplicate_row (the first copy loads)."""
    candidates = typed[~checks.bad]
    if len(candidates) < 2:
        return
    if not candidates.duplicated(subset=key).any():        # the usual case: nothing more to do
        return
    content = [c for c in typed.columns if c != "_row"]
    content_id = candidates.groupby(content, dropna=False, sort=False).ngroup()
    variants = content_id.groupby([candidates[k] for k in key], dropna=False, sort=False).transform("nunique")
    clash = (variants > 1).to_numpy()
    if clash.any():
        clashing = candidates[clash]
        mask = np.zeros(checks.n, dtype=bool)
        other = np.zeros(checks.n, dtype=object)
        for _, group in clashing.groupby(key, dropna=False, sort=False):
            rows = group["_row"].tolist()
            for position, row in zip(group.index, rows):
                mask[position] = True
                other[position] = "、".join(str(r) for r in rows if r != row)
        checks.flag(mask, None, "conflicting_rows", other=other, key=key_label)
    rest = candidates[~clash]
    exact = rest.duplicated(subset=content, keep="first")
    if exact.any():
        first = rest.groupby(content, dropna=False, sort=False)["_row"].transform("first")
        mask = np.zeros(checks.n, dtype=bool)
        other = np.zeros(checks.n, dtype=object)
        positions = rest.index[exact.to_numpy()]
        mask[positions] = True
        other[positions] = first[exact].to_numpy()
        checks.flag(mask, None, "duplicate_row", other=other)


@lru_cache(maxsize=None)
def _empty_good(kind: str) -> pd.DataFrame:
    """The (shared, never modified) empty frame of good rows of a kind: built once, not per file."""
    return _new_empty_good(kind)


def _new_empty_good(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in GOOD_COLUMNS[kind]})


def _date_column(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce")


# --- the two kinds of sheet -------------------------------------------------------------------------

def validate_progress(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    checks = _Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_task = _required(checks, sheet, "task_id")
    task_id = _map_unique(raw_task, lambda t: reference.tasks.get(lookup_key(t)))
    checks.flag(task_id.isna().to_numpy(), "task_id", "unknown_task")

    report_date = _dates(checks, sheet, "report_date", today)

    raw_status = _required(checks, sheet, "status")
    status = _map_unique(raw_status, parse_status)
    checks.flag(status.isna().to_numpy(), "status", "invalid_status")

    raw_percent = sheet.column("percent_complete")
    percent, _ = _numbers(raw_percent)
    failing = np.isnan(percent) & nonblank(raw_percent)
    _formula(checks, raw_percent, "percent_complete", failing)
    checks.flag(failing, "percent_complete", "invalid_percent")
    checks.flag((percent < 0) | (percent > 100), "percent_complete", "percent_out_of_range")

    org_id, reported_by = _organisations(checks, sheet, reference, task_id)
    both = (task_id.notna() & org_id.notna()).to_numpy() & checks.ok("task_id") & checks.ok("reported_by")
    assigned = _assigned(reference, task_id.to_numpy(dtype=object), org_id.to_numpy(dtype=object), both)
    checks.flag(~assigned, "reported_by", "organization_not_assigned",
                task_id=task_id.to_numpy(dtype=object))

    note = sheet.column("note")
    typed = pd.DataFrame({
        "task_id": task_id, "report_date": report_date, "status": status, "percent_complete": percent,
        "note": note, "org_id": org_id, "_row": sheet.row_numbers,
    })
    _duplicates(checks, typed, ["task_id", "report_date", "org_id"], "任务编号、填报日期和填报单位")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "task_id": task_id[keep].to_numpy(dtype=object),
        "report_date": _date_column(report_date[keep]).to_numpy(),
        "status": status[keep].to_numpy(dtype=object),
        "percent_complete": percent[keep],
        "note": note[keep].where(nonblank(note[keep]), None).to_numpy(dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))


def validate_indicators(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    checks = _Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_indicator = _required(checks, sheet, "indicator_id")
    indicator_id = _map_unique(raw_indicator, lambda t: reference.indicators.get(lookup_key(t)))
    checks.flag(indicator_id.isna().to_numpy(), "indicator_id", "unknown_indicator")

    raw_region = _required(checks, sheet, "region")
    region = _map_unique(raw_region, lambda r: reference.regions.get(lookup_key(r)))
    checks.flag(region.isna().to_numpy(), "region", "unknown_region")

    raw_period = _required(checks, sheet, "period")
    start, end, future = _map_unique_many(raw_period, lambda u: (parse_period(u) or (None, None))[0],
                                          lambda u: (parse_period(u) or (None, None))[1],
                                          lambda u: (parse_period(u) or (today,))[0] > today)
    failing = start.isna().to_numpy()
    _formula(checks, raw_period, "period", failing)
    checks.flag(failing, "period", "invalid_period")
    checks.flag(future.to_numpy(dtype=bool), "period", "future_date", message_code="future_period")

    raw_value = _required(checks, sheet, "value")
    value, had_percent = _numbers(raw_value)
    _formula(checks, raw_value, "value", np.isnan(value))
    checks.flag(np.isnan(value), "value", "non_numeric_value")

    written_unit = sheet.column("unit")
    unit = np.where(~nonblank(written_unit) & had_percent, "%", written_unit.to_numpy(dtype=object))
    unit = pd.Series(unit, dtype=object)
    expected = _map_unique(indicator_id, lambda i: reference.indicator_units.get(i, "")).fillna("")
    pair = pd.Series(unit.astype(str) + "\x1f" + expected.astype(str), dtype=object)
    matches = _flags(pair, _unit_matches)
    checks.flag(~matches & indicator_id.notna().to_numpy(), "unit", "unit_mismatch",
                indicator_id=indicator_id.to_numpy(dtype=object), expected=expected.to_numpy(dtype=object))
    stored_unit = expected.where(expected != "", unit)

    org_id, reported_by = _organisations(checks, sheet, reference, None)

    typed = pd.DataFrame({
        "indicator_id": indicator_id, "region_code": region, "period_start": start, "period_end": end,
        "value": value, "org_id": org_id, "_row": sheet.row_numbers,
    })
    _duplicates(checks, typed, ["indicator_id", "region_code", "period_start", "period_end", "org_id"],
                "指标编号、地区、统计期和填报单位")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "indicator_id": indicator_id[keep].to_numpy(dtype=object),
        "region_code": region[keep].to_numpy(dtype=object),
        "period": raw_period[keep].to_numpy(dtype=object),
        "period_start": _date_column(start[keep]).to_numpy(),
        "period_end": _date_column(end[keep]).to_numpy(),
        "value": value[keep],
        "unit": stored_unit[keep].where(stored_unit[keep] != "", None).to_numpy(dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))


_QUARTER = re.compile(r"(\d{4})[-/ ]?[qQ]([1-4])")
_CN_QUARTER_TEXT = re.compile(r"(\d{4})年?第?([1-4一二三四])季度")


@lru_cache(maxsize=1024)
def parse_quarter(text: str) -> tuple[str, date] | None:
    """2016Q1 / 2016q1 / 2016-Q1 / 2016年第一季度 → ('2016Q1', 2016-03-31); None for anything else."""
    clean = _nfkc(text)
    match = _QUARTER.fullmatch(clean) or _CN_QUARTER_TEXT.fullmatch(clean)
    if not match or not _year_ok(int(match.group(1))):
        return None
    year, quarter = int(match.group(1)), _CN_QUARTER.get(match.group(2)) or int(match.group(2))
    return f"{year}Q{quarter}", _month_end(year, 3 * quarter)


@lru_cache(maxsize=65536)
def parse_index(text: str) -> tuple[str, Decimal | None]:
    """A composite index as an exact decimal: ('ok', value) | ('non_numeric', None) | ('range', value) |
    ('decimals', value). Parsed with Decimal, never through binary floating point."""
    clean = re.sub(r"[,，\s]", "", unicodedata.normalize("NFKC", text))
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", clean):
        return "non_numeric", None
    try:
        value = Decimal(clean)
    except InvalidOperation:
        return "non_numeric", None
    if value <= 0 or value >= INDEX_LIMIT:
        return "range", value
    if -value.normalize().as_tuple().exponent > INDEX_DECIMALS:
        return "decimals", value
    return "ok", value


def validate_air_quality(sheet: Sheet, reference: Reference, today: date, label: str,
                         show_sheet: bool) -> SheetValidation:
    """空气质量: 监测站, 季度 (YYYYQn), 综合指数 (> 0, ≤ 4 decimals), 填报单位. One row per station and quarter."""
    checks = _Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_station = _required(checks, sheet, "station")
    station_id = _map_unique(raw_station, lambda t: reference.stations.get(lookup_key(t)))
    checks.flag(station_id.isna().to_numpy(), "station", "unknown_station")

    raw_quarter = _required(checks, sheet, "quarter")
    quarter, quarter_end = _map_unique_many(raw_quarter, lambda u: (parse_quarter(u) or (None, None))[0],
                                            lambda u: (parse_quarter(u) or (None, None))[1])
    failing = quarter.isna().to_numpy()
    _formula(checks, raw_quarter, "quarter", failing)
    checks.flag(failing, "quarter", "invalid_quarter")
    not_ended = np.array([isinstance(end, date) and end > today for end in quarter_end], dtype=bool)
    checks.flag(not_ended, "quarter", "quarter_not_ended")

    raw_index = _required(checks, sheet, "composite_index")
    outcome, index = _map_unique_many(raw_index, lambda u: parse_index(u)[0], lambda u: parse_index(u)[1])
    non_numeric = (outcome == "non_numeric").to_numpy()
    _formula(checks, raw_index, "composite_index", non_numeric)
    checks.flag(non_numeric, "composite_index", "non_numeric_value", message_code="non_numeric_index")
    checks.flag((outcome == "range").to_numpy(), "composite_index", "index_out_of_range")
    checks.flag((outcome == "decimals").to_numpy(), "composite_index", "too_many_decimals")

    org_id, reported_by = _organisations(checks, sheet, reference, None)

    typed = pd.DataFrame({"station_id": station_id, "quarter": quarter,
                          "composite_index": index.map(lambda v: None if v is None else str(v.normalize())),
                          "org_id": org_id, "_row": sheet.row_numbers})
    _duplicates(checks, typed, ["station_id", "quarter"], "监测站和季度")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "station_id": station_id[keep].to_numpy(dtype=object),
        "quarter": quarter[keep].to_numpy(dtype=object),
        "quarter_end": _date_column(quarter_end[keep]).to_numpy(),
        # text of the exact decimal: the loader casts it to decimal(18,4) in DuckDB, no float on the way
        "composite_index": np.array([format(v, "f") for v in index[keep]], dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))


_VALIDATORS = {PROGRESS: validate_progress, INDICATORS: validate_indicators, AIR_QUALITY: validate_air_quality}


@lru_cache(maxsize=4096)
def _unit_matches(pair: str) -> bool:
    written, expected = pair.split("\x1f")
    return not written or not expected or unit_key(written) == unit_key(expected)


# --- a whole file -----------------------------------------------------------------------------------

def rejected(file_name: str, error: FileRejected, submission: SubmissionFile | None = None) -> FileValidation:
    label = file_label(file_name)
    message = f"文件“{label}”：{error.message}"
    problem = Problem(None, None, None, error.detail or None, error.code, message)
    return FileValidation(file_name, "rejected", message, error.code,
                          file_type=submission.file_type if submission else None,
                          encoding=submission.encoding if submission else None, file_problems=[problem])


def validate_submission(submission: SubmissionFile, file_name: str, reference: Reference, today: date) -> FileValidation:
    """Check every sheet of a readable file. All rows bad → status rejected (its problems are still kept)."""
    label = file_label(file_name)
    show_sheet = submission.file_type == "xlsx"
    results = []
    for sheet in submission.sheets:
        validate = _VALIDATORS[sheet.kind]
        results.append(validate(sheet, reference, today, label, show_sheet))
    outcome = FileValidation(file_name, "accepted", file_type=submission.file_type, encoding=submission.encoding,
                             sheets=results, rows_blank=sum(s.rows_blank for s in submission.sheets),
                             notes=[f"文件“{label}”：{note}" for note in submission.notes])
    if outcome.rows_quarantined:
        outcome.status = "partially_accepted"
    if outcome.rows_accepted == 0:
        outcome.status = "rejected"
        outcome.error_code = "no_valid_rows"
        outcome.error = f"文件“{label}”：全部 {outcome.rows_total} 行都未通过校验，没有数据入库，请按各行的提示修改后重新报送。"
    return outcome


def unexpected_error(file_name: str, error: BaseException) -> FileValidation:
    """A file whose reading or checking raised something no rule foresaw: rejected like any unreadable file
    (recorded, so no later load tries it again), with the error kept in quarantined_rows.raw_value."""
    log.error("reading or checking %s raised %s; the file is rejected (unexpected_error)", file_label(file_name),
              type(error).__name__, exc_info=error)
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    problem = FileRejected(
        "unexpected_error",
        f"读取或校验此文件时出错（{type(error).__name__}），文件没有入库，已按拒收记录。请用 Excel 打开后重新保存"
        "（或另存为“CSV UTF-8”）再报送；如仍出错，请联系数据管理员。",
        f"{type(error).__name__}{where}: {error}"[:2000])
    return rejected(file_name, problem)


def validate_file(data: bytes, file_name: str, reference: Reference, today: date) -> FileValidation:
    """Bytes → FileValidation. Never raises for a bad file: a file-level problem gives status rejected, and so
    does any exception reading or checking it raises (``unexpected_error``: a file is never the load's failure)."""
    try:
        submission = read_submission(data)
    except FileRejected as error:
        return rejected(file_name, error)
    except Exception as error:          # noqa: BLE001 - whatever the reader hits is this file's problem
        return unexpected_error(file_name, error)
    try:
        return validate_submission(submission, file_name, reference, today)
    except Exception as error:          # noqa: BLE001
        return unexpected_error(file_name, error)
