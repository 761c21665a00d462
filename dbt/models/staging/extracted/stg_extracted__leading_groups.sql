select
    cast(group_id as varchar) as group_id,
    cast(doc_id as varchar) as doc_id,
    cast(name as varchar) as group_name,
    cast(office_org_id as varchar) as office_org_id,
    cast(line as integer) as source_line,
    cast(kind as varchar) as group_kind,
    cast(has_member_list as boolean) as has_member_list
from {{ ref('leading_groups') }}
