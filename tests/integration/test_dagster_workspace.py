"""The Dagster UI loads its code location from workspace.yaml, with the whole asset graph."""
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from tests.conftest import REPO_ROOT


def test_workspace_yaml_validates_with_the_dagster_cli(tmp_path):
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", str(REPO_ROOT / "workspace.yaml")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful for code location langfang_policy_warehouse" in result.stdout + result.stderr


def test_asset_graph_runs_from_source_text_through_seeds_to_dim_document():
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    source, seeds = dg.AssetKey("source_text"), dg.AssetKey("seed_csvs")
    documents_seed, dim_document = dg.AssetKey(["raw", "documents"]), dg.AssetKey(["marts", "dim_document"])
    assert {source, seeds, documents_seed, dim_document} <= keys
    assert graph.get(seeds).parent_keys == {source}
    assert seeds in graph.get(documents_seed).parent_keys
    assert documents_seed in graph.get_ancestor_asset_keys(dim_document)
    assert graph.get(seeds).group_name == "extraction" and graph.get(dim_document).group_name == "dbt"


def test_the_readme_lists_the_asset_groups_the_ui_shows():
    """The README once listed six groups where the UI showed four: its table is read back and compared."""
    import re

    from dagster_project.definitions import defs

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| asset group | assets | partitioned |"):]
    table = table[:table.index("\n\n")]
    documented = {line.split("|")[1].strip() for line in table.splitlines()[2:]}
    graph = defs.resolve_asset_graph()
    shown = {graph.get(key).group_name for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    assert documented == shown
    assert re.search(rf"The UI shows {['no', 'one', 'two', 'three', 'four', 'five', 'six'][len(shown)]} asset groups", readme)
