-- A view, so results the checks write after the day's dbt build show at once.
{{ config(materialized='view') }}

with as_of as (
    -- the one as-of day of the reports and the checks (macros/as_of_date.sql)
    select {{ as_of_date() }} as as_of_date
),

targets as (
    select targets.*, indicators.indicator_name
    from {{ ref('fct_target') }} as targets
    left join {{ ref('dim_indicator') }} as indicators on indicators.indicator_id = targets.indicator_id
),

-- each target's stretch of marts.fct_target_observation covering the as-of day: its latest observation up
-- to that day, whether it is met and the gap (computed there, once, for the checks too)
latest as (
    select *
    from {{ ref('fct_target_observation') }}
    where (select as_of_date from as_of) between valid_from and valid_to
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
        latest.observed_period,
        latest.observed_period_end,
        (select as_of_date from as_of) as as_of_date,
        latest.is_met,
        latest.gap
    from targets
    left join latest on latest.target_id = targets.target_id
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
    gap as gap_to_target,
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
