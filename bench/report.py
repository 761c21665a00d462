"""bench/results.md: the measured tables, the ratios and the issue's targets, from one Report.

Why a module of its own: the smoke test checks the same rows the full run writes, so the rendering
must not depend on how many scales or runs were measured.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

GIB = 1024.0


@dataclass
class Report:
    plan: str
    machine: dict[str, str]
    versions: dict[str, str]
    repeats: int
    extraction: dict[str, Any] = field(default_factory=dict)
    reference_builds: list[dict[str, Any]] = field(default_factory=list)
    ingest: list[dict[str, Any]] = field(default_factory=list)
    histories: list[dict[str, Any]] = field(default_factory=list)
    orchestration: dict[str, Any] = field(default_factory=dict)
    total_seconds: float = 0.0
    revision: str | None = None          # seeds/ and dbt/ from this git revision (None: the working tree)

    def history(self, scale: str, label: str) -> dict[str, Any] | None:
        return next((h for h in self.histories if h["scale"] == scale and h["history"] == label), None)

    def incremental_ratio(self) -> tuple[str, str, float] | None:
        """(longest, shortest, daily_s ratio) over the first scale's histories."""
        if not self.histories:
            return None
        scale = self.histories[0]["scale"]
        rows = [h for h in self.histories if h["scale"] == scale]
        if len(rows) < 2:
            return None
        return rows[-1]["history"], rows[0]["history"], rows[-1]["daily_s"] / rows[0]["daily_s"]

    def targets(self) -> list[tuple[str, str, str]]:
        """(target, measured, met?) for every target of issue 8 that this run measured."""
        out = []
        if self.ingest:
            top = self.ingest[-1]
            out.append((f"loader ≥ 50% of DuckDB read_csv throughput at {top['rows']:,} rows",
                        f"{top['ratio']:.0%}", _met(top["ratio"] >= 0.5)))
        ratio = self.incremental_ratio()
        if ratio:
            out.append((f"daily load on {ratio[0]} of history ≤ 1.5× the same load on {ratio[1]}",
                        f"{ratio[2]:.2f}×", _met(ratio[2] <= 1.5)))
        if self.orchestration:
            seconds = self.orchestration["dagster_s"]
            out.append((f"daily run of {self.orchestration['daily_rows']:,} submitted rows end to end (Dagster) ≤ 20 s",
                        f"{seconds:.1f} s", _met(seconds <= 20)))
        if self.extraction:
            out.append(("extraction (source text → seeds) < 2 s", f"{self.extraction['seconds']:.2f} s",
                        _met(self.extraction["seconds"] < 2)))
        national = [h for h in self.histories if h["scale"] == "national"]
        if national:
            peak = national[0]["daily_peak_mib"]
            out.append(("peak memory of a daily run at national scale < 1 GiB", f"{peak:,.0f} MiB",
                        _met(peak < GIB)))
        return out


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _s(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def render(report: Report) -> str:
    m, v = report.machine, report.versions
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench.run` ({report.plan} plan) on {datetime.now():%Y-%m-%d %H:%M}, "
        f"in {report.total_seconds / 60:.1f} min. Every time is the **median of {report.repeats} runs** "
        "(unless a row says otherwise), each run in its own process; memory is that process's peak resident set "
        "(`ru_maxrss`, including dbt subprocesses Dagster starts). Regenerate with `make bench`.",
        "",
        f"**Machine:** {m['cores']} cores, {m['memory']}, {m['cpu']}; {m['os']}; Python {m['python']}.  ",
        "**Versions:** " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".  ",
        f"**Project measured:** seeds and dbt models {'at git ' + report.revision if report.revision else 'of the working tree'}.",
        "",
        "## Targets (issue 8)",
        "",
        *_table(["target", "measured", ""], [list(t) for t in report.targets()]),
    ]
    if report.ingest:
        lines += ["## 1. Ingest: the submission loader against DuckDB's own read_csv (same CSV files)", "",
                  "The loader reads, validates (every rule, Chinese messages for bad rows), quarantines ≈1% bad rows and "
                  "appends them (batches of files per transaction, each file all-or-nothing, the 13 columns of "
                  "`raw.progress_reports`); `read_csv` only parses the files into a new table of 6 text columns.", ""]
        lines += _table(
            ["rows", "files", "loader s", "loader rows/s", "read_csv s", "read_csv rows/s", "loader / read_csv",
             "quarantined", "loader peak MiB"],
            [[f"{r['rows']:,}", r["files"], _s(r["loader_s"]), f"{r['loader_rows_s']:,.0f}", _s(r["read_csv_s"]),
              f"{r['read_csv_rows_s']:,.0f}", f"{r['ratio']:.1%}", f"{r['quarantined']:,}", f"{r['loader_peak_mib']:,.0f}"]
             for r in report.ingest])
    if report.histories:
        ratio = report.incremental_ratio()
        lines += ["## 2. Incremental cost: one daily load on top of history", "",
                  "One day's files (one CSV per organisation and kind, ≈1% bad rows) through the daily job's code path "
                  "without Dagster: `load_files`, then `dbt build` of the daily models with the load window as vars.", ""]
        lines += _table(
            ["scale", "history", "raw rows in history", "daily rows", "runs", "daily load s", "of which loader s",
             "of which dbt s", "peak MiB"],
            [[h["scale"], h["history"], f"{h['history_rows']:,}", f"{h['daily_rows']:,}", h.get("runs", report.repeats),
              _s(h["daily_s"]), _s(h["load_s"]),
              _s(h["dbt_s"]), f"{h['daily_peak_mib']:,.0f}"] for h in report.histories])
        if ratio:
            lines += [f"Ratio {ratio[0]} / {ratio[1]}: **{ratio[2]:.2f}×**.", ""]
    if report.reference_builds or report.histories:
        lines += ["## 3. Build: dbt build time against data size", ""]
        if report.reference_builds:
            lines += ["Reference set (seeds, staging, dimensions, bridge, targets, their tests) into a new file:", ""]
            lines += _table(["scale", "factor", "tasks", "organisations", "assignments", "runs", "dbt build s", "peak MiB"],
                            [[r["scale"], r["factor"], f"{r['tasks']:,}", f"{r['organizations']:,}", f"{r['assignments']:,}",
                              r["runs"], _s(r["seconds"]), f"{r['peak_mib']:,.0f}"] for r in report.reference_builds])
        if report.histories:
            lines += ["Daily models (progress facts, daily status snapshot, reports): full refresh against the "
                      "incremental build of the same day (the dbt part of section 2):", ""]
            lines += _table(["scale", "history", "first build s (1 run)", "full refresh s", "incremental s",
                             "full / incremental", "full refresh peak MiB"],
                            [[h["scale"], h["history"], _s(h["first_build_s"]), _s(h["full_refresh_s"]), _s(h["dbt_s"]),
                              f"{h['full_refresh_s'] / h['dbt_s']:.1f}×", f"{h['refresh_peak_mib']:,.0f}"]
                             for h in report.histories])
    if report.orchestration:
        lines += _orchestration_section(report.orchestration)
    if report.extraction:
        e = report.extraction
        lines += ["## 5. Extraction: the whole source text to seed CSVs", ""]
        lines += _table(["runs", "seconds (median)", "seed tables", "peak MiB"],
                        [[e["runs"], _s(e["seconds"]), e["tables"], f"{e['peak_mib']:,.0f}"]])
    return "\n".join(lines).rstrip() + "\n"


# Section 4: the Dagster run's own record of where its time went (worker.op_daily_dagster reads it).
STEP_LABELS = {
    "raw_submissions": "`raw_submissions` (inbox files → raw tables)",
    "submission_quality_checks": "`submission_quality_checks` (blocking GX suites on the day's raw rows)",
    "warehouse_daily_dbt_assets": "`warehouse_daily_dbt_assets` (dbt build of the daily models and their tests)",
    "published_warehouse": "`published_warehouse` (the read-only copy)",
    "policy_checks": "`policy_checks` (GX target and deadline suites)",
}


def dagster_breakdown(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the op_daily_dagster runs: the run's steps, the run itself, and the daily_checks run after it.

    bench/run.py adds this to ``report.orchestration`` (``report.orchestration.update(dagster_breakdown(runs))``)."""
    import statistics

    def median(values: list[float]) -> float | None:
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    out: dict[str, Any] = {"dagster_runs": len(runs), "run_s": median([r.get("run_seconds") for r in runs])}
    for key, target in (("steps", "steps"), ("checks_steps", "checks_steps")):
        order = list(STEP_LABELS)
        names = sorted({name for r in runs for name in r.get(key, {})},
                       key=lambda name: (order.index(name) if name in order else len(order), name))
        if names:
            out[target] = {name: median([r.get(key, {}).get(name, 0.0) for r in runs]) for name in names}
    if any("checks_seconds" in r for r in runs):
        out["checks_s"] = median([r.get("checks_seconds") for r in runs])
    return out


def _orchestration_section(o: dict[str, Any]) -> list[str]:
    lines = ["## 4. Orchestration overhead: the daily run through Dagster against the same work called directly", "",
             f"{o['scale']} scale, {o['history']} of history, {o['daily_rows']:,} rows a day. Dagster: "
             "`run_job(settings, 'daily_load', day, day)` in process, the definitions imported before the clock, as "
             "in a running daemon. Its dbt step runs dbt in the step's process with the manifest parsed once without "
             "vars (partial parse); direct: `load_files`, then the same in-process `dbt build`.", ""]
    lines += _table(["path", "seconds", "peak MiB"],
                    [["direct (`load_files` + in-process `dbt build`)", _s(o["direct_s"]), f"{o['direct_peak_mib']:,.0f}"],
                     ["Dagster `daily_load` job (load, submission checks, dbt, publish)", _s(o["dagster_s"]),
                      f"{o['dagster_peak_mib']:,.0f}"]])
    lines += [f"Overhead: **{o['dagster_s'] - o['direct_s']:+.1f} s** ({o['dagster_s'] / o['direct_s']:.2f}×).", ""]
    steps = o.get("steps")
    if steps:
        lines += [f"Where the Dagster run's time goes (median of {o.get('dagster_runs', '?')} runs, each step from its "
                  "STEP_START to its STEP_SUCCESS in the run's event log):", ""]
        rows = [[STEP_LABELS.get(name, f"`{name}`"), _s(seconds)] for name, seconds in steps.items()]
        if o.get("run_s") is not None:
            rows.append(["the run's own bookkeeping between steps (RUN_START → RUN_SUCCESS less the steps)",
                         _s(max(o["run_s"] - sum(steps.values()), 0.0))])
            rows.append(["before RUN_START and after RUN_SUCCESS (run creation, planned-materialization events)",
                         _s(max(o["dagster_s"] - o["run_s"], 0.0))])
        lines += _table(["step", "seconds"], rows)
    if o.get("checks_s") is not None:
        checks = o.get("checks_steps", {})
        detail = ", ".join(f"{STEP_LABELS.get(name, name)} {_s(seconds)} s" for name, seconds in checks.items())
        lines += [f"Not in the figure above: the `daily_checks` run the `daily_checks_sensor` starts when `daily_load` "
                  f"succeeds — the 14 target suites and the deadline suite, then a second publication — took "
                  f"{_s(o['checks_s'])} s ({detail}). Publication does not wait for it.", ""]
    return lines


def write_report(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
    return path
