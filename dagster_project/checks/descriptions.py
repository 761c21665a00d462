"""What a target check checks, in Chinese words: one sentence per target, for Data Docs and the dashboard.

GX renders an expectation's ``description`` in Data Docs in place of its generated text (``If
target_id=="…", then values must be greater than or equal to 65.0``). The target suites
(:func:`dagster_project.checks.suites.target_suites`) put :func:`target_description` there, and the
dashboard asks :func:`describe_target` for the same text by target_id, so the wording is declared once,
here. Example::

    《关于深入推进依法行政加快建设法治政府的实施意见》（廊政〔2015〕59号）：政府工作部门和乡镇至少聘请1名法律顾问；
    指标：法律顾问人数；地区：廊坊市；要求：不低于 1名；期限：2015-12-31

The parts: the document (title and number), the target's verbatim text from it (seeds/targets.csv
``verbatim``), the indicator, the region the check evaluates (the whole city when the target names none;
the target's own scope, e.g. 县政府, follows in brackets), the requirement — comparator and value in
words, by the rule of the dbt macro ``target_is_met`` — and the due date (长期 for a standing target).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Mapping

WHOLE_CITY = "131000"      # the region a target naming none is evaluated for (廊坊市)


def number_text(value: float) -> str:
    """A number as a person writes it: 65, 0.5, 17.55, 4000 (never 4e+03)."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def requirement_text(comparator: str, value: float, value_high: float | None, direction: str, tolerance: float,
                     unit: str = "") -> str:
    """The comparator and value in words: 不低于 65%, 在 2至3次 之间（含两端）, 90% 左右（上下不超过 5%）…"""
    unit = unit or ""
    amount = f"{number_text(value)}{unit}"
    if comparator == ">=":
        return f"不低于 {amount}"
    if comparator == ">":
        return f"高于 {amount}"
    if comparator == "<=":
        return f"不高于 {amount}"
    if comparator == "<":
        return f"低于 {amount}"
    if comparator == "between":
        high = value_high if value_high is not None else value
        return f"在 {number_text(value)}至{number_text(high)}{unit} 之间（含两端）"
    if comparator == "approx":
        return f"{amount} 左右（与目标值相差不超过 {number_text(tolerance * 100)}%）"
    if comparator == "=":
        if direction == "lower_is_better":
            return f"达到 {amount}（不高于）"
        return f"达到 {amount}（不低于）"
    raise ValueError(f"未知的比较方式“{comparator}”。Unknown comparator {comparator!r}.")


def target_description(target: Mapping[str, str], document: Mapping[str, str], indicator: Mapping[str, str],
                       region_name: str, tolerance: float) -> str:
    """The description of one target, from its row of seeds/targets.csv and the rows it refers to.

    ``target``: a row of targets.csv; ``document``: its row of documents.csv (title, doc_no); ``indicator``:
    its row of indicators.csv (name, direction); ``region_name``: the name of the region the check evaluates
    (regions.csv; 廊坊市 when the target names none); ``tolerance``: the dbt var approx_tolerance."""
    value = float(target["value"])
    high = float(target["value_high"]) if target.get("value_high") else None
    title = f"《{document['title']}》" if document.get("title") else target["doc_id"]
    if document.get("doc_no"):
        title += f"（{document['doc_no']}）"
    region = region_name
    scope = (target.get("scope") or "").strip()
    if scope and scope not in (region_name, "全市"):
        region += f"（范围：{scope}）"
    requirement = requirement_text(target["comparator"], value, high, indicator["direction"], tolerance,
                                   target.get("unit", ""))
    parts = [
        f"{title}：{target['verbatim'].strip()}",
        f"指标：{indicator['name']}",
        f"地区：{region}",
        f"要求：{requirement}",
        f"期限：{target.get('due_date') or '长期'}",
    ]
    return "；".join(parts)


def read_seed_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class SeedTables:
    """The seed rows a target description refers to, keyed by id."""

    documents: dict[str, dict[str, str]]
    indicators: dict[str, dict[str, str]]
    regions: dict[str, str]

    @classmethod
    def read(cls, seeds_dir: Path) -> "SeedTables":
        return cls(documents={r["doc_id"]: r for r in read_seed_csv(seeds_dir / "documents.csv")},
                   indicators={r["indicator_id"]: r for r in read_seed_csv(seeds_dir / "indicators.csv")},
                   regions={r["region_code"]: r["name"] for r in read_seed_csv(seeds_dir / "regions.csv")})

    def describe(self, target: Mapping[str, str], tolerance: float) -> str:
        region_code = target.get("region_code") or WHOLE_CITY
        return target_description(target, self.documents.get(target["doc_id"], {}),
                                  self.indicators[target["indicator_id"]],
                                  self.regions.get(region_code, region_code), tolerance)


@lru_cache(maxsize=4)
def _descriptions(seeds_dir: Path, dbt_project_dir: Path, stamp: tuple[int, ...]) -> dict[str, str]:
    from .comparators import approx_tolerance

    tolerance = approx_tolerance(dbt_project_dir)
    tables = SeedTables.read(seeds_dir)
    return {row["target_id"]: tables.describe(row, tolerance)
            for row in read_seed_csv(seeds_dir / "targets.csv") if row["indicator_id"]}


def target_descriptions(seeds_dir: Path | None = None, dbt_project_dir: Path | None = None) -> dict[str, str]:
    """{target_id: description} of every target with an indicator (those the target suites check).

    Defaults: the seeds and dbt project of the settings (the repository's). Read once while the files are
    unchanged."""
    if seeds_dir is None or dbt_project_dir is None:
        from ..settings import load_settings

        settings = load_settings()
        seeds_dir = seeds_dir or settings.seeds_dir
        dbt_project_dir = dbt_project_dir or settings.dbt_project_dir
    files = [seeds_dir / n for n in ("targets.csv", "documents.csv", "indicators.csv", "regions.csv")]
    stamp = tuple(p.stat().st_mtime_ns for p in [*files, dbt_project_dir / "dbt_project.yml"])
    return _descriptions(Path(seeds_dir), Path(dbt_project_dir), stamp)


def describe_target(target_id: str, seeds_dir: Path | None = None, dbt_project_dir: Path | None = None) -> str:
    """The Chinese description of one target check — the text its expectation carries in Data Docs.

    Raises KeyError (with a Chinese message) for a target_id that no target suite checks."""
    descriptions = target_descriptions(seeds_dir, dbt_project_dir)
    try:
        return descriptions[target_id]
    except KeyError:
        raise KeyError(f"没有编号为“{target_id}”的量化目标检查（seeds/targets.csv 中不存在或没有指标）。"
                       f"No target check {target_id!r}.") from None
