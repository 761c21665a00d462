-- Whose report counts (int_task_responsibility): a task's status is what its lead organisations report.
-- With one lead, its latest report. With several, the task is done only when every lead's latest report says
-- done; until then it takes the status of the most recent lead report (a lead's 'done' reads 'in_progress'
-- while other leads are not done) and the smallest percent among the leads that reported. A co-operating
-- organisation's report never moves the status. A task whose document names no specific lead takes the
-- latest report of any organisation that is not one of its named co-operating bodies.
--
-- Linear in rows, not days × reports: each task's status changes and its days are put on one timeline; a
-- running count numbers the stretches between changes, and every day takes the values of the change that
-- opened its stretch. For tasks with several leads, the same trick first gives every lead's state on each
-- day one of them reported.
-- Incremental: a run rebuilds the days from the start of its window (the earliest report date loaded) onwards,
-- reading the window's reports and, per task and organisation, its last report before the window (an
-- aggregate over the report dates, not a replay of the history).
-- Days after the as-of date are deleted first (pre_hook): a warehouse built before any load runs its
-- snapshot up to the newest document's date, and the first loads' as-of date may be earlier than that.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='snapshot_date',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where snapshot_date > {{ as_of_date() }}{% endif %}",
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
    from {{ ref('stg_extracted__tasks') }} as tasks
    inner join {{ ref('stg_extracted__documents') }} as documents on tasks.doc_id = documents.doc_id
),

