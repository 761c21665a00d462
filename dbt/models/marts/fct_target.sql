with targets as (
    select * from {{ ref('stg_extracted__targets') }}
),

documents as (
    select * from {{ ref('stg_extracted__documents') }}
)

select
    targets.target_id,
    targets.doc_id,
    targets.task_id,
    targets.indicator_id,
    targets.region_code,
    -- a target without a region applies to the whole city
    coalesce(targets.region_code, '131000') as evaluated_region_code,
    targets.comparator,
    cast(targets.target_value as double precision) as target_value,
    cast(targets.target_value_high as double precision) as target_value_high,
    targets.unit,
    targets.target_scope,
    targets.due_date,
    case when targets.due_date is not null then {{ date_key('targets.due_date') }} end as due_date_key,
    case when documents.issued_on is not null then {{ date_key('documents.issued_on') }} end as issued_date_key,
    targets.verbatim,
    targets.source_line
from targets
inner join documents on documents.doc_id = targets.doc_id
