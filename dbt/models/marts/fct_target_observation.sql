{#-
  Target attainment, computed once: per target with an indicator, one row per stretch of days valid_from …
  valid_to during which one observation is the latest (period_end <= day; ties: the last loaded) of the
  target's indicator for its evaluated region — and a first stretch, before any observation, without one.
  rpt_target_attainment and the GX checks (dagster_project/checks/frames.py) pick the stretch covering
  their as-of day; nothing else decides met / not met, the gap or the trend projection.

  The projection is a least-squares straight line through (period end, value) of every observation up to
  the stretch, evaluated at the due date, with at least three of them. It is computed in two passes (means
  first, then sums of deviations from them) with ordered sums and the day numbers of Python's
  date.toordinal(), so it is the same number a left-to-right computation in Python gives.
-#}
{%- set first_day = "cast('0001-01-01' as date)" -%}
{%- set last_day = "cast('9999-12-31' as date)" -%}

with targets as (
    select
        targets.target_id,
        targets.doc_id,
        targets.indicator_id,
        targets.evaluated_region_code as region_code,
        targets.comparator,
        targets.target_value,
        targets.target_value_high,
        targets.unit,
        targets.due_date,
        coalesce(indicators.direction, 'higher_is_better') as direction
    from {{ ref('fct_target') }} as targets
    left join {{ ref('dim_indicator') }} as indicators on indicators.indicator_id = targets.indicator_id
    where targets.indicator_id is not null
),

-- every observation of an indicator and region some target is evaluated for; day = date.toordinal()
observations as (
    select
        observations.indicator_id,
        observations.region_code,
        observations.observation_key,
        observations.observed_value,
        observations.period,
        observations.period_end,
        observations.loaded_at,
        cast({{ dbt.datediff(first_day, 'observations.period_end', 'day') }} + 1 as {{ type_double() }}) as day_number
    from {{ ref('fct_indicator_observation') }} as observations
    inner join (select distinct indicator_id, region_code from targets) as series
        on series.indicator_id = observations.indicator_id
        and series.region_code = observations.region_code
),

-- the period ends of each series: where a stretch starts
period_ends as (
    select
        indicator_id,
        region_code,
        period_end,
        lead(period_end) over (partition by indicator_id, region_code order by period_end) as next_period_end
    from (select distinct indicator_id, region_code, period_end from observations) as distinct_ends
),

-- the observation shown from each period end on: the last loaded of that period end
latest as (
    select
        indicator_id,
        region_code,
        period_end,
        observed_value,
        period,
        row_number() over (
            partition by indicator_id, region_code, period_end
            order by loaded_at desc, observation_key desc
        ) as recency
    from observations
),

-- first pass: how many observations up to each period end, and their means
means as (
    select
        period_ends.indicator_id,
        period_ends.region_code,
        period_ends.period_end,
        count(*) as observation_count,
        {{ ordered_sum('observations.day_number', 'observations.period_end, observations.loaded_at, observations.observation_key') }}
            / count(*) as mean_day,
        {{ ordered_sum('observations.observed_value', 'observations.period_end, observations.loaded_at, observations.observation_key') }}
            / count(*) as mean_value
    from period_ends
    inner join observations
        on observations.indicator_id = period_ends.indicator_id
        and observations.region_code = period_ends.region_code
        and observations.period_end <= period_ends.period_end
    group by period_ends.indicator_id, period_ends.region_code, period_ends.period_end
),

-- second pass: the sums of deviations from those means (the spread of the days, their covariance with the values)
deviations as (
    select
        means.indicator_id,
        means.region_code,
        means.period_end,
        {{ ordered_sum('(observations.day_number - means.mean_day) * (observations.day_number - means.mean_day)',
                       'observations.period_end, observations.loaded_at, observations.observation_key') }} as day_spread,
        {{ ordered_sum('(observations.day_number - means.mean_day) * (observations.observed_value - means.mean_value)',
                       'observations.period_end, observations.loaded_at, observations.observation_key') }} as covariance
    from means
    inner join observations
        on observations.indicator_id = means.indicator_id
        and observations.region_code = means.region_code
        and observations.period_end <= means.period_end
    group by means.indicator_id, means.region_code, means.period_end
),

stretches as (
    -- from each period end to the day before the next one (the last one runs on)
    select
        period_ends.indicator_id,
        period_ends.region_code,
        period_ends.period_end as valid_from,
        coalesce(cast({{ dbt.dateadd('day', -1, 'period_ends.next_period_end') }} as date), {{ last_day }}) as valid_to,
        latest.observed_value,
        latest.period as observed_period,
        latest.period_end as observed_period_end,
        means.observation_count,
        means.mean_day,
        means.mean_value,
        deviations.day_spread,
        deviations.covariance
    from period_ends
    inner join latest
        on latest.indicator_id = period_ends.indicator_id
        and latest.region_code = period_ends.region_code
        and latest.period_end = period_ends.period_end
        and latest.recency = 1
    inner join means
        on means.indicator_id = period_ends.indicator_id
        and means.region_code = period_ends.region_code
        and means.period_end = period_ends.period_end
    inner join deviations
        on deviations.indicator_id = period_ends.indicator_id
        and deviations.region_code = period_ends.region_code
        and deviations.period_end = period_ends.period_end

    union all

    -- before the first observation (for a series without any: every day)
    select
        series.indicator_id,
        series.region_code,
        {{ first_day }} as valid_from,
        coalesce(cast({{ dbt.dateadd('day', -1, 'firsts.first_period_end') }} as date), {{ last_day }}) as valid_to,
        cast(null as {{ type_double() }}) as observed_value,
        cast(null as {{ dbt.type_string() }}) as observed_period,
        cast(null as date) as observed_period_end,
        0 as observation_count,
        cast(null as {{ type_double() }}) as mean_day,
        cast(null as {{ type_double() }}) as mean_value,
        cast(null as {{ type_double() }}) as day_spread,
        cast(null as {{ type_double() }}) as covariance
    from (select distinct indicator_id, region_code from targets) as series
    left join (
        select indicator_id, region_code, min(period_end) as first_period_end
        from observations
        group by indicator_id, region_code
    ) as firsts
        on firsts.indicator_id = series.indicator_id
        and firsts.region_code = series.region_code
),

evaluated as (
    select
        targets.*,
        stretches.valid_from,
        stretches.valid_to,
        stretches.observed_value,
        stretches.observed_period,
        stretches.observed_period_end,
        stretches.observation_count,
        {{ target_is_met('targets.comparator', 'stretches.observed_value', 'targets.target_value',
                         'targets.target_value_high', 'targets.direction') }} as is_met,
        -- the straight line at the due date: at least three observations, a due date after the last of them (a
        -- line is not read backwards: a target due before its latest observation has that observation); all on
        -- one day → their mean
        case
            when stretches.observation_count < 3 or targets.due_date is null then null
            when targets.due_date <= stretches.observed_period_end then null
            when stretches.day_spread = 0 then stretches.mean_value
            else stretches.mean_value + stretches.covariance / stretches.day_spread
                * (cast({{ dbt.datediff(first_day, 'targets.due_date', 'day') }} + 1 as {{ type_double() }}) - stretches.mean_day)
        end as projected_value
    from targets
    inner join stretches
        on stretches.indicator_id = targets.indicator_id
        and stretches.region_code = targets.region_code
)

select
    target_id,
    doc_id,
    indicator_id,
    region_code,
    comparator,
    target_value,
    target_value_high,
    unit,
    due_date,
    direction,
    valid_from,
    valid_to,
    observed_value,
    observed_period,
    observed_period_end,
    is_met,
    cast({{ target_gap('comparator', 'observed_value', 'target_value', 'target_value_high', 'direction', 'is_met') }}
         as {{ type_double() }}) as gap,
    abs(observed_value - target_value) as abs_deviation,
    cast(observation_count as {{ dbt.type_int() }}) as observation_count,
    projected_value,
    case
        when projected_value is null then null
        when {{ target_is_met('comparator', 'projected_value', 'target_value', 'target_value_high', 'direction') }} then 'met'
        else 'not_met'
    end as projected_status
from evaluated
