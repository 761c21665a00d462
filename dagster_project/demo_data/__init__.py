"""Demo department submissions: deterministic, realistic progress and indicator files for 2015-07 → 2016-12.

Why a package: the warehouse needs something to load before real departments send files, and the
submissions library needs a realistic workload (volume, formats, clerks' habits, broken files) to be
measured against. :func:`generate_demo_submissions` reads the seeds and writes the files a supervision
office would have received:

- ``model``     the simulated world (who reports which task, cadence, progress plans, indicator series)
- ``writers``   reproducible xlsx (fixed workbook properties and zip timestamps) and CSV bytes
- ``generate``  files per organisation and report day, the planted broken files, the manifest
- ``check``     submit + load everything into a DuckDB file with the seeds as raw tables, timed

Same seeds, window and seed → byte-identical files.
"""
from __future__ import annotations

from .generate import DemoFile, DemoManifest, PlantedProblem, generate_demo_submissions

__all__ = ["DemoFile", "DemoManifest", "PlantedProblem", "generate_demo_submissions"]
