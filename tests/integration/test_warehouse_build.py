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
