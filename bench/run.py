"""Entry point: ``python -m bench.run [--quick | --smoke] [--out DIR] [--results FILE]``.

Measures, in one session and side by side: (1) the submission loader against DuckDB's own
read_csv, (2) one daily load on top of a month, a year and ten years of history, (3) dbt build
times (reference set per scale; daily models full refresh against incremental), (4) the daily run
through Dagster against the same work called directly, (5) extraction; then writes the report
(default ``bench/results.md``). Every figure is the median of ``--repeats`` runs (default 3), each
in its own process. Scratch data goes to ``bench/out/`` (gitignored) or ``--out``.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.generate import FIRST_DAY, Pools, write_bulk, write_day
from bench.harness import Sample, Scenario, machine, measure, repeat, versions
from bench.report import Report, dagster_breakdown, write_report
from bench.scale import make_root, snapshot_project

BENCH_DIR = Path(__file__).resolve().parent


@dataclass
class Plan:
    """What to measure; the defaults are the full run (about half an hour on 2 cores)."""

    name: str = "full"
    scales: dict[str, float] = field(default_factory=lambda: {"city": 1, "province": 11, "national": 300})
    repeats: int = 3
    ingest_scale: str = "province"
    ingest_rows: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    ingest_rows_per_file: int = 10_000
    # issue 8: one daily load must cost the same on ten years of history as on one month (≤ 1.5×). Ten years
    # at 2,000 rows a day is 7.3·10⁶ raw rows; the first build and each full refresh of it take minutes.
    histories: dict[str, int] = field(default_factory=lambda: {"1 month": 31, "1 year": 365, "10 years": 3653})
    history_scale: str = "city"
    # (scale, history label) pairs measured beyond the city histories: the daily run at larger scales
    extra_histories: tuple[tuple[str, str], ...] = (("national", "1 month"),)
    daily_rows: int = 2_000
    extract_runs: int = 3
    # national runs once (marked in the report): a national reference build costs ~30 s and a national daily load
    # of 2,000 rows ~1,100 files (see docs/benchmarks.md); three of each would double the full run
    ref_build_repeats: dict[str, int] = field(default_factory=lambda: {"national": 1})
    history_repeats: dict[str, int] = field(default_factory=lambda: {"national": 1})
    revision: str | None = None         # take seeds/ and dbt/ from this git revision instead of the working tree
    orchestration: bool = True          # the Dagster runs (the smoke test leaves them to test_daily_load)

    @classmethod
    def quick(cls) -> "Plan":
        return cls(name="quick", scales={"city": 1, "province": 11}, ingest_rows=(10_000, 100_000),
                   histories={"1 month": 31, "3 months": 92}, extra_histories=(("province", "1 month"),))

    @classmethod
    def smoke(cls) -> "Plan":
        return cls(name="smoke", scales={"city": 0.01}, repeats=1, ingest_scale="city", ingest_rows=(100, 300),
                   ingest_rows_per_file=100, histories={"1 month": 3, "1 year": 6}, extra_histories=(),
                   daily_rows=40, extract_runs=1, orchestration=False)


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _pools(scenario: Scenario) -> Pools:
    with duckdb.connect(str(scenario.database), read_only=True) as con:
        return Pools.read(con)


def run(plan: Plan, out: Path, results: Path | None = None) -> Report:
    report = Report(plan=plan.name, machine=machine(), versions=versions(), repeats=plan.repeats)
    started = time.perf_counter()

    # 5. extraction (no warehouse needed)
    _log("extraction")
    probe = Scenario(out / "roots" / "extract", out / "extract")
    (probe.root / "data").mkdir(parents=True, exist_ok=True)
    sample = repeat(plan.extract_runs, lambda i: probe, "extract", out=str(out / "extract" / "seeds"))
    report.extraction = {"runs": len(sample), "seconds": sample.median(), "peak_mib": sample.peak_mib(),
                         "tables": sample.runs[0]["tables"]}

    # scaled roots and their reference builds (3. build, reference set)
    bases: dict[str, Scenario] = {}
    sources = {}
    if plan.revision:
        seeds_dir, dbt_dir = snapshot_project(plan.revision, out / "project")
        sources = {"seeds_dir": seeds_dir, "dbt_dir": dbt_dir}
        report.revision = plan.revision
    for label, factor in plan.scales.items():
        _log(f"scale {label} ×{factor}: seeds and reference build")
        root = out / "roots" / label
        if root.exists():
            shutil.rmtree(root)
        seeds = make_root(root, factor, **sources)
        base = Scenario(root, root / "data")
        times = plan.ref_build_repeats.get(label, plan.repeats)
        sample = repeat(times, lambda i: base, "ref_build")
        bases[label] = base
        report.reference_builds.append({"scale": label, "factor": factor, "tasks": seeds.tasks,
                                        "organizations": seeds.organizations,
                                        "assignments": seeds.rows.get("task_assignments", 0),
                                        "runs": len(sample), "seconds": sample.median(), "peak_mib": sample.peak_mib()})

    checkpoint = (lambda: write_report(report, results)) if results else (lambda: None)
    checkpoint()

    # 1. ingest: loader against read_csv, same files
    base = bases[plan.ingest_scale]
    pools = _pools(base)
    for rows in plan.ingest_rows:
        _log(f"ingest {rows} rows")
        files = [str(p) for p in write_bulk(pools, rows, plan.ingest_rows_per_file, out / "ingest" / f"files-{rows}")]
        loader = repeat(plan.repeats, lambda i: base.fork(out / "ingest" / f"loader-{rows}-{i}"), "ingest_loader",
                        files=files, day="2016-06-30")
        read_csv = repeat(plan.repeats, lambda i: base.fork(out / "ingest" / f"csv-{rows}-{i}", copy=False),
                          "ingest_duckdb", files=files)
        report.ingest.append({
            "rows": rows, "files": len(files), "loader_s": loader.median(), "read_csv_s": read_csv.median(),
            "loader_rows_s": rows / loader.median(), "read_csv_rows_s": rows / read_csv.median(),
            "ratio": read_csv.median() / loader.median(), "quarantined": loader.runs[0]["rows_quarantined"],
            "loader_peak_mib": loader.peak_mib(), "read_csv_peak_mib": read_csv.peak_mib()})
        checkpoint()
        for i in range(plan.repeats):
            shutil.rmtree(out / "ingest" / f"loader-{rows}-{i}", ignore_errors=True)
            shutil.rmtree(out / "ingest" / f"csv-{rows}-{i}", ignore_errors=True)

    # 2./3. daily loads on top of history; full refresh against incremental; 4. Dagster against direct
    histories = [(plan.history_scale, label) for label in plan.histories] + list(plan.extra_histories)
    for scale, label in histories:
        if scale not in bases:
            continue
        days = plan.histories.get(label) or {"1 month": 31, "1 year": 365}[label]
        _log(f"{scale}, {label} of history ({days} days)")
        base = bases[scale]
        scenario = base.fork(out / "history" / f"{scale}-{days}")
        first = measure(scenario, "history", days=days, rows_per_day=plan.daily_rows)
        pools = _pools(scenario)
        times = plan.history_repeats.get(scale, plan.repeats)
        direct = Sample()
        for i in range(times):
            day = FIRST_DAY + timedelta(days=days + i)
            files = [str(p) for p in write_day(pools, day, plan.daily_rows, scenario.workdir / "files" / day.isoformat())]
            direct.runs.append(measure(scenario, "daily_direct", files=files, day=day.isoformat()))
        refresh = repeat(times, lambda i: scenario, "full_refresh")
        row = {"scale": scale, "history": label, "days": days, "runs": times, "history_rows": first["rows"],
               "first_build_s": first["seconds"], "daily_s": direct.median(), "load_s": direct.median("load_seconds"),
               "dbt_s": direct.median("dbt_seconds"), "full_refresh_s": refresh.median(),
               "daily_rows": direct.runs[0]["rows_accepted"] + direct.runs[0]["rows_quarantined"],
               "quarantined": direct.runs[0]["rows_quarantined"], "daily_peak_mib": direct.peak_mib(),
               "refresh_peak_mib": refresh.peak_mib()}
        report.histories.append(row)
        if plan.orchestration and scale == plan.history_scale and label == next(iter(plan.histories)):
            _log("orchestration: the same daily run through Dagster")
            dagster = Sample()
            for i in range(plan.repeats):
                day = FIRST_DAY + timedelta(days=days + plan.repeats + i)
                files = [str(p) for p in write_day(pools, day, plan.daily_rows, scenario.workdir / "files" / day.isoformat())]
                run_scenario = _with_inbox(scenario, scenario.workdir / f"dagster-{i}")   # only that day's files
                dagster.runs.append(measure(run_scenario, "daily_dagster", files=files, day=day.isoformat()))
            report.orchestration = {"scale": scale, "history": label, "direct_s": direct.median(),
                                    "dagster_s": dagster.median(), "direct_peak_mib": direct.peak_mib(),
                                    "dagster_peak_mib": dagster.peak_mib(), "daily_rows": row["daily_rows"]}
            report.orchestration.update(dagster_breakdown(dagster.runs))
        shutil.rmtree(scenario.workdir / "files", ignore_errors=True)
        report.total_seconds = time.perf_counter() - started
        checkpoint()
    report.total_seconds = time.perf_counter() - started
    return report


class _InboxScenario(Scenario):
    """The same warehouse with its own inbox and Dagster home (one Dagster run's view)."""

    def __init__(self, base: Scenario, extra: Path) -> None:
        super().__init__(base.root, base.workdir)
        self.extra = extra

    def env(self) -> dict[str, str]:
        env = super().env()
        env["POLICY_WH_INBOX"] = str(self.extra / "inbox")
        env["DAGSTER_HOME"] = str(self.extra / "dagster_home")
        return env


def _with_inbox(scenario: Scenario, extra: Path) -> Scenario:
    if extra.exists():
        shutil.rmtree(extra)
    extra.mkdir(parents=True)
    return _InboxScenario(scenario, extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="city and province only, fewer rows (a few minutes)")
    mode.add_argument("--smoke", action="store_true", help="scale 0.01, a few hundred rows, one run each (tests)")
    parser.add_argument("--repeats", type=int, help="runs per figure (default 3; the median is reported)")
    parser.add_argument("--revision", help="measure seeds/ and dbt/ as committed at this git revision "
                        "(default: the working tree)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="scratch folder (default bench/out)")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results.md", help="the report to write")
    args = parser.parse_args(argv)
    plan = (Plan.smoke() if args.smoke else Plan.quick() if args.quick else Plan())
    if args.repeats:
        plan.repeats = args.repeats
    plan.revision = args.revision
    args.out.mkdir(parents=True, exist_ok=True)
    report = run(plan, args.out.resolve(), args.results)   # rewritten after every section
    write_report(report, args.results)
    _log(f"wrote {args.results} in {report.total_seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
