-- 空气质量奖惩表：每个考核单位、每个评价季度一行——排名、得分、奖罚金额（万元）和中文说明。
-- Air-quality awards: one row per unit and evaluated quarter (2015Q3 on), with points, rank, amounts and why.
-- A group whose quarter cannot be evaluated (a member lacks this quarter's or last year's index) keeps its
-- rows, with empty points and amounts and a reason that says what is missing.
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