as_of as (
    select {{ as_of_date() }} as as_of_date
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

responsibility as (
    select task_id, org_id, responsibility from {{ ref('int_task_responsibility') }}
),

lead_counts as (
    select task_id, count(*) as lead_count
    from responsibility
    where responsibility = 'lead'
    group by task_id
),

-- the reports read: those up to the as-of date (in an incremental run: the window's, plus each task and
-- organisation's last report before the window, which carries its state in)
reports as (
    select task_id, org_id, report_date, status, percent_complete, loaded_at
    from {{ ref('fct_progress_report') }}
    where report_date <= (select as_of_date from as_of)
    {% if carry_in %}
      and report_date >= (select first_day from window_start)
    union all
    select reports.task_id, reports.org_id, reports.report_date, reports.status, reports.percent_complete,
           reports.loaded_at
    from {{ ref('fct_progress_report') }} as reports
    inner join (
        select task_id, org_id, max(report_date) as report_date
        from {{ ref('fct_progress_report') }}
        where report_date < (select first_day from window_start)
        group by task_id, org_id
    ) as last_before on last_before.task_id = reports.task_id
        and last_before.org_id = reports.org_id
        and last_before.report_date = reports.report_date
    {% endif %}
),

-- the reports that count toward the status (see the header)
counting as (
    select
        reports.*,
        lead_counts.task_id is not null as is_led
    from reports
    left join responsibility
        on responsibility.task_id = reports.task_id and responsibility.org_id = reports.org_id
    left join lead_counts on lead_counts.task_id = reports.task_id
    where {{ report_counts_toward_status('responsibility.responsibility', 'lead_counts.task_id is not null') }}
),

-- tasks with named leads: every lead's state on each day one of them reported
lead_events as (
    select distinct task_id, report_date as event_date from counting where is_led
),

lead_timeline as (
    select task_id, org_id, report_date as event_date, 0 as is_event, report_date, status, percent_complete, loaded_at
    from counting
    where is_led
    union all
    select
        lead_events.task_id,
        responsibility.org_id,
        lead_events.event_date,
        1 as is_event,
        cast(null as date) as report_date,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as double precision) as percent_complete,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at
    from lead_events
    inner join responsibility
        on responsibility.task_id = lead_events.task_id and responsibility.responsibility = 'lead'
),

lead_stretches as (
    select
        lead_timeline.*,
        count(report_date) over (
            partition by task_id, org_id order by event_date, is_event rows between unbounded preceding and current row
        ) as stretch
    from lead_timeline
),

lead_states as (
    select
        task_id,
        org_id,
        event_date,
        is_event,
        max(report_date) over (partition by task_id, org_id, stretch) as report_date,
        max(status) over (partition by task_id, org_id, stretch) as status,
        max(percent_complete) over (partition by task_id, org_id, stretch) as percent_complete,
        max(loaded_at) over (partition by task_id, org_id, stretch) as loaded_at
    from lead_stretches
),

lead_states_ranked as (
    select
        lead_states.*,
        row_number() over (
            partition by task_id, event_date
            order by case when report_date is null then 1 else 0 end, report_date desc, loaded_at desc, org_id
        ) as recency
    from lead_states
    where is_event = 1
),

led_changes as (
    select
        task_id,
        event_date,
        max(report_date) as report_date,
        case
            when sum(case when status = 'done' then 1 else 0 end) = count(*) then 'done'
            when max(case when recency = 1 then status end) = 'done' then 'in_progress'
            else max(case when recency = 1 then status end)
        end as status,
        min(percent_complete) as percent_complete,
        count(report_date) as leads_reported,
        sum(case when status = 'done' then 1 else 0 end) as leads_done
    from lead_states_ranked
    group by task_id, event_date
),

-- tasks without a named lead: the latest report of each day (the latest loaded when several report)
open_reports as (
    select
        task_id,
        report_date,
        status,
        percent_complete,
        row_number() over (partition by task_id, report_date order by loaded_at desc, org_id) as pick
    from counting
    where not is_led
),

-- every change of a task's status, dated
known as (
    select task_id, event_date as known_on, report_date, status, percent_complete, leads_reported, leads_done
    from led_changes
    union all
    select task_id, report_date as known_on, report_date, status, percent_complete, 0 as leads_reported, 0 as leads_done
    from open_reports
    where pick = 1
),

-- a task's changes and its days on one timeline; a change sorts before the day it falls on
timeline as (
    select
        task_id,
        known_on as timeline_date,
        0 as is_day,
        report_date,
        status,
        percent_complete,
        leads_reported,
        leads_done,
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
        cast(null as {{ dbt.type_bigint() }}) as leads_reported,
        cast(null as {{ dbt.type_bigint() }}) as leads_done,
        tasks.deadline_date
    from tasks
    inner join days on days.date_day >= tasks.tracked_from
),

-- the number of changes up to each row: the days after a change share its number
stretches as (
    select
        timeline.*,
        count(report_date) over (
            partition by task_id order by timeline_date, is_day rows between unbounded preceding and current row
        ) as stretch
    from timeline
),

-- each stretch holds one change (its first row) and the days it stays the latest
snapshot as (
    select
        task_id,
        timeline_date as snapshot_date,
        is_day,
        deadline_date,
        max(status) over (partition by task_id, stretch) as status,
        max(percent_complete) over (partition by task_id, stretch) as percent_complete,
        max(report_date) over (partition by task_id, stretch) as last_report_date,
        max(leads_reported) over (partition by task_id, stretch) as leads_reported,
        max(leads_done) over (partition by task_id, stretch) as leads_done
    from stretches
)

select
    snapshot.task_id,
    snapshot.snapshot_date,
    {{ date_key('snapshot.snapshot_date') }} as snapshot_date_key,
    coalesce(snapshot.status, 'not_reported') as latest_status,
    snapshot.percent_complete as latest_percent_complete,
    snapshot.last_report_date,
    cast({{ dbt.datediff('snapshot.last_report_date', 'snapshot.snapshot_date', 'day') }} as {{ dbt.type_int() }}) as days_since_last_report,
    cast(coalesce(lead_counts.lead_count, 0) as {{ dbt.type_int() }}) as lead_count,
    cast(coalesce(snapshot.leads_reported, 0) as {{ dbt.type_int() }}) as leads_reported,
    cast(coalesce(snapshot.leads_done, 0) as {{ dbt.type_int() }}) as leads_done,
    snapshot.deadline_date,
    (snapshot.deadline_date is not null and snapshot.deadline_date < snapshot.snapshot_date
        and coalesce(snapshot.status, '') <> 'done') as is_overdue,
    cast(
        case
            when snapshot.deadline_date is not null and snapshot.deadline_date < snapshot.snapshot_date
                and coalesce(snapshot.status, '') <> 'done'
                then {{ dbt.datediff('snapshot.deadline_date', 'snapshot.snapshot_date', 'day') }}
            else 0
        end as {{ dbt.type_int() }}
    ) as days_overdue
from snapshot
left join lead_counts on lead_counts.task_id = snapshot.task_id
where snapshot.is_day = 1
