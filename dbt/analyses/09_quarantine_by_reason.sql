-- 被隔离的报送行：按原因和文件统计，供督查室通知报送单位。Quarantined rows by reason and file.
select
    files.reported_by,
    files.original_name,
    quarantine.reason_code,
    count(*) as rows_quarantined,
    min(quarantine.reason) as example_reason
from raw.quarantined_rows as quarantine
inner join raw.submission_files as files on files.file_sha256 = quarantine.file_sha256
group by files.reported_by, files.original_name, quarantine.reason_code
order by rows_quarantined desc, files.original_name;
