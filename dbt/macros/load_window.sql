{#-
  The window of data days an incremental run rebuilds: the daily job passes min_date/max_date,
  the first and last report dates / period ends among the rows it loaded (and its partitions).
  Without them every day is rebuilt, which gives the same result as a full refresh.
-#}
{% macro in_load_window(column) -%}
    {%- if is_incremental() and var('min_date') -%}
        {{ column }} between cast('{{ var("min_date") }}' as date)
                         and cast('{{ var("max_date") or var("min_date") }}' as date)
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

