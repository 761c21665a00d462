"""Nothing a department or an analyst runs beside a load makes the load fail.

DuckDB lets one process hold a file while another writes it: a read-only connection takes a shared lock,
and a load that opens the working warehouse meanwhile fails with ``IO Error: Could not set lock on file …
Conflicting lock is held``. Before the fix ``policy-wh submit`` (reading its reference data) and
``policy-wh template`` opened the working file read-only, so a load started while either ran failed.

The first test records every DuckDB file ``policy-wh template`` and ``policy-wh submit`` open, holds each
of them read-only in another process for the whole of a load (as a slow command or an analyst's session
would), and runs ``policy-wh submit`` and ``policy-wh template`` over and over in subprocesses while the
load runs: the load succeeds, and the reader keeps its snapshot of the published copy the load replaced.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dagster_project import cli
from dagster_project.orchestration.runner import run_daily
from dagster_project.publish import publish_warehouse, published_path
from dagster_project.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
DAY = date(2016, 1, 4)

# Holds every file named on the command line read-only until a line arrives on stdin, then counts
# raw.tasks in each (its snapshot must still answer) and exits.
HOLD_READERS = ("import duckdb, sys\n"
                "cons = [duckdb.connect(p, read_only=True) for p in sys.argv[1:]]\n"
                "print('ready', flush=True)\n"
                "sys.stdin.readline()\n"
                "print(' '.join(str(c.execute('select count(*) from raw.tasks').fetchone()[0]) for c in cons), flush=True)\n")


def _recording_opens(patch: pytest.MonkeyPatch) -> list[str]:
    """Every database path duckdb.connect is asked for from now on (in-memory ones left out)."""
    opened: list[str] = []
    real_connect = duckdb.connect

    def recording_connect(database=":memory:", *args, **kwargs):
        if str(database) not in ("", ":memory:"):
            opened.append(str(Path(database).resolve()))
        return real_connect(database, *args, **kwargs)

    patch.setattr(duckdb, "connect", recording_connect)
    return opened


def _fill(template: Path, out: Path) -> str:
    """The first task the organisation leads, reported on DAY; returns its task id."""
    book = openpyxl.load_workbook(template)
    sheet = book["任务进展"]
    headers = [cell.value for cell in sheet[1]]
    column = {name: headers.index(name) + 1 for name in ("填报日期", "状态", "完成进度", "本单位职责")}
    row = next(r for r in range(2, sheet.max_row + 1)
               if str(sheet.cell(r, column["本单位职责"]).value or "").startswith("牵头"))
    sheet.cell(row, column["填报日期"]).value = DAY.isoformat()
    sheet.cell(row, column["状态"]).value = "推进中"
    sheet.cell(row, column["完成进度"]).value = 40
    book.save(out)
    return sheet.cell(row, 1).value


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "dagster_project.cli", *args]


def test_a_load_succeeds_while_readers_hold_every_file_submit_and_template_open(private_warehouse, tmp_path, capsys):
    settings = load_settings()
    published = published_path(settings)
    publish_warehouse(private_warehouse, published)          # as after any earlier load

    # 1. what do `policy-wh template` and `policy-wh submit` open?
    template, filled = tmp_path / "template.xlsx", tmp_path / "市财政局-进展.xlsx"
    with pytest.MonkeyPatch.context() as patch:
        opened = _recording_opens(patch)
        assert cli.main(["template", "--org", "市财政局", "--out", str(template)]) == 0
        task_id = _fill(template, filled)
        assert cli.main(["submit", str(filled)]) == 0
    printed = capsys.readouterr().out
    assert "接收 accepted" in printed, printed
    files = sorted(set(opened))
    assert files, "the commands opened no DuckDB file at all"

    # 2. hold each of them read-only in another process, and run the commands again and again, during a load
    holder = subprocess.Popen([sys.executable, "-c", HOLD_READERS, *files], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
    calls: list[tuple[list[str], int, str, str]] = []     # the commands started while the load ran
    load_running = threading.Event()
    stop = threading.Event()

    def keep_running_the_commands() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            for command in (_cli("submit", str(filled)),
                            _cli("template", "--org", "市财政局", "--out", str(tmp_path / f"t{n}.xlsx"))):
                during_load = load_running.is_set()
                done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
                if during_load:
                    calls.append((command, done.returncode, done.stdout, done.stderr))

    worker = threading.Thread(target=keep_running_the_commands, daemon=True)
    before = duckdb.connect(str(published), read_only=True)
    published_before = before.execute("select published_at from meta.publication").fetchone()[0]
    before.close()
    try:
        load_running.set()
        worker.start()
        runs = run_daily(load_settings(), DAY, DAY, quiet=True)   # raises if any step failed (the lock error)
        load_running.clear()
    finally:
        stop.set()
        worker.join(timeout=600)
        holder.stdin.write("count\n")
        holder.stdin.flush()
        counts = holder.stdout.readline().split()
        holder.wait(timeout=60)

    assert runs.load_run_id and runs.checks_run_id
    assert str(private_warehouse.resolve()) not in files, f"a command opened the working warehouse: {files}"
    assert files == [str(published.resolve())]
    with duckdb.connect(str(private_warehouse), read_only=True) as con:
        assert con.execute("select status from raw.progress_reports where task_id = ? and report_date = ?",
                           [task_id, DAY]).fetchall() == [("in_progress",)]
    with duckdb.connect(str(published), read_only=True) as con:     # the load published over the held file
        assert con.execute("select published_at from meta.publication").fetchone()[0] > published_before
    assert counts and all(int(c) > 1000 for c in counts)           # the holder's snapshot still answers

    submits = [c for c in calls if c[0][3] == "submit"]
    templates = [c for c in calls if c[0][3] == "template"]
    assert submits and templates, "no command ran during the load"
    for command, code, out, err in calls:
        assert code == 0, (command, out, err)
        assert "Could not set lock" not in out + err
    assert all("row checks against 发布副本 the published copy" in out for _, _, out, _ in submits)
    assert all("read from 发布副本 the published copy" in out for _, _, out, _ in templates)


def test_the_seed_snapshot_is_the_reference_the_warehouse_holds(built_warehouse, monkeypatch, tmp_path):
    """Before the first publication submit and template read the seed CSVs: they give the same reference."""
    from dagster_project.submissions.reference import load_reference, load_reference_snapshot

    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "none.duckdb"))
    snapshot, source = load_reference_snapshot(load_settings())
    assert source.kind == "seeds"
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        assert load_reference(con, with_text=False) == snapshot
