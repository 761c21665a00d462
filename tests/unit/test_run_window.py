"""The run window (dagster_project/orchestration/window.py): tags, dbt vars and metadata round trips."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import dagster as dg
import pytest

from dagster_project.orchestration.window import (PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG, RunWindow,
                                                  window_tags)

D1, D2, D3 = date(2016, 1, 4), date(2016, 1, 5), date(2016, 2, 29)


def test_tags_round_trip_for_a_range_and_for_one_partition():
    window = RunWindow(D1, D2)
    assert window.to_tags() == {RANGE_START_TAG: "2016-01-04", RANGE_END_TAG: "2016-01-05"}
    assert RunWindow.from_tags(window.to_tags()) == window
    assert RunWindow.from_tags({PARTITION_TAG: "2016-01-04", "other": "x"}) == RunWindow.of(D1)
    assert RunWindow.from_tags({"other": "x"}) is None


def test_window_tags_copies_a_runs_partition_tags_as_they_are():
    assert window_tags({PARTITION_TAG: "2016-01-04", "policy_wh/checks": "in_process"}) == {PARTITION_TAG: "2016-01-04"}
    assert window_tags({**RunWindow(D1, D2).to_tags(), "x": "y"}) == RunWindow(D1, D2).to_tags()


def test_dbt_vars_and_widening():
    window = RunWindow.of(D2).widened([D1, D3])
    assert window == RunWindow(D1, D3) and window.dbt_vars() == {"min_date": "2016-01-04", "max_date": "2016-02-29"}
    assert RunWindow.of(D2).union(None) == RunWindow.of(D2)
    assert RunWindow.of(D2).union(RunWindow(D1, D1)) == RunWindow(D1, D2)
    assert RunWindow(D1, D2).days == [D1, D2]
    with pytest.raises(ValueError):
        RunWindow(D2, D1)


def test_metadata_round_trip_with_plain_values_and_metadata_values():
    window = RunWindow(D1, D3)
    assert RunWindow.from_metadata(window.to_metadata()) == window
    wrapped = {key: dg.MetadataValue.text(value) for key, value in window.to_metadata().items()}
    assert RunWindow.from_metadata(wrapped) == window
    assert RunWindow.from_metadata({}) is None


def test_from_context_reads_the_partition_key_range():
    context = SimpleNamespace(partition_key_range=dg.PartitionKeyRange("2016-01-04", "2016-01-05"))
    assert RunWindow.from_context(context) == RunWindow(D1, D2)
