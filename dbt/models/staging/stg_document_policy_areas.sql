-- 文件政策领域的暂存视图：只改名、定类型。Staging view of each document's policy area: renaming and typing only.
select
    cast(doc_id as varchar) as doc_id,
    cast(policy_area as varchar) as policy_area
from {{ ref('document_policy_areas') }}
