with status as (
    select *
    from {{ ref('fct_task_status_daily') }}
    where snapshot_date = (select max(snapshot_date) from {{ ref('fct_task_status_daily') }})
),

overdue as (
    select task_id, lead_count, last_report_date, snapshot_date from status where is_overdue
),

responsibility as (
    select task_id, org_id, responsibility from {{ ref('int_task_responsibility') }}
),

-- the overdue tasks' recent reports, each marked as counting or not (macros/report_counts_toward_status.sql).
-- A task's latest counting report is never older than its last report as of the snapshot day (nor, if it had
-- none, than that day), so older reports are not read; co-operating bodies' reports are read a year back
recent_reports as (
    select
        reports.task_id,
        reports.org_id,
        reports.report_date,
        reports.status,
        reports.note,
        reports.reported_by,
        reports.loaded_at,
        {{ report_counts_toward_status('responsibility.responsibility', 'overdue.lead_count > 0') }} as counts
    from {{ ref('fct_progress_report') }} as reports
    inner join overdue on overdue.task_id = reports.task_id
    left join responsibility
        on responsibility.task_id = reports.task_id and responsibility.org_id = reports.org_id
    where reports.report_date >= least(
            (select coalesce(min(last_report_date), max(snapshot_date)) from overdue),
            {{ dbt.dateadd('day', -366, '(select max(snapshot_date) from overdue)') }})
      and reports.report_date <= (select max(snapshot_date) from overdue)
),

ranked as (
    select
        recent_reports.*,
        -- ties (two bodies' reports of one day in one load) go to the first org_id, as in fct_task_status_daily:
        -- without it the pick changed from one build to the next
        row_number() over (partition by task_id, counts order by report_date desc, loaded_at desc, org_id) as recency
    from recent_reports
),

last_reports as (
    select task_id, note, reported_by from ranked where counts and recency = 1
),

last_co_reports as (
    select task_id, report_date, status, reported_by from ranked where not counts and recency = 1
)

select
    status.task_id,
    tasks.doc_id,
    documents.doc_no,
    tasks.task_ref,
    tasks.task_text,
    case when status.lead_count > 0 then tasks.lead_names else {{ no_lead_named() }} end as lead_names,
    tasks.lead_names as lead_names_as_printed,
    tasks.first_lead_org_id,
    tasks.deadline_text,
    status.deadline_date,
    status.days_overdue,
    status.latest_status,
    status.latest_percent_complete,
    status.lead_count,
    status.leads_reported,
    status.leads_done,
    status.last_report_date,
    last_reports.note as last_report_note,
    last_reports.reported_by as last_reported_by,
    last_co_reports.report_date as last_co_report_date,
    last_co_reports.status as last_co_report_status,
    last_co_reports.reported_by as last_co_reported_by,
    status.snapshot_date as as_of_date
from status
inner join {{ ref('dim_task') }} as tasks on tasks.task_id = status.task_id
inner join {{ ref('dim_document') }} as documents on documents.doc_id = tasks.doc_id
left join last_reports on last_reports.task_id = status.task_id
left join last_co_reports on last_co_reports.task_id = status.task_id
where status.is_overdue and not tasks.is_duplicate
