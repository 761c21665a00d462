-- 任务每日状态快照：每个任务从其文件成文日到统计截止日，每天一行。
-- Periodic snapshot: for every task and every day from its document's date to the as-of date, the latest
-- known status and percent, days since the last report, and whether the task is past its deadline and not done.
--
-- Linear in rows, not days × reports: each task's reports (one a day) and its days are put on one timeline;
-- a running count of reports numbers the stretches between reports, and every day takes the values of the
-- report that opened its stretch.
-- Incremental: a run rebuilds the days from the start of its window (the earliest report date loaded) onwards.
-- It reads only the reports dated in the window, plus the state this model stored for the day before the
-- window (last report date, status, percent), so its cost follows the window, not the years of history.
-- A task without a stored row for that day (not yet tracked then, or new) takes its earlier reports instead.
-- Days after the as-of date are deleted first (pre_hook): a warehouse built before any report runs its
-- snapshot up to the newest document's date, and the first loads' as-of date is earlier than that.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='snapshot_date',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where snapshot_date > {% if var('as_of_date') %}cast('{{ var('as_of_date') }}' as date){% else %}(select max(report_date) from {{ ref('fct_progress_report') }}){% endif %}{% endif %}",
        on_schema_change='fail'
    )
}}

{%- set carry_in = is_incremental() and var('min_date') %}

with tasks as (
    select
        tasks.task_id,
        tasks.deadline_date,
        -- two documents print no date: their tasks count from the start of the compilation's period
        coalesce(documents.issued_on, cast('2015-07-01' as date)) as tracked_from
    from {{ ref('stg_tasks') }} as tasks
    inner join {{ ref('stg_documents') }} as documents on tasks.doc_id = documents.doc_id
),

as_of as (
    select
        {% if var('as_of_date') %}
        cast('{{ var("as_of_date") }}' as date)
        {% else %}
        coalesce(
            (select max(report_date) from {{ ref('fct_progress_report') }}),
            (select max(tracked_from) from tasks)
        )
        {% endif %} as as_of_date
),

window_start as (
    {% if carry_in %}
    select cast(least(
        cast('{{ var("min_date") }}' as date),
        coalesce(
            (select {{ dbt.dateadd('day', 1, 'max(snapshot_date)') }} from {{ this }}),
            (select min(tracked_from) from tasks)
        )
    ) as date) as first_day
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

{% if carry_in %}
-- the state each task had at the end of the day before the window, as stored by earlier runs
carried as (
    select
        previous.task_id,
        previous.last_report_date,
        previous.latest_status,
        previous.latest_percent_complete
    from {{ this }} as previous
    where previous.snapshot_date = cast({{ dbt.dateadd('day', -1, '(select first_day from window_start)') }} as date)
),

-- tasks with no stored row that day: their reports before the window are read instead
uncarried_tasks as (
    select tasks.task_id
    from tasks
    left join carried on carried.task_id = tasks.task_id
    where carried.task_id is null
),
{% endif %}

reports as (
    select task_id, org_id, report_date, status, percent_complete, loaded_at
    from {{ ref('fct_progress_report') }}
    {% if carry_in %}
    where report_date >= (select first_day from window_start)
    union all
    select reports.task_id, reports.org_id, reports.report_date, reports.status, reports.percent_complete,
           reports.loaded_at
    from {{ ref('fct_progress_report') }} as reports
    inner join uncarried_tasks on uncarried_tasks.task_id = reports.task_id
    where reports.report_date < (select first_day from window_start)
    {% endif %}
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

-- what is known of a task, dated: its reports up to the as-of date and the state carried into the window
known as (
    select task_id, report_date as known_on, report_date, status, percent_complete
    from daily_reports
    where pick = 1 and report_date <= (select as_of_date from as_of)
    {% if carry_in %}
    union all
    select
        task_id,
        cast({{ dbt.dateadd('day', -1, '(select first_day from window_start)') }} as date) as known_on,
        last_report_date,
        latest_status,
        latest_percent_complete
    from carried
    where last_report_date is not null
    {% endif %}
),

-- a task's reports and its days on one timeline; a report sorts before the day it falls on
timeline as (
    select
        task_id,
        known_on as timeline_date,
        0 as is_day,
        report_date,
        status,
        percent_complete,
        cast(null as date) as deadline_date
    from known
    union all
    select
        tasks.task_id,
        days.date_day as timeline_date,
        1 as is_day,
        cast(null as date) as report_date,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as double precision) as percent_complete,
        tasks.deadline_date
    from tasks
    inner join days on days.date_day >= tasks.tracked_from
),

-- the number of reports up to each row: the days after a report share its number
stretches as (
    select
        timeline.*,
        count(report_date) over (
            partition by task_id order by timeline_date, is_day rows between unbounded preceding and current row
        ) as stretch
    from timeline
),

-- each stretch holds one report (its first row) and the days it stays the latest
snapshot as (
    select
        task_id,
        timeline_date as snapshot_date,
        is_day,
        deadline_date,
        max(status) over (partition by task_id, stretch) as status,
        max(percent_complete) over (partition by task_id, stretch) as percent_complete,
        max(report_date) over (partition by task_id, stretch) as last_report_date
    from stretches
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
where is_day = 1
