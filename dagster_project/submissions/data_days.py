"""The data days a submitted file carries, computed once when it is submitted and kept in its inbox sidecar.

Why this module: the inbox sensor asks for a run over the days the new files touch. Parsing every new
file again on each tick (a large workbook takes seconds) made the sensor repeat work ``submit`` had
already done, with its own copy of which column holds a kind's data day. Here is the one definition:
a progress row's 填报日期, an indicator row's period end, an air-quality row's quarter end — the days
the loader records as data days. ``submit`` stores them in the sidecar (``data_days``); the sensor reads
them back, and computes them only for a file that reached the inbox without a sidecar saying so. Which
column dates a row, and how, is each kind's declared ``data_day`` (submissions/kinds/).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from .formats import FileRejected, Sheet, read_submission
from .kinds import KINDS


def sheet_data_days(sheets: Iterable[Sheet]) -> frozenset[date]:
    """Every data day the sheets' rows name (one parse per distinct cell text)."""
    days: set[date] = set()
    for sheet in sheets:
        data_day = KINDS[sheet.kind].data_day
        column, parse = data_day.field, data_day.parse
        if column not in sheet.fields:
            continue
        for text in sheet.frame[sheet.fields[column]].dropna().unique():
            day = parse(str(text))
            if day is not None:
                days.add(day)
    return frozenset(days)


def bytes_data_days(data: bytes) -> frozenset[date] | None:
    """The data days of a file's bytes, or None if the file cannot be read."""
    try:
        return sheet_data_days(read_submission(data).sheets)
    except FileRejected:
        return None


def encode(days: frozenset[date] | None) -> list[str] | None:
    """The sidecar's form: sorted ISO dates (None: the file could not be read)."""
    return None if days is None else sorted(d.isoformat() for d in days)


def decode(value: object) -> frozenset[date] | None:
    """Back from the sidecar's form; raises ValueError for anything else."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ValueError(f"data_days is not a list: {value!r}")
    return frozenset(date.fromisoformat(str(v)) for v in value)


def path_data_days(path: Path) -> frozenset[date] | None:
    """The data days of a file on disk (None if it cannot be read at all)."""
    try:
        return bytes_data_days(path.read_bytes())
    except OSError:
        return None
