-- 2017 年到期的目标中，哪些尚未达成或没有数据？Targets due in 2017 that are not met yet (or have no data).
select
    documents.doc_no,
    attainment.indicator_name,
    attainment.comparator,
    attainment.target_value,
    attainment.target_value_high,
    attainment.unit,
    attainment.observed_value,
    attainment.observed_period,
    attainment.attainment_status,
    attainment.verbatim
from reports.rpt_target_attainment as attainment
inner join marts.dim_document as documents on documents.doc_id = attainment.doc_id
where extract(year from attainment.due_date) = 2017
  and attainment.attainment_status <> 'met'
order by attainment.attainment_status, documents.doc_no, attainment.target_id;
