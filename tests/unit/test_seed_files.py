"""Seeds are deterministic, and the committed ones equal a fresh extraction."""
import csv
import io
import re

from dagster_project.cli import main
from dagster_project.extraction.pipeline import extract
from dagster_project.extraction.seed_files import SeedTable, render_csv
from tests.conftest import COMMITTED_SEEDS, SOURCE_PATH


def test_two_extractions_are_byte_identical(extraction):
    again = extract(SOURCE_PATH)
    assert [render_csv(t) for t in again.tables] == [render_csv(t) for t in extraction.tables]


def test_committed_seeds_equal_a_fresh_extraction(extraction):
    fresh = {t.file_name: render_csv(t).encode("utf-8") for t in extraction.tables}
    assert sorted(COMMITTED_SEEDS) == sorted(fresh), "seeds/ holds other files than the extractor writes"
    stale = [name for name in fresh if COMMITTED_SEEDS[name] != fresh[name]]
    assert stale == [], f"run `policy-wh extract` and commit: {stale} differ from a fresh extraction"


def test_cli_extract_writes_the_same_bytes(tmp_path, capsys, extraction):
    assert main(["extract", "--out", str(tmp_path)]) == 0
    for table in extraction.tables:
        assert (tmp_path / table.file_name).read_bytes() == render_csv(table).encode("utf-8")
    assert "documents 82" in capsys.readouterr().out


def test_csv_quoting_and_nulls_follow_rfc4180():
    table = SeedTable("t", ["a", "b", "c"], [{"a": 'say "hi", twice', "b": None, "c": True}])
    text = render_csv(table)
    assert text == 'a,b,c\n"say ""hi"", twice",,true\n'
    assert list(csv.reader(io.StringIO(text))) == [["a", "b", "c"], ['say "hi", twice', "", "true"]]


def test_seeds_hold_no_phone_numbers_or_email_addresses():
    email = re.compile(rb"[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.[A-Za-z]")
    phone = re.compile(rb"\d{3,4}[\xe2\x80\x94-]\d{7,8}|1[3-9]\d{9}")
    for name, data in COMMITTED_SEEDS.items():
        assert not email.search(data), name
        assert not phone.search(data), name
        assert b"2130523" not in data, name  # the password printed on line 5155
