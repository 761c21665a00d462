-- 哪些文件落实得最慢？Documents furthest behind: the largest share of tasks overdue, then never reported.
select
    doc_no,
    title,
    policy_area,
    task_count,
    done_count,
    overdue_count,
    round(100 * overdue_share, 1) as overdue_percent,
    round(100 * unreported_share, 1) as unreported_percent,
    as_of_date
from reports.rpt_document_progress
where task_count > 0
order by overdue_share desc, unreported_share desc, doc_no
limit 15;
