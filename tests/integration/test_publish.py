"""The published warehouse: an atomic read-only copy that analysts and BI tools open while loads run.

Every recipe in docs/access.md is run here against a real published file: the Python/pandas recipe, the
SQLAlchemy (duckdb-sqlalchemy) URI that Superset and other BI tools use, and the duckdb CLI when it is installed.
Reflection as BI tools do it is in test_bi_reflection.py; other file names in test_any_file_name.py.
"""
from __future__ import annotations

import argparse
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from dagster_project.publish import PublishError, publish_warehouse, published_path, read_publication
from dagster_project.settings import load_settings

DOC_NO_COMMENT_SQL = (
    "select comment from duckdb_columns() "
    "where schema_name = 'marts' and table_name = 'dim_document' and column_name = 'doc_no'"
)


@pytest.fixture()
def working(private_warehouse, tmp_path, monkeypatch) -> Path:
    """A private copy of the built warehouse (the pipeline's working file) with its own inbox, home and target."""
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "published" / "warehouse.duckdb"))
    return private_warehouse


@pytest.fixture()
def published(working) -> Path:
    return publish_warehouse(working, published_path(load_settings())).path


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _warehouse_tables(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'staging', 'marts', 'reports')"
        ).fetchall()
        return {f"{s}.{n}": con.execute(f'select count(*) from "{s}"."{n}"').fetchone()[0] for s, n in names}


def test_the_published_copy_holds_every_table_the_comments_and_its_publication_record(working, published):
    assert published == working.parent / "published" / "warehouse.duckdb"
    assert _warehouse_tables(published) == _warehouse_tables(working)
    assert len(_warehouse_tables(published)) > 20
    # dbt's persist_docs comments survive the copy
    [(comment,)] = _rows(published, DOC_NO_COMMENT_SQL)
    assert comment and comment == _rows(working, DOC_NO_COMMENT_SQL)[0][0]
    assert _rows(published, "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'dim_document'")[0][0]
    # the staging views resolve inside the copy
    assert _rows(published, "select count(*) from staging.stg_extracted__documents") == [(82,)]

    record = read_publication(published)
    assert record["run_id"] is None and record["published_by"] == "policy-wh publish"
    assert record["copy_method"] == "file copy"
    assert record["source_path"] == str(working)
    assert record["duckdb_version"] == duckdb.__version__
    counts = json.loads(record["row_counts"])
    assert counts == _warehouse_tables(working)
    assert record["total_rows"] == sum(_rows(published, "select sum(row_count) from meta.publication_tables where table_type = 'BASE TABLE'")[0])
    # the working file is not touched; the published one is read-only, with nothing left beside it
    assert "meta" not in {s for (s,) in _rows(working, "select schema_name from duckdb_schemas()")}
    assert stat.S_IMODE(published.stat().st_mode) == 0o444
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb", "warehouse.duckdb.lock"]


def test_publishing_twice_replaces_the_file_and_a_clear_error_names_a_wrong_source(working, published, tmp_path):
    first = read_publication(published)["published_at"]
    again = publish_warehouse(working, published)
    assert read_publication(published)["published_at"] > first
    assert again.bytes == published.stat().st_size and again.seconds > 0

    with pytest.raises(PublishError, match="发布路径不能与工作仓库相同"):
        publish_warehouse(working, working)
    with pytest.raises(PublishError, match="工作仓库文件不存在"):
        publish_warehouse(tmp_path / "missing" / "warehouse.duckdb", published)


# A writer that dies before its checkpoint leaves its last change in the .wal beside the file.
CRASHING_WRITER = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("pragma disable_checkpoint_on_shutdown")
con.execute("update marts.dim_document set title = '已更新 updated' where doc_id = (select min(doc_id) from marts.dim_document)")
os._exit(0)
"""


def test_a_working_file_with_a_wal_is_copied_with_the_change_the_wal_holds(working, tmp_path):
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(working)], check=True, timeout=60)
    assert working.with_name(working.name + ".wal").exists()
    publication = publish_warehouse(working, tmp_path / "published" / "warehouse.duckdb")
    assert publication.method == "copy from database"
    assert _rows(publication.path, "select count(*) from marts.dim_document where title = '已更新 updated'") == [(1,)]
    assert _rows(publication.path, "select copy_method from meta.publication") == [("copy from database",)]
    assert _rows(publication.path, DOC_NO_COMMENT_SQL)[0][0]
    assert _rows(publication.path, "select count(*) from staging.stg_extracted__documents") == [(82,)]


HOLDING_WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
"""


