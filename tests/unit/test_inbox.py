"""The inbox: a quick answer per file, storage under the content hash only, hostile names harmless."""
from __future__ import annotations

import hashlib
import json
import os
from datetime import date

import duckdb
import pytest

from dagster_project.submissions.inbox import inbox_files, read_sidecar, sanitise_name, submit
from dagster_project.submissions.reference import load_reference
from tests.unit.test_submission_validation import create_reference_tables

TODAY = date(2015, 12, 1)
GOOD = ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
        "lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局\n"
        "lz-2015-054-t002,2015-10-15,已完成,100,,市人社局\n")
PARTLY = GOOD + "lz-2015-999-t001,2015-09-30,推进中,50,,市人社局\n"


@pytest.fixture(scope="module")
def reference():
    with duckdb.connect() as con:
        create_reference_tables(con)
        return load_reference(con)


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / "outbox" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_accepted_partly_accepted_and_rejected(tmp_path, reference):
    inbox = tmp_path / "inbox"
    files = [write(tmp_path, "good.csv", GOOD.encode("gbk")), write(tmp_path, "partly.csv", PARTLY.encode("utf-8-sig")),
             write(tmp_path, "report.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)]
    good, partly, bad = submit(files, inbox_dir=inbox, reference=reference, today=TODAY)

    assert (good.status, good.rows_total, good.rows_accepted, good.rows_quarantined) == ("accepted", 2, 2, 0)
    assert "全部通过校验" in good.message
    assert (partly.status, partly.rows_accepted, partly.rows_quarantined) == ("partially_accepted", 2, 1)
    assert partly.reason_codes == ["unknown_task"] and "第4行" in partly.reasons[0]
    assert "1 行有问题被隔离" in partly.message
    assert bad.status == "rejected" and bad.reason_codes == ["wrong_file_type"] and ".xlsx" in bad.message

    for result, path in zip((good, partly, bad), files):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        assert result.file_sha256 == sha
        assert result.stored_path.parent == inbox and result.stored_path.name.startswith(sha)
        assert result.stored_path.read_bytes() == path.read_bytes()
    assert good.stored_path.suffix == ".csv" and bad.stored_path.suffix == ".bin"   # type from content, not name
    meta = read_sidecar(good.stored_path)
    assert meta["original_name"] == "good.csv" and meta["reported_by"] == "市人社局" and meta["received_at"]
    assert len(inbox_files(inbox)) == 3


def test_same_content_is_stored_once(tmp_path, reference):
    inbox = tmp_path / "inbox"
    first = write(tmp_path, "a.csv", GOOD.encode())
    second = write(tmp_path, "b-renamed.csv", GOOD.encode())
    one, two = submit([first, second], inbox_dir=inbox, reference=reference, today=TODAY)
    three, = submit([first], inbox_dir=inbox, reference=reference, today=TODAY)
    assert not one.duplicate and two.duplicate and three.duplicate
    assert one.stored_path == two.stored_path == three.stored_path
    assert sorted(p.name for p in inbox.iterdir()) == sorted([one.stored_path.name, one.file_sha256 + ".json"])
    assert read_sidecar(one.stored_path)["original_name"] == "a.csv"       # the first sidecar is kept


@pytest.mark.parametrize("hostile", [
    "../../../../etc/passwd", "/etc/cron.d/evil.csv", "..\\..\\windows\\system32\\x.csv", "x" * 5000 + ".csv",
    b"\xff\xfe\xc0\xaf../evil.csv", "a\x00b\nc.csv", "..", "", "~/.bashrc",
])
def test_hostile_names_never_write_outside_the_inbox(tmp_path, reference, hostile):
    inbox = tmp_path / "box" / "inbox"
    inbox.parent.mkdir()
    source = write(tmp_path, "plain.csv", GOOD.encode())
    before = {p for p in tmp_path.rglob("*")}
    result, = submit([source], names=[hostile], inbox_dir=inbox, reference=reference, today=TODAY)
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p == inbox or p.parent == inbox for p in created), created
    assert result.stored_path.name == f"{result.file_sha256}.csv"
    name = read_sidecar(result.stored_path)["original_name"]
    assert "/" not in name and "\\" not in name and "\x00" not in name and len(name) <= 255
    name.encode("utf-8")                                                     # valid UTF-8
    assert json.loads(result.stored_path.with_suffix(".json").read_text(encoding="utf-8"))


def test_a_path_with_non_utf8_bytes_is_read(tmp_path, reference):
    directory = os.fsencode(tmp_path)
    path = os.path.join(directory, b"\xb1\xa8\xcb\xcd-\xff.csv")          # GBK 报送 + a stray byte
    with open(path, "wb") as handle:
        handle.write(GOOD.encode())
    result, = submit([path], inbox_dir=tmp_path / "inbox", reference=reference, today=TODAY)
    assert result.status == "accepted" and result.original_name.endswith("-\ufffd.csv")


def test_missing_and_directory_paths_are_rejected_not_raised(tmp_path, reference):
    missing, folder = submit([tmp_path / "nope.csv", tmp_path], inbox_dir=tmp_path / "inbox", reference=reference,
                             today=TODAY)
    assert missing.status == folder.status == "rejected"
    assert missing.stored_path is None and missing.reason_codes == ["unreadable_file"]


def test_without_reference_only_file_level_checks_run(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_WH_DB", str(tmp_path / "absent.duckdb"))
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "absent-published.duckdb"))
    monkeypatch.setenv("POLICY_WH_ROOT", str(tmp_path))                    # no seeds/ either
    result, = submit([write(tmp_path, "p.csv", PARTLY.encode())], inbox_dir=tmp_path / "inbox", today=TODAY)
    assert result.status == "received" and not result.rows_checked and result.rows_total == 3
    assert result.rows_accepted == 0 and "行级校验将在装载时进行" in result.message


def test_inbox_dir_defaults_to_settings(tmp_path, monkeypatch, reference):
    monkeypatch.setenv("POLICY_WH_INBOX", str(tmp_path / "configured"))
    result, = submit([write(tmp_path, "p.csv", GOOD.encode())], reference=reference, today=TODAY)
    assert result.stored_path.parent == tmp_path / "configured"
    assert inbox_files() == [result.stored_path]


def test_sanitise_name():
    assert sanitise_name("../../a.csv") == "a.csv"
    assert sanitise_name(b"\xff.csv") == "\ufffd.csv"
    assert len(sanitise_name("长" * 1000 + ".xlsx")) == 255 and sanitise_name("长" * 1000 + ".xlsx").endswith(".xlsx")
