{#-
  After every run: drop the views and tables in the model schemas (staging, marts, reports) that no model of
  this project builds any more — a model renamed or removed (issue 16 renamed every staging model) would
  otherwise stay in an existing warehouse and its published copy, stale, and a BI tool would still list it.
  graph.nodes holds every model of the project whatever the run selected, so a partial run drops nothing it
  should keep. The raw schema (seeds, submissions, results) is never touched. DuckDB only (information_schema
  and drop … if exists); other adapters skip it.
-#}
{% macro drop_retired_relations() %}
    {% if execute and target.type == 'duckdb' %}
        {% set schemas = ['staging', 'marts', 'reports'] %}
        {% set built = [] %}
        {% for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') %}
            {% do built.append((node.schema ~ '.' ~ (node.alias or node.name)) | lower) %}
        {% endfor %}
        {% set found = run_query(
            "select table_schema, table_name, table_type from information_schema.tables "
            ~ "where table_catalog = current_database() and table_schema in ('" ~ schemas | join("', '") ~ "')") %}
        {% for row in found.rows %}
            {% if (row[0] ~ '.' ~ row[1]) | lower not in built %}
                {% set kind = 'view' if row[2] == 'VIEW' else 'table' %}
                {% do log('dropping ' ~ kind ~ ' ' ~ row[0] ~ '.' ~ row[1] ~ ': no model of this project builds it any more', info=true) %}
                {% do run_query('drop ' ~ kind ~ ' if exists "' ~ row[0] ~ '"."' ~ row[1] ~ '"') %}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
