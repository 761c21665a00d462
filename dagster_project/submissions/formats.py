"""Reading a submitted file: bytes → sheets of cell *text*, with their columns mapped to field names.

Why this module: departments send whatever their Excel produces — an ``.xlsx`` from the template, a
CSV in UTF-8 (with or without BOM) or in GB18030/GBK (what Chinese Excel writes), headers in Chinese
or English, a title row above the header, percent-formatted cells (0.85 shown as 85%), dates typed
as dates or as text. Everything past this module sees one shape: a :class:`Sheet` whose cells are
stripped strings, each with the row number the clerk sees in Excel (header = row 1 in the template).

Nothing is evaluated: an Excel formula is read with ``data_only=False`` and kept as its text
(``=SUM(A1:A3)``), and CSV cells are plain strings. File-level problems raise :class:`FileRejected`
with a reason code and a Chinese sentence for the sender.
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

PROGRESS = "progress"
INDICATORS = "indicators"
AIR_QUALITY = "air_quality"      # quarterly composite index per monitoring station (〔2015〕126号 / 144号)
KINDS = (PROGRESS, INDICATORS, AIR_QUALITY)
SHEET_TITLES: dict[str, str] = {PROGRESS: "任务进展", INDICATORS: "指标数据", AIR_QUALITY: "空气质量"}

FIELDS: dict[str, tuple[str, ...]] = {
    PROGRESS: ("task_id", "report_date", "status", "percent_complete", "note", "reported_by"),
    INDICATORS: ("indicator_id", "region", "period", "value", "unit", "reported_by"),
    AIR_QUALITY: ("station", "quarter", "composite_index", "reported_by"),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    PROGRESS: ("task_id", "report_date", "status", "reported_by"),
    INDICATORS: ("indicator_id", "region", "period", "value", "reported_by"),
    AIR_QUALITY: ("station", "quarter", "composite_index", "reported_by"),
}
# A row whose *fill* columns are all blank was not filled in (the template pre-fills 任务编号 and
# 填报单位 on every row): it is skipped, not quarantined, and counted as ``rows_blank``.
FILL_FIELDS: dict[str, tuple[str, ...]] = {
    PROGRESS: ("report_date", "status", "percent_complete", "note"),
    INDICATORS: ("period", "value"),
    AIR_QUALITY: ("quarter", "composite_index"),
}
CHINESE_HEADERS: dict[str, str] = {
    "task_id": "任务编号", "report_date": "填报日期", "status": "状态", "percent_complete": "完成进度",
    "note": "进展说明", "reported_by": "填报单位", "indicator_id": "指标编号", "region": "地区",
    "period": "统计期", "value": "数值", "unit": "单位",
    "station": "监测站", "quarter": "季度", "composite_index": "综合指数",
}
# Reference columns the template shows; read and ignored.
INFO_HEADERS: dict[str, str] = {
    "task_text": "任务内容", "deadline": "期限", "last_status": "上次状态", "indicator_name": "指标名称",
    "role": "本单位职责",
}
_SYNONYMS: dict[str, str] = {"报送单位": "reported_by", "填报部门": "reported_by", "完成进度%": "percent_complete",
                             "监测点": "station", "监测站点": "station", "站点": "station", "监测站名称": "station",
                             "空气质量综合指数": "composite_index", "季度综合指数": "composite_index",
                             "季度平均综合指数": "composite_index", "统计季度": "quarter"}

MAX_FILE_BYTES = 100 * 1024 * 1024
HEADER_SEARCH_ROWS = 10      # the header may sit below a title row or two

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # .xls / .doc (Office 97–2003)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
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
    keys: dict[str, str] = {}
    for name, chinese in {**CHINESE_HEADERS, **INFO_HEADERS}.items():
        keys[re.sub(r"[\s_\-]+", "", name)] = name
        keys[chinese] = name
    for text, name in _SYNONYMS.items():
        keys[re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).casefold())] = name
    keys.update({"percent": "percent_complete", "progress": "percent_complete", "date": "report_date",
                 "org": "reported_by", "organization": "reported_by", "indicator": "indicator_id",
                 "task": "task_id", "regioncode": "region"})
    return keys


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
    "任务进展": PROGRESS, "progress": PROGRESS, "taskprogress": PROGRESS,
    "指标数据": INDICATORS, "indicators": INDICATORS, "indicatordata": INDICATORS,
    "空气质量": AIR_QUALITY, "airquality": AIR_QUALITY, "空气质量综合指数": AIR_QUALITY,
}


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
        raise FileRejected("file_too_large", f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后报送。")
    if data.startswith(_ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise FileRejected("unreadable_file", "文件已损坏，无法打开，请用 Excel 重新保存后报送。", str(error)) from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileRejected("wrong_file_type", "文件不是 Excel 表格（.xlsx）或 CSV 文件，请使用下发的模板填报。")
    if data.startswith(_OLE2_MAGIC):
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
        if _CONTROL.search(text[:65536]):
            raise FileRejected("unreadable_file", "文件不是文本格式的 CSV，也不是 Excel 表格，无法读取。")
        return text, encoding
    raise FileRejected("unknown_encoding", "无法识别 CSV 文件的文字编码，请在 Excel 中另存为“CSV UTF-8”或“CSV（逗号分隔）”后报送。")


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
    """Tab when the first non-blank line has tabs and no comma (Excel's 'Unicode text'), else comma."""
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
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
    headers = ["" if h is None else str(h).strip() for h in frame.iloc[header_at].tolist()]
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
    frame = _parse_csv(text, utf8)
    # stripping every cell is a Python loop; most files have no space next to a separator, so skip it then
    padded = has_padded_cell(utf8 if utf8 is not None else text, csv_delimiter(text))
    sheet = build_sheet(frame, "", is_csv=True, strip=padded) if len(frame) else None
    if sheet is None:
        raise FileRejected("empty_file", "文件中没有任何内容，请填写后再报送。")
    return SubmissionFile("csv", encoding, [sheet])


def read_xlsx_bytes(data: bytes) -> SubmissionFile:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileRejected("unreadable_file", "Excel 文件已损坏或加密，无法打开，请用 Excel 重新保存（不要设置密码）后报送。",
                           f"{type(error).__name__}: {error}") from error
    sheets: list[Sheet] = []
    try:
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue                                   # a chart sheet
            worksheet.reset_dimensions()                   # some writers record a wrong sheet size
            rows: list[list[str]] = []
            numbers: list[int] = []
            previous = 0
            for row in worksheet.iter_rows():
                number = next((c.row for c in row if getattr(c, "row", None)), previous + 1)
                previous = number
                rows.append([cell_text(c.value, getattr(c, "number_format", None)) for c in row])
                numbers.append(number)
            width = max((len(r) for r in rows), default=0)
            frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
            if width == 0:
                continue
            sheet = build_sheet(frame, worksheet.title, numbers, strip=False)     # cell_text stripped them
            if sheet is not None:
                sheets.append(sheet)
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected("unreadable_file", "Excel 文件内容无法读取，请用 Excel 重新保存后报送。",
                           f"{type(error).__name__}: {error}") from error
    finally:
        workbook.close()
    if not sheets:
        raise FileRejected("missing_columns", "文件中没有“任务进展”“指标数据”或“空气质量”工作表（或表头不对），请使用下发的模板填报。",
                           "、".join(SHEET_TITLES.values()))
    return SubmissionFile("xlsx", None, sheets)


def read_submission(data: bytes) -> SubmissionFile:
    """Bytes of a submitted file → its data sheets. Raises FileRejected for a file-level problem."""
    file_type = detect_type(data)
    submission = read_xlsx_bytes(data) if file_type == "xlsx" else read_csv_bytes(data)
    if submission.rows_total == 0:
        raise FileRejected("empty_file", "文件中没有填写任何数据行（表头以下是空的），请填写后再报送。")
    return submission
