"""Reviewed overrides correct single values, need reasons, and are capped at 5% of a table."""
import pytest

from dagster_project.extraction.overrides import OverrideError, apply_overrides
from dagster_project.extraction.seed_files import SeedTable


def _tasks(count=40):
    return SeedTable("tasks", ("task_id", "deadline_date"), [{"task_id": f"t{i}", "deadline_date": ""} for i in range(count)])


def _write(folder, text):
    folder.mkdir(exist_ok=True)
    (folder / "tasks.csv").write_text(text, encoding="utf-8")


def test_an_override_sets_a_value_and_deletes_a_row(tmp_path):
    tables = [_tasks()]
    _write(tmp_path / "o", "key,column,value,reason\nt1,deadline_date,2016-06-30,期限写在下一段（第1234行）\nt2,__delete__,,重复条目\n")
    assert apply_overrides(tables, tmp_path / "o") == {"tasks": 2}
    rows = {r["task_id"]: r for r in tables[0].rows}
    assert rows["t1"]["deadline_date"] == "2016-06-30" and "t2" not in rows and len(rows) == 39


def test_an_override_without_a_reason_is_refused_with_file_and_line(tmp_path):
    _write(tmp_path / "o", "key,column,value,reason\nt1,deadline_date,2016-06-30,\n")
    with pytest.raises(OverrideError, match=r"tasks.csv, line 2, column reason"):
        apply_overrides([_tasks()], tmp_path / "o")


def test_unknown_keys_and_columns_are_refused(tmp_path):
    _write(tmp_path / "o", "key,column,value,reason\nt999,deadline_date,x,r\n")
    with pytest.raises(OverrideError, match="no tasks row has task_id = 't999'"):
        apply_overrides([_tasks()], tmp_path / "o")
    _write(tmp_path / "o", "key,column,value,reason\nt1,owner,x,r\n")
    with pytest.raises(OverrideError, match="'owner' is not a column"):
        apply_overrides([_tasks()], tmp_path / "o")


def test_more_than_five_percent_asks_for_a_parser_fix(tmp_path):
    lines = "".join(f"t{i},deadline_date,2016-01-01,r\n" for i in range(3))
    _write(tmp_path / "o", "key,column,value,reason\n" + lines)
    with pytest.raises(OverrideError, match="fix the parser instead"):
        apply_overrides([_tasks(40)], tmp_path / "o")
    assert apply_overrides([_tasks(60)], tmp_path / "o") == {"tasks": 3}
