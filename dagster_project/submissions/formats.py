"""Reading a submitted file: bytes → sheets of cell *text*, with their columns mapped to field names.

Why this module: departments send whatever their Excel produces — an ``.xlsx`` from the template, a
CSV in UTF-8 (with or without BOM) or in GB18030/GBK (what Chinese Excel writes), headers in Chinese
or English, a title row above the header, percent-formatted cells (0.85 shown as 85%), dates typed
as dates or as text. Everything past this module sees one shape: a :class:`Sheet` whose cells are
stripped strings, each with the row number the clerk sees in Excel (header = row 1 in the template).

Nothing is evaluated: an Excel formula is read with ``data_only=False`` and kept as its text
(``=SUM(A1:A3)``), and CSV cells are plain strings. File-level problems raise :class:`FileRejected`
with a reason code and a Chinese sentence for the sender.

Every input is bounded (the limits below, :data:`LIMITS`, each with its own reason code): the file's
size, an .xlsx's unpacked size (from the zip directory before anything is parsed, and counted again
while the sheets are read), rows, columns and cells of a sheet, the length of a CSV row, the length
of a cell. A CSV is measured by one pass over its bytes (:func:`csv_shape`) before any parser sees
it, the same pass for the row-by-row path and the bulk path (``bulk_csv.bulk_plan``), so both
enforce the same limits and reject the same files. What the reader leaves out without rejecting —
a hidden sheet, control characters removed from CSV cells — is told to the sender in
``SubmissionFile.notes``.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, time
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .kinds import KINDS as _DECLARED

PROGRESS = "progress"
INDICATORS = "indicators"
AIR_QUALITY = "air_quality"      # quarterly composite index per monitoring station (〔2015〕126号 / 144号)
KINDS = tuple(_DECLARED)
# Everything below is read off the declarations in submissions/kinds/ (one module per kind).
SHEET_TITLES: dict[str, str] = {name: kind.sheet_title for name, kind in _DECLARED.items()}
FIELDS: dict[str, tuple[str, ...]] = {name: kind.field_names for name, kind in _DECLARED.items()}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {name: kind.required_fields for name, kind in _DECLARED.items()}
# A row whose *fill* columns are all blank was not filled in (the template pre-fills 任务编号 and
# 填报单位 on every row): it is skipped, not quarantined, and counted as ``rows_blank``.
FILL_FIELDS: dict[str, tuple[str, ...]] = {name: kind.fill_fields for name, kind in _DECLARED.items()}
CHINESE_HEADERS: dict[str, str] = {f.name: f.header for kind in _DECLARED.values() for f in kind.fields}
# Reference columns the template shows; read and ignored.
INFO_HEADERS: dict[str, str] = {f.name: f.header for kind in _DECLARED.values() for f in kind.info_headers}
_SYNONYMS: dict[str, str] = {text: f.name for kind in _DECLARED.values() for f in kind.fields for text in f.synonyms}

# --- limits: every input is bounded, each bound with its own reason code (README "Limits") ----------------
MAX_FILE_BYTES = 100 * 1024 * 1024          # file_too_large: the bytes of one file
MAX_UNPACKED_BYTES = 256 * 1024 * 1024      # unpacked_too_large: an .xlsx's members, unpacked, together
MAX_ROWS = 1_048_576                        # too_many_rows: rows of one sheet / one CSV (Excel's own limit)
MAX_COLUMNS = 256                           # too_many_columns: cells of one row, up to its last filled one
MAX_CELLS = 16_777_216                      # too_many_cells: rows × columns of one sheet as read
MAX_LINE_BYTES = 1024 * 1024                # line_too_long: one CSV row as text (line breaks in quotes included)
MAX_CELL_CHARS = 32_767                     # cell_too_long (that row is quarantined): Excel's own cell limit
LIMITS: dict[str, tuple[int, str]] = {
    "MAX_FILE_BYTES": (MAX_FILE_BYTES, "file_too_large"),
    "MAX_UNPACKED_BYTES": (MAX_UNPACKED_BYTES, "unpacked_too_large"),
    "MAX_ROWS": (MAX_ROWS, "too_many_rows"),
    "MAX_COLUMNS": (MAX_COLUMNS, "too_many_columns"),
    "MAX_CELLS": (MAX_CELLS, "too_many_cells"),
    "MAX_LINE_BYTES": (MAX_LINE_BYTES, "line_too_long"),
    "MAX_CELL_CHARS": (MAX_CELL_CHARS, "cell_too_long"),
}
HEADER_SEARCH_ROWS = 10      # the header may sit below a title row or two

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # .xls / .doc (Office 97–2003)
# A password-protected .xlsx is an OLE2 (CFB) container holding the encrypted package as a stream of this name
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Control characters removed from CSV text (tab, line feed and carriage return are kept: they mean something)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_BYTES = bytes(c for c in range(0x80) if _CONTROL.match(chr(c)))
# A text whose first 64 KiB hold this many control characters, and at least this share, is not a CSV at all
_BINARY_CONTROLS, _BINARY_SHARE = 64, 1 / 8
# one CSV's cells: the guard for csv.reader (the ragged-row fallback), whose default limit is 128 KiB a cell
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES + 16))
_BRACKETED_SUFFIX = re.compile(r"[(\[].*[)\]]$")
# Every character str.strip() removes except line breaks, space and tab, as UTF-8, by length: one-byte
# ones, the second bytes of two-byte ones (all start with 0xC2), three-byte ones as 24-bit numbers.
_OTHER_SPACES = [chr(c).encode("utf-8") for c in range(0x110000)
                 if chr(c).isspace() and chr(c) not in " \t\n\r"]
assert all(len(s) == 1 or (len(s) == 2 and s[0] == 0xC2) or len(s) == 3 for s in _OTHER_SPACES)
_RARE_SPACES = (
    None,
    tuple(s for s in _OTHER_SPACES if len(s) == 1),
    np.array([s[1] for s in _OTHER_SPACES if len(s) == 2], dtype=np.uint8),
    np.array([int.from_bytes(s, "big") for s in _OTHER_SPACES if len(s) == 3], dtype=np.uint32),
)
_EDGE_BYTES = (b",", b"\t", b'"', b"\n", b"\r")


class FileRejected(Exception):
    """A problem with the whole file: it is kept and recorded, and none of its rows load."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message          # Chinese, for the sender
        self.detail = detail            # e.g. the missing columns, for quarantined_rows.raw_value


