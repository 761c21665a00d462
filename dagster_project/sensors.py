"""The inbox sensor: a new file in the inbox starts a load of the days it touches.

The sensor reads only the files (never the warehouse, which a running load may hold): it finds the
report dates and period ends a new file carries and asks for ONE run over that range of daily
partitions (clipped to the partitions that exist), so a late file reloads exactly its days.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg

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
