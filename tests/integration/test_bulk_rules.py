"""Rule by rule, the bulk path's SQL marks every row the pandas validator flags (submissions/rules.py).

One progress CSV holds every mistake a clerk makes (and every way a row may be doubtful: ambiguous names,
exact copies, conflicting rows, an ambiguous name that its task settles onto another row's key). For each
declared progress rule, the rows its SQL predicate marks over the bulk path's typed view must include
every row the pandas path quarantines for that rule; the rows of a doubtful rule must be among the rows
the bulk path hands to pandas; a plan rule's files never take the bulk path.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from dagster_project.submissions import bulk_csv
from dagster_project.submissions.formats import FIELDS, MAX_CELL_CHARS, PROGRESS
from dagster_project.submissions.reference import load_reference
from dagster_project.submissions.rules import DOUBTFUL, PLAN, PROGRESS_RULES
from dagster_project.submissions.validation import validate_file
from tests.integration.test_bulk_csv import GOOD, MISTAKES, TODAY, messy_rows, write_csv
from tests.unit.test_submission_validation import create_reference_tables

DAY = "2015-09-30"
EXTRA = [
    ["lz-2015-054-t001", DAY, "推进中", "=A1", "", "市人社局"],              # percent formula
    ["lz-2015-054-t001", "=TODAY()", "=B2", "nan", "", "=C3"],             # formulas that are not dates / statuses
    ["", "", "进行", "-0", "x", ""],                                       # several problems on one row
    ["lz-2015-054-t001", "2015-09-29", "推进中", "inf", "", "市局"],         # not a finite number, ambiguous name
    ["lz-2015-054-t002", "2015-09-28", "推进中", "100.0001", "", "市发改委"],  # out of range and not assigned
    ["lz-2015-054-t002", "2015-09-27", "推进中", "10", "", "市局"],          # ambiguous, settled by the task …
    ["lz-2015-054-t002", "2015-09-27", "推进中", "20", "", "人力社保局"],     # … onto this row's key: conflicting
    ["lz-2015-059-t001", "2015-09-26", "已完成", "100", "", "市统计局"],
    ["lz-2015-059-t001", "2015-09-26", "已完成", "100", "", "市统计局"],       # exact copy
    ["lz-2015-059-t002", "2015-09-25", "已完成", "90", "", "市民政局"],
    ["lz-2015-059-t002", "2015-09-25", "已完成", "91", "", "市民政局"],       # same key, other content
]


def every_mistake() -> list[list[str]]:
    rows = messy_rows(1_050, 11)
    for mistake in MISTAKES:
        for task, org in GOOD:
            row = {"task": task, "day": DAY, "status": "推进中", "percent": "50", "note": "", "org": org}
            mistake(row)
            rows.append([row["task"], row["day"], row["status"], row["percent"], row["note"], row["org"]])
    return rows + EXTRA


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """(connection with the bulk path's work tables, pandas problems of the file) for the every-mistake file."""
    path = write_csv(Path(tmp_path_factory.mktemp("rules")) / "进展.csv", every_mistake())
    data = path.read_bytes()
    plan = bulk_csv.bulk_plan(data)
    assert plan is not None
    con = duckdb.connect()
    create_reference_tables(con)
    reference = load_reference(con)
    file = bulk_csv.BulkFile(path, plan, path.name, hashlib.sha256(data).hexdigest())
    bulk_csv.validate_bulk(con, [file], reference, TODAY)       # raises BulkMismatch if SQL and pandas disagree
    problems = validate_file(data, path.name, reference, TODAY).problems
    yield con, problems
    con.close()


def flagged(problems, rule) -> set[int]:
    return {p.row_number for p in problems if p.reason_code == rule.code and p.column_name == rule.column}


def marked(con, sql: str) -> set[int]:
    return {r[0] for r in con.execute(
        f"select row_number from ({bulk_csv.RULE_VIEW}) where coalesce(({sql}), false)").fetchall()}


@pytest.mark.parametrize("rule", [r for r in PROGRESS_RULES if r.bulk != PLAN], ids=lambda r: f"{r.code}-{r.column}")
def test_the_sql_of_each_rule_marks_every_row_pandas_flags_for_it(checked, rule):
    con, problems = checked
    rows = flagged(problems, rule)
    assert rows, f"the fixture has no row breaking {rule.code} on {rule.column}: add one"
    if rule.sql is not None:
        missed = rows - marked(con, rule.sql)
        assert not missed, f"{rule.code} on {rule.column}: SQL misses rows {sorted(missed)[:10]}"
    if rule.bulk == DOUBTFUL:
        doubtful = {r[0] for r in con.execute(f"select row_number from {bulk_csv.DOUBTFUL_TABLE}").fetchall()}
        assert rows <= doubtful, f"{rule.code}: rows not handed to pandas {sorted(rows - doubtful)[:10]}"


def test_the_rows_sql_finds_certainly_bad_are_rows_pandas_quarantines(checked):
    con, problems = checked
    sure_bad = {r[0] for r in con.execute(f"select row_number from {bulk_csv.DOUBTFUL_TABLE} where sure_bad").fetchall()}
    assert sure_bad and sure_bad <= {p.row_number for p in problems}


@pytest.mark.parametrize("rule", [r for r in PROGRESS_RULES if r.bulk == PLAN], ids=lambda r: f"{r.code}-{r.column}")
def test_a_file_that_could_break_a_plan_rule_takes_the_pandas_path(tmp_path, rule):
    rows = [["lz-2015-054-t001", DAY, "推进中", "50", "", "市人社局"] for _ in range(3)]
    rows[1] = [("长" * (MAX_CELL_CHARS + 1) if name == rule.column else cell)
               for name, cell in zip(FIELDS[PROGRESS], rows[1])]          # HEADER is in FIELDS order
    data = write_csv(tmp_path / "长.csv", rows).read_bytes()
    assert bulk_csv.bulk_plan(data) is None
    with duckdb.connect() as con:
        create_reference_tables(con)
        reference = load_reference(con)
    problems = validate_file(data, "长.csv", reference, TODAY).problems
    assert flagged(problems, rule) == {3}
