"""The bulk path (a large progress CSV checked inside DuckDB) loads exactly what the row-by-row path loads.

Every kind of mistake a clerk makes is mixed into one file; the file is loaded once through the bulk
path and once through the pandas path into two warehouses, and every raw table must come out the same
— accepted rows, quarantined rows with their Chinese messages, the file's status and counts.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from dagster_project.submissions import bulk_csv
from dagster_project.submissions import loader as loader_module
from dagster_project.submissions.loader import load_files
from tests.unit.test_submission_validation import create_raw_tables, create_reference_tables

TODAY = date(2015, 12, 1)
DAY = date(2015, 12, 2)
HEADER = ["任务编号", "填报日期", "状态", "完成进度", "进展说明", "填报单位"]

# distinct (task, organisation) keys once resolved: ids in any case or width, names, short names, aliases
GOOD = [("lz-2015-054-t001", "市人社局"), ("lz-2015-054-t001", "市民政局"), ("lz-2015-054-t002", "人力社保局"),
        ("lz-2015-059-t001", "市统计局"), ("lz-2015-059-t002", "廊坊市人民政府法制办公室"),
        ("LZ-2015-059-T001", "市人社局"), ("ｌｚ-2015-059-t002", "市民政局")]
MISTAKES = [
    lambda r: r.update(task="lz-2015-999-t001"),                     # unknown task
    lambda r: r.update(task=""),                                     # missing task
    lambda r: r.update(day="2015-13-45"),                            # invalid date
    lambda r: r.update(day="2016-03-01"),                            # future date
    lambda r: r.update(day="=TODAY()"),                              # formula date
    lambda r: r.update(status="进行"),                                # unknown status
    lambda r: r.update(status=""),                                   # missing status
    lambda r: r.update(percent="=A1*2"),                             # formula
    lambda r: r.update(percent="八十"),                               # not a number
    lambda r: r.update(percent="120"),                               # out of range
    lambda r: r.update(percent="-5%"),                               # out of range, with %
    lambda r: r.update(org="市外办"),                                 # unknown organisation
    lambda r: r.update(org="市局", task="lz-2015-054-t001"),          # ambiguous even with the task
    lambda r: r.update(org="市局", task="lz-2015-054-t002"),          # ambiguous, settled by the task: accepted
    lambda r: r.update(org="市发改委", task="lz-2015-054-t002"),       # not assigned
    lambda r: r.update(org=""),                                      # missing organisation
]
VARIANTS = ["85", "85%", "１２", "1,000", "0.5", "", "100", ".5", "7.", "+3"]
STATUSES = ["推进中", "已完成", "not_started", "In Progress", "未启动", "受阻", "已延期"]
DAYS = [lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: f"{d:%Y%m%d}",
        lambda d: f"{d:%Y.%m.%d}", lambda d: f"{d.isoformat()} 00:00:00", lambda d: f"{d.isoformat()}T08:30"]


def messy_rows(count: int, seed: int) -> list[list[str]]:
    """``count`` rows (≤ 150 days × 7 keys): mostly good, some with a mistake, some duplicates, conflicts, blanks."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(count):
        task, org = GOOD[i % len(GOOD)]
        when = date(2015, 7, 1) + timedelta(days=i // len(GOOD) % 150)
        day = rng.choice(DAYS)(when) if i % 7 == 0 else when.isoformat()
        row = {"task": task, "day": day, "status": rng.choice(STATUSES), "percent": rng.choice(VARIANTS),
               "note": rng.choice(["", "按计划推进", '含逗号,和"引号"的说明', "第%d行" % i]), "org": org}
        if rng.random() < 0.08:
            rng.choice(MISTAKES)(row)
        rows.append([row["task"], row["day"], row["status"], row["percent"], row["note"], row["org"]])
        roll = rng.random()
        if roll < 0.01:
            rows.append(list(rows[-1]))                                   # an exact copy
        elif roll < 0.02:
            rows.append(rows[-1][:3] + ["42", "改了数", rows[-1][5]])       # same key, other content
        elif roll < 0.025:
            rows.append([task, "", "", "", "", org])                       # template row not filled in
        elif roll < 0.03:
            rows.append(["", "", "", "", "", ""])                          # a row of empty cells
    return rows


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = True, delimiter: str = ",") -> Path:
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


