with documents as (
    select * from {{ ref('stg_extracted__documents') }}
),

areas as (
    select * from {{ ref('stg_extracted__document_policy_areas') }}
),

task_counts as (
    select
        doc_id,
        count(case when duplicate_of_task_id is null then 1 end) as task_count,
        count(case when source_kind = 'table' then 1 end) as table_row_count
    from {{ ref('stg_extracted__tasks') }}
    group by doc_id
),

target_counts as (
    select doc_id, count(*) as target_count
    from {{ ref('stg_extracted__targets') }}
    group by doc_id
)

select
    documents.doc_id,
    documents.doc_no,
    documents.title,
    documents.issuer_name,
    documents.issued_on,
    case when documents.issued_on is not null then {{ date_key('documents.issued_on') }} end as issued_date_key,
    cast(extract(year from documents.issued_on) as {{ dbt.type_int() }}) as issued_year,
    documents.genre,
    documents.issue_form,
    areas.policy_area,
    cast(coalesce(task_counts.task_count, 0) as {{ dbt.type_int() }}) as task_count,
    cast(coalesce(task_counts.table_row_count, 0) as {{ dbt.type_int() }}) as table_row_count,
    cast(coalesce(target_counts.target_count, 0) as {{ dbt.type_int() }}) as target_count,
    documents.line_start,
    documents.line_end,
    documents.number_line,
    cast(documents.line_end - documents.line_start + 1 as {{ dbt.type_int() }}) as line_count
from documents
left join areas on areas.doc_id = documents.doc_id
left join task_counts on task_counts.doc_id = documents.doc_id
left join target_counts on target_counts.doc_id = documents.doc_id
