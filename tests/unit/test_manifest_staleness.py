"""The dbt manifest is parsed again when the project's files change — also when a file is only moved or
deleted, which changes no modification time (`mv` keeps it; issue 16 moved every staging model)."""
from __future__ import annotations

import dataclasses
import os

import pytest

from dagster_project import dbt_runner
from dagster_project.settings import load_settings


@pytest.fixture()
def project(tmp_path, monkeypatch):
    dbt_dir = tmp_path / "dbt"
    (dbt_dir / "models" / "staging").mkdir(parents=True)
    (dbt_dir / "macros").mkdir()
    (dbt_dir / "dbt_project.yml").write_text("name: x\n", encoding="utf-8")
    (dbt_dir / "models" / "staging" / "stg_tasks.sql").write_text("select 1\n", encoding="utf-8")
    (dbt_dir / "models" / "staging" / "stg_documents.sql").write_text("select 2\n", encoding="utf-8")
    settings = dataclasses.replace(load_settings(), dbt_project_dir=dbt_dir, seeds_dir=tmp_path / "seeds")
    parses = []

    def fake_run_dbt(settings_, args, **kwargs):          # what a parse leaves behind, without dbt
        parses.append(args)
        settings_.dbt_target_dir.mkdir(exist_ok=True)
        settings_.dbt_manifest_path.write_text("{}", encoding="utf-8")

    monkeypatch.setattr(dbt_runner, "run_dbt", fake_run_dbt)
    return settings, parses


def test_a_moved_or_deleted_model_makes_the_manifest_stale_although_no_file_is_newer(project):
    settings, parses = project
    dbt_runner.ensure_manifest(settings)
    assert len(parses) == 1 and not dbt_runner.manifest_is_stale(settings)
    dbt_runner.ensure_manifest(settings)
    assert len(parses) == 1                                      # nothing changed: no second parse

    staging = settings.dbt_project_dir / "models" / "staging"
    (staging / "extracted").mkdir()
    os.rename(staging / "stg_tasks.sql", staging / "extracted" / "stg_extracted__tasks.sql")   # keeps its mtime
    assert dbt_runner.manifest_is_stale(settings)
    dbt_runner.ensure_manifest(settings)
    assert len(parses) == 2 and not dbt_runner.manifest_is_stale(settings)

    (staging / "stg_documents.sql").unlink()
    assert dbt_runner.manifest_is_stale(settings)


def test_a_manifest_without_its_list_of_inputs_is_parsed_again(project):
    settings, parses = project
    dbt_runner.ensure_manifest(settings)
    (settings.dbt_target_dir / "manifest.inputs").unlink()       # a manifest written before this record existed
    assert dbt_runner.manifest_is_stale(settings)



def test_require_manifest_never_parses_it_says_how_to_make_a_missing_one_and_warns_of_a_stale_one(project):
    """What importing the Dagster definitions does (orchestration/assets/dbt.py): no dbt run, ever."""
    settings, parses = project
    with pytest.raises(dbt_runner.ManifestMissing, match="make manifest"):
        dbt_runner.require_manifest(settings)
    dbt_runner.ensure_manifest(settings)
    assert dbt_runner.require_manifest(settings) == settings.dbt_manifest_path
    (settings.dbt_project_dir / "models" / "staging" / "stg_tasks.sql").rename(
        settings.dbt_project_dir / "models" / "stg_tasks.sql")
    with pytest.warns(UserWarning, match="older than the dbt project"):
        dbt_runner.require_manifest(settings)
    assert len(parses) == 1
