"""Run every extractor over the source text and collect the seed tables.

This is the one function behind ``policy-wh extract``, the Makefile and the Dagster
``seed_csvs`` asset, so the three can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .context import ExtractionContext
from .documents import DOCUMENT_COLUMNS, Document, find_documents
from .overrides import apply_overrides
from .seed_files import SeedTable, write_seed_tables
from .source import SourceText

Extractor = Callable[[ExtractionContext], list[SeedTable]]


def _documents_table(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("documents", DOCUMENT_COLUMNS, [d.as_row() for d in ctx.documents])]


def extractors() -> list[Extractor]:
    """Every extractor, in the order their tables are written and reported."""
    from . import air_quality, leading_groups, org_reforms, organizations, policy_areas, regions, targets, tasks

    return [
        _documents_table,
        policy_areas.extract_tables,
        organizations.extract_tables,
        regions.extract_tables,
        org_reforms.extract_tables,
        tasks.extract_tables,
        targets.extract_tables,
        leading_groups.extract_tables,
        air_quality.extract_tables,
    ]


@dataclass
class Extraction:
    """Everything extracted from one source text."""

    context: ExtractionContext
    tables: list[SeedTable]

    @property
    def source(self) -> SourceText:
        return self.context.source

    @property
    def documents(self) -> list[Document]:
        return self.context.documents

    def table(self, name: str) -> SeedTable:
        return next(t for t in self.tables if t.name == name)


def extract(source_path: Path, overrides_dir: Path | None = None) -> Extraction:
    """Read the source and extract all seed tables (nothing is written).

    ``overrides_dir`` (default: ``seeds/overrides`` next to the source's project) holds reviewed corrections.
    """
    source = SourceText.read(source_path)
    context = ExtractionContext(source=source, documents=find_documents(source))
    tables: list[SeedTable] = []
    for extractor in extractors():
        tables.extend(extractor(context))
    if overrides_dir is None:
        from ..settings import load_settings

        overrides_dir = load_settings().seeds_dir / "overrides"
    apply_overrides(tables, overrides_dir)
    names = [t.name for t in tables]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"two extractors write the same seed table: {sorted(duplicates)}")
    return Extraction(context=context, tables=tables)


def extract_to_seeds(source_path: Path, seeds_dir: Path) -> Extraction:
    """Extract and write every seed CSV into ``seeds_dir``."""
    extraction = extract(source_path)
    write_seed_tables(extraction.tables, seeds_dir)
    return extraction


def report_lines(extraction: Extraction) -> list[str]:
    """What ``policy-wh extract --report`` prints: per-document counts, then every unresolved printed name."""
    from collections import Counter

    tasks = extraction.table("tasks").rows
    assignments = extraction.table("task_assignments").rows
    targets = extraction.table("targets").rows
    doc_of_task = {t["task_id"]: t["doc_id"] for t in tasks}
    measures = Counter(t["doc_id"] for t in tasks if t["source_kind"] in ("body", "list"))
    table_rows = Counter(t["doc_id"] for t in tasks if t["source_kind"] == "table")
    assigned = Counter(doc_of_task[a["task_id"]] for a in assignments)
    target_count = Counter(t["doc_id"] for t in targets)

    lines = [f"{'doc_id':<22} {'doc_no':<16} {'measures':>8} {'table':>6} {'assign':>7} {'targets':>8}  title"]
    for d in extraction.documents:
        lines.append(
            f"{d.doc_id:<22} {d.doc_no:<16} {measures[d.doc_id]:>8} {table_rows[d.doc_id]:>6} "
            f"{assigned[d.doc_id]:>7} {target_count[d.doc_id]:>8}  {d.title}"
        )
    lines.append(
        f"{'total':<39} {sum(measures.values()):>8} {sum(table_rows.values()):>6} "
        f"{sum(assigned.values()):>7} {sum(target_count.values()):>8}"
    )
    lines.append("")
    for table in extraction.tables:
        lines.append(f"{table.file_name}: {len(table.rows)} rows")

    unresolved = [
        (a["line"], a["name_as_printed"]) for a in assignments
        if not a["org_id"] and a["generic"] not in (True, "true")
    ]
    lines.append("")
    lines.append(f"unresolved named bodies in task assignments: {len(unresolved)}")
    lines.extend(f"  line {line}: {name}" for line, name in sorted(unresolved, key=lambda x: int(x[0])))
    members = extraction.table("leading_group_members").rows
    outside = Counter(m["position_text"] for m in members if not m["org_id"])
    lines.append(f"group members whose unit is not an organisation of the registry "
                 f"(schools, firms, institutes; informational): {sum(outside.values())}")
    return lines
