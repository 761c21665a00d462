{#-
  DuckDB comments (Chinese and English) on the raw tables that create_raw_tables, create_air_quality_tables
  and create_checks_tables create, taken from the descriptions of the dbt source `raw`
  (models/staging/submitted/_submitted__sources.yml, the one file that declares it).
  Those descriptions are the one place the raw tables are described: the dbt docs site shows them, and
  this writes them into the warehouse, where analysts read them with
  `select table_name, column_name, comment from duckdb_columns() where schema_name = 'raw'`.
  dbt's persist_docs does the same for models and seeds, but never for sources, which dbt does not build.

  Emitted at the end of each create macro, after its create table statements. Only the comments that
  differ from what the warehouse holds are written (all of them when the tables are new), so a run whose
  descriptions did not change pays one catalog query, not a hundred COMMENT statements. A table the macro
  names that has no source entry, or an empty description, is a compile error. Plain SQL readers of the
  create macros (tests, the demo checker) drop the calling line, which starts with {% if, and get the
  tables without comments.
-#}
{% macro raw_table_comments(table_names) -%}
    {%- if execute -%}
        {%- set current = {} -%}
        {%- set held = run_query(
            "select table_name, null as column_name, comment from duckdb_tables()"
            ~ " where database_name = current_database() and schema_name = 'raw'"
            ~ " union all select table_name, column_name, comment from duckdb_columns()"
            ~ " where database_name = current_database() and schema_name = 'raw'") -%}
        {%- for row in held.rows -%}
            {%- do current.update({(row[0], row[1]): row[2]}) -%}
        {%- endfor -%}
        {%- for table_name in table_names -%}
            {%- set entries = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
                              | selectattr('name', 'equalto', table_name) | list -%}
            {%- if entries | length != 1 -%}
                {{ exceptions.raise_compiler_error("raw_table_comments: the dbt source raw has no table " ~ table_name) }}
            {%- endif -%}
            {%- set text = raw_comment_text(entries[0].description, table_name) -%}
            {%- if current.get((table_name, none)) != text %}
    comment on table raw.{{ adapter.quote(table_name) }} is '{{ text | replace("'", "''") }}';
            {%- endif -%}
            {%- for column in entries[0].columns.values() -%}
                {%- set text = raw_comment_text(column.description, table_name ~ '.' ~ column.name) -%}
                {%- if current.get((table_name, column.name)) != text %}
    comment on column raw.{{ adapter.quote(table_name) }}.{{ adapter.quote(column.name) }} is '{{ text | replace("'", "''") }}';
                {%- endif -%}
            {%- endfor -%}
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{% macro raw_comment_text(description, what) -%}
    {%- set text = (description or '') | trim -%}
    {%- if not text -%}
        {{ exceptions.raise_compiler_error("raw_table_comments: raw." ~ what ~ " has no description in the dbt source raw") }}
    {%- endif -%}
    {%- do return(text) -%}
{%- endmacro %}
