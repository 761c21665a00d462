select
    cast(group_id as varchar) as group_id,
    cast(role as varchar) as member_role,
    cast(person_name as varchar) as person_name,
    cast(position_text as varchar) as position_text,
    cast(org_id as varchar) as org_id,
    cast(line as integer) as source_line
from {{ ref('leading_group_members') }}
