"""Cell parsers: one cell text → a typed value (dates, periods, statuses, numbers, quarters, indices), and
the column-wise helpers that run a parser once per *distinct* text of a column.

The parsers are cached (the same date / status / name repeats down a column); the column helpers
spread their answers back down the column, so a 10⁶-row CSV is parsed in seconds.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd

from .formats import nonblank
from .reference import lookup_key, unit_key

STATUSES: dict[str, str] = {
    "not_started": "未启动", "in_progress": "推进中", "done": "已完成", "delayed": "已延期", "blocked": "受阻",
}
_STATUS_WORDS: dict[str, str] = {
    **{re.sub(r"[_\-]", "", k): k for k in STATUSES},
    **{v: k for k, v in STATUSES.items()},
    "进行中": "in_progress", "完成": "done", "延期": "delayed", "未开始": "not_started", "阻塞": "blocked",
    "completed": "done", "inprogress": "in_progress", "ongoing": "in_progress",
}

INDEX_DECIMALS = 4                  # raw.air_quality_readings.composite_index is decimal(18,4)
INDEX_LIMIT = Decimal(1000)

# --- parsing single cell texts (cached: the same date / status / name repeats down a column) ----------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


def nfkc(text: str) -> str:
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
            if not year_ok(year):
                return None
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))


_PERIOD_DAY = _DATE_PATTERNS
_PERIOD_MONTH = (re.compile(r"(\d{4})[-/.](\d{1,2})"), re.compile(r"(\d{4})年(\d{1,2})月(?:份)?"))
_PERIOD_QUARTER = (re.compile(r"(\d{4})[-/]?[qQ]([1-4])"), re.compile(r"(\d{4})年?第?([1-4一二三四])季度?"))
_PERIOD_HALF = (re.compile(r"(\d{4})[-/]?[hH]([12])"), re.compile(r"(\d{4})年?([上下])半年"))
_PERIOD_YEAR = re.compile(r"(\d{4})年?(?:度|全年)?")
CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


@lru_cache(maxsize=65536)
def parse_period(text: str) -> tuple[date, date] | None:
    """YYYY-MM-DD (a day), YYYY-MM (a month), YYYYQn (a quarter), YYYYHn, YYYY (a year) → (start, end)."""
    clean = nfkc(text)
    for pattern in _PERIOD_DAY:
        if pattern.fullmatch(clean):
            day = parse_date(clean)
            return (day, day) if day else None
    try:
        for pattern in _PERIOD_MONTH:
            m = pattern.fullmatch(clean)
            if m:
                year, month = int(m.group(1)), int(m.group(2))
                return (date(year, month, 1), month_end(year, month)) if year_ok(year) else None
        for pattern in _PERIOD_QUARTER:
            m = pattern.fullmatch(clean)
            if m:
                year = int(m.group(1))
                q = CN_QUARTER.get(m.group(2)) or int(m.group(2))
                return (date(year, 3 * q - 2, 1), month_end(year, 3 * q)) if year_ok(year) else None
        for pattern in _PERIOD_HALF:
            m = pattern.fullmatch(clean)
            if m:
                year = int(m.group(1))
                half = 1 if m.group(2) in ("1", "上") else 2
                return (date(year, 6 * half - 5, 1), month_end(year, 6 * half)) if year_ok(year) else None
        m = _PERIOD_YEAR.fullmatch(clean)
        if m and year_ok(int(m.group(1))):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


def year_ok(year: int) -> bool:
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

def map_unique(series: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """Apply fn once per distinct value and spread the results back down the column (None → None)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [fn(u) for u in uniques] if len(uniques) else []
    results[-1] = None                                   # code -1: a missing value
    return pd.Series(results[codes], index=series.index, dtype=object)


def map_unique_many(series: pd.Series, *fns: Callable[[str], object]) -> list[pd.Series]:
    """Like map_unique for several functions, factorising the column once."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    out = []
    for fn in fns:
        results = np.empty(len(uniques) + 1, dtype=object)
        results[:-1] = [fn(u) for u in uniques] if len(uniques) else []
        results[-1] = None
        out.append(pd.Series(results[codes], index=series.index, dtype=object))
    return out


def flags(series: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """A boolean per row from a per-distinct-value test."""
    return map_unique(series, lambda u: bool(test(u))).to_numpy(dtype=bool)


def numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
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


def date_column(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce")



_QUARTER = re.compile(r"(\d{4})[-/ ]?[qQ]([1-4])")
_CN_QUARTER_TEXT = re.compile(r"(\d{4})年?第?([1-4一二三四])季度")


@lru_cache(maxsize=1024)
def parse_quarter(text: str) -> tuple[str, date] | None:
    """2016Q1 / 2016q1 / 2016-Q1 / 2016年第一季度 → ('2016Q1', 2016-03-31); None for anything else."""
    clean = nfkc(text)
    match = _QUARTER.fullmatch(clean) or _CN_QUARTER_TEXT.fullmatch(clean)
    if not match or not year_ok(int(match.group(1))):
        return None
    year, quarter = int(match.group(1)), CN_QUARTER.get(match.group(2)) or int(match.group(2))
    return f"{year}Q{quarter}", month_end(year, 3 * quarter)


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



@lru_cache(maxsize=4096)
def unit_matches(pair: str) -> bool:
    written, expected = pair.split("\x1f")
    return not written or not expected or unit_key(written) == unit_key(expected)

