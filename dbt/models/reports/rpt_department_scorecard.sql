-- Tasks whose document names no specific lead have a row of their own each month (org_id null, short_name
-- says so). Done means the task's status, which only its leads' reports move (fct_task_status_daily).
-- Incremental by month: a daily run rebuilds the months from its window's first month, and always the last
-- month stored (its as-of day moves), so its cost is a month or two, not every month of ten years. Months
-- after the as-of date (a warehouse built before any report measures up to its newest document) are deleted
-- first (pre_hook), as a full refresh would not have them.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month_start',
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where month_start > (select max(snapshot_date) from {{ ref('fct_task_status_daily') }}){% endif %}"
    )
}}

with as_of as (
    select max(snapshot_date) as as_of_date from {{ ref('fct_task_status_daily') }}
),

first_month as (
    {% if is_incremental() and var('min_date') %}
    select least(
        cast({{ dbt.date_trunc('month', "cast('" ~ var('min_date') ~ "' as date)") }} as date),
        coalesce((select max(month_start) from {{ this }}), cast('{{ var("min_date") }}' as date))
    ) as month_start
    {% else %}
    select cast('2015-07-01' as date) as month_start
    {% endif %}
),

months as (
    select
        month_start,
        month_end,
        month_label_zh,
        case when month_end > (select as_of_date from as_of) then (select as_of_date from as_of) else month_end end as measured_on
    from {{ ref('dim_date') }}
    where date_day = month_start
      and month_start >= (select month_start from first_month)
      and month_start <= (select as_of_date from as_of)
),

-- each named lead of a task; tasks whose document names no specific lead form one row of their own
-- (org_id null, named "未明确牵头单位 (no lead named in the document)"), so they are not lost from the scorecard
leads as (
    select distinct bridge.task_id, bridge.org_id
    from {{ ref('bridge_task_organization') }} as bridge
    inner join {{ ref('dim_task') }} as tasks on tasks.task_id = bridge.task_id
    where bridge.assignment_role = 'lead' and bridge.org_id is not null and not bridge.is_generic
      and not tasks.is_duplicate
    union all
    select tasks.task_id, cast(null as {{ dbt.type_string() }}) as org_id
    from {{ ref('dim_task') }} as tasks
    where tasks.named_lead_count = 0 and not tasks.is_duplicate
),

-- the first day the task's status (its leads' reports, fct_task_status_daily) was done
first_done as (
    select task_id, min(snapshot_date) as done_on
    from {{ ref('fct_task_status_daily') }}
    where latest_status = 'done'
    group by task_id
),

-- who reported on what in each month; org_id null: some organisation reported on the task
monthly_reports as (
    select distinct task_id, org_id, {{ dbt.date_trunc('month', 'report_date') }} as report_month
    from {{ ref('fct_progress_report') }}
    where report_date >= (select month_start from first_month)
    union all
    select distinct task_id, cast(null as {{ dbt.type_string() }}) as org_id, {{ dbt.date_trunc('month', 'report_date') }} as report_month
    from {{ ref('fct_progress_report') }}
    where report_date >= (select month_start from first_month)
),

organization_names as (
    -- the name of each organisation's latest version (a merged body keeps its own name)
    select org_id, short_name
    from (
        select org_id, short_name, row_number() over (partition by org_id order by valid_from desc) as recency
        from {{ ref('dim_organization') }}
    ) as versions
    where recency = 1
),

per_task_month as (
    select
        leads.org_id,
        months.month_start,
        months.month_label_zh,
        leads.task_id,
        status.latest_status,
        status.is_overdue,
        status.deadline_date,
        first_done.done_on,
        monthly_reports.task_id is not null as reported_this_month
    from leads
    inner join {{ ref('fct_task_status_daily') }} as status
        on status.task_id = leads.task_id
        and status.snapshot_date >= (select month_start from first_month)
    inner join months on status.snapshot_date = months.measured_on
    left join first_done on first_done.task_id = leads.task_id
    left join monthly_reports
        on monthly_reports.task_id = leads.task_id
        and coalesce(monthly_reports.org_id, '') = coalesce(leads.org_id, '')
        and cast(monthly_reports.report_month as date) = months.month_start
)

select
    {{ surrogate_key(['per_task_month.org_id', 'per_task_month.month_start']) }} as scorecard_key,
    per_task_month.org_id,
    coalesce(organizations.short_name, {{ no_lead_named() }}) as short_name,
    per_task_month.month_start,
    per_task_month.month_label_zh,
    count(*) as tasks_led,
    count(case when latest_status = 'done' then 1 end) as tasks_done,
    count(case when latest_status = 'done' and (deadline_date is null or done_on <= deadline_date) then 1 end) as tasks_done_on_time,
    count(case when is_overdue then 1 end) as tasks_overdue,
    cast(count(case when reported_this_month then 1 end) as double precision) / count(*) as reporting_rate
from per_task_month
left join organization_names as organizations on organizations.org_id = per_task_month.org_id
group by per_task_month.org_id, organizations.short_name, per_task_month.month_start, per_task_month.month_label_zh
