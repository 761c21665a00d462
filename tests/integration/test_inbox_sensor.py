"""The inbox sensor knows what is loaded, does bounded work per tick and never asks for more days than it must.

Every test points all the paths (POLICY_WH_DB, POLICY_WH_PUBLISHED, POLICY_WH_INBOX, POLICY_WH_DATA,
DAGSTER_HOME) into its tmp_path. The published warehouse here is a small DuckDB file holding just
``raw.submission_files`` — the one table the sensor reads. No test measures time.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.orchestration import sensors
from dagster_project.orchestration.sensors import partition_range_for, touched_days
from dagster_project.warehouse import FIRST_DAY, local_today

HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
from dagster_project.orchestration.window import RANGE_END_TAG as RANGE_END, RANGE_START_TAG as RANGE_START


@pytest.fixture()
def paths(tmp_path, monkeypatch) -> dict[str, Path]:
    data = tmp_path / "data"
    values = {
        "POLICY_WH_DATA": data,
        "POLICY_WH_DB": data / "warehouse.duckdb",
        "POLICY_WH_PUBLISHED": data / "published" / "warehouse.duckdb",
        "POLICY_WH_INBOX": data / "inbox",
        "DAGSTER_HOME": tmp_path / "dagster_home",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    values["POLICY_WH_INBOX"].mkdir(parents=True)
    values["DAGSTER_HOME"].mkdir()
    return values


def _progress_csv(number: int, *days: str) -> bytes:
    rows = "".join(f"lz-2015-001-t001,{day},推进中,{number % 100},note {number},市财政局\n" for day in days)
    return (HEADER + rows).encode("utf-8")


def _store(inbox: Path, data: bytes, ext: str = "csv") -> Path:
    """What inbox.submit leaves behind: <sha256>.<ext> and its sidecar."""
    sha = hashlib.sha256(data).hexdigest()
    (inbox / f"{sha}.json").write_text(json.dumps({"original_name": f"{sha[:8]}.{ext}", "file_sha256": sha}))
    path = inbox / f"{sha}.{ext}"
    path.write_bytes(data)
    return path


def _day(number: int) -> str:
    return (date(2016, 1, 1) + timedelta(days=number % 300)).isoformat()


def _fill_inbox(inbox: Path, count: int) -> list[Path]:
    return [_store(inbox, _progress_csv(n, _day(n))) for n in range(count)]


def _publish(published: Path, files: list[Path], rejected: set[Path] = frozenset()) -> None:
    """A published copy whose raw.submission_files records these files (some as rejected)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(published)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.submission_files (file_sha256 varchar, original_name varchar, status varchar)")
        con.execute("insert into raw.submission_files select unnest(?), unnest(?), unnest(?)",
                    [[p.name.split(".")[0] for p in files], [p.name for p in files],
                     ["rejected" if p in rejected else "accepted" for p in files]])


def _tick(cursor: str | None = None):
    from dagster_project.definitions import defs

    sensor = defs.resolve_sensor_def("inbox_sensor")
    with dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=cursor) as context:
        return sensor.evaluate_tick(context)


@pytest.fixture()
def parsed(monkeypatch) -> list[Path]:
    """Every file the sensor parses (to read its dates), in order."""
    seen: list[Path] = []
    original = sensors.file_days if hasattr(sensors, "file_days") else None
    original_touched = sensors.touched_days

    def spy_days(path):
        seen.append(Path(path))
        return original(path)

    def spy_touched(path):
        seen.append(Path(path))
        return original_touched(path)

    if original is not None:
        monkeypatch.setattr(sensors, "file_days", spy_days)
    monkeypatch.setattr(sensors, "touched_days", spy_touched)
    return seen


