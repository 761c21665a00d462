"""The suite never writes the user's files: every path setting points into a temporary folder."""
from __future__ import annotations

import os
import re
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.support import isolation

# Variables that name inputs the tests read as they are (the source text, the project root), not outputs.
INPUTS = {"POLICY_WH_SOURCE", "POLICY_WH_ROOT"}


def test_every_path_variable_of_the_code_is_isolated():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "dagster_project").rglob("*.py"))
    named = set(re.findall(r'"((?:POLICY_WH_[A-Z_]+)|DAGSTER_HOME)"', code))
    # checks/runner.py sets the GX folders itself from POLICY_WH_DATA; they are not read from the user
    derived = {"POLICY_WH_GX_VALIDATIONS", "POLICY_WH_GX_DOCS"}
    assert named - INPUTS - derived <= set(isolation.PATH_VARIABLES)


def test_the_session_points_every_path_outside_the_checkout():
    for name in isolation.PATH_VARIABLES:
        value = Path(os.environ[name]).resolve()
        assert REPO_ROOT not in value.parents, f"{name}={value} is inside the checkout"


def test_fingerprint_sees_added_changed_and_removed_files(tmp_path):
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "warehouse.duckdb").write_bytes(b"one")
    (tmp_path / "old.txt").write_text("x")
    before = isolation.fingerprint(tmp_path)
    (tmp_path / "published" / "warehouse.duckdb").write_bytes(b"two")
    (tmp_path / "old.txt").unlink()
    (tmp_path / "gx_docs").mkdir()
    (tmp_path / "gx_docs" / "index.html").write_text("<html>")
    assert isolation.changes(before, isolation.fingerprint(tmp_path)) == [
        "added   gx_docs/index.html", "removed old.txt", "changed published/warehouse.duckdb"]
    assert isolation.changes(before, before) == []
