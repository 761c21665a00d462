-- Within each ranking group: the composite index ranks low → high and the decline rate high → low; first
-- place scores first_place_points, each lower place points_step less; equal values share the better place
-- (the next place is skipped). final_rank orders total points descending; equal totals: higher decline rate,
-- then lower index, then region_code. A group is evaluated only when every member has this quarter's index
-- and last year's; otherwise evaluation_status says what is missing and no points or money are computed.
-- All comparisons and money are exact decimals (macros/air_quality_arithmetic.sql).
{%- set n_text = "cast(group_size as " ~ dbt.type_string() ~ ")" %}

with quarterly as (
    select * from {{ ref('fct_air_quality_quarterly') }}
),

regions as (
    select region_code, region_name from {{ ref('stg_extracted__regions') }}
),

quarters as (
    select distinct quarter, quarter_year, quarter_number, quarter_start_date, quarter_end_date from quarterly
),

members as (
    -- every unit of every group of the rule version in force, for every quarter that has readings
    select
        quarters.quarter,
        quarters.quarter_start_date,
        quarters.quarter_end_date,
        {{ dbt.concat([dbt.cast('quarters.quarter_year - 1', dbt.type_string()), "'Q'",
                       dbt.cast('quarters.quarter_number', dbt.type_string())]) }} as previous_year_quarter,
        rule_groups.*
    from quarters
    inner join {{ ref('int_air_quality_rule_groups') }} as rule_groups
        on quarters.quarter_start_date >= rule_groups.valid_from_date
        and (rule_groups.valid_to_date is null or quarters.quarter_start_date <= rule_groups.valid_to_date)
),

units as (
    select
        members.*,
        coalesce(regions.region_name, members.region_code) as region_name,
        quarterly.composite_index,
        quarterly.previous_year_index,
        quarterly.yoy_decline_rate,
        coalesce(quarterly.index_rose, false) as index_rose
    from members
    left join quarterly
        on quarterly.region_code = members.region_code
        and quarterly.quarter = members.quarter
    left join regions on regions.region_code = members.region_code
),

group_status as (
    select
        quarter,
        rule_id,
        group_name,
        count(*) as group_size,
        sum(case when composite_index is null then 1 else 0 end) as missing_current_count,
        sum(case when composite_index is not null and previous_year_index is null then 1 else 0 end)
            as missing_previous_count,
        sum(composite_index) as index_sum,
        {{ dbt.listagg("case when composite_index is null then region_name end", "'、'", "order by member_order") }}
            as missing_current_names,
        {{ dbt.listagg("case when composite_index is not null and previous_year_index is null then region_name end",
                       "'、'", "order by member_order") }} as missing_previous_names
    from units
    group by quarter, rule_id, group_name
),

with_status as (
    select
        units.*,
        group_status.group_size,
        group_status.index_sum,
        group_status.missing_current_names,
        group_status.missing_previous_names,
        case
            when group_status.missing_current_count > 0 then 'missing_current'
            when group_status.missing_previous_count > 0 then 'missing_previous_year'
            else 'evaluated'
        end as evaluation_status
    from units
    inner join group_status
        on group_status.quarter = units.quarter
        and group_status.rule_id = units.rule_id
        and group_status.group_name = units.group_name
),

evaluated as (
    select * from with_status where evaluation_status = 'evaluated'
),

ranks as (
    select
        mine.quarter,
        mine.group_name,
        mine.region_code,
        1 + sum(case when other.composite_index < mine.composite_index then 1 else 0 end) as index_rank,
        1 + sum(case when {{ aq_compare_decline('other', 'mine', '>') }} then 1 else 0 end) as decline_rank
    from evaluated as mine
    inner join evaluated as other
        on other.quarter = mine.quarter
        and other.group_name = mine.group_name
    group by mine.quarter, mine.group_name, mine.region_code
),

points as (
    select
        evaluated.*,
        ranks.index_rank,
        ranks.decline_rank,
        evaluated.first_place_points - (ranks.index_rank - 1) * evaluated.points_step as index_points,
        evaluated.first_place_points - (ranks.decline_rank - 1) * evaluated.points_step as decline_points,
        2 * evaluated.first_place_points - (ranks.index_rank + ranks.decline_rank - 2) * evaluated.points_step
            as total_points
    from evaluated
    inner join ranks
        on ranks.quarter = evaluated.quarter
        and ranks.group_name = evaluated.group_name
        and ranks.region_code = evaluated.region_code
),

