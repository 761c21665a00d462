"""The summary ``policy-wh checks`` prints: targets by policy area, the worst misses, lagging departments."""
from __future__ import annotations

import json

from .runner import CheckRun

def summary_lines(run: CheckRun, worst: int = 10) -> list[str]:
    lines = [f"checks as of {run.as_of} (run {run.run_id})", ""]
    lines.append(f"{'policy area 政策领域':<34}{'met':>6}{'not met':>9}{'no data':>9}")
    totals = {"met": 0, "not_met": 0, "no_data": 0}
    target_rows = []
    for suite in run.suites:
        if suite.kind != "targets":
            continue
        counts = suite.counts()
        for key in totals:
            totals[key] += counts[key]
        lines.append(f"{suite.name.removeprefix('targets_'):<34}{counts['met']:>6}{counts['not_met']:>9}{counts['no_data']:>9}")
        target_rows += suite.rows
    lines.append(f"{'all targets 全部目标':<34}{totals['met']:>6}{totals['not_met']:>9}{totals['no_data']:>9}")
    misses = [r for r in target_rows if r.status == "not_met"]
    misses.sort(key=lambda r: (r.severity != "error", -_relative_gap(r), r.target_id or ""))
    if misses:
        lines += ["", f"worst misses 差距最大的未达成目标 (of {len(misses)}):"]
        for row in misses[:worst]:
            projection = f", projected {row.projected_value:.4g} → {row.projected_status}" if row.projected_value is not None else ""
            lines.append(f"  [{row.severity}] {row.target_id} {row.indicator_id}@{row.region_code}: observed "
                         f"{row.observed_value:g}, expected {row.expected}, gap {row.gap:g}{projection}")
    deadline_rows = [r for s in run.suites if s.kind == "deadlines" for r in s.rows if not r.success]
    if deadline_rows:
        deadline_rows.sort(key=lambda r: -(r.unexpected_count or 0))
        lines += ["", f"departments with tasks past deadline not done 期限已过未完成 ({len(deadline_rows)} departments):"]
        for row in deadline_rows[:worst]:
            details = json.loads(row.details or "{}")
            tasks = details.get("failing_tasks", [])
            shown = ", ".join(tasks[:5]) + (f" … +{len(tasks) - 5}" if len(tasks) > 5 else "")
            lines.append(f"  {details.get('org_name') or row.org_id}: {row.unexpected_count} of {details.get('tasks_due')} — {shown}")
    failed = [s for s in run.suites if s.kind == "submission" and not s.passed]
    lines += ["", "submission quality 报送质量: " + ("all passed" if not failed else
              "FAILED " + ", ".join(f"{s.name} ({', '.join(r.expectation for r in s.rows if not r.success)})" for s in failed))]
    return lines


def _relative_gap(row) -> float:
    """The gap as a share of the target value (a 5-point miss on 10 is worse than on 95)."""
    value = json.loads(row.details or "{}").get("target_value") or 0.0
    return abs(row.gap or 0.0) / abs(value) if value else abs(row.gap or 0.0)