def test_after_the_demo_the_first_tick_requests_nothing_and_parses_nothing(paths, parsed, monkeypatch):
    # make demo: every inbox file loaded outside the sensor (one rejected), and published
    monkeypatch.setattr(sensors, "ARRIVAL_MARGIN_SECONDS", 0.0, raising=False)
    files = _fill_inbox(paths["POLICY_WH_INBOX"], 10_000)
    bad = _store(paths["POLICY_WH_INBOX"], b"\x00\x01 not a spreadsheet", "bin")
    _publish(paths["POLICY_WH_PUBLISHED"], files + [bad], rejected={bad})

    first = _tick()
    assert first.run_requests == []
    assert "10001 file(s)" in first.skip_message and "already loaded" in first.skip_message
    assert parsed == []
    cursor = json.loads(first.cursor)
    newest = max(files + [bad], key=lambda p: (p.stat().st_ctime_ns, p.name))
    assert cursor == {"after": [newest.stat().st_ctime_ns, newest.name], "requested": []}

    # the next tick looks at nothing: no file after the watermark, the published copy is not even opened
    loaded_files = sensors.loaded_files
    monkeypatch.setattr(sensors, "loaded_files", lambda published: pytest.fail("opened the published copy"))
    second = _tick(first.cursor)
    assert second.run_requests == [] and "no new file" in second.skip_message
    assert parsed == []
    monkeypatch.setattr(sensors, "loaded_files", loaded_files)

    # a new file is requested alone, over its own day
    _store(paths["POLICY_WH_INBOX"], _progress_csv(10_001, "2016-02-29"))
    third = _tick(second.cursor)
    [request] = third.run_requests
    assert request.tags[RANGE_START] == request.tags[RANGE_END] == "2016-02-29"
    assert request.tags["policy_wh/new_files"] == "1"


@pytest.mark.parametrize("margin", [0.0, None], ids=["no-margin", "default-margin"])
def test_many_new_files_are_parsed_a_bounded_batch_per_tick_until_none_is_left(paths, parsed, monkeypatch, margin):
    if margin is not None:
        monkeypatch.setattr(sensors, "ARRIVAL_MARGIN_SECONDS", margin)
    files = _fill_inbox(paths["POLICY_WH_INBOX"], 10_000)
    new = {p for n, p in enumerate(files) if n % 10 == 3}       # 1,000 new files among 9,000 loaded ones
    _publish(paths["POLICY_WH_PUBLISHED"], [p for p in files if p not in new])
    in_order = sorted(files, key=lambda p: (p.stat().st_ctime_ns, p.name))
    number = {p: n for n, p in enumerate(files)}
    batch = sensors.MAX_FILES_PER_TICK

    requests, cursor, ticks = [], None, 0
    while True:
        ticks += 1
        assert ticks <= len(new) // batch + 2, "the sensor does not converge"
        result = _tick(cursor)
        cursor = result.cursor
        if not result.run_requests:
            break
        [request] = result.run_requests
        requests.append(request)
        parsed_now = parsed[-int(request.tags["policy_wh/new_files"]):]
        # the batch is the next new files in arrival order, and the run covers exactly their days
        expected = [p for p in in_order if p in new][batch * (len(requests) - 1): batch * len(requests)]
        assert parsed_now == expected
        days = sorted(_day(number[p]) for p in expected)
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (days[0], days[-1])
    assert len(requests) == len(new) // batch
    assert sorted(parsed) == sorted(new) and len(parsed) == len(set(parsed)), "a file parsed twice or never"
    assert len({r.run_key for r in requests}) == len(requests)
    if margin == 0.0:
        newest = in_order[-1]
        assert json.loads(cursor) == {"after": [newest.stat().st_ctime_ns, newest.name], "requested": []}
    # nothing more, ever
    again = _tick(cursor)
    assert again.run_requests == []


def test_without_a_published_copy_the_cursor_alone_decides(paths, parsed):
    files = _fill_inbox(paths["POLICY_WH_INBOX"], 5)
    first = _tick()
    [request] = first.run_requests
    assert request.tags["policy_wh/new_files"] == "5"
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (_day(0), _day(4))
    assert sorted(parsed) == sorted(files)
    # the files are still fresh (inside the arrival margin): the cursor names them, so they are not requested again
    assert _tick(first.cursor).run_requests == []
    assert len(parsed) == 5


def test_files_requested_but_not_yet_published_are_not_requested_again(paths, parsed, monkeypatch):
    monkeypatch.setattr(sensors, "ARRIVAL_MARGIN_SECONDS", 0.0, raising=False)
    loaded = _fill_inbox(paths["POLICY_WH_INBOX"], 3)
    _publish(paths["POLICY_WH_PUBLISHED"], loaded)
    fresh = _store(paths["POLICY_WH_INBOX"], _progress_csv(99, "2016-03-01"))
    first = _tick()
    [request] = first.run_requests
    assert request.tags["policy_wh/new_files"] == "1" and parsed == [fresh]
    # the run has not published yet: the published copy still lacks the file, the cursor knows it
    second = _tick(first.cursor)
    assert second.run_requests == [] and parsed == [fresh]


def test_an_unreadable_published_copy_holds_the_sensor_back_instead_of_reloading_everything(paths, parsed):
    _fill_inbox(paths["POLICY_WH_INBOX"], 20)
    paths["POLICY_WH_PUBLISHED"].parent.mkdir(parents=True)
    paths["POLICY_WH_PUBLISHED"].write_bytes(b"this is not a DuckDB file" * 100)
    result = _tick()
    assert result.run_requests == []
    assert "cannot read the published warehouse" in result.skip_message
    assert result.cursor is None and parsed == []


