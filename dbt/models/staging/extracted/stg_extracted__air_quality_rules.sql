with rules as (
    select
        cast(rule_id as varchar) as rule_id,
        cast(doc_id as varchar) as doc_id,
        cast(doc_no as varchar) as doc_no,
        cast(first_quarter as varchar) as first_quarter,
        make_date(cast(substr(first_quarter, 1, 4) as integer), 3 * cast(substr(first_quarter, 6, 1) as integer) - 2, 1)
            as valid_from_date,
        cast(in_force_line as integer) as in_force_line,
        cast(group_order as integer) as group_order,
        cast(group_name as varchar) as group_name,
        cast(member_region_codes as varchar) as member_region_codes,
        cast(members_line as integer) as members_line,
        cast(first_place_points as integer) as first_place_points,
        cast(points_step as integer) as points_step,
        cast(points_line as integer) as points_line,
        cast(places_line as integer) as places_line,
        cast(reward_places as integer) as reward_places,
        cast(reward_wan_yuan as decimal(18, 4)) as reward_wan_yuan,
        cast(reward_equals_penalty as boolean) as reward_equals_penalty,
        cast(reward_line as integer) as reward_line,
        cast(penalty_places as integer) as penalty_places,
        cast(penalty_base_wan_yuan as decimal(18, 4)) as penalty_base_wan_yuan,
        cast(penalty_line as integer) as penalty_line,
        cast(surcharge_index_step as decimal(18, 4)) as surcharge_index_step,
        cast(surcharge_wan_yuan as decimal(18, 4)) as surcharge_wan_yuan,
        cast(surcharge_line as integer) as surcharge_line,
        cast(rising_index_penalty_wan_yuan as decimal(18, 4)) as rising_index_penalty_wan_yuan,
        cast(rising_index_line as integer) as rising_index_line
    from {{ ref('air_quality_rules') }}
),

versions as (
    select distinct rule_id, valid_from_date from rules
),

bounded as (
    -- a version is in force until the quarter before the next version's first quarter
    select
        rule_id,
        cast(lead(valid_from_date) over (order by valid_from_date) - interval 1 day as date) as valid_to_date
    from versions
)

select rules.*, bounded.valid_to_date
from rules
inner join bounded on bounded.rule_id = rules.rule_id
