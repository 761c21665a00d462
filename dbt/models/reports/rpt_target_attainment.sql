-- A view, so results the checks write after the day's dbt build show at once.
{{ config(materialized='view') }}

with as_of as (
    -- the one as-of day of the reports and the checks (macros/as_of_date.sql)
    select {{ as_of_date() }} as as_of_date
),

targets as (
    select targets.*, indicators.direction, indicators.indicator_name
    from {{ ref('fct_target') }} as targets
    left join {{ ref('dim_indicator') }} as indicators on indicators.indicator_id = targets.indicator_id
),

-- the latest period up to the as-of date of each indicator and region a target is evaluated for: an
-- aggregate, so only that period's rows are sorted, not every observation of every year
latest_periods as (
    select observations.indicator_id, observations.region_code, max(observations.period_end) as period_end
    from {{ ref('fct_indicator_observation') }} as observations
    inner join (select distinct indicator_id, evaluated_region_code from targets) as evaluated
        on evaluated.indicator_id = observations.indicator_id
        and evaluated.evaluated_region_code = observations.region_code
    where observations.period_end <= (select as_of_date from as_of)
    group by observations.indicator_id, observations.region_code
),

observations as (
    select
        observations.*,
        row_number() over (
            partition by observations.indicator_id, observations.region_code
            order by observations.period_end desc, observations.loaded_at desc
        ) as recency
    from {{ ref('fct_indicator_observation') }} as observations
    inner join latest_periods
        on latest_periods.indicator_id = observations.indicator_id
        and latest_periods.region_code = observations.region_code
        and latest_periods.period_end = observations.period_end
),

latest as (
    select * from observations where recency = 1
),

checks as (
    select
        target_id,
        status,
        severity,
        projected_value,
        projected_status,
        evaluated_at,
        row_number() over (partition by target_id order by evaluated_at desc, run_id desc) as recency
    from {{ ref('stg_submitted__expectation_results') }}
    where target_id is not null
      and suite like 'targets%'
      and as_of_date = (select as_of_date from as_of)
),

evaluated as (
    select
        targets.*,
        latest.observed_value,
        latest.period as observed_period,
        latest.period_end as observed_period_end,
        (select as_of_date from as_of) as as_of_date,
        {{ target_is_met('targets.comparator', 'latest.observed_value', 'targets.target_value', 'targets.target_value_high', 'targets.direction') }} as is_met
    from targets
    left join latest
        on latest.indicator_id = targets.indicator_id
        and latest.region_code = targets.evaluated_region_code
)

select
    evaluated.target_id,
    doc_id,
    task_id,
    indicator_id,
    indicator_name,
    evaluated_region_code as region_code,
    comparator,
    target_value,
    target_value_high,
    unit,
    due_date,
    observed_value,
    observed_period,
    observed_period_end,
    -- positive: how far the observation is from meeting the target (0 when met); null without data
    case
        when observed_value is null then null
        when is_met then 0
        when comparator in ('<=', '<') or (comparator = '=' and direction = 'lower_is_better') then observed_value - target_value
        when comparator = 'between' and observed_value > target_value_high then observed_value - target_value_high
        when comparator = 'approx' then abs(observed_value - target_value)
        else target_value - observed_value
    end as gap_to_target,
    case
        when observed_value is null then 'no_data'
        when is_met then 'met'
        else 'not_met'
    end as attainment_status,
    case
        when due_date is null then 'standing'
        when due_date <= as_of_date then 'due'
        else 'not_yet_due'
    end as due_status,
    as_of_date,
    verbatim,
    checks.status as check_status,
    checks.severity as check_severity,
    checks.projected_value,
    checks.projected_status,
    checks.evaluated_at as checked_at
from evaluated
left join checks on checks.target_id = evaluated.target_id and checks.recency = 1
