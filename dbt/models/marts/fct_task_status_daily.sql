-- 任务每日状态快照：每个任务从其文件成文日到统计截止日，每天一行。
-- Periodic snapshot: for every task and every day from its document's date to the as-of date, the latest
-- known status and percent, days since the last report, and whether the task is past its deadline and not done.
-- Incremental: a run rebuilds the days from the start of its window (the earliest report date loaded) onwards.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='snapshot_date',
        on_schema_change='fail'
    )
}}

with tasks as (
    select
        tasks.task_id,
        tasks.deadline_date,
        -- two documents print no date: their tasks count from the start of the compilation's period
        coalesce(documents.issued_on, cast('2015-07-01' as date)) as tracked_from
    from {{ ref('stg_tasks') }} as tasks
    inner join {{ ref('stg_documents') }} as documents on tasks.doc_id = documents.doc_id
),

reports as (
    select * from {{ ref('fct_progress_report') }}
),

as_of as (
    select
        {% if var('as_of_date') %}
        cast('{{ var("as_of_date") }}' as date)
        {% else %}
        coalesce((select max(report_date) from reports), (select max(tracked_from) from tasks))
        {% endif %} as as_of_date
),

window_start as (
    {% if is_incremental() and var('min_date') %}
    select least(
        cast('{{ var("min_date") }}' as date),
        coalesce(
            (select {{ dbt.dateadd('day', 1, 'max(snapshot_date)') }} from {{ this }}),
            (select min(tracked_from) from tasks)
        )
    ) as first_day
    {% else %}
    select min(tracked_from) as first_day from tasks
    {% endif %}
),

days as (
    select date_day
    from {{ ref('dim_date') }}
    where date_day >= (select first_day from window_start)
      and date_day <= (select as_of_date from as_of)
),

-- one report per task and day (several organisations may report the same task): the latest loaded
daily_reports as (
    select
        task_id,
        report_date,
        status,
        percent_complete,
        row_number() over (partition by task_id, report_date order by loaded_at desc, org_id) as pick
    from reports
),

report_spans as (
    select
        task_id,
        report_date,
        status,
        percent_complete,
        lead(report_date) over (partition by task_id order by report_date) as next_report_date
    from daily_reports
    where pick = 1
),

snapshot as (
    select
        tasks.task_id,
        days.date_day as snapshot_date,
        tasks.deadline_date,
        report_spans.status,
        report_spans.percent_complete,
        report_spans.report_date as last_report_date
    from tasks
    inner join days on days.date_day >= tasks.tracked_from
    left join report_spans
        on report_spans.task_id = tasks.task_id
        and report_spans.report_date <= days.date_day
        and (report_spans.next_report_date is null or report_spans.next_report_date > days.date_day)
)

select
    task_id,
    snapshot_date,
    {{ date_key('snapshot_date') }} as snapshot_date_key,
    coalesce(status, 'not_reported') as latest_status,
    percent_complete as latest_percent_complete,
    last_report_date,
    cast({{ dbt.datediff('last_report_date', 'snapshot_date', 'day') }} as {{ dbt.type_int() }}) as days_since_last_report,
    deadline_date,
    (deadline_date is not null and deadline_date < snapshot_date and coalesce(status, '') <> 'done') as is_overdue,
    cast(
        case
            when deadline_date is not null and deadline_date < snapshot_date and coalesce(status, '') <> 'done'
                then {{ dbt.datediff('deadline_date', 'snapshot_date', 'day') }}
            else 0
        end as {{ dbt.type_int() }}
    ) as days_overdue
from snapshot
