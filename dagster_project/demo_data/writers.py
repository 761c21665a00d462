"""Byte-for-byte reproducible xlsx and CSV files.

openpyxl stamps ``modified`` with the current time on ``save`` and the zip entries with the time they
were written (worksheets come from temporary files, with their mtime). So the workbook is written
with :class:`openpyxl.writer.excel.ExcelWriter` directly (no ``modified = now``), its properties set
to a fixed datetime, into a ZipFile that gives every entry that same fixed timestamp.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence


@dataclass
class SheetData:
    title: str
    headers: list[str]
    rows: list[list[object]]
    number_formats: dict[int, str] = field(default_factory=dict)   # column position → number format
    title_row: str | None = None                                      # a caption above the header


def xlsx_bytes(sheets: Sequence[SheetData], stamp: datetime, creator: str = "Administrator") -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for data in sheets:
        sheet = workbook.create_sheet(data.title)
        if data.title_row:
            sheet.append([data.title_row])
        sheet.append(list(data.headers))
        for row in data.rows:
            sheet.append(list(row))
        if data.number_formats:
            first = 3 if data.title_row else 2
            for position, number_format in data.number_formats.items():
                for (cell,) in sheet.iter_rows(min_row=first, min_col=position + 1, max_col=position + 1):
                    cell.number_format = number_format
    workbook.properties.creator = creator
    workbook.properties.lastModifiedBy = creator
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    out = io.BytesIO()
    with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.moment = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        ExcelWriter(workbook, archive).write_data()
    return out.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile that stamps every entry with one fixed time (openpyxl adds entries by name and by temp file)."""

    moment: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # noqa: ANN001
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            entry = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.moment)
            entry.compress_type = self.compression
            entry.external_attr = 0o600 << 16
            zinfo_or_arcname = entry
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # noqa: ANN001
        with open(filename, "rb") as handle:
            data = handle.read()
        self.writestr(arcname or str(filename), data, compress_type, compresslevel)


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    """CSV as Excel writes it (CRLF, minimal quoting) in utf-8-sig, gb18030 or gbk."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)
