{#-
  THE as-of day of every report and check: the one definition (the checks and the demo summary read it
  back as the last day of marts.fct_task_status_daily, see dagster_project/checks/frames.py default_as_of).

  1. the var as_of_date, when a user passes one;
  2. else the last data day loaded: the latest daily partition any load run covered (raw.load_runs, read
     through stg_submitted__load_runs) — so a day on which nobody reported still counts days overdue, and a
     late file for an old day never moves the as-of day back — or the latest report date, if that is later
     (rows loaded by dbt alone, in tests);
  3. else (a warehouse built from the seeds, never loaded) the latest report date, else the newest
     document's date (the snapshot then runs to the day the last task was assigned).
-#}
{% macro as_of_date() -%}
    {%- if var('as_of_date') -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        coalesce(
            greatest(
                (select max(partition_end) from {{ ref('stg_submitted__load_runs') }}),
                (select max(report_date) from {{ ref('fct_progress_report') }})
            ),
            (select max(partition_end) from {{ ref('stg_submitted__load_runs') }}),
            (select max(report_date) from {{ ref('fct_progress_report') }}),
            (select max(issued_on) from {{ ref('stg_extracted__documents') }}),
            cast('2015-07-01' as date)
        )
    {%- endif -%}
{%- endmacro %}