def _size(n: int) -> str:
    """A byte count for a Chinese message: 100 MB, 256 MB, 1 MB, 32 KB."""
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


@dataclass
class Sheet:
    """One data sheet (or one CSV): all columns as text; ``fields`` maps a field to its column."""

    kind: str
    name: str                           # sheet title (for a CSV: the canonical title of its kind)
    headers: list[str]                  # every header as printed
    fields: dict[str, int]              # field name → column position
    frame: pd.DataFrame                 # columns 0..n-1, object dtype, stripped strings, non-blank rows
    row_numbers: pd.Series              # row number as the clerk sees it in Excel, aligned with frame
    header_row: int = 1
    rows_blank: int = 0                 # rows whose fill columns were empty (template rows not filled in)
    # False when no cell can be longer than MAX_CELL_CHARS (no CSV row is): the validator skips measuring them
    long_cells: bool = True

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> pd.Series:
        """The cells of one field ("" everywhere if the column is absent)."""
        if name in self.fields:
            return self.frame[self.fields[name]]
        return pd.Series([""] * len(self.frame), index=self.frame.index, dtype=object)

    def header(self, name: str) -> str:
        """The header as the clerk printed it (or the Chinese one if the column is absent)."""
        if name in self.fields:
            return self.headers[self.fields[name]] or CHINESE_HEADERS.get(name, name)
        return CHINESE_HEADERS.get(name, name)

    @cached_property
    def _cells(self) -> np.ndarray:
        """The grid as one object array (row access without building a pandas Series per row)."""
        return self.frame.to_numpy(dtype=object)

    def raw_row(self, position: int) -> dict[str, str]:
        """One row as received, header → text (for quarantined_rows.raw_row)."""
        values = self._cells[position].tolist()
        return {(h or f"列{i + 1}"): v for i, (h, v) in enumerate(zip(self.headers, values)) if v != ""}


@dataclass
class SubmissionFile:
    """A readable file: its type, encoding (CSV) and data sheets."""

    file_type: str                      # xlsx | csv
    encoding: str | None
    sheets: list[Sheet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # Chinese: what was read differently (hidden sheet ignored …)

    @property
    def rows_total(self) -> int:
        return sum(len(s) for s in self.sheets)


# --- headers ----------------------------------------------------------------------------------------

def normalise_header(text: object) -> str:
    """任务编号 / ' 任务编号* ' / 完成进度（%） / Task ID / task-id → a comparable key."""
    key = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip().casefold()
    key = key.lstrip("*").rstrip("*：:")
    key = re.sub(r"[\s_\-]+", "", key)
    if key in _HEADER_KEYS:
        return key
    return _BRACKETED_SUFFIX.sub("", key)


def _header_keys() -> dict[str, str]:
    """Every accepted header, normalised, → its field: the field name, the template's Chinese header and the
    declared synonyms of each field (and the template's reference columns, which are read and ignored)."""
    keys: dict[str, str] = {}
    for name, chinese in {**CHINESE_HEADERS, **INFO_HEADERS}.items():
        keys[_key(name)] = name
        keys[_key(chinese)] = name
    for text, name in _SYNONYMS.items():
        keys[_key(text)] = name
    return keys


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).casefold())


_HEADER_KEYS: dict[str, str] = _header_keys()


def map_headers(headers: Sequence[object]) -> tuple[dict[str, int], list[str]]:
    """Field → column for the known headers; and the fields printed twice (a file-level error)."""
    fields: dict[str, int] = {}
    twice: list[str] = []
    for position, header in enumerate(headers):
        name = _HEADER_KEYS.get(normalise_header(header))
        if name is None or name in INFO_HEADERS:
            continue
        if name in fields:
            twice.append(name)
        else:
            fields[name] = position
    return fields, twice


def classify(fields: Iterable[str]) -> str | None:
    """Which kind of sheet a set of mapped headers describes (None if none, or if two kinds fit equally)."""
    present = set(fields)
    scores = {kind: len(present & (set(FIELDS[kind]) - {"reported_by"})) for kind in KINDS}
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None
    return max(KINDS, key=lambda k: scores[k])


_TITLE_KINDS: dict[str, str] = {
    _key(title): name for name, kind in _DECLARED.items() for title in (kind.sheet_title, name, *kind.title_aliases)}


def kind_of_title(title: str) -> str | None:
    """The kind a sheet title names (任务进展 / 指标数据 / 空气质量, or English), else None."""
    return _TITLE_KINDS.get(normalise_header(title))


# --- cells ------------------------------------------------------------------------------------------

