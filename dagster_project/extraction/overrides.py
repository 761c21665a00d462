"""Reviewed corrections to what the parser cannot get right: ``seeds/overrides/<table>.csv``.

Each override file has the columns ``key, column, value, reason``: the row whose key (the table's first
column, e.g. ``task_id``) equals ``key`` gets ``value`` in ``column`` (``column`` ``__delete__`` drops the
row). Every line needs a reason, so a reviewer can see why the parser was overruled. Overrides are a
last resort: when they touch more than 5% of a table's rows, extraction stops and asks for a parser fix.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .seed_files import SeedTable

OVERRIDE_COLUMNS = ("key", "column", "value", "reason")
DELETE = "__delete__"
MAX_SHARE = 0.05


class OverrideError(ValueError):
    """An override file that cannot be applied; the message names the file, line and column."""


def apply_overrides(tables: list[SeedTable], overrides_dir: Path) -> dict[str, int]:
    """Apply every ``overrides_dir/<table>.csv`` in place; return the number of rows touched per table."""
    touched: dict[str, int] = {}
    if not overrides_dir.is_dir():
        return touched
    by_name = {t.name: t for t in tables}
    for path in sorted(overrides_dir.glob("*.csv")):
        table = by_name.get(path.stem)
        if table is None:
            raise OverrideError(f"{path}: there is no seed table named {path.stem!r} to correct")
        touched[table.name] = _apply_file(table, path)
    return touched


def _apply_file(table: SeedTable, path: Path) -> int:
    key_column = table.columns[0]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != OVERRIDE_COLUMNS:
            raise OverrideError(f"{path}, line 1: the header must be {','.join(OVERRIDE_COLUMNS)}")
        lines = list(reader)
    index = {str(row[key_column]): position for position, row in enumerate(table.rows)}
    deleted: set[int] = set()
    touched: set[int] = set()
    for number, line in enumerate(lines, start=2):
        where = f"{path}, line {number}"
        if not (line["reason"] or "").strip():
            raise OverrideError(f"{where}, column reason: every override needs a reason")
        if line["key"] not in index:
            raise OverrideError(f"{where}, column key: no {table.name} row has {key_column} = {line['key']!r}")
        position = index[line["key"]]
        if line["column"] == DELETE:
            deleted.add(position)
        elif line["column"] in table.columns and line["column"] != key_column:
            table.rows[position] = {**table.rows[position], line["column"]: line["value"]}
        else:
            raise OverrideError(f"{where}, column column: {line['column']!r} is not a column of {table.name} that may be changed")
        touched.add(position)
    if table.rows and len(touched) > MAX_SHARE * len(table.rows):
        raise OverrideError(
            f"{path}: overrides touch {len(touched)} of {len(table.rows)} {table.name} rows (more than 5%); "
            "fix the parser instead"
        )
    table.rows[:] = [row for position, row in enumerate(table.rows) if position not in deleted]
    return len(touched)
