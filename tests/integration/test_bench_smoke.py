"""The benchmark scripts at scale 0.01 (a few hundred rows, one run each), so they cannot rot.

Asserts the report's rows and that they hold numbers — never timings (those belong in bench/results.md).
The Dagster daily run is left out here (test_daily_load runs that job); everything else runs for real.
"""
import math
import re

from bench.run import Plan, main, run


def test_the_smoke_plan_measures_every_section_and_writes_the_report(tmp_path):
    report = run(Plan.smoke(), tmp_path / "out")

    assert report.extraction["runs"] == 1 and report.extraction["tables"] >= 12
    [build] = report.reference_builds
    assert build["scale"] == "city" and 0 < build["tasks"] < 100 and build["seconds"] > 0

    assert [r["rows"] for r in report.ingest] == [100, 300]
    for row in report.ingest:
        assert row["quarantined"] == row["rows"] // 100          # the planted 1% of bad rows
        for key in ("loader_s", "read_csv_s", "loader_rows_s", "read_csv_rows_s", "ratio", "loader_peak_mib"):
            assert math.isfinite(row[key]) and row[key] > 0, key

    assert [(h["scale"], h["history"]) for h in report.histories] == [("city", "1 month"), ("city", "1 year")]
    for history in report.histories:
        assert history["history_rows"] == history["days"] * 40 > 0
        assert history["daily_rows"] > 0 and history["quarantined"] >= 0
        for key in ("daily_s", "load_s", "dbt_s", "full_refresh_s", "first_build_s", "daily_peak_mib"):
            assert math.isfinite(history[key]) and history[key] > 0, key
    assert report.incremental_ratio()[2] > 0

    names = [t[0] for t in report.targets()]
    assert any("read_csv" in n for n in names) and any("history" in n for n in names)
    assert any("extraction" in n for n in names)


def test_the_entry_point_writes_results_markdown(tmp_path, monkeypatch):
    import bench.run as bench_run

    # the measuring is covered above; here only the command line → file path
    monkeypatch.setattr(bench_run, "run", lambda plan, out, results=None: _tiny_report(plan.name))
    results = tmp_path / "results.md"
    assert main(["--smoke", "--out", str(tmp_path / "out"), "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert "smoke plan" in text and re.search(r"\| extraction \(source text → seeds\) < 2 s \| 0\.50 s \| met \|", text)


def _tiny_report(plan):
    from bench.report import Report

    report = Report(plan=plan, machine={"cores": "2", "memory": "1 GiB", "cpu": "x", "os": "y", "python": "3.11"},
                    versions={"duckdb": "1"}, repeats=1)
    report.extraction = {"runs": 1, "seconds": 0.5, "peak_mib": 100.0, "tables": 12}
    return report
