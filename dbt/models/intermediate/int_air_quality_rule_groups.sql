select
    rules.rule_id,
    rules.doc_id,
    rules.doc_no,
    rules.first_quarter,
    rules.valid_from_date,
    rules.valid_to_date,
    rules.group_order,
    rules.group_name,
    members.region_code,
    members.member_order,
    rules.first_place_points,
    rules.points_step,
    rules.reward_places,
    rules.reward_wan_yuan,
    rules.reward_equals_penalty,
    rules.penalty_places,
    rules.penalty_base_wan_yuan,
    rules.surcharge_index_step,
    rules.surcharge_wan_yuan,
    rules.rising_index_penalty_wan_yuan
from {{ ref('stg_extracted__air_quality_rules') }} as rules
inner join {{ ref('stg_extracted__air_quality_rule_members') }} as members
    on members.rule_id = rules.rule_id
    and members.group_name = rules.group_name