final_ranks as (
    select
        mine.quarter,
        mine.group_name,
        mine.region_code,
        1 + sum(case
            when other.total_points > mine.total_points then 1
            when other.total_points < mine.total_points then 0
            when {{ aq_compare_decline('other', 'mine', '>') }} then 1
            when not ({{ aq_compare_decline('other', 'mine', '=') }}) then 0
            when other.composite_index < mine.composite_index then 1
            when other.composite_index > mine.composite_index then 0
            when other.region_code < mine.region_code then 1
            else 0
        end) as final_rank
    from points as mine
    inner join points as other
        on other.quarter = mine.quarter
        and other.group_name = mine.group_name
    group by mine.quarter, mine.group_name, mine.region_code
),

penalised as (
    select
        points.*,
        final_ranks.final_rank,
        final_ranks.final_rank <= points.reward_places as is_reward_place,
        final_ranks.final_rank > points.group_size - points.penalty_places as is_penalty_place,
        -- 144号: +surcharge for every FULL step by which the index exceeds the group mean:
        -- floor((x − S/n) / step) = floor((n·x − S) / (n·step)), exact integers
        case
            when final_ranks.final_rank > points.group_size - points.penalty_places
                and points.surcharge_index_step > 0
                and points.group_size * points.composite_index > points.index_sum
            then {{ aq_floor_div(aq_scaled_integer('points.group_size * points.composite_index - points.index_sum', 6),
                                 aq_scaled_integer('points.group_size * points.surcharge_index_step', 6)) }}
            else 0
        end as surcharge_steps
    from points
    inner join final_ranks
        on final_ranks.quarter = points.quarter
        and final_ranks.group_name = points.group_name
        and final_ranks.region_code = points.region_code
),

ranking_penalties as (
    select
        penalised.*,
        cast(case
            when is_penalty_place
                then penalty_base_wan_yuan + coalesce(surcharge_wan_yuan, 0) * surcharge_steps
            else 0
        end as decimal(18, 4)) as ranking_penalty_wan_yuan
    from penalised
),

ranking_rewards as (
    select
        mine.*,
        cast(case
            when not mine.is_reward_place then 0
            -- 144号: the last place's penalty is paid to the first place (generally: place r ↔ place n + 1 − r)
            when mine.reward_equals_penalty then coalesce(mirror.ranking_penalty_wan_yuan, 0)
            else coalesce(mine.reward_wan_yuan, 0)
        end as decimal(18, 4)) as ranking_reward_wan_yuan
    from ranking_penalties as mine
    left join ranking_penalties as mirror
        on mirror.quarter = mine.quarter
        and mirror.group_name = mine.group_name
        and mirror.final_rank = mine.group_size + 1 - mine.final_rank
),

amounts as (
    select
        ranking_rewards.*,
        -- 126号 第五条: an index higher than a year earlier forfeits the reward (paid to nobody) and costs extra
        cast(case when index_rose then 0 else ranking_reward_wan_yuan end as decimal(18, 4)) as reward_amount,
        cast(ranking_penalty_wan_yuan
             + case when index_rose then rising_index_penalty_wan_yuan else 0 end as decimal(18, 4)) as penalty_amount,
        cast({{ aq_exact_quotient('index_sum', 'group_size', 6, 4) }} as decimal(18, 4)) as group_mean_index,
        cast({{ aq_exact_quotient('group_size * composite_index - index_sum', 'group_size', 6, 4) }} as decimal(18, 4))
            as index_above_mean
    from ranking_rewards
),

