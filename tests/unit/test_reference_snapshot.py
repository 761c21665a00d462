"""Where `policy-wh submit` and `policy-wh template` read the reference data: the published copy, else the seed
CSVs — never the working warehouse, whose read-only open makes a load that starts meanwhile fail
(``IO Error: Could not set lock on file … Conflicting lock is held``)."""
from __future__ import annotations

import openpyxl
import duckdb
import pytest

from dagster_project import cli
from dagster_project.settings import load_settings
from tests.unit.test_submission_validation import create_raw_tables
from tests.unit.test_submit_feedback import HeldOpen
from tests.unit.test_submit_feedback import places as feedback_places  # noqa: F401 - a fixture


@pytest.fixture()
def places(feedback_places):
    """test_submit_feedback's working and published warehouses, with the raw tables a load creates too."""
    for name in ("working", "published"):
        with duckdb.connect(str(feedback_places[name])) as con:
            create_raw_tables(con)
    return feedback_places


def test_the_template_command_reads_the_published_copy_while_a_load_holds_the_working_file(places, capsys):
    out = places["tmp"] / "t.xlsx"
    with HeldOpen(places["working"]):                         # a load is writing the working warehouse
        assert cli.main(["template", "--org", "人社局", "--out", str(out)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "template for 廊坊市人力资源和社会保障局 (org-rsj)" in printed and "2 tasks" in printed
    assert f"read from 发布副本 the published copy {places['published']}" in printed
    sheet = openpyxl.load_workbook(out)["任务进展"]
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ["lz-2015-054-t001", "lz-2015-054-t002"]


def test_without_a_published_copy_the_template_comes_from_the_seed_csvs(places, capsys):
    places["published"].unlink()
    out = places["tmp"] / "f.xlsx"
    with HeldOpen(places["working"]):
        assert cli.main(["template", "--org", "市财政局", "--out", str(out)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "read from 种子文件 the seed CSVs" in printed and "(lf-finance)" in printed
    sheet = openpyxl.load_workbook(out)["任务进展"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) > 10 and all(r[3] in (None, "") for r in rows)      # 上次状态: nothing published yet
    assert all(str(r[2] or "")[:2] in ("", "20") for r in rows)          # 期限 as text dates


def test_without_any_reference_data_the_template_says_what_to_run(places, monkeypatch, capsys):
    places["published"].unlink()
    empty_root = places["tmp"] / "empty-checkout"
    empty_root.mkdir()
    monkeypatch.setenv("POLICY_WH_ROOT", str(empty_root))
    assert cli.main(["template", "--org", "人社局", "--out", str(places["tmp"] / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "policy-wh publish" in err and "no published copy" in err and "no seed CSVs" in err


def test_the_snapshot_never_opens_the_working_file(places, monkeypatch):
    from dagster_project.submissions.reference import open_reference_snapshot

    opened: list[str] = []
    real_connect = duckdb.connect

    def recording_connect(database=":memory:", *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", recording_connect)
    with open_reference_snapshot(load_settings()) as (con, source):
        assert source.kind == "published" and con.execute("select count(*) from raw.tasks").fetchone()[0] > 0
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(places["working"]))      # misconfigured: skipped
    with open_reference_snapshot(load_settings()) as (con, source):
        assert source.kind == "seeds"
    assert str(places["working"]) not in opened and str(places["published"]) in opened

