-- 逾期任务清单（截至最新一天）：任务、牵头单位、期限、逾期天数、最近一次报送及其日期。
-- Overdue tasks as of the latest day: task, lead organisations, deadline, days overdue, last report and its date.
with status as (
    select *
    from {{ ref('fct_task_status_daily') }}
    where snapshot_date = (select max(snapshot_date) from {{ ref('fct_task_status_daily') }})
),

overdue as (
    select task_id, last_report_date, snapshot_date from status where is_overdue
),

-- the latest report of each overdue task; a task's latest report is never older than its last report as of
-- the snapshot day (nor, if it had none, than that day), so older reports are not read: the sort stays small
-- however many years of reports the fact holds
last_reports as (
    select
        task_id,
        note,
        reported_by,
        row_number() over (partition by task_id order by report_date desc, loaded_at desc) as recency
    from {{ ref('fct_progress_report') }}
    where task_id in (select task_id from overdue)
      and report_date >= (select coalesce(min(last_report_date), max(snapshot_date)) from overdue)
)

select
    status.task_id,
    tasks.doc_id,
    documents.doc_no,
    tasks.task_ref,
    tasks.task_text,
    tasks.lead_names,
    tasks.first_lead_org_id,
    tasks.deadline_text,
    status.deadline_date,
    status.days_overdue,
    status.latest_status,
    status.latest_percent_complete,
    status.last_report_date,
    last_reports.note as last_report_note,
    last_reports.reported_by as last_reported_by,
    status.snapshot_date as as_of_date
from status
inner join {{ ref('dim_task') }} as tasks on tasks.task_id = status.task_id
inner join {{ ref('dim_document') }} as documents on documents.doc_id = tasks.doc_id
left join last_reports on last_reports.task_id = status.task_id and last_reports.recency = 1
where status.is_overdue and not tasks.is_duplicate
