select
    quarter,
    region_code,
    region_name,
    rule_doc_no,
    group_name,
    composite_index,
    yoy_decline_rate,
    index_points,
    decline_points,
    total_points,
    final_rank,
    reward_wan_yuan,
    penalty_wan_yuan,
    reason
from {{ ref('int_air_quality_award') }}
