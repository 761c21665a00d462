with status as (
    select *
    from {{ ref('fct_task_status_daily') }}
    where snapshot_date = (select max(snapshot_date) from {{ ref('fct_task_status_daily') }})
),

per_document as (
    select
        tasks.doc_id,
        count(*) as task_count,
        count(case when status.latest_status = 'done' then 1 end) as done_count,
        count(case when status.is_overdue then 1 end) as overdue_count,
        count(case when status.latest_status = 'not_reported' then 1 end) as unreported_count,
        max(status.snapshot_date) as as_of_date
    from status
    inner join {{ ref('dim_task') }} as tasks on tasks.task_id = status.task_id
    where not tasks.is_duplicate
    group by tasks.doc_id
)

select
    documents.doc_id,
    documents.doc_no,
    documents.title,
    documents.policy_area,
    documents.issued_on,
    per_document.task_count,
    per_document.done_count,
    per_document.overdue_count,
    per_document.unreported_count,
    cast(per_document.done_count as double precision) / per_document.task_count as done_share,
    cast(per_document.overdue_count as double precision) / per_document.task_count as overdue_share,
    cast(per_document.unreported_count as double precision) / per_document.task_count as unreported_share,
    per_document.as_of_date
from per_document
inner join {{ ref('dim_document') }} as documents on documents.doc_id = per_document.doc_id
