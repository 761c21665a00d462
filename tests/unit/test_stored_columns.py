"""The loader's column list of each kind is the raw table's, as the DDL creates it (one list, held to the DDL)."""
from __future__ import annotations

from pathlib import Path

from dagster_project.checks.suites import raw_table_columns
from dagster_project.submissions.formats import KINDS
from dagster_project.submissions.validation import GOOD_COLUMNS, HELPER_COLUMNS, STORED_COLUMNS, _new_empty_good
from dagster_project.warehouse_summary import ROW_TABLES

MACROS = Path(__file__).resolve().parents[2] / "dbt" / "macros"


def _ddl_columns() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for macro in ("create_raw_tables.sql", "create_air_quality_tables.sql"):
        tables.update({t: [c for c, _, _ in cols] for t, cols in raw_table_columns(MACROS / macro).items()})
    return tables


def test_each_kind_stores_exactly_its_raw_tables_columns():
    ddl = _ddl_columns()
    for kind in KINDS:
        expected = ddl[ROW_TABLES[kind]]
        assert ["file_sha256", "file_name", *STORED_COLUMNS[kind], "partition_date", "loaded_at"] == expected, kind


def test_good_rows_carry_the_stored_columns_plus_helpers_only():
    for kind in KINDS:
        empty = _new_empty_good(kind)
        assert tuple(empty.columns) == GOOD_COLUMNS[kind]
        assert set(GOOD_COLUMNS[kind]) - set(STORED_COLUMNS[kind]) <= HELPER_COLUMNS
