-- 空气质量排名分组成员（暂存）：每个规则版本、分组、考核单位一行。
-- Members of the air-quality ranking groups: one row per rule version, group and unit (region).
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
