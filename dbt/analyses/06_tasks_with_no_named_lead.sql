-- 没有具名牵头单位的任务（只写“有关部门”或未写部门）。Tasks with no named lead organisation.
select
    documents.doc_no,
    tasks.task_ref,
    tasks.source_kind,
    tasks.lead_names as leads_as_printed,
    substr(tasks.task_text, 1, 60) as task_text_start,
    tasks.source_line
from marts.dim_task as tasks
inner join marts.dim_document as documents on documents.doc_id = tasks.doc_id
where tasks.named_lead_count = 0 and not tasks.is_duplicate
order by documents.doc_no, tasks.source_line;
