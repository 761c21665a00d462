"""What a submission kind declares (:class:`SubmissionKind`), and the raw columns every kind's table shares.

Plain data: this module imports nothing of the submissions package, so ``formats`` and ``validation`` can be
generated from it without an import cycle (a kind's data-day parser imports its cell parser when called).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from ...raw_schema import Column, Table, required


@dataclass(frozen=True)
class Field:
    """One column of the sheet a clerk fills in: the field name, the template's Chinese header, and the other
    headers accepted for it (Chinese or English; compared after normalisation: case, spaces, ``_`` and ``-``
    do not matter, and the field name itself is always accepted)."""

    name: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False          # blank → missing_value; absent from the header → missing_columns
    fill: bool = False              # a row whose fill columns are all blank was not filled in: skipped


@dataclass(frozen=True)
class DataDay:
    """Which sheet column dates a row (the day the loader rebuilds for it), and how its cell becomes the day;
    ``good_column`` is the typed column of the accepted rows that holds the same day, ``sql`` the same day as
    an expression over the kind's raw table."""

    field: str
    good_column: str
    parse: Callable[[str], date | None]
    sql: str


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the kind's sheet in the xlsx template, in order: a field or a reference column (its
    header comes from the declaration), its width and Excel number format; ``reference`` columns are
    pre-filled for the clerk and shaded grey."""

    name: str
    width: int
    number_format: str | None = None
    reference: bool = False


@dataclass(frozen=True)
class SubmissionKind:
    """One kind of sheet a department submits, and the raw table its accepted rows are appended to.

    ``table`` lists every stored column in order; the loader writes ``file_sha256``, ``file_name``,
    ``partition_date`` and ``loaded_at`` (:data:`LOADER_COLUMNS`), the validator all the others.
    ``helper_columns`` travel with the validator's good rows but are not stored (an air-quality row's
    quarter end, its data day)."""

    name: str
    sheet_title: str                       # the template's sheet name, e.g. 任务进展
    title_aliases: tuple[str, ...]         # other sheet titles that name this kind (English, longer Chinese)
    fields: tuple[Field, ...]
    table: Table
    key: tuple[str, ...]                   # typed columns that identify a row: two rows → duplicate or conflict
    key_label: str                         # the key in the clerk's words
    data_day: DataDay
    info_headers: tuple[Field, ...] = ()   # reference columns the template shows; read and ignored
    helper_columns: tuple[str, ...] = ()
    template: tuple[TemplateColumn, ...] = ()   # the template's sheet, if the template carries one

    def header(self, name: str) -> str:
        """The template's header of a field or reference column."""
        return next(f.header for f in (*self.fields, *self.info_headers) if f.name == name)

    def template_letter(self, name: str) -> str:
        """The Excel column letter of ``name`` in the template's sheet (A, B, …)."""
        position = next(i for i, c in enumerate(self.template) if c.name == name)
        return chr(ord("A") + position)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def fill_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.fill)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The columns the validator supplies, in the raw table's order."""
        return tuple(c for c in self.table.column_names if c not in LOADER_COLUMNS)

    @property
    def good_columns(self) -> tuple[str, ...]:
        """The columns of the validator's good rows: the stored ones, then the helper columns."""
        return self.stored_columns + self.helper_columns


LOADER_COLUMNS = ("file_sha256", "file_name", "partition_date", "loaded_at")


def file_columns() -> tuple[Column, ...]:
    """The first columns of every kind's table: which file and which row the accepted row came from."""
    return (
        required("file_sha256", "varchar", "来源文件的哈希。Hash of the source file."),
        required("file_name", "varchar", "来源文件名。Source file name."),
        required("sheet_name", "varchar", "工作表名。Sheet name."),
        required("row_number", "integer", "文件中的行号。Row number in the file."),
    )


def load_columns() -> tuple[Column, ...]:
    """The last columns of every kind's table: the load that appended the row."""
    return (
        required("partition_date", "date", "装载日。Load day."),
        required("loaded_at", "timestamp", "装载时间。Load timestamp."),
    )


def reported_by_field() -> Field:
    """填报单位: the same field, with the same accepted headers, in every kind."""
    return Field("reported_by", "填报单位", ("报送单位", "填报部门", "org", "organization"), required=True)


def kind_table(name: str, description: str, *columns: Column) -> Table:
    return Table(name, description, file_columns() + columns + load_columns())
