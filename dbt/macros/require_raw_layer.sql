{#-
  Stops a dbt run on a warehouse whose raw tables do not exist yet, naming them and the command that creates
  them. The raw tables are declared in Python (dagster_project/raw_layer.py) and created by the loader, the
  check runner and every dbt run that policy-wh or Dagster starts; this guards a `dbt build` started by hand.
  One catalog query per run.
-#}
{% macro require_raw_layer() -%}
    {%- if execute -%}
        {%- set declared = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
                           | map(attribute='name') | list -%}
        {%- set present = run_query(
            "select table_name from information_schema.tables where table_schema = 'raw'"
            ~ " and table_catalog = current_database()").columns[0].values() -%}
        {%- set missing = declared | reject('in', present) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "the raw tables " ~ missing | join(', ') ~ " do not exist in this warehouse: run `policy-wh build`"
                ~ " (it creates them from dagster_project/raw_layer.py before dbt runs), not dbt by hand") }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
