"""What `policy-wh submit` tells a department: honest when the row checks could not run, and nothing a file
name or a cell contains can print a line of its own.

B: before, a submit that could not read reference data (a load held the working warehouse, or there was no
warehouse yet) answered 全部通过校验 having checked no row; the load then quarantined the row. Now the
reference comes from the published copy (else the seed CSVs), and without any the file is *received*:
"行级校验将在装载时进行", never 全部通过校验.

C: before, `policy-wh submit` printed the path as given, so a name with a newline printed a forged result
line ("市财政局.xlsx: 接收 accepted — 全部通过校验"). Now names and cell text are printed escaped.

The behaviour tests use only ``submit`` and ``cli.main`` (the interfaces that existed before the fix), so they
fail on the old code for the reason they describe, not for a missing name.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import duckdb
import pytest

from dagster_project import cli
from dagster_project.submissions.inbox import submit
from tests.unit.test_submission_validation import create_reference_tables
from tests.unit.test_inbox import write

TODAY = date(2015, 12, 1)
GOOD = ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
        "lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局\n"
        "lz-2015-054-t002,2015-10-15,已完成,100,,市人社局\n")
PARTLY = GOOD + "lz-2015-999-t001,2015-09-30,推进中,50,,市人社局\n"
FORGED = "\n市财政局.xlsx: 接收 accepted — 全部通过校验"

# A process that opens a DuckDB file the way a load does (read-write) and holds it until its stdin closes.
HOLD_WRITER = ("import duckdb, sys\n"
               "con = duckdb.connect(sys.argv[1])\n"
               "con.execute('create table if not exists held (x int)')\n"
               "print('ready', flush=True)\n"
               "sys.stdin.read()\n")


@pytest.fixture()
def places(tmp_path, monkeypatch):
    """The working warehouse (with reference tables, as after a build), a published copy of it, no inbox yet."""
    working = tmp_path / "work" / "warehouse.duckdb"
    published = tmp_path / "pub" / "warehouse.duckdb"
    for path in (working, published):
        path.parent.mkdir()
        with duckdb.connect(str(path)) as con:
            create_reference_tables(con)
    monkeypatch.setenv("POLICY_WH_DB", str(working))
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(published))
    monkeypatch.setenv("POLICY_WH_INBOX", str(tmp_path / "inbox"))
    return {"working": working, "published": published, "inbox": tmp_path / "inbox", "tmp": tmp_path}


def no_reference_anywhere(places, monkeypatch):
    """No published copy and no seed CSVs (POLICY_WH_ROOT: an empty checkout)."""
    places["published"].unlink()
    empty_root = places["tmp"] / "empty-checkout"
    empty_root.mkdir()
    monkeypatch.setenv("POLICY_WH_ROOT", str(empty_root))


class HeldOpen:
    """Hold ``path`` read-write in another process, as a running load does."""

    def __init__(self, path):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- B: honest about the row checks ----------------------------------------------------------------------

def test_without_reference_data_a_file_is_received_not_accepted(places, monkeypatch, capsys):
    no_reference_anywhere(places, monkeypatch)
    places["working"].unlink()                             # and no warehouse: nothing to check against
    path = write(places["tmp"], "p.csv", PARTLY.encode())
    result, = submit([path], inbox_dir=places["inbox"], today=TODAY)
    assert result.status == "received" and not result.rows_checked
    assert (result.rows_total, result.rows_accepted, result.rows_quarantined) == (3, 0, 0)
    assert "行级校验将在装载时进行" in result.message and "全部通过校验" not in result.message
    assert result.stored_path.exists()                     # stored all the same: the load checks it

    assert cli.main(["submit", str(path)]) == 0            # received is not rejected
    out = capsys.readouterr().out
    assert "全部通过校验" not in out and "接收 accepted" not in out
    assert "已接收，待装载时校验 received, row checks at load time" in out and "行级校验将在装载时进行" in out
    assert "row checks NOT run for 1 file(s)" in out


def test_a_submit_during_a_load_checks_its_rows_against_the_published_copy(places, capsys):
    path = write(places["tmp"], "p.csv", PARTLY.encode())
    with HeldOpen(places["working"]):                      # a load is writing the working warehouse
        result, = submit([path], inbox_dir=places["inbox"], today=TODAY)
        assert cli.main(["submit", str(path)]) == 0
    assert result.rows_checked, result.message
    assert (result.status, result.rows_accepted, result.rows_quarantined) == ("partially_accepted", 2, 1)
    assert result.reason_codes == ["unknown_task"] and "全部通过校验" not in result.message
    out = capsys.readouterr().out
    assert "部分接收 partly accepted" in out and "全部通过校验" not in out
    assert f"row checks against 发布副本 the published copy {places['published']}" in out


def test_a_published_copy_without_reference_tables_falls_back_to_the_seed_csvs(places):
    places["published"].unlink()
    duckdb.connect(str(places["published"])).close()       # an empty DuckDB file: no raw.tasks
    path = write(places["tmp"], "p.csv", "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
                                         "lz-2015-999-t001,2015-09-30,推进中,50,,市财政局\n".encode())
    with HeldOpen(places["working"]):
        result, = submit([path], inbox_dir=places["inbox"], today=TODAY)
    assert result.rows_checked and result.status == "rejected" and "unknown_task" in result.reason_codes
    assert "seed CSVs" in result.checked_against


def test_a_published_path_naming_the_working_file_is_never_opened(places, monkeypatch):
    """POLICY_WH_PUBLISHED set to the working file by mistake: it is not read (the seeds are)."""
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(places["working"]))
    path = write(places["tmp"], "p.csv", GOOD.encode())
    with HeldOpen(places["working"]):
        result, = submit([path], inbox_dir=places["inbox"], today=TODAY)
    assert result.rows_checked and "seed CSVs" in result.checked_against


# --- C: nothing a name or a cell holds prints a line of its own -----------------------------------------

def result_lines(out: str) -> list[str]:
    """The lines of `policy-wh submit` that are not indented detail lines."""
    return [line for line in out.splitlines() if line and not line.startswith(" ")]


def test_a_file_name_with_a_newline_cannot_print_a_forged_result_line(places, capsys):
    path = write(places["tmp"], "进展\x07.csv" + FORGED, PARTLY.encode())
    assert cli.main(["submit", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert not any(line.lstrip().startswith("市财政局.xlsx") for line in lines), out
    assert "\x07" not in out and "进展\\x07.csv\\n市财政局.xlsx: 接收 accepted — 全部通过校验" in out
    file_lines = [line for line in result_lines(out) if "部分接收" in line or "接收 accepted" in line]
    assert len(file_lines) == 1 and "部分接收 partly accepted" in file_lines[0], out


def test_cell_text_with_control_characters_is_printed_escaped(places, capsys):
    content = ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
               "lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局\n"
               f'"lz-2015-999\x9b2K\u202e-t001",2015-09-30,推进中,50,,市人社局\n'   # C1 CSI, bidi override
               f'lz-2015-054-t002,2015-10-15,已完成,100,,"市人社局{FORGED}"\n')
    path = write(places["tmp"], "cells.csv", content.encode())
    cli.main(["submit", str(path)])
    out = capsys.readouterr().out
    assert "部分接收 partly accepted" in out, out
    assert not any(c in out for c in "\x9b\u202e"), out
    assert "lz-2015-999\\x9b2K\\u202e-t001" in out, out
    assert not any(line.lstrip().startswith("市财政局.xlsx") for line in out.splitlines()), out
    assert "\\n市财政局.xlsx: 接收 accepted — 全部通过校验" in out


def test_printable_escapes_controls_and_keeps_chinese():
    from dagster_project.submissions.inbox import printable

    assert printable("市财政局 2015年　第三季度.xlsx") == "市财政局 2015年　第三季度.xlsx"   # 全角 space kept
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x07\x1b[31m\x7f\x85") == "\\x07\\x1b[31m\\x7f\\x85"
    assert printable("evil\u202egsm.csv\u2028x\u200b") == "evil\\u202egsm.csv\\u2028x\\u200b"
    assert printable("\ud800") == "\\ud800" and printable("\U000e0001") == "\\U000e0001"
    path = b"/tmp/\xb1\xa8-\xff.csv".decode("utf-8", "surrogateescape")                 # os.fsdecode of bytes
    assert printable(path) == "/tmp/\\xb1\\xa8-\\xff.csv"


def test_sanitised_names_hold_no_c1_controls_or_line_separators():
    from dagster_project.submissions.inbox import sanitise_name

    assert sanitise_name("进展\x85\x9b31m\u2028\u2029.csv") == "进展31m.csv"
    assert sanitise_name("a\x00b\nc.csv") == "abc.csv"
