-- Every named assignment finds exactly one organisation version valid on its document's date.
select bridge.assignment_key
from {{ ref('bridge_task_organization') }} as bridge
where bridge.org_id is not null and bridge.organization_key is null
