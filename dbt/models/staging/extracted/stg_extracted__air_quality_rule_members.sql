with members as (
    select
        cast(rule_id as varchar) as rule_id,
        cast(group_name as varchar) as group_name,
        string_split(cast(member_region_codes as varchar), '|') as codes
    from {{ ref('air_quality_rules') }}
)

select
    rule_id,
    group_name,
    cast(codes[position] as varchar) as region_code,
    cast(position as integer) as member_order
from members, range(1, len(codes) + 1) as positions(position)
