-- 机构改革的历史：卫计委及其前身的版本，以及各任务关联到哪个版本。Organisation history (type-2): the health and
-- family-planning commission, its predecessors, and which version each of its tasks joins on the document's date.
--
-- 市卫计委 is printed in documents from July 2015, months before 〔2015〕158号 (2015-11-25, its 三定 regulation,
-- the reform date the warehouse cuts versions at). Its tasks of those months join its version before the
-- reform date, whose version_state says so: named_before_establishment, not not_yet_established.
select
    organizations.short_name,
    organizations.valid_from,
    organizations.valid_to,
    organizations.version_state,
    organizations.first_named_on,
    organizations.successor_org_id,
    organizations.reform_doc_id,
    count(bridge.task_id) as tasks_assigned_in_this_version
from marts.dim_organization as organizations
left join marts.bridge_task_organization as bridge on bridge.organization_key = organizations.organization_key
where organizations.org_id in ('lf-health-family-planning', 'lf-health-bureau', 'lf-population-family-planning')
group by organizations.short_name, organizations.valid_from, organizations.valid_to, organizations.version_state,
         organizations.first_named_on, organizations.successor_org_id, organizations.reform_doc_id
order by organizations.short_name, organizations.valid_from;