def test_a_quarantined_future_date_does_not_stretch_the_run_to_yesterday(paths, monkeypatch):
    # the bug after `make demo`: one bad row dated in the future made the run end "yesterday" (~4,000 partitions)
    monkeypatch.setattr(sensors, "ARRIVAL_MARGIN_SECONDS", 0.0, raising=False)
    _store(paths["POLICY_WH_INBOX"], _progress_csv(1, "2016-01-05", "2016-01-07", "2099-01-01"))
    _store(paths["POLICY_WH_INBOX"], _progress_csv(2, "2014-12-31", "2016-01-06"))     # a date before FIRST_DAY
    _store(paths["POLICY_WH_INBOX"], b"\x00 unreadable", "bin")                         # no dates at all
    [request] = _tick().run_requests
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2016-01-05", "2016-01-07")
    assert request.tags["policy_wh/new_files"] == "3"


def test_a_tick_with_only_undated_files_loads_them_with_yesterday(paths):
    _store(paths["POLICY_WH_INBOX"], b"\x00 unreadable", "bin")
    [request] = _tick().run_requests
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    assert request.tags[RANGE_START] == request.tags[RANGE_END] == yesterday


# --- partition_range_for: the days the files touch, among the partitions that exist -------------------------

TODAY = date(2016, 6, 15)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([(date(2015, 12, 30), date(2016, 1, 6))], ("2015-12-30", "2016-01-06")),
        ([{date(2016, 1, 4)}, {date(2016, 2, 1), date(2016, 1, 20)}], ("2016-01-04", "2016-02-01")),
        # a future date (the loader quarantines it) or a period running past today does not stretch the range
        ([{date(2016, 1, 4), date(2099, 1, 1)}], ("2016-01-04", "2016-01-04")),
        ([(date(2016, 1, 4), date(2016, 12, 31))], ("2016-01-04", "2016-01-04")),
        # nor does a baseline before the first partition, or today (its partition does not exist yet)
        ([{date(2014, 12, 31), date(2016, 3, 1)}], ("2016-03-01", "2016-03-01")),
        ([{date(2016, 3, 1), TODAY}], ("2016-03-01", "2016-03-01")),
        # a file without readable dates goes with the others' range …
        ([None, {date(2016, 5, 1)}, frozenset()], ("2016-05-01", "2016-05-01")),
        # … and alone (or with only days that are no partition) it is loaded with yesterday's partition
        ([None], ("2016-06-14", "2016-06-14")),
        ([{TODAY}], ("2016-06-14", "2016-06-14")),
        ([{date(2015, 1, 1)}], ("2016-06-14", "2016-06-14")),
        ([], ("2016-06-14", "2016-06-14")),
        # the edges themselves are partitions
        ([{date.fromisoformat(FIRST_DAY), TODAY - timedelta(days=1)}], (FIRST_DAY, "2016-06-14")),
    ],
)
def test_partition_range_for_spans_only_touched_partitions(days, expected):
    assert partition_range_for(days, TODAY) == expected


def test_touched_days_reads_report_dates_periods_and_quarters(tmp_path):
    progress = tmp_path / "p.csv"
    progress.write_bytes(_progress_csv(1, "2016-01-05", "2015-12-30"))
    indicators = tmp_path / "i.csv"
    indicators.write_text("指标编号,地区,统计期,数值,单位,填报单位\nind-1,全市,2016Q1,3,%,市统计局\nind-1,全市,2015-11,2,%,市统计局\n",
                          encoding="utf-8")
    air = tmp_path / "a.csv"
    air.write_text("监测站,季度,综合指数,填报单位\n市监测站,2016Q2,5.1,市环保局\n", encoding="utf-8")
    broken = tmp_path / "b.bin"
    broken.write_bytes(b"\x00\x01")
    assert touched_days(progress) == (date(2015, 12, 30), date(2016, 1, 5))
    assert touched_days(indicators) == (date(2015, 11, 30), date(2016, 3, 31))
    assert touched_days(air) == (date(2016, 6, 30), date(2016, 6, 30))
    assert touched_days(broken) is None


# --- the cursor: arrival order, the margin behind the clock, ties ------------------------------------------

S = 1_000_000_000       # one second in ns


def _entry(letter: str, arrived_s: float):
    return sensors.InboxEntry(Path(f"/inbox/{letter * 64}.csv"), int(arrived_s * S))


