"""Demo submissions: deterministic, readable, plausible, and every planted problem lands where it should.

One short window (2015-11-01 → 2015-12-31, ~180 files) is generated twice per module; the end-to-end
test feeds it through the real inbox and loader into a temporary DuckDB file.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.demo_data import generate_demo_submissions
from dagster_project.demo_data.check import load_demo
from dagster_project.demo_data.model import STATUS_RANK, build_world, read_seed
from dagster_project.submissions.formats import FileRejected, read_submission
from dagster_project.submissions.validation import validate_file

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT / "seeds"
START, END = date(2015, 11, 1), date(2015, 12, 31)
PLANTED = {"resent_duplicate", "missing_column", "unknown_tasks", "gbk_csv", "correction", "formula_notes_xlsx",
           "formula_notes_csv", "percent_120", "future_date", "wrong_unit"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    return generate_demo_submissions(SEEDS, out, START, END)


@pytest.fixture(scope="module")
def world():
    return build_world(SEEDS, 20151231)


@pytest.fixture(scope="module")
def validated(demo, world):
    """Each file's validation against the seed reference (today = the day it was received)."""
    return {f.name: validate_file(f.path.read_bytes(), f.name, world.reference, f.received_on) for f in demo.files}


@pytest.fixture(scope="module")
def loaded(demo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("load")
    report = load_demo(demo, tmp / "warehouse.duckdb", tmp / "inbox", SEEDS)
    return report, tmp / "warehouse.duckdb"


def test_two_runs_are_byte_identical(demo, tmp_path):
    again = generate_demo_submissions(SEEDS, tmp_path / "again", START, END)
    assert [f.name for f in again.files] == [f.name for f in demo.files]
    for first, second in zip(demo.files, again.files):
        assert first.path.read_bytes() == second.path.read_bytes(), first.name
    assert again.planted == demo.planted
    assert json.loads(again.to_json())["files"][0]["name"] == demo.files[0].name


def test_volume_formats_and_order(demo):
    assert 120 <= len(demo.files) <= 400 and demo.progress_rows >= 1000
    assert all(START <= f.received_on <= END for f in demo.files)
    assert [(f.received_on, f.name) for f in demo.files] == sorted((f.received_on, f.name) for f in demo.files)
    kinds = {(f.file_type, f.encoding) for f in demo.files}
    assert {("xlsx", None), ("csv", "utf-8-sig"), ("csv", "gbk")} <= kinds
    assert sum(f.file_type == "xlsx" for f in demo.files) > len(demo.files) / 2
    assert sorted(p.name for p in demo.out_dir.iterdir()) == sorted(f.name for f in demo.files)


def test_every_planted_problem_is_there(demo):
    assert {p.key for p in demo.planted} == PLANTED
    names = {f.name for f in demo.files}
    for problem in demo.planted:
        assert problem.file_name in names, problem
        assert demo.file(problem.file_name).planted == problem.key
        assert problem.related_file is None or problem.related_file in names
    duplicate = demo.planted_problem("resent_duplicate")
    copy, original = demo.file(duplicate.file_name), demo.file(duplicate.related_file)
    assert copy.path.read_bytes() == original.path.read_bytes() and copy.received_on >= original.received_on
    correction = demo.planted_problem("correction")
    assert demo.file(correction.file_name).received_on >= demo.file(correction.related_file).received_on
    assert demo.file(demo.planted_problem("gbk_csv").file_name).path.read_bytes().decode("gbk")


def test_files_are_readable(demo):
    broken = demo.planted_problem("missing_column").file_name
    for f in demo.files:
        data = f.path.read_bytes()
        if f.name == broken:
            with pytest.raises(FileRejected) as error:
                read_submission(data)
            assert error.value.code == "missing_columns"
            continue
        submission = read_submission(data)
        assert submission.file_type == f.file_type
        counts = {s.kind: len(s) for s in submission.sheets}
        assert counts.get("progress", 0) == f.progress_rows and counts.get("indicators", 0) == f.indicator_rows, f.name


def _lead_pairs() -> set[tuple[str, str]]:
    tasks = {t["task_id"]: t for t in read_seed(SEEDS, "tasks")}
    return {(a["task_id"], a["org_id"]) for a in read_seed(SEEDS, "task_assignments")
            if a["role"] == "lead" and a["org_id"] and a["generic"] != "true"
            and a["task_id"] in tasks and not tasks[a["task_id"]]["duplicate_of"]}


def test_only_named_leads_report_their_tasks(demo, validated):
    leads = _lead_pairs()
    rows = [r for f in demo.files for r in validated[f.name].good_rows("progress").itertuples()]
    assert len(rows) > 1000
    assert all((r.task_id, r.org_id) in leads for r in rows)
    problems = {p.reason_code for v in validated.values() for p in v.problems}
    assert not problems & {"unknown_organization", "ambiguous_organization", "organization_not_assigned"}


def test_statuses_follow_plausible_progressions(demo, validated):
    series: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for order, f in enumerate(demo.files):
        for r in validated[f.name].good_rows("progress").itertuples():
            series[(r.task_id, r.org_id)].append((r.report_date, order, r.status, r.percent_complete))
    seen = set()
    for key, reports in series.items():
        reports.sort()
        for (_, _, before, p_before), (_, _, after, p_after) in zip(reports, reports[1:]):
            assert STATUS_RANK[after] >= STATUS_RANK[before], (key, reports)     # never done → not started
            assert not (before == "done" and after != "done"), (key, reports)
            assert not (before == "blocked" and after == "in_progress"), (key, reports)
            blank = p_before != p_before or p_after != p_after                     # NaN: 完成进度 left empty
            assert blank or p_after >= p_before, (key, reports)                     # percent never falls
            seen.add((before, after))
        for _, _, status, percent in reports:
            assert (status == "done") == (percent == 100), (key, reports)
    assert {("not_started", "in_progress"), ("in_progress", "done"), ("in_progress", "in_progress")} <= seen


def test_indicator_values_head_for_their_targets(world):
    targets = {t["target_id"]: t for t in read_seed(SEEDS, "targets")}
    meets = misses = 0
    for series in (s for group in world.series.values() for s in group):
        target = targets[series.target_id]
        low, comparator = float(target["value"]), target["comparator"]
        high = float(target["value_high"] or low)
        value = series.value(series.due)
        if series.unit == "是/否" or comparator == "approx":
            continue
        hit = {">=": value >= low, ">": value > low, "<=": value <= low, "between": low <= value <= high,
               "=": value <= low if series.baseline > low else value >= low}[comparator]
        assert hit == series.meets, (series, target)
        meets, misses = meets + hit, misses + (not hit)
    assert meets > 50 and misses > 30


def test_end_to_end_planted_problems_land_in_quarantine(demo, loaded):
    report, database = loaded
    for problem in demo.planted:
        assert report.by_name[problem.file_name] == problem.expected_status, problem
    assert report.load_status["already_loaded"] == 1 and report.submit_duplicates == 1
    with duckdb.connect(str(database), read_only=True) as con:
        quarantined = defaultdict(set)
        for name, code, row in con.execute(
                "select file_name, reason_code, row_number from raw.quarantined_rows").fetchall():
            quarantined[name].add((code, row))
        expected = {p.file_name: {(c, r) for c in p.reason_codes for r in (p.rows or (None,))}
                    for p in demo.planted if p.reason_codes}
        assert dict(quarantined) == expected

        loaded_rows = con.execute("select count(*) from raw.progress_reports").fetchone()[0]
        skipped = demo.file(demo.planted_problem("resent_duplicate").file_name).progress_rows
        skipped += demo.file(demo.planted_problem("missing_column").file_name).progress_rows
        skipped += sum(len(p.rows) for p in demo.planted if p.sheet == "任务进展" and p.reason_codes)
        assert loaded_rows == demo.progress_rows - skipped
        resent = demo.file(demo.planted_problem("resent_duplicate").file_name).indicator_rows
        assert con.execute("select count(*) from raw.indicator_values").fetchone()[0] == demo.indicator_rows - resent - 1

        for key in ("formula_notes_xlsx", "formula_notes_csv"):
            problem = demo.planted_problem(key)
            notes = con.execute("select note from raw.progress_reports where file_name = ? and row_number in "
                                "(select unnest(?)) order by row_number", [problem.file_name, list(problem.rows)]).fetchall()
            assert [n for (n,) in notes] == json.loads(problem.detail["notes"])

        fix = demo.planted_problem("correction").detail
        statuses = con.execute(
            "select p.status from raw.progress_reports p join raw.submission_files f using (file_sha256) "
            "where task_id = ? and report_date = ? and org_id = ? order by f.received_at, p.loaded_at",
            [fix["task_id"], fix["report_date"], fix["org_id"]]).fetchall()
        assert [s for (s,) in statuses] == [fix["old_status"], fix["new_status"]]

        wrong_units = con.execute(
            "select count(*) from raw.indicator_values v join raw.indicators i using (indicator_id) "
            "where coalesce(v.unit, '') <> coalesce(i.unit, '')").fetchone()[0]
        assert wrong_units == 0
