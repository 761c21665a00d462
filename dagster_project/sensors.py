"""The sensors: a new file in the inbox starts a load of the days it touches; a successful load starts its checks.

The sensor reads only the files (never the warehouse, which a running load may hold): it finds the
report dates and period ends a new file carries and asks for ONE run over that range of daily
partitions (clipped to the partitions that exist), so a late file reloads exactly its days.

The ``daily_checks_sensor`` watches ``daily_load``: when a run succeeds it starts ``daily_checks`` (the GX
target and deadline suites) over the same partitions, so the checks follow every load — from the
schedule, the inbox sensor or the UI — without holding back the publication.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg

from .jobs import daily_checks_job, daily_load_job
from .settings import load_settings
from .submissions.formats import INDICATORS, PROGRESS, FileRejected, read_submission
from .submissions.inbox import inbox_files
from .submissions.validation import parse_date, parse_period
from .warehouse import FIRST_DAY, daily_partitions, local_today


def touched_days(path: Path) -> tuple[date, date] | None:
    """First and last data day (report date or period end) a submitted file carries, if readable."""
    try:
        submission = read_submission(path.read_bytes())
    except (FileRejected, OSError):
        return None
    days: list[date] = []
    for sheet in submission.sheets:
        if sheet.kind == PROGRESS and "report_date" in sheet.fields:
            column = sheet.frame[sheet.fields["report_date"]]
            days.extend(d for d in (parse_date(str(v)) for v in column.dropna().unique()) if d)
        elif sheet.kind == INDICATORS and "period" in sheet.fields:
            column = sheet.frame[sheet.fields["period"]]
            days.extend(p[1] for p in (parse_period(str(v)) for v in column.dropna().unique()) if p)
    return (min(days), max(days)) if days else None


def partition_range_for(days: list[tuple[date, date] | None], today: date) -> tuple[str, str]:
    """The daily partitions to load: every touched day, clipped to FIRST_DAY … yesterday."""
    first_partition, last_partition = date.fromisoformat(FIRST_DAY), today - timedelta(days=1)
    known = [d for d in days if d is not None]
    start = min((d[0] for d in known), default=last_partition)
    end = max((d[1] for d in known), default=last_partition)
    start = min(max(start, first_partition), last_partition)
    end = min(max(end, start), last_partition)
    return start.isoformat(), end.isoformat()


@dg.sensor(
    job_name="daily_load",
    minimum_interval_seconds=60,
    description="收件箱有新文件时，装载其涉及的日期。When new files reach the inbox, load the days they touch.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    settings = load_settings()
    seen_until = int(context.cursor or 0)
    new_files = [p for p in inbox_files(settings.inbox_dir) if p.stat().st_mtime_ns > seen_until]
    if not new_files:
        return dg.SkipReason(f"no new file in {settings.inbox_dir}")
    start, end = partition_range_for([touched_days(p) for p in new_files], local_today())
    newest = max(p.stat().st_mtime_ns for p in new_files)
    context.update_cursor(str(newest))
    yield dg.RunRequest(
        run_key=f"inbox-{newest}",
        tags={
            "dagster/asset_partition_range_start": start,
            "dagster/asset_partition_range_end": end,
            "policy_wh/new_files": str(len(new_files)),
        },
    )


# A daily_load run whose caller runs daily_checks itself (policy-wh load, policy-wh demo) carries this tag,
# so the sensor does not evaluate the same day twice.
CHECKS_TAG = "policy_wh/checks"
CHECKS_IN_PROCESS = "in_process"
PARTITION_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end", "dagster/partition")


def checks_request(run: dg.DagsterRun) -> dg.RunRequest | None:
    """The daily_checks run for a finished daily_load run: the same partitions; None if its caller checks."""
    if run.tags.get(CHECKS_TAG) == CHECKS_IN_PROCESS:
        return None
    tags = {key: run.tags[key] for key in PARTITION_TAGS if key in run.tags}
    tags["policy_wh/checks_for_run"] = run.run_id
    return dg.RunRequest(run_key=f"checks-{run.run_id}", tags=tags)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_load_job],
    request_job=daily_checks_job,
    name="daily_checks_sensor",
    description="每次日装载成功后，按同一日期评估政策目标和任务期限。After each successful daily_load, evaluate the "
                "policy targets and task deadlines for the same days (job daily_checks).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def daily_checks_sensor(context: dg.RunStatusSensorContext):
    request = checks_request(context.dagster_run)
    if request is None:
        return dg.SkipReason(f"run {context.dagster_run.run_id} is checked by the process that ran it")
    return request
