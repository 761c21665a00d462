"""The warehouse, its published copy and a plain copy of either open and answer every view under any name.

DuckDB names a database file's catalog after its stem. Views that named the catalog in their SQL
(``from "warehouse"."staging"."stg_tasks"``) broke in a copy called anything but ``warehouse.duckdb``
(``Binder Error: Catalog "warehouse" does not exist!``). The dbt project renders refs and sources without
the database, and DuckDB binds a view's unqualified names in the view's own catalog, so the name of the
file no longer matters: not for a copy, not for POLICY_WH_DB, not for POLICY_WH_PUBLISHED.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.publish import publish_warehouse, read_publication


def _views(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[tuple[str, str]]:
    where = f" and database_name = '{catalog}'" if catalog else " and database_name = current_database()"
    return con.execute(
        f"select schema_name, view_name from duckdb_views() where not internal{where} order by 1, 2").fetchall()


def _answer_every_view(path: Path) -> dict[str, int]:
    """Open ``path`` read-only as the main database, then attached under another name; count every view both ways."""
    counts: dict[str, int] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        views = _views(con)
        assert len(views) >= 15, views
        for schema, view in views:
            counts[f"{schema}.{view}"] = con.execute(f'select count(*) from "{schema}"."{view}"').fetchone()[0]
    with duckdb.connect() as con:
        # the in-memory main database has a raw schema of its own: the views must not bind to it
        con.execute("create schema raw; create table raw.documents as select 'not the warehouse' as doc_id")
        con.execute(f"attach '{path}' as some_other_alias (read_only)")
        attached = {f"{schema}.{view}": con.execute(f'select count(*) from some_other_alias."{schema}"."{view}"').fetchone()[0]
                    for schema, view in _views(con, "some_other_alias")}
    assert attached == counts
    return counts


def test_no_view_names_a_catalog(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        catalog = con.execute("select current_database()").fetchone()[0]
        qualified = [(schema, view) for schema, view, sql in con.execute(
            "select schema_name, view_name, sql from duckdb_views() where not internal").fetchall()
            if f'"{catalog}".' in sql or f"{catalog}." in sql.replace('"', "")]
    assert qualified == []


def test_a_copy_of_the_published_file_under_another_name_answers_every_view(built_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_WH_DB", str(built_warehouse))
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "published" / "warehouse.duckdb"))
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    published = publish_warehouse(built_warehouse, tmp_path / "published" / "warehouse.duckdb").path
    expected = _answer_every_view(published)
    assert expected["staging.stg_extracted__documents"] == 82

    (tmp_path / "elsewhere").mkdir()
    copy = tmp_path / "elsewhere" / "langfang_2016.duckdb"
    shutil.copy(published, copy)
    assert _answer_every_view(copy) == expected

    working_copy = tmp_path / "elsewhere" / "policy-wh backup 2016-01-01.duckdb"
    shutil.copy(built_warehouse, working_copy)
    assert _answer_every_view(working_copy) == expected


def test_build_and_publish_with_other_file_names(tmp_path, monkeypatch):
    """POLICY_WH_DB and POLICY_WH_PUBLISHED with any file name: the Dagster jobs build, load and publish."""
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.orchestration.runner import BUILD_JOB, DAILY_JOB

    working = tmp_path / "work" / "other_name.duckdb"
    published = tmp_path / "bi" / "bi_copy.duckdb"
    monkeypatch.setenv("POLICY_WH_DB", str(working))
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(published))
    monkeypatch.setenv("POLICY_WH_INBOX", str(tmp_path / "inbox"))
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()

    instance = dg.DagsterInstance.ephemeral()
    assert defs.resolve_job_def(BUILD_JOB).execute_in_process(instance=instance).success
    # the daily job ends with the published_warehouse asset, which publishes to POLICY_WH_PUBLISHED
    assert defs.resolve_job_def(DAILY_JOB).execute_in_process(instance=instance, partition_key="2016-01-01").success

    assert read_publication(published)["source_path"] == str(working)
    expected = _answer_every_view(working)
    assert _answer_every_view(published) == expected
    # and a copy of the BI copy, under yet another name
    copy = tmp_path / "copies" / "warehouse.duckdb"
    copy.parent.mkdir()
    shutil.copy(published, copy)
    assert _answer_every_view(copy) == expected
    assert sorted(p.name for p in published.parent.iterdir()) == ["bi_copy.duckdb", "bi_copy.duckdb.lock"]


@pytest.mark.parametrize("name", ["bi_copy.duckdb", "langfang 2016.duckdb"])
def test_policy_wh_publish_accepts_any_target_name(built_warehouse, tmp_path, monkeypatch, name):
    monkeypatch.setenv("POLICY_WH_DB", str(built_warehouse))
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    target = tmp_path / "bi" / name
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(target))
    publication = publish_warehouse(built_warehouse, target)
    assert publication.path == target and target.exists()
    assert _answer_every_view(target)["staging.stg_extracted__documents"] == 82
    with duckdb.connect(str(target), read_only=True) as con:
        tables = {f"{s}.{t}" for s, t in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()}
    assert {"meta.publication", "meta.publication_tables"} <= tables


def test_a_view_that_names_a_catalog_stops_the_publication_with_a_clear_error(built_warehouse, tmp_path, monkeypatch):
    """A warehouse built before refs lost their database (or a hand-made view) would publish a file that breaks
    under another name; the publication says so instead, and the old published file stays in place."""
    from dagster_project.publish import PublishError

    working = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, working)
    monkeypatch.setenv("POLICY_WH_DB", str(working))
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    target = tmp_path / "published" / "warehouse.duckdb"
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(target))
    publish_warehouse(working, target)
    before = target.stat().st_ino
    with duckdb.connect(str(working)) as con:
        con.execute("create view staging.stg_documents_by_catalog as select * from warehouse.raw.documents")
    with pytest.raises(PublishError, match=r"staging\.stg_documents_by_catalog.*policy-wh build"):
        publish_warehouse(working, target)
    assert target.stat().st_ino == before   # the last good publication stays
    assert sorted(p.name for p in target.parent.iterdir()) == ["warehouse.duckdb", "warehouse.duckdb.lock"]
