"""Row-level rules for submitted sheets: typed good rows, and every problem with a code and a Chinese sentence.

Why this module: a department's file must never be all-or-nothing because of one typo. Each row is
checked column by column; a row with any problem is *quarantined* (written to raw.quarantined_rows
with the problem), the others load. A row may carry several problems — each is one quarantine record,
so the clerk can fix them all at once; ``rows_quarantined`` counts rows, not problems.

The rules run column-wise on pandas Series (one parse per *distinct* cell text for dates, statuses,
names, periods; ``pd.to_numeric`` for numbers), so a 10⁶-row CSV is checked in seconds, not minutes.
Messages are rendered only for the rows that fail.

The parts: :mod:`.reasons` (the reason catalogue), :mod:`.cells` (cell parsers), :mod:`.engine` (the
rule engine), :mod:`.rules` (each kind's row rules, declared once, also compiled to the bulk path's SQL),
:mod:`.sheets` (the kind validators); this module is the file-level entry point and keeps the public
names. A readable file whose rows *all* fail is rejected with
error code ``no_valid_rows`` (its row problems are still recorded).
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .cells import (INDEX_DECIMALS, INDEX_LIMIT, STATUSES, parse_date, parse_index, parse_number, parse_period,
                    parse_quarter, parse_status)
from .engine import Problem, SheetValidation, file_label
from .formats import FileRejected, SubmissionFile, read_submission
from .kinds import KINDS
from .reasons import FILE_CODES, MESSAGES, REASON_CODES
from .reference import Reference
from .sheets import VALIDATORS, validate_air_quality, validate_indicators, validate_progress

__all__ = [
    "FILE_CODES", "GOOD_COLUMNS", "HELPER_COLUMNS", "INDEX_DECIMALS", "INDEX_LIMIT",
    "MESSAGES", "REASON_CODES", "STATUSES", "STORED_COLUMNS", "FileValidation",
    "Problem", "SheetValidation", "file_label", "parse_date", "parse_index", "parse_number", "parse_period",
    "parse_quarter", "parse_status", "rejected", "unexpected_error", "validate_air_quality", "validate_file",
    "validate_indicators", "validate_progress", "validate_submission",
]

log = logging.getLogger(__name__)

# The columns of each kind's good rows, and the ones stored (after file_sha256, file_name), read off the
# declarations in submissions/kinds/: a helper column (quarter_end: the data day of an air-quality row)
# travels with the rows but is not stored.
GOOD_COLUMNS: dict[str, tuple[str, ...]] = {name: kind.good_columns for name, kind in KINDS.items()}
HELPER_COLUMNS = frozenset(c for kind in KINDS.values() for c in kind.helper_columns)
STORED_COLUMNS: dict[str, tuple[str, ...]] = {name: kind.stored_columns for name, kind in KINDS.items()}


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



@lru_cache(maxsize=None)
def _empty_good(kind: str) -> pd.DataFrame:
    """The (shared, never modified) empty frame of good rows of a kind: built once, not per file."""
    return _new_empty_good(kind)


def _new_empty_good(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in GOOD_COLUMNS[kind]})



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
        validate = VALIDATORS[sheet.kind]
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
