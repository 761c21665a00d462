select
    cast(org_id as varchar) as org_id,
    cast(doc_id as varchar) as doc_id,
    cast(effective_on as date) as effective_on,
    cast(change as varchar) as change_kind,
    cast(from_org_id as varchar) as from_org_id,
    cast(to_org_id as varchar) as to_org_id,
    cast(detail as varchar) as detail,
    cast(line as integer) as source_line
from {{ ref('org_reforms') }}
