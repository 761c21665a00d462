"""Every table, view and column of a built and published warehouse carries a Chinese and English comment.

The README promises it for the whole warehouse, not only the dbt models: the raw tables declared in
dagster_project/raw_layer.py (the departments' submissions, the load log, the check results), the seeds, the staging
views and the publication's own meta schema. Analysts read them with
``select table_name, column_name, comment from duckdb_columns() where schema_name = '…'``.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from dagster_project.publish import publish_warehouse

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")   # an English word, not just the x of 'x'


def _bilingual(comment: str | None) -> bool:
    return bool(comment) and bool(CJK.search(comment)) and bool(LATIN.search(comment))


@pytest.fixture(scope="module")
def published(built_warehouse, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("comments")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"POLICY_WH_DB": built_warehouse, "POLICY_WH_PUBLISHED": tmp / "published" / "warehouse.duckdb",
                            "POLICY_WH_INBOX": tmp / "inbox", "POLICY_WH_DATA": tmp / "data",
                            "DAGSTER_HOME": tmp / "dagster_home"}.items():
            patch.setenv(name, str(value))
        return publish_warehouse(built_warehouse, tmp / "published" / "warehouse.duckdb").path


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    return con.execute(
        "select schema_name, table_name, 'table', comment from duckdb_tables() where not internal "
        "union all "
        "select schema_name, view_name, 'view', comment from duckdb_views() where not internal "
        "order by 1, 2"
    ).fetchall()


def test_every_table_and_view_of_every_schema_has_a_chinese_and_english_comment(published):
    with duckdb.connect(str(published), read_only=True) as con:
        relations = _relations(con)
    schemas = {schema for schema, *_ in relations}
    assert {"raw", "staging", "marts", "reports", "meta"} <= schemas
    # the raw tables analysts are sent to are among them (created from their declarations before dbt runs, not by dbt models)
    names = {f"{schema}.{name}" for schema, name, *_ in relations}
    assert {"raw.submission_files", "raw.progress_reports", "raw.indicator_values", "raw.quarantined_rows",
            "raw.load_runs", "raw.expectation_results", "raw.air_quality_readings", "raw.documents",
            "meta.publication", "meta.publication_tables"} <= names
    undescribed = [f"{schema}.{name} ({kind}): {comment!r}" for schema, name, kind, comment in relations
                   if not _bilingual(comment)]
    assert undescribed == []


def test_every_column_of_every_schema_has_a_chinese_and_english_comment(published):
    with duckdb.connect(str(published), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() where not internal "
            "order by schema_name, table_name, column_index"
        ).fetchall()
    assert len({(schema, table) for schema, table, *_ in columns}) > 50
    undescribed = [f"{schema}.{table}.{column}: {comment!r}" for schema, table, column, comment in columns
                   if not _bilingual(comment)]
    assert undescribed == []


def test_the_working_warehouse_has_the_raw_comments_too(built_warehouse):
    """The comments are written by the dbt run that creates the tables, not patched into the copy."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        raw = con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'raw'").fetchall()
        tables = con.execute("select table_name, comment from duckdb_tables() where schema_name = 'raw'").fetchall()
    assert [(t, c, comment) for t, c, comment in raw if not _bilingual(comment)] == []
    assert [(t, comment) for t, comment in tables if not _bilingual(comment)] == []
    comments = {(t, c): comment for t, c, comment in raw}
    assert "原因代码" in comments[("quarantined_rows", "reason_code")]
    assert "reason code" in comments[("quarantined_rows", "reason_code")].lower()
