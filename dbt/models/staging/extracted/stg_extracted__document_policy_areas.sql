select
    cast(doc_id as varchar) as doc_id,
    cast(policy_area as varchar) as policy_area
from {{ ref('document_policy_areas') }}
