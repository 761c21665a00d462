"""The main job, materialized in process against a temporary DuckDB file."""
import duckdb


def _query(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_schemas_are_named_without_prefixes(built_warehouse):
    schemas = {row[0] for row in _query(built_warehouse, "select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "marts"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_dim_document_agrees_with_the_oracle(built_warehouse, oracle_documents):
    rows = _query(
        built_warehouse,
        "select doc_no, cast(issued_on as varchar), line_start, line_end, number_line from marts.dim_document order by line_start",
    )
    expected = [(o["doc_no"], o["issued_on"], o["line_start"], o["line_end"], o["number_line"]) for o in oracle_documents]
    assert rows == expected


def test_dim_document_has_column_comments_for_bi_tools(built_warehouse):
    comments = dict(
        _query(
            built_warehouse,
            "select column_name, comment from duckdb_columns() where schema_name = 'marts' and table_name = 'dim_document'",
        )
    )
    assert "文号" in comments["doc_no"] and "Document number" in comments["doc_no"]


def test_the_run_used_the_temporary_file_not_the_default(built_warehouse):
    assert built_warehouse.name == "warehouse.duckdb" and "data" not in built_warehouse.parts[-2:]
    assert _query(built_warehouse, "select count(*) from raw.documents") == [(82,)]


def test_every_mart_and_report_column_is_described_in_chinese_and_english(built_warehouse):
    rows = _query(
        built_warehouse,
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where schema_name in ('marts', 'reports')",
    )
    assert len({(r[0], r[1]) for r in rows}) >= 15
    undescribed = [(s, t, c) for s, t, c, comment in rows if not comment]
    assert undescribed == []
    not_bilingual = [
        (s, t, c) for s, t, c, comment in rows
        if not (any("\u4e00" <= ch <= "\u9fff" for ch in comment) and any(ch.isascii() and ch.isalpha() for ch in comment))
    ]
    assert not_bilingual == []
    tables = _query(built_warehouse, "select comment from duckdb_tables() where schema_name in ('marts', 'reports')")
    assert all(comment for (comment,) in tables)


def test_the_dagster_instance_lets_one_writer_run_at_a_time(tmp_path, monkeypatch):
    import dagster as dg

    from dagster_project.settings import export_environment, load_settings

    import os

    # export_environment writes these three into os.environ: let monkeypatch restore them afterwards
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("POLICY_WH_DB", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    export_environment(load_settings())
    with dg.DagsterInstance.get() as instance:
        config = instance.get_concurrency_config()
    assert config.run_queue_config.tag_concurrency_limits == [{"key": "policy_wh/writer", "limit": 1}]
    assert config.pool_config.default_pool_limit == 1


def test_a_build_drops_what_a_renamed_model_left_and_keeps_every_model(private_warehouse):
    """Issue 16 renamed every staging model: an existing warehouse must not keep the old views (stale, and
    listed by BI tools) after its next build; a run that selects one model keeps everything it did not build."""
    import duckdb

    from dagster_project.dbt_runner import run_dbt
    from dagster_project.settings import load_settings

    with duckdb.connect(str(private_warehouse)) as con:
        before = {r[0] for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('staging', 'marts', 'reports')").fetchall()}
        con.execute("create view staging.stg_tasks as select 1 as task_id")          # a model's old name
        con.execute("create table reports.rpt_retired as select 1 as x")
        con.execute("create table raw.hand_made as select 1 as x")                   # raw is never touched
    run_dbt(load_settings(), ["run", "--select", "dim_date", "--quiet"])
    with duckdb.connect(str(private_warehouse), read_only=True) as con:
        after = {r[0] for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('staging', 'marts', 'reports', 'raw')").fetchall()}
    assert "staging.stg_tasks" not in after and "reports.rpt_retired" not in after
    assert before <= after                      # every relation a model builds is still there
    assert "raw.hand_made" in after
