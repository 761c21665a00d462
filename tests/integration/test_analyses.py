"""Every example query in dbt/analyses runs against a built warehouse, read-only, in plain SQL."""
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT

ANALYSES = sorted((REPO_ROOT / "dbt" / "analyses").glob("*.sql"))


def test_there_are_eight_to_ten_documented_questions():
    assert 8 <= len(ANALYSES) <= 10
    for path in ANALYSES:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        # the question, in Chinese and in English, heads each file
        assert first_line.startswith("-- "), path.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in first_line) and any(ch.isascii() and ch.isalpha() for ch in first_line), path.name


@pytest.mark.parametrize("path", ANALYSES, ids=[p.stem for p in ANALYSES])
def test_analysis_runs_read_only(built_warehouse, path: Path):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        result = con.execute(path.read_text(encoding="utf-8"))
        columns = [d[0] for d in result.description]
        result.fetchall()
    assert columns and len(set(columns)) == len(columns)


def test_workload_and_history_answer_with_rows_before_any_submission(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        workload = con.execute((REPO_ROOT / "dbt/analyses/08_department_workload.sql").read_text()).fetchall()
        history = con.execute((REPO_ROOT / "dbt/analyses/10_health_commission_history.sql").read_text()).fetchall()
    assert workload[0][0] == "市发改委" and workload[0][2] > 50
    versions = {(row[0], str(row[1])) for row in history}
    assert ("市卫计委", "1900-01-01") in versions and ("市卫计委", "2015-11-25") in versions
