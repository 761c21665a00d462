"""The dashboard follows the publications: when a new published file replaces the old one (os.replace, as every
load publishes), the next page run reads the new file and no cached result of the old one is shown.

Each test publishes a private copy of the session's dashboard warehouse with the real publish_warehouse, then
changes the working copy and publishes again over the same path while the app (AppTest) stays alive.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.publish import publish_warehouse
from dashboards import connection, data, queries
from tests.support.dashboard_fixture import open_page


@pytest.fixture()
def private(published_dashboard_warehouse, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(working copy, its publication) in tmp_path; POLICY_WH_PUBLISHED names the publication."""
    working = tmp_path / "working" / "warehouse.duckdb"
    working.parent.mkdir()
    shutil.copyfile(published_dashboard_warehouse.working, working)
    published = tmp_path / "published" / "warehouse.duckdb"
    publish_warehouse(working, published)
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(published))
    return working, published


def _overdue(published: Path) -> int:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("select count(*) from reports.rpt_overdue_tasks").fetchone()[0]


def _close_overdue_tasks(working: Path, n: int) -> None:
    """New data in the working warehouse: n overdue tasks leave the overdue list."""
    with duckdb.connect(str(working)) as con:
        con.execute("delete from reports.rpt_overdue_tasks where task_id in "
                    f"(select task_id from reports.rpt_overdue_tasks order by task_id limit {n})")


def test_the_page_shows_the_new_publications_numbers_without_a_restart(private):
    working, published = private
    app = open_page("overview")
    before = _overdue(published)
    assert before > 3
    assert {m.label: m.value for m in app.metric}["逾期任务"] == f"{before:,}"
    first_inode = os.stat(published).st_ino

    _close_overdue_tasks(working, 3)
    publish_warehouse(working, published)
    assert os.stat(published).st_ino != first_inode          # a new file, renamed over the old one
    reopened = connection.reader(published).reopened

    app.run()                                                 # the same session, as a browser's next rerun
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["逾期任务"] == f"{before - 3:,}" == f"{_overdue(published):,}"
    assert connection.reader(published).reopened == reopened + 1
    # the overview's list of the longest overdue tasks is the new publication's too
    assert len(app.dataframe[0].value) == min(15, before - 3)


def test_a_new_publication_drops_every_cached_result(private):
    working, published = private
    snapshot = connection.current(published)
    cached = data.load(queries.task_counts)
    assert cached["overdue"] == _overdue(published)
    dropped: list[str] = []
    stop = connection.on_new_publication(lambda new: dropped.append(new.key))
    try:
        _close_overdue_tasks(working, 1)
        publish_warehouse(working, published)
        fresh = data.load(queries.task_counts)
    finally:
        stop()
    assert fresh["overdue"] == cached["overdue"] - 1
    assert dropped and dropped[0] != snapshot.key
    # the old publication's entry is gone, not merely unused: asked under the old key, the cache computes
    # again (on the snapshot it is handed, the new one) instead of answering the old number
    name = f"{queries.task_counts.__module__}.{queries.task_counts.__qualname__}"
    again = data._cached(snapshot.key, name, (), (), _query=queries.task_counts, _snapshot=connection.current(published))
    assert again["overdue"] == fresh["overdue"]
    # a page run that still holds the old snapshot finishes on the old file
    with snapshot.cursor() as con:
        assert con.execute("select count(*) from reports.rpt_overdue_tasks").fetchone()[0] == cached["overdue"]


def test_a_published_file_without_a_publication_record_still_opens(published_dashboard_warehouse, tmp_path):
    """A copy made by hand (cp of a working file) has no meta schema: it opens, its publication is unknown."""
    copy = tmp_path / "hand-made.duckdb"
    shutil.copyfile(published_dashboard_warehouse.working, copy)
    snapshot = connection.current(copy)
    assert snapshot.published_at is None
    with snapshot.cursor() as con:
        assert queries.publication(con) is None
        assert queries.as_of_day(con) == published_dashboard_warehouse.last


def test_a_missing_published_file_says_what_to_run(tmp_path):
    with pytest.raises(connection.PublishedFileMissing) as raised:
        connection.current(tmp_path / "nowhere.duckdb")
    assert "make demo" in str(raised.value) and "policy-wh publish" in str(raised.value)
