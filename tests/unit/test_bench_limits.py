"""The limits benchmark (bench/limits.py) measures the files it says it measures, and runs end to end.

Its figures go into the README's limits table, so the generators must produce what the labels claim: a
CSV just under the size it was asked for, an .xlsx unpacking just under its target with as many data rows
as our own reader finds, a zip bomb declaring its real unpacked size. The smoke run then drives the real
cold ``policy-wh submit`` processes and must report the outcomes the limits promise.
"""
from __future__ import annotations

import zipfile

import pytest

from bench import limits
from dagster_project.settings import PROJECT_ROOT
from dagster_project.submissions import formats


@pytest.fixture(scope="module")
def pairs():
    return limits._pairs(PROJECT_ROOT / "seeds")


def test_the_csv_fills_its_target_size_and_every_row_is_read_back(pairs, tmp_path):
    path = tmp_path / "big.csv"
    target = 300 * 1024
    rows = limits.write_csv(path, pairs, target)
    size = path.stat().st_size
    assert target - 1024 < size <= target            # within one row of the target (rows are ~150 bytes)
    submission = formats.read_submission(path.read_bytes())
    assert submission.rows_total == rows
    assert submission.sheets[0].kind == formats.PROGRESS


def test_the_xlsx_unpacks_just_under_its_target_and_our_reader_finds_every_row(pairs, tmp_path):
    path = tmp_path / "big.xlsx"
    target = 600 * 1024
    rows = limits.write_xlsx(path, pairs, target)
    unpacked = limits.unpacked_bytes(path)
    assert target - 1024 < unpacked <= target
    with zipfile.ZipFile(path) as archive:          # Excel's layout: text cells refer to shared strings
        assert "xl/sharedStrings.xml" in archive.namelist()
        assert b't="s"' in archive.read("xl/worksheets/sheet1.xml")[:2000]
    submission = formats.read_submission(path.read_bytes())
    assert [(s.name, s.kind) for s in submission.sheets] == [("任务进展", formats.PROGRESS)]
    assert submission.rows_total == rows


def test_the_zip_bomb_declares_its_unpacked_size_and_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    limits.write_zip_bomb(path, formats.MAX_UNPACKED_BYTES + 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert limits.unpacked_bytes(path) > formats.MAX_UNPACKED_BYTES
    with pytest.raises(formats.FileRejected) as rejected:
        formats.read_submission(path.read_bytes())
    assert rejected.value.code == "unpacked_too_large"


def test_the_smoke_run_submits_each_file_in_a_cold_process_and_reports_the_outcomes(tmp_path):
    results = tmp_path / "limits.md"
    assert limits.main(["--smoke", "--out", str(tmp_path / "out"), "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(table) == 4
    outcomes = [line.rsplit("|", 2)[-2].strip() for line in table]
    assert outcomes[0] in limits.ACCEPTED and outcomes[1] in limits.ACCEPTED
    assert outcomes[2] == "rejected (file_too_large)"
    assert outcomes[3] == "rejected (unpacked_too_large)"
    for line in table:                                # seconds and peak memory were measured, not left blank
        seconds, peak = (float(cell.replace(",", "")) for cell in line.split("|")[3:5])
        assert seconds > 0 and peak > 50
    # every submit went to its own inbox in the scratch folder, never the checkout's
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == sorted(
        f"{case}-0" for case in ("largest_csv", "largest_xlsx", "over_csv", "zip_bomb"))
