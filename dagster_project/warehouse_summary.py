"""Read-only look at the built warehouse, for the end of ``policy-wh demo``."""
from __future__ import annotations

from pathlib import Path

import duckdb


def table_counts(warehouse_path: Path) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every table and view in the warehouse's own schemas."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        names = con.execute(
            """
            select table_schema, table_name from information_schema.tables
            where table_schema in ('raw', 'staging', 'marts', 'reports')
            order by table_schema, table_name
            """
        ).fetchall()
        return [
            (schema, name, con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in names
        ]
