-- 文件维度：每件文件一行。Document dimension: one row per document.
with documents as (
    select * from {{ ref('stg_documents') }}
)

select
    doc_id,
    doc_no,
    title,
    issuer_name,
    issued_on,
    cast(extract(year from issued_on) as {{ dbt.type_int() }}) as issued_year,
    genre,
    issue_form,
    line_start,
    line_end,
    number_line,
    cast(line_end - line_start + 1 as {{ dbt.type_int() }}) as line_count
from documents