def new_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        create_reference_tables(con)
        create_raw_tables(con)
    return path


def raw_contents(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            "submission_files": con.execute(
                "select file_sha256, original_name, status, error, rows_total, rows_accepted, rows_quarantined, "
                "reported_by from raw.submission_files order by all").fetchall(),
            "progress_reports": con.execute(
                "select * exclude (loaded_at) from raw.progress_reports order by file_sha256, row_number").fetchall(),
            "quarantined_rows": con.execute(
                "select * exclude (loaded_at) from raw.quarantined_rows order by all").fetchall(),
            "reason_codes": con.execute(
                "select reason_code, count(*) from raw.quarantined_rows group by all order by all").fetchall(),
        }


def load_both_ways(tmp_path: Path, files: list[Path], monkeypatch) -> tuple[dict, dict, list]:
    """Load ``files`` through the bulk path and through the pandas path; return both raw contents."""
    calls: list[int] = []
    real = bulk_csv.validate_bulk

    def counting(con, group, *args, **kwargs):
        outcome = real(con, group, *args, **kwargs)
        calls.append(len(group))
        return outcome

    monkeypatch.setattr(bulk_csv, "validate_bulk", counting)
    bulk_db = new_warehouse(tmp_path / "bulk.duckdb")
    with duckdb.connect(str(bulk_db)) as con:
        bulk_result = load_files(con, files, DAY, TODAY, bulk_min_bytes=0)
    pandas_db = new_warehouse(tmp_path / "pandas.duckdb")
    with duckdb.connect(str(pandas_db)) as con:
        pandas_result = load_files(con, files, DAY, TODAY, bulk_min_bytes=None)
    assert bulk_result.summary() == pandas_result.summary()
    assert [(f.status, f.rows_total, f.rows_accepted, f.rows_quarantined) for f in bulk_result.files] == \
           [(f.status, f.rows_total, f.rows_accepted, f.rows_quarantined) for f in pandas_result.files]
    return raw_contents(bulk_db), raw_contents(pandas_db), calls


@pytest.mark.parametrize("seed", [1, 2])
def test_the_bulk_path_loads_exactly_what_the_row_by_row_path_loads(tmp_path, monkeypatch, seed):
    files = [write_csv(tmp_path / f"进展-{seed}-{i}.csv", messy_rows(1_000, seed * 10 + i)) for i in range(3)]
    bulk, pandas_path, calls = load_both_ways(tmp_path, files, monkeypatch)
    assert calls == [3], "all three files must have been checked by the bulk path, together"
    assert bulk == pandas_path
    reasons = dict(bulk["reason_codes"])
    assert {"unknown_task", "missing_value", "invalid_date", "future_date", "formula_not_allowed", "invalid_status",
            "invalid_percent", "percent_out_of_range", "unknown_organization", "ambiguous_organization",
            "organization_not_assigned", "duplicate_row", "conflicting_rows"} <= set(reasons)
    assert len(bulk["progress_reports"]) > 2_000, reasons


def test_a_tab_separated_file_without_bom_and_a_file_without_optional_columns(tmp_path, monkeypatch):
    tsv = write_csv(tmp_path / "tabs.csv", messy_rows(800, 7), bom=False, delimiter="\t")
    narrow = tmp_path / "narrow.csv"
    narrow.write_text("填报单位,任务编号,状态,填报日期\n" + "".join(
        f"{org},{task},推进中,2015-11-{1 + i % 28:02d}\n" for i, (task, org) in enumerate(GOOD * 50)), encoding="utf-8")
    bulk, pandas_path, calls = load_both_ways(tmp_path, [tsv, narrow], monkeypatch)
    assert calls == [2]
    assert bulk == pandas_path


