"""Write seed tables as CSV files the same way every time.

Determinism is a feature: a test re-extracts and compares bytes with the committed seeds,
so the writer fixes the encoding (UTF-8, no BOM), the line ending (LF), the quoting
(RFC 4180 minimal quoting) and the rendering of values (empty string for null).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence


@dataclass
class SeedTable:
    """A named table: its column order and its rows, already in their stable order."""

    name: str
    columns: Sequence[str]
    rows: list[Mapping[str, object]] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _render(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_csv(table: SeedTable) -> str:
    """The exact text of the table's CSV file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    for number, row in enumerate(table.rows, start=1):
        unknown = set(row) - set(table.columns)
        if unknown:
            raise ValueError(f"{table.file_name}, row {number}: unexpected columns {sorted(unknown)}")
        writer.writerow([_render(row.get(column)) for column in table.columns])
    return buffer.getvalue()


def write_seed_tables(tables: Iterable[SeedTable], seeds_dir: Path) -> list[Path]:
    """Write each table to ``seeds_dir/<name>.csv``; files whose bytes would not change are left untouched."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = seeds_dir / table.file_name
        data = render_csv(table).encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
