"""The GX suites are generated from the seeds: the committed files equal a fresh generation, byte for byte."""
import csv
from pathlib import Path

import pytest

from dagster_project.checks.project import project_files
from dagster_project.checks.suites import POLICY_AREA_SLUGS, generate_suites
from dagster_project.extraction.policy_areas import POLICY_AREAS

ROOT = Path(__file__).resolve().parents[2]
GX_ROOT = ROOT / "expectations" / "gx"


@pytest.fixture(scope="module")
def specs():
    return generate_suites(ROOT / "seeds", ROOT / "dbt")


@pytest.fixture(scope="module")
def files(specs):
    return project_files(specs)


def test_committed_suites_equal_a_fresh_generation(files):
    stale = [name for name, text in files.items()
             if not (GX_ROOT / name).exists() or (GX_ROOT / name).read_text(encoding="utf-8") != text]
    assert not stale, f"run `policy-wh expectations` and commit: {stale}"
    generated = {f"{folder}/{p.name}" for folder in ("expectations", "validation_definitions", "checkpoints")
                 for p in (GX_ROOT / folder).glob("*.json")}
    assert generated == {name for name in files if name != "great_expectations.yml"}


def test_generation_is_deterministic(specs, files):
    assert project_files(generate_suites(ROOT / "seeds", ROOT / "dbt")) == files


def test_one_expectation_per_target_with_an_indicator(specs):
    with (ROOT / "seeds" / "targets.csv").open(encoding="utf-8") as handle:
        targets = {row["target_id"] for row in csv.DictReader(handle) if row["indicator_id"]}
    keys = [e["meta"]["target_id"] for s in specs if s.kind == "targets" for e in s.expectations]
    assert sorted(keys) == sorted(targets)


def test_every_policy_area_has_a_suite_name():
    assert set(POLICY_AREAS) <= set(POLICY_AREA_SLUGS)


def test_an_unknown_policy_area_names_the_seed_row(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("targets.csv", "indicators.csv", "document_policy_areas.csv"):
        (seeds / name).write_bytes((ROOT / "seeds" / name).read_bytes())
    text = (seeds / "document_policy_areas.csv").read_text(encoding="utf-8").replace("法治政府", "新领域")
    (seeds / "document_policy_areas.csv").write_text(text, encoding="utf-8")
    from dagster_project.checks.suites import target_suites

    with pytest.raises(ValueError, match=r"seeds/targets.csv 第 2 行.*新领域"):
        target_suites(seeds, 0.05)


def test_every_declared_submission_kind_has_its_own_suite(specs):
    """One submission suite per kind of submissions/kinds/, named after its raw table, which is its GX asset."""
    from dagster_project.checks.project import CHECKPOINT_OF_ASSET
    from dagster_project.checks.suites import SUBMISSION_VALUE_EXPECTATIONS
    from dagster_project.submissions.kinds import KINDS

    missing = sorted(set(KINDS) - set(SUBMISSION_VALUE_EXPECTATIONS))
    assert not missing, f"declare the value expectations of these kinds in checks/suites.py: {missing}"
    assert not set(SUBMISSION_VALUE_EXPECTATIONS) - set(KINDS), "value expectations of an undeclared kind"
    submission = {s.name: s for s in specs if s.kind == "submission"}
    assert list(submission) == [f"submission_{k.table.name}" for k in KINDS.values()]
    for kind in KINDS.values():
        spec = submission[f"submission_{kind.table.name}"]
        assert spec.asset == kind.table.name and CHECKPOINT_OF_ASSET[spec.asset] == spec.name
        keys = [e["meta"]["key"] for e in spec.expectations]
        assert keys[0] == "schema:columns" and "unique:row" in keys
        assert {f"type:{c}" for c in kind.table.column_names} <= set(keys)
        values = [k for k in keys if not k.startswith(("schema:", "type:", "not_null:"))]
        assert keys[-len(values):] == values and len(values) >= 2       # the kind's values, after the schema


def test_a_kind_without_value_expectations_fails_the_generation(monkeypatch):
    import dataclasses

    from dagster_project.checks import suites
    from dagster_project.submissions.kinds import KINDS

    new_kind = dataclasses.replace(KINDS["air_quality"], name="new_kind")
    monkeypatch.setattr(suites, "KINDS", {**KINDS, "new_kind": new_kind})
    with pytest.raises(ValueError, match="new_kind"):
        suites.submission_suites(ROOT / "seeds")


def test_the_air_quality_suite_checks_stations_organisations_quarters_and_the_index(specs):
    spec = next(s for s in specs if s.name == "submission_air_quality_readings")
    by_key = {e["meta"]["key"]: e for e in spec.expectations}
    with (ROOT / "seeds" / "air_quality_stations.csv").open(encoding="utf-8") as handle:
        stations = sorted(row["station_id"] for row in csv.DictReader(handle))
    assert by_key["known:station_id"]["kwargs"]["value_set"] == stations
    assert "known:org_id" in by_key and "unique:row" in by_key
    assert by_key["format:quarter"]["kwargs"]["regex"] == r"^\d{4}Q[1-4]$"
    assert by_key["range:composite_index"]["kwargs"] == {"column": "composite_index", "min_value": 0,
                                                         "max_value": 1000, "strict_min": True, "strict_max": True}
    assert by_key["type:composite_index"]["kwargs"]["type_list"] == ["float64", "Float64"]
