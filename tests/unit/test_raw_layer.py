"""The raw layer is declared once (dagster_project/raw_layer.py) and everything else is generated from it.

The dbt sources file is a fresh generation; the tables DuckDB creates have exactly the declared columns, types,
NULL rules and comments; each kind's stored and good columns fit its table; the check results' row type is the
declared table; and a dbt run started by hand on a warehouse without the raw tables stops with a sentence.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import duckdb
import pytest

from dagster_project.checks.results import EXPECTATION_RESULTS, ResultRow
from dagster_project.raw_layer import RAW_TABLES, SOURCES_FILE, ensure_raw_tables, sources_yaml
from dagster_project.submissions.kinds import KINDS
from dagster_project.submissions.kinds.shape import LOADER_COLUMNS
from dagster_project.submissions.validation import _new_empty_good
from dagster_project.warehouse_summary import ROW_TABLES

ROOT = Path(__file__).resolve().parents[2]


def _created(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, bool, str]]]:
    rows = con.execute("select table_name, column_name, data_type, is_nullable, comment from duckdb_columns() "
                       "where schema_name = 'raw' order by table_name, column_index").fetchall()
    tables: dict[str, list[tuple[str, str, bool, str]]] = {}
    for table, column, type_, nullable, comment in rows:
        tables.setdefault(table, []).append((column, type_.lower(), not nullable, comment))
    return tables


def test_the_committed_dbt_sources_file_is_a_fresh_generation():
    committed = (ROOT / "dbt" / SOURCES_FILE).read_text(encoding="utf-8")
    assert committed == sources_yaml(), "run `policy-wh generate` and commit the result"


def test_duckdb_creates_exactly_the_declared_tables_with_their_comments():
    with duckdb.connect() as con:
        ensure_raw_tables(con)
        created = _created(con)
        table_comments = dict(con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'raw'").fetchall())
    assert set(created) == {t.name for t in RAW_TABLES}
    for table in RAW_TABLES:
        assert table_comments[table.name] == table.description
        assert created[table.name] == [(c.name, c.type, c.not_null, c.description) for c in table.columns], table.name


def test_a_changed_or_missing_comment_is_written_again_and_rows_are_kept():
    with duckdb.connect() as con:
        ensure_raw_tables(con)
        con.execute("insert into raw.load_runs values ('r1', date '2016-01-01', date '2016-01-01', date '2016-01-01', "
                    "date '2016-01-01', 1, 0, 3, 0, timestamp '2016-01-01 06:00:00')")
        con.execute("comment on column raw.load_runs.run_id is 'stale'")
        con.execute("comment on table raw.quarantined_rows is null")
        ensure_raw_tables(con)
        assert con.execute("select count(*) from raw.load_runs").fetchone()[0] == 1
        created = _created(con)
        quarantine = con.execute("select comment from duckdb_tables() where table_name = 'quarantined_rows'").fetchone()
    load_runs = next(t for t in RAW_TABLES if t.name == "load_runs")
    assert created["load_runs"][0][3] == load_runs.column("run_id").description
    assert quarantine[0] == next(t for t in RAW_TABLES if t.name == "quarantined_rows").description


def test_each_kind_stores_exactly_its_tables_columns_and_carries_only_declared_helpers():
    for name, kind in KINDS.items():
        assert ROW_TABLES[name] == kind.table.name
        assert ["file_sha256", "file_name", *kind.stored_columns, "partition_date", "loaded_at"] == \
            list(kind.table.column_names), name
        assert set(LOADER_COLUMNS) <= set(kind.table.column_names)
        assert tuple(_new_empty_good(name).columns) == kind.good_columns


def test_each_kinds_declaration_is_consistent():
    for name, kind in KINDS.items():
        fields_ = set(kind.field_names)
        assert set(kind.required_fields) <= fields_ and set(kind.fill_fields) <= fields_, name
        assert kind.data_day.field in fields_, name
        assert kind.data_day.good_column in kind.good_columns, name
        assert set(kind.key) <= set(kind.good_columns), name
        assert "reported_by" in kind.required_fields, name


def test_a_kinds_data_day_parser_and_sql_agree():
    """The day the sensor reads off a cell at submit time is the day the loader reads back from raw."""
    cases = {"progress": ("2016-03-05", "select date '2016-03-05' as report_date"),
             "indicators": ("2016Q1", "select date '2016-03-31' as period_end"),
             "air_quality": ("2016Q1", "select '2016Q1' as quarter")}
    assert set(cases) == set(KINDS)
    with duckdb.connect() as con:
        for name, (cell, row) in cases.items():
            day = con.execute(f"select {KINDS[name].data_day.sql} from ({row})").fetchone()[0]
            assert day == KINDS[name].data_day.parse(cell), name


def test_the_check_results_row_is_the_declared_table():
    assert tuple(f.name for f in fields(ResultRow)) == EXPECTATION_RESULTS.column_names


def test_dbt_by_hand_on_a_warehouse_without_raw_tables_stops_with_a_sentence(tmp_path, monkeypatch):
    """`dbt build` started by hand (not through policy-wh, which creates the tables first) names the command."""
    from dbt.cli.main import dbtRunner

    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("POLICY_WH_DB", str(warehouse))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(["run", "--select", "stg_submitted__load_runs", "--project-dir", str(ROOT / "dbt"),
                                 "--profiles-dir", str(ROOT / "dbt"), "--target-path", str(tmp_path / "target"),
                                 "--log-path", str(tmp_path / "logs")])
    assert not result.success
    assert "run `policy-wh build`" in str(result.exception)
    assert "load_runs" in str(result.exception)
