{#-
  Every ref() and source() is rendered without the database: "staging"."stg_extracted__tasks", not
  "warehouse"."staging"."stg_extracted__tasks".

  Why: DuckDB names a file's catalog after the file's stem, dbt-duckdb takes the database name from the
  profile's path (data/warehouse.duckdb → warehouse), and a view keeps the SQL it was created with. Views
  that named the catalog broke in any copy of the file under another name (Binder Error: Catalog
  "warehouse" does not exist!), so the working and the published file both had to be called
  warehouse.duckdb. DuckDB binds the unqualified names of a view in the view's own catalog, whether the
  file is opened as the main database or attached under any alias, so without the database part every
  view answers under any file name and path (tests/integration/test_any_file_name.py).

  The relations dbt creates ({{ this }} in DDL) keep their database: that is the file being built.
  Overrides dbt's ref and source as dbt's docs describe (builtins.ref / builtins.source, same arguments).
-#}
{% macro ref() -%}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if (varargs | length) == 1 -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- endif -%}
    {%- do return(relation.include(database=False)) -%}
{%- endmacro %}

{% macro source(source_name, table_name) -%}
    {%- do return(builtins.source(source_name, table_name).include(database=False)) -%}
{%- endmacro %}
