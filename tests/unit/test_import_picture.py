"""The import picture: no domain package imports the orchestration above it.

Why: extraction, submissions, checks, publishing and the dashboard are libraries that the CLI, Dagster and
the dashboard call; if one of them imported the Dagster definitions, jobs, sensors or assets, a change in
orchestration could break the domain code (and importing it would load Dagster). Read statically with
``ast`` from every module's source, so a lazy import inside a function counts as much as one at the top.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = [ROOT / "dagster_project" / name for name in ("extraction", "submissions", "checks")] + [
    ROOT / "dagster_project" / "publish.py", ROOT / "dashboards"]
ORCHESTRATION = ("dagster_project.orchestration", "dagster_project.definitions", "dagster_project.orchestration.jobs",
                 "dagster_project.orchestration.sensors", "dagster_project.orchestration.assets")


def _modules(path: Path) -> list[Path]:
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, as absolute dotted names (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_the_domain_packages_never_import_orchestration():
    arrows = [f"{path.relative_to(ROOT)} → {name}" for root in DOMAIN for path in _modules(root)
              for name in _imports(path) if name.startswith(ORCHESTRATION)]
    assert not arrows, arrows


def test_the_check_finds_a_relative_import_of_orchestration(tmp_path):
    """The resolver itself: `from ..orchestration import X` in dagster_project/checks/ is an arrow."""
    module = ROOT / "dagster_project" / "checks" / "runner.py"
    names = _imports(module)
    assert "dagster_project.settings" in names           # runner.py: from ..settings import Settings
    assert any(name.startswith("dagster_project.checks.") for name in names)
