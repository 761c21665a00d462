select
    cast(doc_id as varchar) as doc_id,
    cast(doc_no as varchar) as doc_no,
    cast(issuer as varchar) as issuer_name,
    cast(title as varchar) as title,
    cast(issued_on as date) as issued_on,
    cast(genre as varchar) as genre,
    cast(form as varchar) as issue_form,
    cast(line_start as integer) as line_start,
    cast(line_end as integer) as line_end,
    cast(number_line as integer) as number_line
from {{ ref('documents') }}
