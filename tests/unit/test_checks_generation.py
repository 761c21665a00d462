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
