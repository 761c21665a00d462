"""The rule engine: failing rows recorded per (column, reason), in the order the rules run, and their
quarantine records rendered with Chinese messages.

A row may carry several problems — each is one quarantine record, so the clerk can fix them all at
once — but a column's first failure masks later rules on that column (a blank 填报日期 is
``missing_value``, not also ``invalid_date``). Messages are rendered only for the rows that fail.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from .formats import MAX_CELL_CHARS, Sheet, nonblank
from .reasons import MESSAGES
from .reference import Reference

if TYPE_CHECKING:
    from .rules import Rule

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


class Checks:
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
        template = MESSAGES[str(extra.pop("message_code", code))]
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        return where + "：" + template.format(value=shown, today=self.today.isoformat(), **extra)


def file_label(name: str) -> str:
    """A file name fit for a message: no control characters, not absurdly long."""
    label = re.sub(r"[\x00-\x1f\x7f]", "", name)
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


class Typed:
    """One sheet as its kind's parse step typed it, for the rules' predicates: the typed columns (as attributes,
    named by the kind: ``task_id``, ``report_date``, ``percent`` …), the sheet (:meth:`raw` gives a field's cell
    texts), the reference, today, and the checks so far (a rule may depend on them: organization_not_assigned
    looks only at rows whose task and name passed, the duplicate rules only at rows with no problem yet)."""

    def __init__(self, sheet: Sheet, reference: Reference, today: date, checks: Checks, **columns: object) -> None:
        self.sheet = sheet
        self.reference = reference
        self.today = today
        self.checks = checks
        self.n = len(sheet)
        taken = set(columns) & {"sheet", "reference", "today", "checks", "n", "raw"}
        if taken:
            raise ValueError(f"typed columns may not be named {sorted(taken)}")
        self.__dict__.update(columns)

    def raw(self, name: str) -> pd.Series:
        return self.sheet.column(name)


# What a rule's predicate returns: True where a row breaks the rule, and optionally the values its message needs
# (a text for every row, or an array with one per row).
Found = np.ndarray | tuple[np.ndarray, dict[str, object]]


def run_rules(rules: Iterable[Rule], typed: Typed) -> None:
    """Flag each rule's failing rows, in the declared order (a column's first failure masks the later rules on it;
    within a row the records keep this order)."""
    for rule in rules:
        found = rule.check(typed)
        mask, values = found if isinstance(found, tuple) else (found, {})
        typed.checks.flag(mask, rule.column, rule.code, message_code=rule.message_code, **values)


# --- predicates shared by the kinds -----------------------------------------------------------------------

def blank(t: Typed, name: str) -> np.ndarray:
    return ~nonblank(t.raw(name))


def long_cells(t: Typed, name: str) -> Found:
    """A cell longer than MAX_CELL_CHARS (the rule runs first, so it is that cell's only problem)."""
    if not t.sheet.long_cells or name not in t.sheet.fields:
        return np.zeros(t.n, dtype=bool)
    values = t.raw(name).to_numpy(dtype=object)
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    return lengths > MAX_CELL_CHARS, {"length": lengths, "limit": str(MAX_CELL_CHARS)}


def formulas(t: Typed, name: str, failing: np.ndarray) -> np.ndarray:
    """Among the cells that did not parse, the ones that are formulas (they get their own reason)."""
    column = t.raw(name)
    mask = np.zeros(len(column), dtype=bool)
    for position in np.flatnonzero(failing):
        mask[position] = column.iat[position].startswith("=")
    return mask


def assigned(reference: Reference, tasks: np.ndarray, orgs: np.ndarray, check: np.ndarray) -> np.ndarray:
    """True where the row's organisation is assigned to its task (or the row is not checked): one set
    lookup per row, no strings built."""
    task_orgs = reference.task_orgs
    empty: tuple[str, ...] = ()
    return np.fromiter((not c or not (orgs_of := task_orgs.get(t, empty)) or o in orgs_of
                        for t, o, c in zip(tasks, orgs, check)), dtype=bool, count=len(tasks))


def _candidates(t: Typed, key: list[str]) -> pd.DataFrame | None:
    """The rows with no problem yet (t.content: the kind's typed content and ``_row``), if two share a key."""
    candidates = t.content[~t.checks.bad]
    if len(candidates) < 2 or not candidates.duplicated(subset=key).any():   # the usual case: nothing to do
        return None
    return candidates


def conflicting(t: Typed, key: list[str], key_label: str) -> Found:
    """Rows sharing a key with different content: all of them (we do not guess which is right)."""
    candidates = _candidates(t, key)
    if candidates is None:
        return np.zeros(t.n, dtype=bool)
    content = [c for c in candidates.columns if c != "_row"]
    content_id = candidates.groupby(content, dropna=False, sort=False).ngroup()
    variants = content_id.groupby([candidates[k] for k in key], dropna=False, sort=False).transform("nunique")
    clash = (variants > 1).to_numpy()
    mask = np.zeros(t.n, dtype=bool)
    other = np.zeros(t.n, dtype=object)
    if clash.any():
        for _, group in candidates[clash].groupby(key, dropna=False, sort=False):
            rows = group["_row"].tolist()
            for position, row in zip(group.index, rows):
                mask[position] = True
                other[position] = "、".join(str(r) for r in rows if r != row)
    return mask, {"other": other, "key": key_label}


def duplicated(t: Typed, key: list[str]) -> Found:
    """Later exact copies of a row (the first copy loads); runs after :func:`conflicting`, whose rows are out."""
    candidates = _candidates(t, key)
    if candidates is None:
        return np.zeros(t.n, dtype=bool)
    content = [c for c in candidates.columns if c != "_row"]
    exact = candidates.duplicated(subset=content, keep="first")
    mask = np.zeros(t.n, dtype=bool)
    other = np.zeros(t.n, dtype=object)
    if exact.any():
        first = candidates.groupby(content, dropna=False, sort=False)["_row"].transform("first")
        positions = candidates.index[exact.to_numpy()]
        mask[positions] = True
        other[positions] = first[exact].to_numpy()
    return mask, {"other": other}
