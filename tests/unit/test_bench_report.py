"""bench: the scale generator keeps identifiers and names unique, and the report judges the targets right."""
import csv
from collections import Counter

from bench.report import Report, render
from bench.scale import write_scaled_seeds


def _column(path, name):
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]


def test_three_replicas_triple_the_seeds_with_unique_ids_names_and_regions(tmp_path):
    one = write_scaled_seeds(tmp_path / "x1", 1)
    three = write_scaled_seeds(tmp_path / "x3", 3)
    assert three.rows["tasks"] == 3 * one.rows["tasks"] and three.organizations == 3 * one.organizations
    for table, column in (("tasks", "task_id"), ("organizations", "org_id"), ("organizations", "name"),
                          ("regions", "region_code"), ("indicators", "indicator_id")):
        values = _column(tmp_path / "x3" / f"{table}.csv", column)
        assert not [v for v, n in Counter(values).items() if n > 1], (table, column)
    tasks = set(_column(tmp_path / "x3" / "tasks.csv", "task_id"))
    assert set(_column(tmp_path / "x3" / "task_assignments.csv", "task_id")) <= tasks   # references follow
    assert "lz-2015-054-t001-c002" in tasks and "202002" in _column(tmp_path / "x3" / "regions.csv", "region_code")


def test_a_fraction_keeps_a_share_of_the_tasks_and_only_their_references(tmp_path):
    small = write_scaled_seeds(tmp_path / "s", 0.01)
    tasks = set(_column(tmp_path / "s" / "tasks.csv", "task_id"))
    assert 0 < len(tasks) <= 20 and small.organizations > 100
    assert set(_column(tmp_path / "s" / "task_assignments.csv", "task_id")) <= tasks
    assert {d for d in _column(tmp_path / "s" / "tasks.csv", "duplicate_of") if d} <= tasks


def _report(ratio_10y, dagster_s, national_peak):
    report = Report(plan="t", machine={"cores": "2", "memory": "4 GiB", "cpu": "c", "os": "o", "python": "3.11"},
                    versions={"duckdb": "1.5.6"}, repeats=3)
    report.ingest = [{"rows": 10**6, "files": 100, "loader_s": 4.0, "read_csv_s": 1.0, "loader_rows_s": 250000.0,
                      "read_csv_rows_s": 10**6, "ratio": 0.25, "quarantined": 10**4, "loader_peak_mib": 500.0}]
    base = {"scale": "city", "days": 31, "history_rows": 1, "daily_rows": 2000, "quarantined": 20, "load_s": 1.0,
            "dbt_s": 2.0, "full_refresh_s": 3.0, "first_build_s": 3.0, "daily_peak_mib": 300.0, "refresh_peak_mib": 300.0}
    report.histories = [{**base, "history": "1 month", "daily_s": 10.0},
                        {**base, "history": "10 years", "daily_s": 10.0 * ratio_10y},
                        {**base, "scale": "national", "history": "1 month", "daily_s": 12.0, "daily_peak_mib": national_peak}]
    report.orchestration = {"scale": "city", "history": "1 month", "direct_s": 10.0, "dagster_s": dagster_s,
                            "direct_peak_mib": 300.0, "dagster_peak_mib": 350.0, "daily_rows": 2000}
    report.extraction = {"runs": 5, "seconds": 0.8, "peak_mib": 100.0, "tables": 12}
    return report


def test_targets_are_judged_from_the_measured_figures():
    verdicts = {name: (value, met) for name, value, met in _report(1.2, 25.0, 700.0).targets()}
    assert verdicts["loader ≥ 50% of DuckDB read_csv throughput at 1,000,000 rows"] == ("25%", "**missed**")
    assert verdicts["daily load on 10 years of history ≤ 1.5× the same load on 1 month"] == ("1.20×", "met")
    assert verdicts["daily run of 2,000 submitted rows end to end (Dagster) ≤ 20 s"] == ("25.0 s", "**missed**")
    assert verdicts["peak memory of a daily run at national scale < 1 GiB"] == ("700 MiB", "met")
    text = render(_report(2.0, 15.0, 2048.0))
    assert "Ratio 10 years / 1 month: **2.00×**" in text and "| 2.00× | **missed** |" in text
    assert "Overhead: **+5.0 s** (1.50×)" in text


def test_section_4_shows_the_dagster_steps_in_run_order_and_the_checks_run_apart():
    from bench.report import dagster_breakdown

    report = _report(1.2, 15.0, 700.0)
    runs = [{"seconds": 15.0, "run_seconds": 13.0 + i, "checks_seconds": 10.0 + i,
             "steps": {"published_warehouse": 0.5, "raw_submissions": 2.0 + i, "warehouse_daily_dbt_assets": 6.0},
             "checks_steps": {"policy_checks": 9.0 + i}} for i in range(3)]
    report.orchestration.update(dagster_breakdown(runs))
    text = render(report)
    section = text[text.index("## 4."):text.index("## 5.")]
    assert section.index("`raw_submissions`") < section.index("`warehouse_daily_dbt_assets`") < section.index("`published_warehouse`")
    assert "| `raw_submissions` (inbox files → raw tables) | 3.00 |" in section          # the median of 2, 3, 4
    assert "(RUN_START → RUN_SUCCESS less the steps) | 4.50 |" in section              # 14 - (3 + 6 + 0.5)
    assert "took 11.0 s (`policy_checks` (GX target and deadline suites) 10.0 s)" in section
