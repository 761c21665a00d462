"""A scaled copy of the warehouse project: the real seeds replicated ×N, with the dbt project beside them.

Why: Langfang is one city of 11 in Hebei; a province (×11) or a national roll-up (×300) has the same
kind of documents, tasks and departments, only more of them. Replica 0 is the real city; replica k
gets every identifier suffixed (``lf-finance`` → ``lf-finance-c007``), every name prefixed with its
city's name (so organisation names stay unambiguous for the submission validator) and region codes
moved to a prefix of its own (131002 → 207002). A factor below 1 keeps the first share of the tasks
(for smoke runs). The result is a *bench root*: ``<root>/seeds`` and ``<root>/dbt`` (a copy of the
project, whose ``seed-paths: ../seeds`` then points at the scaled seeds), selected for every command
by ``POLICY_WH_ROOT`` — the same mechanism the settings module offers everything else.
"""
from __future__ import annotations

import csv
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from dagster_project.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
DBT_DIR = PROJECT_ROOT / "dbt"
HEBEI_CITIES = ("廊坊", "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "衡水")

# Columns are classified by name, so seed tables added later scale too: identifiers (``*_id``,
# ``duplicate_of``) are suffixed per replica, names prefixed with the city, region codes moved.
NAME_COLUMNS = frozenset({"name", "short_name", "alias"})


def _kind(column: str) -> str | None:
    if column.endswith("region_code") or column.endswith("region_codes"):
        return "region"
    if column.endswith("_id") or column == "duplicate_of":
        return "id"
    if column in NAME_COLUMNS:
        return "name"
    return None


def city_label(replica: int) -> str:
    """Replica 0 is Langfang; the next ten are Hebei's other cities; then numbered cities."""
    return HEBEI_CITIES[replica] if replica < len(HEBEI_CITIES) else f"第{replica:03d}市"


def _rewrite(row: dict[str, str], replica: int) -> dict[str, str]:
    if replica == 0:
        return dict(row)
    out = dict(row)
    for column, value in row.items():
        kind = _kind(column)
        if not value or kind is None:
            continue
        if kind == "id":
            out[column] = f"{value}-c{replica:03d}"
        elif kind == "name":
            out[column] = city_label(replica) + value
        else:                                   # one code, or a list such as 131003|131002
            out[column] = re.sub(r"\b\d{6}\b", lambda m: f"{200 + replica:03d}{m.group()[3:]}", value)
    return out


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class ScaledSeeds:
    """What was written: rows per table."""

    factor: float
    replicas: int
    rows: dict[str, int]

    @property
    def tasks(self) -> int:
        return self.rows.get("tasks", 0)

    @property
    def organizations(self) -> int:
        return self.rows.get("organizations", 0)


def write_scaled_seeds(out_dir: Path, factor: float, seeds_dir: Path = SEEDS_DIR) -> ScaledSeeds:
    """The real seeds ×factor into out_dir (factor ≥ 1 is rounded to whole replicas)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    replicas = max(1, round(factor)) if factor >= 1 else 1
    tables = {p.stem: _read(p) for p in sorted(seeds_dir.glob("*.csv"))}
    if factor < 1:
        header, tasks = tables["tasks"]
        keep = {t["task_id"] for t in tasks[: max(1, math.ceil(len(tasks) * factor))]}
        for name in ("tasks", "task_assignments", "targets"):
            header, rows = tables[name]
            tables[name] = (header, [r for r in rows if not r.get("task_id") or r["task_id"] in keep])
        for row in tables["tasks"][1]:
            if row.get("duplicate_of") and row["duplicate_of"] not in keep:
                row["duplicate_of"] = ""
    counts: dict[str, int] = {}
    for name, (header, rows) in tables.items():
        scaled = [_rewrite(row, k) for k in range(replicas) for row in rows]
        _write(out_dir / f"{name}.csv", header, scaled)
        counts[name] = len(scaled)
    return ScaledSeeds(factor, replicas, counts)


def copy_dbt_project(out_dir: Path, dbt_dir: Path = DBT_DIR) -> Path:
    """The dbt project's own files (no target/, logs/), so its ../seeds is the scaled seeds."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(dbt_dir, out_dir, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", "*.duckdb*"))
    return out_dir


def snapshot_project(revision: str, out_dir: Path) -> tuple[Path, Path]:
    """``seeds/`` and ``dbt/`` as committed at a git revision (read-only ``git archive``), for a bench that
    must not pick up files someone is editing; returns (seeds dir, dbt dir)."""
    import io
    import subprocess
    import tarfile

    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", revision, "seeds", "dbt"], cwd=PROJECT_ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(out_dir, filter="data")
    return out_dir / "seeds", out_dir / "dbt"


def make_root(root: Path, factor: float, seeds_dir: Path = SEEDS_DIR, dbt_dir: Path = DBT_DIR) -> ScaledSeeds:
    """A bench root (``POLICY_WH_ROOT``): scaled seeds, a dbt project copy, an empty data folder."""
    root.mkdir(parents=True, exist_ok=True)
    seeds = write_scaled_seeds(root / "seeds", factor, seeds_dir)
    copy_dbt_project(root / "dbt", dbt_dir)
    # the Dagster job's data checks read their Great Expectations project from <root>/expectations
    expectations = PROJECT_ROOT / "expectations"
    if expectations.is_dir():
        shutil.rmtree(root / "expectations", ignore_errors=True)
        shutil.copytree(expectations, root / "expectations", ignore=shutil.ignore_patterns("uncommitted"))
    (root / "data").mkdir(exist_ok=True)
    return seeds