def number_text(value: float | int) -> str:
    """12.0 → '12', 0.1+0.2 → '0.3' (15 significant digits, what Excel shows)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    text = format(value, ".15g")
    if "e" in text:
        text = format(value, "f").rstrip("0").rstrip(".")
    return text


def cell_text(value: object, number_format: str | None = None) -> str:
    """An openpyxl cell value as the text a clerk sees (formulas verbatim, percents as 85%)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = (number_format or "General").lower()
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            # a date typed as 2015-09 becomes 2015-09-01 formatted mmm-yy: keep the month
            if "d" not in fmt.replace("[red]", "") and ("m" in fmt or "y" in fmt) and fmt != "general":
                return value.strftime("%Y-%m")
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in fmt:
            return number_text(round(value * 100, 10)) + "%"
        return number_text(value)
    return str(value).strip()


# --- file type and encoding -------------------------------------------------------------------------

def detect_type(data: bytes) -> str:
    """'xlsx' or 'csv' from the bytes (never from the file name); FileRejected otherwise."""
    if not data:
        raise FileRejected("empty_file", "文件是空的（0 字节），请重新导出后再报送。")
    if len(data) > MAX_FILE_BYTES:
        raise FileRejected("file_too_large", f"文件超过 {_size(MAX_FILE_BYTES)}，请拆分后报送。", str(len(data)))
    if data.startswith(_ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise FileRejected("unreadable_file", "文件已损坏，无法打开，请用 Excel 重新保存后报送。", str(error)) from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileRejected("wrong_file_type", "文件不是 Excel 表格（.xlsx）或 CSV 文件，请使用下发的模板填报。")
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise FileRejected("encrypted_file", "文件设置了打开密码（已加密），系统无法读取。请在 Excel 中打开文件，"
                               "依次点“文件 → 信息 → 保护工作簿 → 用密码进行加密”，删除密码并保存后重新报送。",
                               "EncryptedPackage")
        raise FileRejected("wrong_file_type", "文件是旧版 Excel（.xls）格式，请在 Excel 中“另存为”.xlsx 后报送。")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected("wrong_file_type", "文件不是 Excel 表格（.xlsx）或 CSV 文件，请使用下发的模板填报。")
    if data.startswith(b"%PDF"):
        raise FileRejected("wrong_file_type", "文件是 PDF，无法读取数据，请使用下发的 Excel 模板填报。")
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """CSV bytes → (text, encoding): UTF-8 with/without BOM, UTF-16 with BOM, else GB18030 (GBK's superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_binary(text[:65536]):
            raise FileRejected("unreadable_file", "文件不是文本格式的 CSV，也不是 Excel 表格，无法读取。")
        return text, encoding
    raise FileRejected("unknown_encoding", "无法识别 CSV 文件的文字编码，请在 Excel 中另存为“CSV UTF-8”或“CSV（逗号分隔）”后报送。")


def looks_binary(head: str | bytes) -> bool:
    """Is this (the first 64 KiB of a file) binary rather than text? Many control characters, densely.

    One stray BEL, ESC or VT in a cell never makes a file binary: those are removed (:func:`remove_controls`)."""
    if isinstance(head, bytes):
        count = len(head) - len(head.translate(None, CONTROL_BYTES))
    else:
        count = sum(1 for _ in _CONTROL.finditer(head)) if _CONTROL.search(head) else 0
    return count >= _BINARY_CONTROLS and count >= _BINARY_SHARE * len(head)


def remove_controls(text: str, utf8: bytes | None = None) -> tuple[str, bytes | None, int]:
    """CSV text without control characters (tab, line feed and carriage return kept); and how many went.

    ``utf8``: the same text as UTF-8 bytes, cleaned too (a control character is one byte in UTF-8 and
    never part of a longer sequence). The bulk path removes the same characters in SQL."""
    if utf8 is not None:
        cleaned = utf8.translate(None, CONTROL_BYTES)
        removed = len(utf8) - len(cleaned)
        if not removed:
            return text, utf8, 0
        return cleaned.decode("utf-8"), cleaned, removed
    if not _CONTROL.search(text):
        return text, None, 0
    text, removed = _CONTROL.subn("", text)
    return text, None, removed


def controls_note(removed: int) -> str:
    """What the sender is told when control characters were removed (the same words on both load paths)."""
    return (f"文件中有 {removed} 个不可见的控制字符（如响铃符 BEL、转义符 ESC、垂直制表符 VT），已从单元格中删除，"
            "其余内容照常读取；如这些字符有意义，请改用普通文字后重新报送。")


# --- the shape of a CSV: one pass over its bytes, before any parser -----------------------------------------

@dataclass(frozen=True)
class CsvShape:
    """A CSV's rows as Excel would show them, measured on its bytes (UTF-8 or GB18030, where every quote,
    separator and line break is one ASCII byte): a line break inside a quoted cell does not end a row."""

    rows: int = 0                       # rows (records), blank ones included
    longest: int = 0                    # bytes of the longest row
    longest_row: int = 0                # its row number
    widest: int = 0                     # cells of the widest row (a reader makes every row this wide); an upper
    widest_row: int = 0                 # bound (quoted separators counted) unless that bound breaks a limit
    multiline: bool = False             # some quoted cell holds a line break
    quote_row: int | None = None        # a quoted cell opening on this row never closes properly …
    quote_line: int | None = None       # … (the same place as a line of the text, for Notepad users)
    controls: int = 0                   # control characters (:data:`CONTROL_BYTES`), removed when read


def _low_bytes(data: bytes, codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Positions of line breaks (every LF, and every CR not followed by LF), and how many control
    characters (:data:`CONTROL_BYTES`) the bytes hold: one pass over the bytes below 0x20."""
    low = np.flatnonzero(codes < 0x20)
    values = codes[low]
    controls = int(np.count_nonzero((values != 0x09) & (values != 0x0A) & (values != 0x0D)))
    controls += data.count(b"\x7f") if b"\x7f" in data else 0
    lf = low[values == 0x0A]
    cr = low[values == 0x0D]
    if not len(cr):
        return lf, controls
    following = codes[np.minimum(cr + 1, len(codes) - 1)]
    lone = cr[(cr + 1 >= len(codes)) | (following != 0x0A)]
    return (np.union1d(lf, lone) if len(lone) else lf), controls


