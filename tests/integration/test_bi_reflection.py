"""BI tools reflect the published file through SQLAlchemy, as Superset does when it creates a dataset.

Superset, pandas.read_sql_table and most BI tools do not just run SQL: they list the schemas, the tables
and the views, and reflect a table's columns (names, types, comments) before they query it. This runs
those calls with the real dialect packages against a real published file, through both URLs of
docs/access.md: ``duckdb:///…`` (the DuckDB dialect as installed) and ``duckdb+policy_wh:///…``
(dagster_project/bi_dialect.py: the same dialect, listing the file's own schemas by their plain names).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.publish import publish_warehouse

SCHEMAS = ["main", "marts", "meta", "raw", "reports", "staging"]
URLS = ["duckdb", "duckdb+policy_wh"]


@pytest.fixture(scope="module")
def published(built_warehouse, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bi")
    target = tmp / "published" / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"POLICY_WH_DB": built_warehouse, "POLICY_WH_PUBLISHED": target, "POLICY_WH_INBOX": tmp / "inbox",
                            "POLICY_WH_DATA": tmp / "data", "DAGSTER_HOME": tmp / "dagster_home"}.items():
            patch.setenv(name, str(value))
        return publish_warehouse(built_warehouse, target).path


def _engine(scheme: str, path: Path):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    # docs/access.md: four slashes before an absolute path, read-only, a fresh connection for each use
    return create_engine(f"{scheme}:///{path}", connect_args={"read_only": True}, poolclass=NullPool)


@pytest.fixture(params=URLS)
def engine(request, published):
    engine = _engine(request.param, published)
    yield engine
    engine.dispose()


def _catalog(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_policy_wh_dialect_lists_the_files_schemas_by_their_plain_names(published):
    from sqlalchemy import inspect

    engine = _engine("duckdb+policy_wh", published)
    try:
        assert inspect(engine).get_schema_names() == SCHEMAS
        assert inspect(engine).default_schema_name == "main"
    finally:
        engine.dispose()
    # under any file name: the schema names do not carry the file's catalog name
    copy = published.parent.parent / "elsewhere" / "langfang_2016.duckdb"
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(published, copy)
    engine = _engine("duckdb+policy_wh", copy)
    try:
        assert inspect(engine).get_schema_names() == SCHEMAS
        import pandas as pd

        frame = pd.read_sql_table("rpt_target_attainment", engine, schema="reports")
        assert len(frame) == _catalog(copy, "select count(*) from reports.rpt_target_attainment")[0][0] > 0
    finally:
        engine.dispose()


def test_the_plain_duckdb_url_names_schemas_with_their_catalog(published):
    """What docs/access.md says a tool without the policy_wh dialect shows: warehouse.reports, and DuckDB's own."""
    from sqlalchemy import inspect

    engine = _engine("duckdb", published)
    try:
        names = inspect(engine).get_schema_names()
    finally:
        engine.dispose()
    assert {f"warehouse.{schema}" for schema in SCHEMAS} <= set(names)


def test_tables_and_views_of_every_schema_are_listed_apart(engine, published):
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for schema in SCHEMAS:
        tables = set(_catalog(published, f"select table_name from duckdb_tables() where schema_name = '{schema}'"))
        views = set(_catalog(published, f"select view_name from duckdb_views() where schema_name = '{schema}' and not internal"))
        assert set(inspector.get_table_names(schema=schema)) == {name for (name,) in tables}, schema
        assert set(inspector.get_view_names(schema=schema)) == {name for (name,) in views}, schema
    assert {"rpt_overdue_tasks", "rpt_document_progress", "rpt_department_scorecard"} <= set(inspector.get_table_names("reports"))
    assert {"rpt_target_attainment", "rpt_check_history"} <= set(inspector.get_view_names("reports"))
    assert "stg_extracted__documents" in inspector.get_view_names("staging")


def test_the_columns_of_every_table_and_view_are_reflected_with_types_and_comments(engine, published):
    from sqlalchemy import inspect
    from sqlalchemy.types import NullType

    inspector = inspect(engine)
    expected: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for schema, table, column, comment in _catalog(
            published, "select schema_name, table_name, column_name, comment from duckdb_columns() "
                       "where not internal order by schema_name, table_name, column_index"):
        expected.setdefault((schema, table), []).append((column, comment))
    assert len(expected) > 50
    for (schema, table), columns in expected.items():
        reflected = inspector.get_columns(table, schema=schema)
        assert [(c["name"], c["comment"]) for c in reflected] == columns, f"{schema}.{table}"
        assert [c["name"] for c in reflected if isinstance(c["type"], NullType)] == [], f"{schema}.{table}"


def test_table_autoload_and_metadata_reflect(engine):
    from sqlalchemy import Date, Integer, MetaData, Numeric, String, Table, select

    overdue = Table("rpt_overdue_tasks", MetaData(), schema="reports", autoload_with=engine)
    assert {"task_id", "doc_no", "deadline_date", "days_overdue"} <= set(overdue.c.keys())
    assert isinstance(overdue.c.deadline_date.type, Date)
    assert isinstance(overdue.c.days_overdue.type, Integer)
    assert isinstance(overdue.c.task_id.type, String)
    assert overdue.c.task_id.comment and overdue.comment

    award = Table("rpt_air_quality_award", MetaData(), schema="reports", autoload_with=engine)
    assert any(isinstance(c.type, Numeric) for c in award.c)

    view = Table("stg_extracted__documents", MetaData(), schema="staging", autoload_with=engine)
    with engine.connect() as connection:
        assert connection.execute(select(view.c.doc_id)).fetchall().__len__() == 82

    metadata = MetaData()
    metadata.reflect(engine, schema="reports", views=True)
    assert {name.split(".")[-1] for name in metadata.tables} >= {
        "rpt_overdue_tasks", "rpt_document_progress", "rpt_department_scorecard", "rpt_target_attainment",
        "rpt_check_history", "rpt_air_quality_award"}
    pk = Table("dim_task", MetaData(), schema="marts", autoload_with=engine).primary_key
    assert [c.name for c in pk.columns] == ["task_id"]   # the primary key of the dbt contract


def test_pandas_read_sql_table(engine, published):
    import pandas as pd

    frame = pd.read_sql_table("rpt_document_progress", engine, schema="reports")
    expected = _catalog(published, "select count(*) from reports.rpt_document_progress")[0][0]
    assert len(frame) == expected > 40
    assert {"doc_no", "title", "task_count"} <= set(frame.columns)
    view = pd.read_sql_table("stg_extracted__documents", engine, schema="staging")
    assert len(view) == 82
