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


def test_the_county_league_table_has_a_row_for_every_county_level_unit_with_tasks(built_warehouse):
    """Counties are mostly given tasks by a phrase (各县（市、区）政府), which the table counts for each of them."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute((REPO_ROOT / "dbt/analyses/04_county_league_table.sql").read_text()).fetchall()
        units = {name for (name,) in con.execute(
            "select regions.region_name from marts.dim_region as regions where not regions.is_whole_city").fetchall()}
    names = [row[0] for row in rows]
    assert sorted(names) == sorted(units) and len(units) == 11
    by_name = {row[0]: row for row in rows}
    assert by_name["固安县"][2] > 10 and by_name["固安县"][3] == 0       # tasks led, none of them by name
    assert by_name["廊坊经济技术开发区"][3] == by_name["廊坊经济技术开发区"][2] > 10


def test_no_task_joins_a_version_of_a_body_that_did_not_exist_yet(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        history = con.execute((REPO_ROOT / "dbt/analyses/10_health_commission_history.sql").read_text()).fetchall()
        stray = con.execute(
            "select count(*) from marts.bridge_task_organization as bridge"
            " inner join marts.dim_organization as organizations using (organization_key)"
            " where organizations.version_state = 'not_yet_established'").fetchone()[0]
    early = [row for row in history if row[0] == "市卫计委" and str(row[1]) == "1900-01-01"]
    assert early and early[0][3] == "named_before_establishment" and early[0][-1] > 0
    assert str(early[0][4]) < "2015-11-25"
    assert stray == 0
