"""The submission kinds, each declared once: the sheet, its headers, its raw table, its key and its data day.

Why this package: a kind's shape used to be written in five places (raw DDL, loader column lists, dbt source
YAML, GX suites, the sensor's guess at its days), and a new kind meant finding them all. Now a kind is one
:class:`SubmissionKind` value in its own module here (``progress``, ``indicators``, ``air_quality``), and the
rest is generated from :data:`KINDS`:

- the header mapping, required and fill columns, sheet titles — ``formats``;
- the good rows' columns and empty frames — ``validation``; the stored columns — ``loader``;
- the raw table's DDL and DuckDB comments — ``raw_layer.ensure_raw_tables``; the dbt source YAML —
  ``raw_layer.sources_yaml`` (``policy-wh generate``; a test proves the committed file is fresh);
- the GX submission suites' schema expectations — ``checks.suites``;
- the days a file touches — ``data_days`` (at submit time, kept in the inbox sidecar).

Adding a kind: a module here with its declaration, listed in :data:`KINDS`; its validator; its staging model.
"""
from __future__ import annotations

from .air_quality import AIR_QUALITY_KIND
from .indicators import INDICATORS_KIND
from .progress import PROGRESS_KIND
from .shape import DataDay, Field, SubmissionKind

KINDS: dict[str, SubmissionKind] = {k.name: k for k in (PROGRESS_KIND, INDICATORS_KIND, AIR_QUALITY_KIND)}

__all__ = ["KINDS", "DataDay", "Field", "SubmissionKind"]
