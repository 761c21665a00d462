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
from .seed_files import SeedTable, write_seed_tables
from .source import SourceText

Extractor = Callable[[ExtractionContext], list[SeedTable]]


def _documents_table(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("documents", DOCUMENT_COLUMNS, [d.as_row() for d in ctx.documents])]


def extractors() -> list[Extractor]:
    """Every extractor, in the order their tables are written and reported."""
    from . import leading_groups, org_reforms, organizations, policy_areas, regions, targets, tasks

    return [
        _documents_table,
        policy_areas.extract_tables,
        organizations.extract_tables,
        regions.extract_tables,
        org_reforms.extract_tables,
        tasks.extract_tables,
        targets.extract_tables,
        leading_groups.extract_tables,
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


def extract(source_path: Path) -> Extraction:
    """Read the source and extract all seed tables (nothing is written)."""
    source = SourceText.read(source_path)
    context = ExtractionContext(source=source, documents=find_documents(source))
    tables: list[SeedTable] = []
    for extractor in extractors():
        tables.extend(extractor(context))
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
    """A per-document summary, one line each, for ``policy-wh extract --report``."""
    lines = [f"{len(extraction.documents)} documents"]
    for d in extraction.documents:
        lines.append(f"{d.doc_id:<22} {d.doc_no:<16} lines {d.line_start}-{d.line_end}  {d.genre}  {d.title}")
    for table in extraction.tables:
        lines.append(f"{table.file_name}: {len(table.rows)} rows")
    return lines
