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

import numpy as np
import pandas as pd

from .formats import FIELDS, MAX_CELL_CHARS, Sheet, nonblank
from .reasons import MESSAGES
from .reference import Reference

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



def _assigned(reference: Reference, tasks: np.ndarray, orgs: np.ndarray, check: np.ndarray) -> np.ndarray:
    """True where the row's organisation is assigned to its task (or the row is not checked): one set
    lookup per row, no strings built."""
    task_orgs = reference.task_orgs
    empty: tuple[str, ...] = ()
    return np.fromiter((not c or not (orgs_of := task_orgs.get(t, empty)) or o in orgs_of
                        for t, o, c in zip(tasks, orgs, check)), dtype=bool, count=len(tasks))



def _long_cells(checks: Checks, sheet: Sheet) -> None:
    """A cell longer than MAX_CELL_CHARS quarantines its row (first, so it is that cell's only problem)."""
    if not sheet.long_cells or not len(sheet):
        return
    for name in FIELDS[sheet.kind]:
        if name not in sheet.fields:
            continue
        values = sheet.column(name).to_numpy(dtype=object)
        lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
        checks.flag(lengths > MAX_CELL_CHARS, name, "cell_too_long", length=lengths, limit=str(MAX_CELL_CHARS))


def _required(checks: Checks, sheet: Sheet, name: str) -> pd.Series:
    column = sheet.column(name)
    checks.flag(~nonblank(column), name, "missing_value")
    return column


def _formula(checks: Checks, column: pd.Series, name: str, failing: np.ndarray) -> None:
    """Among the cells that did not parse, the ones that are formulas get their own reason."""
    mask = np.zeros(len(column), dtype=bool)
    for position in np.flatnonzero(failing):
        mask[position] = column.iat[position].startswith("=")
    checks.flag(mask, name, "formula_not_allowed")



def _duplicates(checks: Checks, typed: pd.DataFrame, key: list[str], key_label: str) -> None:
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