def _plan(entries, cursor, now_s, loaded=frozenset(), **kw):
    return sensors.plan_tick(entries, cursor, lambda: loaded, now_ns=int(now_s * S),
                             days_of=lambda path: frozenset(), **kw)


def test_a_file_that_lands_while_a_tick_lists_the_inbox_is_still_seen_by_the_next_tick():
    a, b = _entry("a", 100), _entry("b", 105)
    first = _plan([a, b], sensors.InboxCursor(), now_s=106)
    assert [e for e, _ in first.to_load] == [a, b]
    # the watermark stays ARRIVAL_MARGIN_SECONDS behind the clock; the two files requested after it are named
    assert first.cursor.after == (int((106 - sensors.ARRIVAL_MARGIN_SECONDS) * S), "")
    assert first.cursor.requested == {a.name, b.name}
    # c was renamed into the inbox before b but listed after it (it arrived during the first tick's listing)
    c = _entry("c", 101)
    second = _plan([a, c, b], first.cursor, now_s=107)
    assert [e for e, _ in second.to_load] == [c]
    # later, with nothing new, the watermark passes all three and the cursor forgets their names
    third = _plan([a, c, b], second.cursor, now_s=500)
    assert third.to_load == [] and third.cursor == sensors.InboxCursor(b.key, frozenset())
    assert sensors.InboxCursor.decode(third.cursor.encode()) == third.cursor


def test_files_arriving_in_the_same_nanosecond_are_taken_one_after_the_other():
    x, y, z = _entry("x", 100), _entry("y", 100), _entry("z", 100)
    cursor, taken = sensors.InboxCursor(), []
    for _ in range(3):
        plan = _plan([x, y, z], cursor, now_s=1000, max_files=1)
        taken += [e for e, _ in plan.to_load]
        cursor = plan.cursor
    assert taken == [x, y, z] and cursor.after == z.key
    assert _plan([x, y, z], cursor, now_s=1000, max_files=1).to_load == []


def test_loaded_files_are_passed_without_being_read_and_the_bound_counts_only_new_ones():
    entries = [_entry(letter, 100 + n) for n, letter in enumerate("abcdef")]
    loaded = {entries[0].sha256, entries[2].sha256, entries[3].sha256}
    read = []
    plan = sensors.plan_tick(entries, sensors.InboxCursor(), lambda: loaded, now_ns=1000 * S, max_files=2,
                             days_of=lambda path: read.append(path.name) or frozenset())
    assert read == [entries[1].name, entries[4].name]
    assert plan.already_loaded == 3 and plan.waiting == 1 and plan.cursor.after == entries[4].key


def test_the_cursor_of_the_old_sensor_is_read_as_a_watermark():
    assert sensors.InboxCursor.decode("1796173406291554046") == sensors.InboxCursor((1796173406291554046, ""))
    assert sensors.InboxCursor.decode(None) == sensors.InboxCursor.decode("") == sensors.InboxCursor()


# --- the data days are computed once, at submit time ---------------------------------------------------------

def test_submit_records_data_days_and_the_sensor_reads_them_without_parsing(paths, monkeypatch):
    from dagster_project.submissions import data_days, inbox

    source = paths["POLICY_WH_DATA"] / "进展.csv"
    source.write_bytes(_progress_csv(7, "2016-01-05", "2015-12-30"))
    unreadable = paths["POLICY_WH_DATA"] / "坏文件.csv"
    unreadable.write_bytes(b"\x00\x01 not a spreadsheet")
    good, bad = inbox.submit([source, unreadable], inbox_dir=paths["POLICY_WH_INBOX"])
    assert inbox.read_sidecar(good.stored_path)["data_days"] == ["2015-12-30", "2016-01-05"]
    assert inbox.read_sidecar(bad.stored_path)["data_days"] is None

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the sensor parsed a file whose sidecar names its data days")

    monkeypatch.setattr(data_days, "read_submission", no_parsing)
    assert sensors.file_days(good.stored_path) == {date(2015, 12, 30), date(2016, 1, 5)}
    assert sensors.file_days(bad.stored_path) is None


def test_a_file_without_recorded_days_is_parsed(paths):
    stored = _store(paths["POLICY_WH_INBOX"], _progress_csv(8, "2016-02-01"))     # a sidecar without data_days
    assert sensors.file_days(stored) == {date(2016, 2, 1)}
    stored.with_name(stored.name.split(".")[0] + ".json").unlink()                # no sidecar at all
    assert sensors.file_days(stored) == {date(2016, 2, 1)}