def _inside(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True where a position lies strictly inside one of the (sorted, disjoint) quoted spans."""
    if not len(starts) or not len(positions):
        return np.zeros(len(positions), dtype=bool)
    span = np.searchsorted(starts, positions, side="right") - 1
    return (span >= 0) & (positions < ends[np.maximum(span, 0)])


_NO_POSITIONS = np.array([], dtype=np.int64)


def _quoted_spans(data: bytes, codes: np.ndarray, quotes: np.ndarray, delimiter: int,
                  breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray, int | None]:
    """The quoted cells as (opening quote, closing quote) positions, as pandas' and Python's CSV readers
    take them; and the opening quote of a cell that never closes properly (None if every one does).

    A quote opens a cell only at the start of a field; inside, ``""`` is a quote; the closing quote is
    followed by a separator, a line break or the end. A file as Excel writes it is checked with numpy
    alone (then the k-th quote opens a cell when k is even and closes it when k is odd); any other file
    quote by quote."""
    n = len(codes)
    field_start = (delimiter, 0x0A, 0x0D)
    if len(quotes) % 2 == 0:
        before = np.where(quotes > 0, codes[np.maximum(quotes - 1, 0)], 0x0A)
        after = np.where(quotes < n - 1, codes[np.minimum(quotes + 1, n - 1)], 0x0A)
        adjacent = np.zeros(len(quotes) + 1, dtype=bool)     # adjacent[k]: quote k-1 sits right before quote k
        adjacent[1:-1] = quotes[1:] == quotes[:-1] + 1
        opening = np.isin(before, field_start) | adjacent[:-1]
        closing = np.isin(after, field_start) | adjacent[1:]
        if opening[0::2].all() and closing[1::2].all():
            return quotes[0::2], quotes[1::2], None
    opens: list[int] = []
    closes: list[int] = []
    positions = quotes.tolist()
    i, m, inside, opened = 0, len(positions), False, 0
    while i < m:
        q = positions[i]
        if not inside:
            if q == 0 or data[q - 1] in field_start:
                inside, opened = True, q
            i += 1                                   # else a quote inside an unquoted cell: plain text
            continue
        if i + 1 < m and positions[i + 1] == q + 1:
            i += 2                                   # "" inside a quoted cell
            continue
        inside = False
        opens.append(opened)
        closes.append(q)
        i += 1
        if q + 1 < n and data[q + 1] not in field_start:
            # text after the closing quote: harmless on one line (the readers glue it on), but a cell that ran
            # over a line break to get here swallowed the lines in between
            first_break = int(np.searchsorted(breaks, opened, side="right"))
            if first_break < len(breaks) and breaks[first_break] < q:
                return np.array(opens, dtype=np.int64), np.array(closes, dtype=np.int64), opened
    return np.array(opens, dtype=np.int64), np.array(closes, dtype=np.int64), (opened if inside else None)


def csv_shape(data: bytes, delimiter: str = ",") -> CsvShape:
    """Measure a CSV (UTF-8 or GB18030 bytes, no BOM): its rows, the longest and the widest row, and whether
    a quote that opens a cell swallows the lines after it (never closed, closed in the middle of a later
    cell, or the cell holds what reads as whole rows). numpy over the bytes; a loop only over the quotes of
    a file that has quotes outside Excel's own pattern."""
    if not data:
        return CsvShape()
    codes = np.frombuffer(data, dtype=np.uint8)
    sep = ord(delimiter)
    breaks, controls = _low_bytes(data, codes)
    quotes = np.flatnonzero(codes == 0x22) if b'"' in data else _NO_POSITIONS
    starts, ends, unclosed = (_quoted_spans(data, codes, quotes, sep, breaks) if len(quotes)
                              else (_NO_POSITIONS, _NO_POSITIONS, None))
    inner = _inside(breaks, starts, ends)
    row_ends = breaks[~inner] if len(starts) else breaks
    row_starts = np.concatenate(([0], row_ends + 1))
    if row_starts[-1] >= len(codes):
        row_starts = row_starts[:-1]                  # the text ends with a line break
    rows = len(row_starts)
    lengths = np.diff(np.append(row_starts, len(codes)))
    separators = np.flatnonzero(codes == sep)
    bounds = np.append(row_starts, len(codes))
    per_row = np.diff(np.searchsorted(separators, bounds)) + 1
    if len(starts) and (per_row.max() > MAX_COLUMNS or rows * per_row.max() > MAX_CELLS or inner.any()):
        # separators inside quoted cells counted too: exact only when it matters (or a multi-line cell is checked)
        separators = separators[~_inside(separators, starts, ends)]
        per_row = np.diff(np.searchsorted(separators, bounds)) + 1
    shape = dict(rows=rows, longest=int(lengths.max()), longest_row=int(lengths.argmax()) + 1,
                 widest=int(per_row.max()), widest_row=int(per_row.argmax()) + 1, multiline=bool(inner.any()),
                 controls=controls)
    opened = unclosed
    if opened is None and shape["multiline"]:
        opened = _swallowing_cell(data, starts, ends, breaks[inner], sep, int(np.bincount(per_row).argmax()))
    if opened is not None:
        shape["quote_row"] = int(np.searchsorted(row_starts, opened, side="right"))
        shape["quote_line"] = int(np.searchsorted(breaks, opened)) + 1
    return CsvShape(**shape)


def _swallowing_cell(data: bytes, starts: np.ndarray, ends: np.ndarray, inner_breaks: np.ndarray,
                     sep: int, width: int) -> int | None:
    """The opening quote of a multi-line quoted cell holding a line with as many separators as a whole row
    (what a stray quote does to the rows after it), or None. ``width``: the usual number of cells of a row."""
    if width < 3:
        return None
    separator = bytes([sep])
    for span in np.unique(np.searchsorted(starts, inner_breaks, side="right") - 1).tolist():
        lines = data[starts[span] + 1:ends[span]].replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        if any(line.count(separator) >= width - 1 for line in lines[1:]):
            return int(starts[span])
    return None


def check_csv_shape(shape: CsvShape) -> None:
    """FileRejected if a CSV breaks a limit or its quoting swallows lines (the same verdict on both load paths)."""
    if shape.quote_row is not None:
        raise FileRejected(
            "unbalanced_quote",
            f"第{shape.quote_row}行（用记事本打开是第{shape.quote_line}行）有一个引号（\"）没有正确闭合，其后的行被并进了"
            f"同一个单元格，无法可靠读取。请检查该行的引号（单元格内的引号要写成两个 \"\"），或用 Excel 打开后重新另存为 CSV 再报送。",
            f"row {shape.quote_row}, line {shape.quote_line}")
    if shape.rows > MAX_ROWS:
        raise FileRejected("too_many_rows", f"文件有 {shape.rows:,} 行，超过上限 {MAX_ROWS:,} 行（Excel 一个工作表的行数上限），"
                                            "请拆分成几个文件后报送。", str(shape.rows))
    if shape.widest > MAX_COLUMNS:
        raise FileRejected("too_many_columns", f"第{shape.widest_row}行有 {shape.widest:,} 列，超过上限 {MAX_COLUMNS} 列，"
                                               "请删除多余的列（或检查分隔符）后报送。", str(shape.widest))
    if shape.rows * shape.widest > MAX_CELLS:
        raise FileRejected("too_many_cells", f"文件有 {shape.rows:,} 行 × {shape.widest} 列，超过 {MAX_CELLS:,} 个单元格的上限，"
                                             "请删除多余的行列或拆分后报送。", str(shape.rows * shape.widest))
    if shape.longest > MAX_LINE_BYTES:
        raise FileRejected("line_too_long", f"第{shape.longest_row}行的文字超过 {_size(MAX_LINE_BYTES)}，超出上限，"
                                            f"无法读取（Excel 一个单元格最多 {MAX_CELL_CHARS:,} 个字符）。请检查该行后重新报送。",
                           str(shape.longest))


def has_padded_cell(text: str | bytes, delimiter: str = ",") -> bool:
    """Could a cell of this CSV (text, or its UTF-8 bytes) start or end with whitespace? False → no cell needs stripping.

    Conservative and fast: a few byte scans instead of a Python loop over every cell. True when a space
    or tab touches a separator, quote, line break or an end of the text, when a line break sits just
    inside a quote, when a lone carriage return appears, or when any rarer space character (全角空格,
    no-break space …) appears anywhere at all."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    codes = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(codes == 0x0D)
    if len(returns) and (returns[-1] == len(codes) - 1 or np.any(codes[returns + 1] != 0x0A)):
        return True                                  # a carriage return that does not end a line
    if b'"' in data and _quoted_break(data):
        return True
    for space in (b" ", b"\t"):
        if space not in data or space == delimiter.encode():
            continue
        if data.startswith(space) or data.endswith(space):
            return True
        if any(space + edge in data or edge + space in data for edge in _EDGE_BYTES if edge != space):
            return True
    return _has_rare_space(codes, data)


def _has_rare_space(codes: np.ndarray, data: bytes) -> bool:
    """Any space character other than space and tab (全角空格, no-break space, \\v …) anywhere in the bytes?

    numpy over the bytes: a substring scan per character would cost a millisecond each on Chinese text."""
    if any(space in data for space in _RARE_SPACES[1]):
        return True
    for lead, tails in ((0xC2, _RARE_SPACES[2]), (0xE1, None), (0xE2, None), (0xE3, None)):
        positions = np.flatnonzero(codes[:-1] == lead) if len(codes) > 1 else np.array([], dtype=np.int64)
        if not len(positions):
            continue
        if tails is not None:
            if np.any(codes[positions + 1][:, None] == tails):
                return True
            continue
        positions = positions[positions + 2 < len(codes)]
        triples = (np.uint32(lead) << 16) | (codes[positions + 1].astype(np.uint32) << 8) | codes[positions + 2]
        if np.any(triples[:, None] == _RARE_SPACES[3]):
            return True
    return False


def _quoted_break(data: bytes) -> bool:
    """A line break just inside a quoted cell (opening quote then break, or break then closing quote)."""
    return data.startswith(b'"\n') or data.endswith(b'\n"') or any(pattern in data for pattern in (
        b',"\n', b'\t"\n', b',"\r', b'\n"\n', b'\n",', b'\n"\r', b'\n"\t'))


def csv_delimiter(text: str) -> str:
    """Tab when the first non-blank line has tabs and no comma (Excel's 'Unicode text'), else comma.

    Control characters do not count (the same answer before and after :func:`remove_controls`)."""
    head = text[:65536]
    first_line = next((line for line in (_CONTROL.sub("", head) if _CONTROL.search(head) else head).splitlines()
                       if line.strip()), "")
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _parse_csv(text: str, utf8: bytes | None = None) -> pd.DataFrame:
    """CSV text → a grid of strings. ``utf8``: the same text as UTF-8 bytes, if at hand (faster to parse)."""
    delimiter = csv_delimiter(text)
    try:
        return pd.read_csv(io.BytesIO(text.encode("utf-8") if utf8 is None else utf8), encoding="utf-8",
                           header=None, dtype=object, na_filter=False, skip_blank_lines=False, sep=delimiter,
                           quotechar='"', engine="c")
    except pd.errors.EmptyDataError:
        return pd.DataFrame(dtype=object)
    except pd.errors.ParserError:
        # ragged rows (more cells than the header): the csv module copes, pandas' C parser does not
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


# --- sheets -----------------------------------------------------------------------------------------

def _find_header(frame: pd.DataFrame) -> int | None:
    for position in range(min(HEADER_SEARCH_ROWS, len(frame))):
        fields, _ = map_headers(frame.iloc[position].tolist())
        if len(fields) >= 2:
            return position
    return None


def _header_name(text: str) -> str | None:
    """The field or reference column a header names, or None."""
    return _HEADER_KEYS.get(normalise_header(text)) if text else None


def _header_text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def header_continuation(upper: Sequence[object], lower: Sequence[object]) -> list[str] | None:
    """The combined headers when ``lower`` continues the header row ``upper``, else None.

    A two-row header: group titles (a merged 本次填报 over four columns) or vertically merged cells
    (任务编号 over rows 1–2) above, the column names below. ``lower`` continues ``upper`` when each of its
    texts stands under a blank cell or an unknown title, or repeats the header above it, and it names at
    least one field the row above does not. A data row never does: its cells stand under known headers."""
    up = [_header_text(v) for v in upper]
    low = [_header_text(v) for v in lower]
    width = max(len(up), len(low))
    up += [""] * (width - len(up))
    low += [""] * (width - len(low))
    above = {name for name in map(_header_name, up) if name and name not in INFO_HEADERS}
    new = False
    for text_up, text_low in zip(up, low):
        if not text_low:
            continue
        name_up, name_low = _header_name(text_up), _header_name(text_low)
        if name_low is None:
            if name_up is not None:
                return None                          # text under a known header: a data row
        elif name_up is None:
            new = new or (name_low not in INFO_HEADERS and name_low not in above)
        elif name_up != name_low:
            return None
    if not new:
        return None
    return [b if b and (_header_name(b) or not a) else a for a, b in zip(up, low)]


def _two_row_header(frame: pd.DataFrame, header_at: int) -> tuple[list[str], int]:
    """The header row's cells (a two-row header combined, see :func:`header_continuation`) and the position
    of the header's last row."""
    headers = ["" if h is None else str(h).strip() for h in frame.iloc[header_at].tolist()]
    known = set(map_headers(headers)[0])
    if header_at > 0:
        combined = header_continuation(frame.iloc[header_at - 1].tolist(), headers)
        if combined is not None and set(map_headers(combined)[0]) > known:
            return combined, header_at
    if header_at + 1 < len(frame):
        combined = header_continuation(headers, frame.iloc[header_at + 1].tolist())
        if combined is not None and set(map_headers(combined)[0]) > known:
            return combined, header_at + 1
    return headers, header_at


def nonblank(column: pd.Series) -> np.ndarray:
    """True where a cell of text is not empty (truthiness of str objects, a C loop)."""
    return column.to_numpy(dtype=object).astype(bool)


def _strip(column: pd.Series) -> pd.Series:
    values = column.to_numpy(dtype=object)
    return pd.Series(np.array([v.strip() for v in values], dtype=object), index=column.index, dtype=object)


def build_sheet(frame: pd.DataFrame, title: str, row_numbers: Sequence[int] | None = None,
                *, is_csv: bool = False, strip: bool = True) -> Sheet | None:
    """A grid of cells → a data sheet, or None if the grid is not one (e.g. the 说明 sheet).

    ``row_numbers`` are the Excel rows of the grid's lines (default: position + 1).
    Raises FileRejected when a sheet *is* a data sheet but misses required columns.
    """
    numbers = pd.Series(range(1, len(frame) + 1) if row_numbers is None else list(row_numbers), dtype="int64")
    named_kind = None if is_csv else kind_of_title(title)
    header_at = _find_header(frame)
    if header_at is None:
        if is_csv:
            raise FileRejected("missing_columns", "无法从表头判断这是“任务进展”“指标数据”还是“空气质量”，请使用模板中的表头（第1行）。",
                               "、".join(str(v) for v in frame.iloc[0].tolist() if v))
        if named_kind is None:
            return None
        missing = REQUIRED_COLUMNS[named_kind]
        raise FileRejected("missing_columns", _missing_message(title, missing, is_csv), "、".join(CHINESE_HEADERS[m] for m in missing))
    headers, header_at = _two_row_header(frame, header_at)
    fields, twice = map_headers(headers)
    kind = named_kind or classify(fields)
    if kind is None:
        if is_csv:
            raise FileRejected("missing_columns", "无法从表头判断这是“任务进展”“指标数据”还是“空气质量”，请使用模板中的表头。",
                               "、".join(headers))
        return None
    sheet_name = SHEET_TITLES[kind] if is_csv else title
    if twice:
        names = "、".join(f"“{CHINESE_HEADERS.get(t, t)}”" for t in dict.fromkeys(twice))
        where = "" if is_csv else f"工作表“{title}”"
        raise FileRejected("duplicate_column", f"{where}表头中{names}列出现了不止一次，请删除重复的列。", names)
    missing = [m for m in REQUIRED_COLUMNS[kind] if m not in fields]
    if missing:
        raise FileRejected("missing_columns", _missing_message(sheet_name, missing, is_csv),
                           "、".join(CHINESE_HEADERS[m] for m in missing))
    body = frame.iloc[header_at + 1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    body_numbers = numbers.iloc[header_at + 1:].reset_index(drop=True)
    if len(body) and strip:
        for position in set(fields.values()):
            body[position] = _strip(body[position])
    fill = [fields[f] for f in FILL_FIELDS[kind] if f in fields]
    if len(body):
        any_cell = pd.Series(np.logical_or.reduce([nonblank(body[c]) for c in body.columns]), index=body.index)
        filled = pd.Series(np.logical_or.reduce([nonblank(body[c]) for c in fill] or [np.zeros(len(body), bool)]),
                           index=body.index)
        keep = any_cell & filled
        rows_blank = int((any_cell & ~filled).sum())
        body = body[keep].reset_index(drop=True)
        body_numbers = body_numbers[keep].reset_index(drop=True)
    else:
        rows_blank = 0
    return Sheet(kind=kind, name=sheet_name, headers=headers, fields=fields, frame=body,
                 row_numbers=body_numbers, header_row=int(numbers.iloc[header_at]), rows_blank=rows_blank)


def _missing_message(title: str, missing: Sequence[str], is_csv: bool) -> str:
    where = "文件" if is_csv else f"工作表“{title}”"
    names = "、".join(f"“{CHINESE_HEADERS[m]}”" for m in missing)
    return f"{where}缺少必填列{names}，请使用模板的表头（第1行）后重新报送。"


def read_csv_bytes(data: bytes) -> SubmissionFile:
    text, encoding = decode_text(data)
    utf8 = data if encoding == "utf-8" else data[3:] if encoding == "utf-8-sig" else None
    delimiter = csv_delimiter(text)
    # measured on the bytes as received (GB18030, like UTF-8, keeps quotes, separators and breaks one ASCII byte)
    shape = csv_shape(utf8 if utf8 is not None else data if encoding == "gb18030" else text.encode("utf-8"),
                      delimiter)
    check_csv_shape(shape)
    text, utf8, removed = remove_controls(text, utf8) if shape.controls else (text, utf8, 0)
    frame = _parse_csv(text, utf8)
    # stripping every cell is a Python loop; most files have no space next to a separator, so skip it then
    padded = has_padded_cell(utf8 if utf8 is not None else text, delimiter)
    sheet = build_sheet(frame, "", is_csv=True, strip=padded) if len(frame) else None
    if sheet is None:
        raise FileRejected("empty_file", "文件中没有任何内容，请填写后再报送。")
    sheet.long_cells = shape.longest > MAX_CELL_CHARS
    return SubmissionFile("csv", encoding, [sheet], notes=[controls_note(removed)] if removed else [])


class _GuardedZip(zipfile.ZipFile):
    """A ZipFile that counts the bytes it unpacks and stops past ``limit`` (an .xlsx whose directory lies).

    zipfile already never unpacks a member past the size the directory gives it (it checks the CRC there);
    this counts what every member handed to the parser, across every time it is opened (a member read
    twice counts once), and raises FileRejected(unpacked_too_large) past the limit."""

    def __init__(self, file: object, limit: int) -> None:
        super().__init__(file)
        self.limit = limit
        self.unpacked: dict[str, int] = {}

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):  # noqa: D102 - zipfile's signature
        handle = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return handle
        return _CountingReader(handle, self, name.filename if isinstance(name, zipfile.ZipInfo) else str(name))

    def count(self, member: str, position: int) -> None:
        if position > self.unpacked.get(member, 0):
            self.unpacked[member] = position
            if sum(self.unpacked.values()) > self.limit:
                raise _unpacked_too_large(sum(self.unpacked.values()))


class _CountingReader:
    """A member of a :class:`_GuardedZip` being read: every read is counted before the parser sees it."""

    def __init__(self, handle, archive: _GuardedZip, member: str) -> None:
        self._handle, self._archive, self._member, self._position = handle, archive, member, 0

    def _counted(self, data: bytes) -> bytes:
        self._position += len(data)
        self._archive.count(self._member, self._position)
        return data

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:          # a whole member at once: in chunks, so a lie is caught before it is held
            chunks = []
            while chunk := self._counted(self._handle.read(1024 * 1024)):
                chunks.append(chunk)
            return b"".join(chunks)
        return self._counted(self._handle.read(n))

    def read1(self, n: int = -1) -> bytes:
        return self._counted(self._handle.read1(n if n is not None and n >= 0 else 1024 * 1024))

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "_CountingReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str):
        return getattr(self._handle, name)


def _unpacked_too_large(size: int) -> FileRejected:
    return FileRejected("unpacked_too_large", f"Excel 文件解压后超过 {_size(MAX_UNPACKED_BYTES)}（实际约 {size // (1024 * 1024):,} MB），"
                                              "内容过大或文件异常，请删除多余内容、拆分，或另存为 CSV 后报送。", str(size))


def _check_unpacked(data: bytes) -> None:
    """The unpacked size the zip directory declares, before anything is parsed: FileRejected past the limit."""
    try:
        declared = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRejected("unreadable_file", "文件已损坏，无法打开，请用 Excel 重新保存后报送。", str(error)) from error
    if declared > MAX_UNPACKED_BYTES:
        raise _unpacked_too_large(declared)


def _open_workbook(data: bytes):
    """The workbook, read only, from a :class:`_GuardedZip` (openpyxl's own reader, given the guarded archive)."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
    reader.archive.close()
    reader.archive = _GuardedZip(io.BytesIO(data), MAX_UNPACKED_BYTES)
    reader.valid_files = reader.archive.namelist()
    reader.read()
    return reader.wb


def _sheet_grid(worksheet) -> tuple[list[list[str]], list[int]]:
    """The cells of a worksheet as text and each row's number, within MAX_ROWS, MAX_COLUMNS and MAX_CELLS
    (counted while reading: a sheet whose XML claims row 10⁹, or pads every row to column XFD, stops there)."""
    title = worksheet.title
    rows: list[list[str]] = []
    numbers: list[int] = []
    previous = width = read = 0
    for row in worksheet.iter_rows():
        number = next((c.row for c in row if getattr(c, "row", None)), previous + 1)
        previous = number
        if number > MAX_ROWS:
            raise FileRejected("too_many_rows", f"工作表“{title}”超过 {MAX_ROWS:,} 行（Excel 一个工作表的行数上限），"
                                                "请删除多余的行或拆分后报送。", str(number))
        read += len(row)
        if read > MAX_CELLS:
            raise FileRejected("too_many_cells", f"工作表“{title}”的单元格超过 {MAX_CELLS:,} 个，请删除多余的行列"
                                                 "（包括只设置了格式的空白单元格）或拆分后报送。", str(read))
        texts = [cell_text(c.value, getattr(c, "number_format", None)) if c.value is not None else "" for c in row]
        while texts and not texts[-1]:
            texts.pop()                               # trailing empty cells (formatted, never filled)
        if len(texts) > MAX_COLUMNS:
            raise FileRejected("too_many_columns", f"工作表“{title}”第{number}行有 {len(texts):,} 列，超过上限 {MAX_COLUMNS} 列，"
                                                   "请删除多余的列后报送。", str(len(texts)))
        width = max(width, len(texts))
        if (len(rows) + 1) * width > MAX_CELLS:
            raise FileRejected("too_many_cells", f"工作表“{title}”有 {len(rows) + 1:,} 行 × {width} 列，超过 "
                                                 f"{MAX_CELLS:,} 个单元格的上限，请删除多余的行列或拆分后报送。",
                               str((len(rows) + 1) * width))
        rows.append(texts)
        numbers.append(number)
    return rows, numbers


def read_xlsx_bytes(data: bytes) -> SubmissionFile:
    _check_unpacked(data)
    try:
        workbook = _open_workbook(data)
    except FileRejected:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileRejected("unreadable_file", "Excel 文件已损坏或加密，无法打开，请用 Excel 重新保存（不要设置密码）后报送。",
                           f"{type(error).__name__}: {error}") from error
    sheets: list[Sheet] = []
    hidden: list[str] = []
    try:
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue                                   # a chart sheet
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                hidden.append(worksheet.title)             # hidden or veryHidden: not what the clerk sees
                continue
            worksheet.reset_dimensions()                   # some writers record a wrong sheet size
            rows, numbers = _sheet_grid(worksheet)
            width = max((len(r) for r in rows), default=0)
            if width == 0:
                continue
            frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
            sheet = build_sheet(frame, worksheet.title, numbers, strip=False)     # cell_text stripped them
            if sheet is not None:
                sheets.append(sheet)
    except FileRejected as error:
        if hidden:
            error.message += hidden_sheets_note(hidden)
        raise
    except Exception as error:
        raise FileRejected("unreadable_file", "Excel 文件内容无法读取，请用 Excel 重新保存后报送。",
                           f"{type(error).__name__}: {error}") from error
    finally:
        workbook.close()
    if not sheets:
        raise FileRejected("missing_columns", "文件中没有“任务进展”“指标数据”或“空气质量”工作表（或表头不对），请使用下发的模板填报。"
                           + (hidden_sheets_note(hidden) if hidden else ""), "、".join(SHEET_TITLES.values()))
    return SubmissionFile("xlsx", None, sheets, notes=[hidden_sheets_note(hidden)] if hidden else [])


def hidden_sheets_note(titles: Sequence[str]) -> str:
    """What the sender is told about the hidden sheets of a workbook, which are never read."""
    names = "、".join(f"“{t}”" for t in titles)
    return (f"工作表{names}是隐藏的，已忽略，其中的数据没有读取；如需报送这些数据，"
            "请在 Excel 中取消隐藏（或把数据复制到“任务进展”等工作表）后重新报送。")


def read_submission(data: bytes) -> SubmissionFile:
    """Bytes of a submitted file → its data sheets. Raises FileRejected for a file-level problem."""
    file_type = detect_type(data)
    submission = read_xlsx_bytes(data) if file_type == "xlsx" else read_csv_bytes(data)
    if submission.rows_total == 0:
        raise FileRejected("empty_file", "文件中没有填写任何数据行（表头以下是空的），请填写后再报送。")
    return submission