explained as (
    select
        amounts.*,
        {{ dbt.concat([
            "quarter", "'（'", "doc_no", "'）'", "group_name", n_text, "'个单位中，综合指数'",
            aq_number_text('composite_index', 6), "'列第'", aq_int_text('index_rank'), "'名得'",
            aq_int_text('index_points'), "'分，同比下降率'", aq_number_text('yoy_decline_rate * 100', 4),
            "'%列第'", aq_int_text('decline_rank'), "'名得'", aq_int_text('decline_points'), "'分，合计'",
            aq_int_text('total_points'), "'分，综合排名第'", aq_int_text('final_rank'), "'名'",
            "case when is_reward_place and not index_rose then " ~ dbt.concat([
                "'，奖励'", aq_number_text('ranking_reward_wan_yuan'), "'万元'",
                "case when reward_equals_penalty then '（等额于本组最后一名的罚款）' else '' end"]) ~ " else '' end",
            "case when is_penalty_place and surcharge_index_step is null then " ~ dbt.concat([
                "'，列本组后'", aq_int_text('penalty_places'), "'名，处罚'", aq_number_text('penalty_base_wan_yuan'),
                "'万元'"]) ~ " else '' end",
            "case when is_penalty_place and surcharge_index_step is not null then " ~ dbt.concat([
                "'，为本组最后一名，以'", aq_number_text('penalty_base_wan_yuan'), "'万元起罚；本组平均综合指数'",
                aq_number_text('group_mean_index'),
                "case when index_above_mean > 0 then " ~ dbt.concat([
                    "'，本单位高出'", aq_number_text('index_above_mean'), "'，每高'",
                    aq_number_text('surcharge_index_step'), "'加罚'", aq_number_text('surcharge_wan_yuan'),
                    "'万元，加罚'", aq_number_text('coalesce(surcharge_wan_yuan, 0) * surcharge_steps'), "'万元'"])
                    ~ " else '，本单位不高于平均值，不加罚' end",
                "'，罚款'", aq_number_text('ranking_penalty_wan_yuan'), "'万元'"]) ~ " else '' end",
            "case when index_rose then " ~ dbt.concat([
                "'；综合指数高于上年同期（'", aq_number_text('previous_year_index', 6), "'），不降反升'",
                "case when is_reward_place and ranking_reward_wan_yuan > 0 then " ~ dbt.concat([
                    "'，取消奖励资格（原应奖励'", aq_number_text('ranking_reward_wan_yuan'), "'万元，不转给其他单位）'"])
                    ~ " else '' end",
                "'，另处罚'", aq_number_text('rising_index_penalty_wan_yuan'), "'万元'"]) ~ " else '' end",
            "case when not is_reward_place and not is_penalty_place and not index_rose then '，不奖不罚' else '' end",
            "'。合计奖励'", aq_number_text('reward_amount'), "'万元，处罚'", aq_number_text('penalty_amount'), "'万元。'"
        ]) }} as reason
    from amounts
)

select
    with_status.quarter,
    with_status.quarter_start_date,
    with_status.quarter_end_date,
    with_status.rule_id,
    with_status.doc_no as rule_doc_no,
    with_status.group_order,
    with_status.group_name,
    cast(with_status.group_size as {{ dbt.type_int() }}) as group_size,
    with_status.region_code,
    with_status.region_name,
    with_status.evaluation_status,
    with_status.composite_index,
    with_status.previous_year_quarter,
    with_status.previous_year_index,
    with_status.yoy_decline_rate,
    with_status.index_rose,
    explained.group_mean_index,
    cast(explained.index_rank as {{ dbt.type_int() }}) as index_rank,
    cast(explained.decline_rank as {{ dbt.type_int() }}) as decline_rank,
    cast(explained.index_points as {{ dbt.type_int() }}) as index_points,
    cast(explained.decline_points as {{ dbt.type_int() }}) as decline_points,
    cast(explained.total_points as {{ dbt.type_int() }}) as total_points,
    cast(explained.final_rank as {{ dbt.type_int() }}) as final_rank,
    cast(explained.surcharge_steps as {{ dbt.type_int() }}) as surcharge_steps,
    explained.ranking_reward_wan_yuan,
    explained.ranking_penalty_wan_yuan,
    explained.reward_amount as reward_wan_yuan,
    explained.penalty_amount as penalty_wan_yuan,
    case
        when with_status.evaluation_status = 'evaluated' then explained.reason
        when with_status.evaluation_status = 'missing_current' then {{ dbt.concat([
            "with_status.quarter", "'（'", "with_status.doc_no", "'）'", "with_status.group_name",
            "'未评价：缺少'", "with_status.missing_current_names",
            "'的本季度综合指数，本组本季度不排名、不奖惩。'"]) }}
        else {{ dbt.concat([
            "with_status.quarter", "'（'", "with_status.doc_no", "'）'", "with_status.group_name",
            "'未评价：缺少'", "with_status.missing_previous_names", "'的上年同期（'", "with_status.previous_year_quarter",
            "'）综合指数，无法计算同比下降率，本组本季度不排名、不奖惩。'"]) }}
    end as reason
from with_status
left join explained
    on explained.quarter = with_status.quarter
    and explained.group_name = with_status.group_name
    and explained.region_code = with_status.region_code
