{#-
  Small cross-database helpers for the marts (DuckDB here; the marts must also compile for Spark).

  type_double(): an 8-byte float. Not dbt.type_float(): that renders FLOAT, which DuckDB (and Postgres'
  REAL-sized float4 spellings) read as a 4-byte float — 0.1 would come back as 0.10000000149011612.

  ordered_sum(expression, order_by): a sum added up in the given order, so a floating-point total is the
  same number every run and the same as a left-to-right sum in Python (DuckDB adds in parallel chunks
  otherwise). Adapters without ordered aggregates get a plain sum.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro ordered_sum(expression, order_by) -%}
    {{ return(adapter.dispatch('ordered_sum')(expression, order_by)) }}
{%- endmacro %}

{% macro default__ordered_sum(expression, order_by) -%}
    sum({{ expression }})
{%- endmacro %}

{% macro duckdb__ordered_sum(expression, order_by) -%}
    sum({{ expression }} order by {{ order_by }})
{%- endmacro %}
