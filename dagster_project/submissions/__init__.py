"""Department submissions: read, validate, file into the inbox, load into raw, and hand out templates.

Why a package: a progress file travels through five small steps, each with one job, and each is
tested on its own:

- ``formats``    bytes → sheets of cell text (xlsx or CSV, encoding detection, header mapping)
- ``reference``  the seed tables a file is checked against (tasks, organisations, indicators, regions)
- ``validation`` cell text → typed good rows + quarantined problems (reason codes, Chinese messages)
  (its parts: ``reasons``, ``cells``, ``engine``, ``rules`` — each row rule declared once, also run as SQL by
  ``bulk_csv`` for large CSVs — and ``sheets``)
- ``inbox``      ``submit(paths)``: quick check, store under the content hash, tell the sender the outcome
- ``loader``     ``load_files(con, files, partition_date, today)``: append to raw.*, one transaction per file
- ``template``   ``write_template(con, org, out_path)``: the xlsx a department fills in

Nothing here evaluates a cell: formulas and formula-like text are kept as text.
"""
from __future__ import annotations

from .formats import INDICATORS, PROGRESS, FileRejected, SubmissionFile, read_submission
from .inbox import SubmitResult, inbox_files, submit
from .loader import FileOutcome, LoadResult, load_files
from .reference import Reference, load_reference
from .template import TemplateInfo, write_template
from .validation import REASON_CODES, FileValidation, validate_file

__all__ = [
    "FileOutcome",
    "FileRejected",
    "FileValidation",
    "INDICATORS",
    "LoadResult",
    "PROGRESS",
    "REASON_CODES",
    "Reference",
    "SubmissionFile",
    "SubmitResult",
    "TemplateInfo",
    "inbox_files",
    "load_files",
    "load_reference",
    "read_submission",
    "submit",
    "validate_file",
    "write_template",
]
