"""Where the published warehouse goes, and the clear refusals before any copy starts."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dagster_project.publish import PublishError, _literal, publish_warehouse, published_path
from dagster_project.settings import load_settings


def test_the_published_file_defaults_to_data_published_and_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICY_WH_PUBLISHED", raising=False)
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    assert published_path(load_settings()) == tmp_path / "data" / "published" / "warehouse.duckdb"
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "bi" / "warehouse.duckdb"))
    assert published_path(load_settings()) == tmp_path / "bi" / "warehouse.duckdb"


def test_a_missing_or_unreadable_working_file_or_the_working_path_itself_are_refused(tmp_path):
    """(Any published file name is fine: tests/integration/test_any_file_name.py.)"""
    working = tmp_path / "warehouse.duckdb"
    with pytest.raises(PublishError, match=r"工作仓库文件不存在：.*warehouse\.duckdb"):
        publish_warehouse(working, tmp_path / "published" / "warehouse.duckdb")
    working.write_bytes(b"")
    with pytest.raises(PublishError, match=r"无法只读打开工作仓库"):
        publish_warehouse(working, tmp_path / "published" / "policy.duckdb")
    with pytest.raises(PublishError, match="发布路径不能与工作仓库相同"):
        publish_warehouse(working, working)
    assert not any((tmp_path / "published").glob("*.duckdb"))


def test_values_are_written_as_sql_literals_with_quotes_doubled():
    assert _literal(None) == "null"
    assert _literal(42) == "42"
    assert _literal("廊坊's") == "'廊坊''s'"
    assert _literal(datetime(2016, 1, 5, 6, 0, tzinfo=timezone.utc)) == "timestamptz '2016-01-05T06:00:00+00:00'"
    assert _literal(Path("/a/b")) == "'/a/b'"