def test_a_writer_outside_the_lock_gets_a_clear_error_not_a_torn_copy(working, published):
    writer = subprocess.Popen([sys.executable, "-c", HOLDING_WRITER, str(working)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        before = published.stat().st_ino
        with pytest.raises(PublishError, match="无法只读打开工作仓库"):
            publish_warehouse(working, published)
        assert published.stat().st_ino == before  # the old publication stays in place
        assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb", "warehouse.duckdb.lock"]
    finally:
        writer.communicate("done\n", timeout=60)


# A separate process, as an analyst's notebook or a BI server would be: it opens the published file
# read-only, answers, and keeps its connection open until told to query again.
READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def answer():
    rows = con.execute("select count(*) from marts.fct_progress_report").fetchone()[0]
    stamp = con.execute("select published_at from meta.publication").fetchone()[0]
    print(rows, stamp.isoformat(), flush=True)
answer()
sys.stdin.readline()
answer()
"""


def _filled_template(warehouse: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    from dagster_project.submissions.template import write_template

    template = tmp_path / "template.xlsx"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_template(con, "市财政局", template)
    book = openpyxl.load_workbook(template)
    sheet = book["任务进展"]
    headers = [cell.value for cell in sheet[1]]
    values = {"填报日期": ["2016-01-04", "2016-01-05"], "状态": ["推进中", "已完成"], "完成进度": [40, 100]}
    for name, column_values in values.items():
        for offset, value in enumerate(column_values):
            sheet.cell(2 + offset, headers.index(name) + 1).value = value
    filled = tmp_path / "市财政局-进展.xlsx"
    book.save(filled)
    return filled, [sheet.cell(r, 1).value for r in (2, 3)]


def _daily_job_with_publication() -> dg.JobDefinition:
    """The daily job as the lead will wire it: raw loads → daily dbt set → published_warehouse."""
    from dagster_project.orchestration.assets.dbt import dbt_resource, warehouse_daily_dbt_assets, warehouse_reference_dbt_assets
    from dagster_project.orchestration.assets.extraction import seed_csvs, source_text
    from dagster_project.orchestration.assets.publish import ASSETS, published_warehouse
    from dagster_project.orchestration.assets.submissions import raw_submissions
    from dagster_project.orchestration.resources import WarehouseSettings
    from dagster_project.warehouse import Warehouse

    job = dg.define_asset_job(
        "daily_load", selection=dg.AssetSelection.assets(raw_submissions, warehouse_daily_dbt_assets, published_warehouse))
    defs = dg.Definitions(
        assets=[source_text, seed_csvs, warehouse_reference_dbt_assets, raw_submissions, warehouse_daily_dbt_assets, *ASSETS],
        jobs=[job],
        resources={"dbt": dbt_resource(), "warehouse": Warehouse(), "settings": WarehouseSettings()},
    )
    return defs.resolve_job_def("daily_load")


def test_a_reader_keeps_its_snapshot_while_a_daily_load_and_a_publication_run(working, published, tmp_path):
    from datetime import date

    from dagster_project.orchestration.window import RunWindow
    from dagster_project.submissions.inbox import submit

    reader = subprocess.Popen([sys.executable, "-c", READER, str(published)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        before = reader.stdout.readline().split()
        assert before and before[0] == "0", reader.stderr.read()

        filled, task_ids = _filled_template(working, tmp_path)
        [result] = submit([filled], inbox_dir=load_settings().inbox_dir)
        assert result.status == "accepted"
        run = _daily_job_with_publication().execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            tags=RunWindow(date(2016, 1, 4), date(2016, 1, 5)).to_tags(),
        )
        assert run.success

        out, err = reader.communicate("again\n", timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err
    assert out.split() == before  # the open connection still sees the snapshot it opened

    # a new connection sees the new publication, made by the run, with the loaded rows
    assert _rows(published, "select count(*) from marts.fct_progress_report") == [(2,)]
    assert sorted(r[0] for r in _rows(published, "select task_id from marts.fct_progress_report")) == sorted(task_ids)
    record = read_publication(published)
    assert record["run_id"] == run.run_id and record["published_by"] == "dagster"
    assert record["published_at"].isoformat() > before[1]
    # the published copy is not partitioned: one materialization for the run's range, of its one publication
    materializations = [m.materialization for m in run.get_asset_materialization_events()
                        if m.asset_key == dg.AssetKey("published_warehouse")]
    assert [m.partition for m in materializations] == [None]
    assert materializations[0].metadata["rows_by_table"].value["marts.fct_progress_report"] == 2
    assert _rows(published, DOC_NO_COMMENT_SQL)[0][0]


def test_the_python_and_pandas_recipe(published):
    # docs/access.md, "Python and pandas", as written there
    con = duckdb.connect(str(published), read_only=True)
    df = con.sql("select doc_no, title, task_count, overdue_share from reports.rpt_document_progress order by doc_no").df()
    areas = con.sql("select policy_area, count(*) as tasks from marts.dim_task group by all order by 2 desc").df()
    documents_with_tasks = con.sql("select count(distinct doc_id) from marts.dim_task").fetchone()[0]
    tasks = con.sql("select count(*) from raw.tasks").fetchone()[0]
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("create table main.scratch as select 1")
    con.close()
    assert list(df.columns) == ["doc_no", "title", "task_count", "overdue_share"]
    assert len(df) == documents_with_tasks > 40
    assert areas["tasks"].sum() == tasks > 1000 and df["task_count"].sum() > 1000


def test_the_sqlalchemy_recipe_that_superset_and_bi_tools_use(published):
    from sqlalchemy import create_engine, inspect, text

    # docs/access.md, "SQLAlchemy / Superset": four slashes before an absolute path
    uri = f"duckdb:///{published}"
    assert uri.startswith("duckdb:////")
    engine = create_engine(uri, connect_args={"read_only": True})
    try:
        inspector = inspect(engine)
        relations = set(inspector.get_table_names(schema="reports")) | set(inspector.get_view_names(schema="reports"))
        assert {"rpt_overdue_tasks", "rpt_document_progress", "rpt_department_scorecard", "rpt_target_attainment"} <= relations
        with engine.connect() as connection:
            rows = connection.execute(text(
                "select policy_area, count(*) as documents, sum(task_count) as tasks "
                "from reports.rpt_document_progress group by policy_area order by tasks desc"
            )).fetchall()
            documents = connection.execute(text("select count(distinct doc_id) from marts.dim_task")).scalar_one()
            assert sum(r.documents for r in rows) == documents > 40
            stamp = connection.execute(text("select published_at from meta.publication")).scalar_one()
            assert stamp is not None
    finally:
        engine.dispose()


def test_a_client_sees_the_next_publication_when_it_reconnects(working, published):
    """A pooled SQLAlchemy engine keeps its open file (the old snapshot); NullPool reopens it for each use."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    stamp = text("select published_at from meta.publication")
    fresh = create_engine(f"duckdb:///{published}", connect_args={"read_only": True}, poolclass=NullPool)
    with fresh.connect() as connection:
        first = connection.execute(stamp).scalar_one()
    publish_warehouse(working, published)
    with fresh.connect() as connection:
        assert connection.execute(stamp).scalar_one() > first

    pooled = create_engine(f"duckdb:///{published}", connect_args={"read_only": True})
    try:
        with pooled.connect() as connection:
            second = connection.execute(stamp).scalar_one()
        publish_warehouse(working, published)
        with pooled.connect() as connection:
            assert connection.execute(stamp).scalar_one() == second  # still the snapshot it opened
        pooled.dispose()
        with pooled.connect() as connection:
            assert connection.execute(stamp).scalar_one() > second
    finally:
        pooled.dispose()


def _duckdb_cli() -> str | None:
    beside_python = Path(sys.executable).with_name("duckdb")
    return str(beside_python) if beside_python.exists() else shutil.which("duckdb")


@pytest.mark.skipif(_duckdb_cli() is None, reason="the duckdb CLI (pip package duckdb-cli) is not installed")
def test_the_duckdb_cli_recipe(published):
    result = subprocess.run(
        [_duckdb_cli(), "-readonly", "-csv", str(published),
         "select count(*) as documents from marts.dim_document"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.stdout.split() == ["documents", "82"]


def test_policy_wh_publish_command(working, capsys):
    from dagster_project.publish_cli import register

    parser = argparse.ArgumentParser(prog="policy-wh")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["publish"])
    assert args.handler(load_settings(), args) == 0
    out = capsys.readouterr().out
    target = published_path(load_settings())
    assert f"published {target}" in out and "duckdb -readonly" in out
    assert read_publication(target)["source_path"] == str(working)
