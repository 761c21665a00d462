-- A view, so results the checks write after the day's dbt build are visible at once.
{{ config(materialized='view') }}

with results as (
    select
        *,
        row_number() over (
            partition by suite, expectation, as_of_date order by evaluated_at desc, run_id desc
        ) as recency
    from {{ ref('stg_submitted__expectation_results') }}
),

latest_per_date as (
    select * from results where recency = 1
),

sequenced as (
    select
        latest_per_date.*,
        lag(status) over (partition by suite, expectation order by as_of_date) as previous_status,
        lag(as_of_date) over (partition by suite, expectation order by as_of_date) as previous_as_of_date
    from latest_per_date
),

targets as (
    select targets.target_id, documents.policy_area
    from {{ ref('fct_target') }} as targets
    left join {{ ref('dim_document') }} as documents on documents.doc_id = targets.doc_id
),

organizations as (
    select org_id, short_name, valid_from, valid_to from {{ ref('dim_organization') }}
)

select
    {{ surrogate_key(['sequenced.suite', 'sequenced.expectation', 'sequenced.as_of_date']) }} as check_key,
    sequenced.as_of_date,
    sequenced.suite,
    case
        when sequenced.suite like 'targets%' then 'target'
        when sequenced.suite like 'task_deadlines%' then 'deadline'
        else 'submission'
    end as check_kind,
    sequenced.expectation,
    sequenced.expectation_type,
    sequenced.target_id,
    sequenced.indicator_id,
    indicators.indicator_name,
    targets.policy_area,
    sequenced.org_id,
    organizations.short_name as org_short_name,
    sequenced.region_code,
    sequenced.success,
    sequenced.status,
    sequenced.severity,
    sequenced.previous_status,
    sequenced.previous_as_of_date,
    (sequenced.previous_status is not null and sequenced.previous_status <> sequenced.status) as status_changed,
    sequenced.observed_value,
    sequenced.expected,
    sequenced.gap,
    sequenced.projected_value,
    sequenced.projected_status,
    sequenced.unexpected_count,
    sequenced.details,
    sequenced.run_id,
    sequenced.evaluated_at
from sequenced
left join {{ ref('dim_indicator') }} as indicators on indicators.indicator_id = sequenced.indicator_id
left join targets on targets.target_id = sequenced.target_id
left join organizations
    on organizations.org_id = sequenced.org_id
    and sequenced.as_of_date between organizations.valid_from and organizations.valid_to