def test_a_file_duckdb_cannot_read_as_planned_falls_back_to_the_row_by_row_path(tmp_path, monkeypatch):
    rows = messy_rows(300, 3)
    ragged = write_csv(tmp_path / "ragged.csv", rows)
    ragged.write_bytes(ragged.read_bytes() + "lz-2015-054-t001,2015-10-01,推进中,5,多一列,市人社局,多余\r\n".encode())
    good = write_csv(tmp_path / "good.csv", messy_rows(300, 4))
    bulk, pandas_path, calls = load_both_ways(tmp_path, [ragged, good], monkeypatch)
    assert calls == [1], "the pair fails together, then good.csv alone passes the bulk path and ragged.csv does not"
    assert bulk == pandas_path


@pytest.mark.parametrize("content, why", [
    ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\nlz-2015-054-t001, 2015-09-30,推进中,5,,市人社局\n", "a padded cell"),
    ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n\nlz-2015-054-t001,2015-09-30,推进中,5,,市人社局\n", "a blank line"),
    ("进展报送\n任务编号,填报日期,状态,完成进度,进展说明,填报单位\nlz-2015-054-t001,2015-09-30,推进中,5,,市人社局\n",
     "a title line above the header"),
    ("指标编号,地区,统计期,数值,单位,填报单位\nind-001,全市,2015Q3,1.5,万人,市统计局\n", "an indicator sheet"),
    ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\nlz-2015-054-t001,2015-09-30,推进中,5,全角\u3000空格,市人社局\n",
     "a full-width space"),
])
def test_files_the_bulk_reader_would_read_differently_take_the_row_by_row_path(content, why):
    assert bulk_csv.bulk_plan(content.encode("utf-8"), min_bytes=0) is None, why
    assert bulk_csv.bulk_plan(content.encode("gb18030"), min_bytes=0) is None, why


def test_gbk_files_stay_on_the_row_by_row_path():
    content = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\nlz-2015-054-t001,2015-09-30,推进中,5,说明,市人社局\n"
    assert bulk_csv.bulk_plan(content.encode("utf-8")) is not None
    assert bulk_csv.bulk_plan(content.encode("utf-8-sig")) is not None
    assert bulk_csv.bulk_plan(content.encode("gb18030")) is None


def test_a_few_small_files_go_row_by_row_and_many_small_files_go_together(tmp_path, monkeypatch):
    files = [write_csv(tmp_path / f"small-{i}.csv", messy_rows(5, 20 + i)) for i in range(bulk_csv.BULK_MIN_FILES + 5)]
    calls: list[int] = []
    real = bulk_csv.validate_bulk
    monkeypatch.setattr(bulk_csv, "validate_bulk", lambda con, group, *a, **k: calls.append(len(group)) or real(con, group, *a, **k))
    for name, chosen in (("few", files[:3]), ("many", files)):
        with duckdb.connect(str(new_warehouse(tmp_path / f"{name}.duckdb"))) as con:
            result = load_files(con, chosen, DAY, TODAY)
        assert len(result.applied) == len(chosen)
    assert calls == [len(files)]


def test_a_failure_inside_the_write_rolls_back_the_bulk_rows_and_a_rerun_applies_them_once(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "big.csv", messy_rows(1_000, 5))
    warehouse = new_warehouse(tmp_path / "w.duckdb")
    real = loader_module._insert_frame

    def failing(con, table, *args, **kwargs):
        real(con, table, *args, **kwargs)
        if table == "quarantined_rows":              # bulk rows and quarantine written, submission row not yet
            raise RuntimeError("injected failure")

    with duckdb.connect(str(warehouse)) as con:
        monkeypatch.setattr(loader_module, "_insert_frame", failing)
        with pytest.raises(RuntimeError, match="injected"):
            load_files(con, [path], DAY, TODAY, bulk_min_bytes=0)
        assert con.execute("select count(*) from raw.progress_reports").fetchone()[0] == 0
        monkeypatch.setattr(loader_module, "_insert_frame", real)
        first = load_files(con, [path], DAY, TODAY, bulk_min_bytes=0)
        again = load_files(con, [path], DAY, TODAY, bulk_min_bytes=0)
        loaded = con.execute("select count(*) from raw.progress_reports").fetchone()[0]
    assert first.files[0].rows_accepted == loaded > 700
    assert again.files[0].status == "already_loaded"
