"""The bulk path: a large progress CSV read and checked inside DuckDB, its good rows never leaving the database.

Why this module: a consolidated submission of 10⁵–10⁶ rows spent most of its time turning cells into
Python strings and back (pandas parse, pandas checks, pandas → DuckDB insert). Here DuckDB's own CSV
reader loads the cells of a group of files into a temporary table, and the row rules become joins:
each rule's Python function (the same ``lookup_key`` / ``parse_date`` / ``parse_status`` /
``parse_number`` / ``Reference.resolve_org`` the pandas path uses) runs once per *distinct* cell
text, and its answers are joined back to the rows. Good rows go from the cells to
``raw.progress_reports`` with one ``insert … select`` inside the loader's write transaction.

The rules are not written twice. Each progress rule is declared once (:data:`.rules.PROGRESS_RULES`)
with its SQL predicate over :data:`RULE_VIEW`, or a disposition for what SQL cannot settle; a row is
certainly bad where the OR of the predicates holds (compiled at import: a rule with neither fails
there). SQL only decides which rows are certainly good; every row that has a problem, may break a
doubtful rule (an ambiguous organisation), or shares a (task, date, organisation) key with another
row, is handed to the pandas validator (:func:`validation.validate_progress`) on a sheet of just
those rows, which writes the messages and settles duplicates exactly as for any other file. If the
two ever disagree about a row, :class:`BulkMismatch` is raised and the loader falls back to the
pandas path for that file.

Only files the bulk reader reads exactly as :func:`formats.read_csv_bytes` would take this path
(:func:`bulk_plan`): UTF-8, header on the first line (not continued on the second), a 任务进展
(progress) sheet, no blank lines, no cell that needs stripping, within every limit of
:mod:`.formats` (measured by the same :func:`formats.csv_shape`), no row longer than a cell may be (so
DuckDB's own line limit is never reached); any other file takes the pandas path, which rejects it if
it breaks a limit. Control characters are removed from the cells here as there (:func:`formats.remove_controls`).
Whatever goes wrong while DuckDB reads or checks a group (any exception, not only ``duckdb.Error``:
an error message cut in the middle of a character raises UnicodeDecodeError) is a :class:`BulkMismatch`
to the loader, which then checks those files one at a time, then row by row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import csv

from .formats import (CONTROL_BYTES, FILL_FIELDS, MAX_CELL_CHARS, MAX_COLUMNS, PROGRESS, REQUIRED_COLUMNS, SHEET_TITLES,
                      FileRejected, Sheet, check_csv_shape, classify, controls_note, csv_delimiter, csv_shape,
                      detect_type, has_padded_cell, header_continuation, looks_binary, map_headers)
from .kinds import KINDS
from .reference import Reference, lookup_key
from .rules import PROGRESS_RULES, doubtful_sql, sure_bad_sql
from .validation import FileValidation, file_label, parse_date, parse_number, parse_status, validate_progress

# A group of files smaller than both (in bytes, in files) goes row by row: its SQL set-up (~0.1 s) would cost more
BULK_MIN_BYTES = 512 * 1024
BULK_MIN_FILES = 20
CELLS_TABLE = "_pw_bulk_cells"        # the cells of the files being checked, as read
DOUBTFUL_TABLE = "_pw_bulk_doubtful"  # their rows that are not certainly good (the pandas validator settles them)
FILES_VIEW = "_pw_bulk_files"         # file_index → file_sha256, file_name
MAPS = ("_pw_map_task", "_pw_map_date", "_pw_map_status", "_pw_map_percent", "_pw_map_org", "_pw_map_assigned")


class BulkMismatch(RuntimeError):
    """SQL and the pandas validator disagree about a row: a bug; the loader takes the pandas path instead."""


@dataclass(frozen=True)
class BulkPlan:
    """How DuckDB must read one file: its delimiter, header cells and which column holds which field."""

    delimiter: str
    headers: list[str]
    fields: dict[str, int]
    controls: int = 0                   # control characters the cells lose (as formats.remove_controls counts)


def bulk_plan(data: bytes, min_bytes: int = 0) -> BulkPlan | None:
    """A plan when the bulk path reads ``data`` exactly as the pandas path would; None otherwise.

    None also for every file the pandas path rejects as a whole (not a CSV, a limit broken, unbalanced
    quotes): that path gives the reason, so both paths reject the same files with the same words."""
    if len(data) < min_bytes or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        if detect_type(data) != "csv":
            return None
    except FileRejected:
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body or b"\x00" in body:
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    shape = csv_shape(body, csv_delimiter(body.partition(b"\n")[0].decode("utf-8", errors="replace")))
    try:
        check_csv_shape(shape)
    except FileRejected:
        return None
    if shape.longest > MAX_CELL_CHARS:
        return None                      # a cell may be too long: the pandas path measures every cell
    cleaned = body.translate(None, CONTROL_BYTES) if shape.controls else body
    if shape.controls and looks_binary(body[:4 * 65536].decode("utf-8", errors="ignore")[:65536]):
        return None                      # the same 64 Ki characters formats.decode_text judges
    if cleaned[:1] in b"\r\n" or b"\n\n" in cleaned or b"\n\r\n" in cleaned:
        return None                      # blank lines keep their row numbers only in the pandas path
    first_line, _, rest = cleaned.partition(b"\n")
    first_line = first_line.rstrip(b"\r").decode("utf-8")
    delimiter = csv_delimiter(first_line)
    if '"' in first_line or has_padded_cell(cleaned, delimiter):
        return None
    headers = first_line.split(delimiter)
    if len(headers) > MAX_COLUMNS:
        return None
    fields, twice = map_headers(headers)
    if twice or len(fields) < 2 or classify(fields) != PROGRESS:
        return None
    if any(name not in fields for name in REQUIRED_COLUMNS[PROGRESS]):
        return None
    second_line = rest.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", errors="replace")
    try:
        second = next(csv.reader([second_line], delimiter=delimiter), [])
    except csv.Error:
        second = []
    if header_continuation(headers, second) is not None:
        return None                      # a two-row header: the pandas path combines the two rows
    return BulkPlan(delimiter, [h.strip() for h in headers], fields, shape.controls)


@dataclass(frozen=True)
class BulkFile:
    """One file handed to the bulk path."""

    path: Path
    plan: BulkPlan
    file_name: str
    sha: str


@dataclass
class BulkValidation:
    """The outcome of one file; its certainly-good rows stay in DuckDB until :func:`insert_good_rows`."""

    validation: FileValidation
    report_dates: set[date]


_FIELDS = ("task_id", "report_date", "status", "percent_complete", "note", "reported_by")


def _cell(name: str, plan: BulkPlan) -> str:
    """The column of a field, or an empty text for an optional field the file leaves out."""
    return f"c{plan.fields[name]}" if name in plan.fields else "''"


def _read_branch(index: int, file: BulkFile) -> str:
    """SQL reading one file: its row numbers (header = row 1), field texts, all cells, and blank-row flags.

    Row numbers come from ``row_number() over ()`` on a single-threaded scan of one file, which DuckDB
    streams in file order; tests/integration/test_bulk_csv.py compares every row number with the pandas path."""
    width = len(file.plan.headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    delimiter = "\\t" if file.plan.delimiter == "\t" else ","
    path = str(file.path).replace("'", "''")
    named = ", ".join(f"{_cell(f, file.plan)} as {f}_raw" for f in _FIELDS)
    fill = " or ".join(f"{_cell(f, file.plan)} <> ''" for f in FILL_FIELDS[PROGRESS])
    any_cell = " or ".join(f"c{i} <> ''" for i in range(width))
    if file.plan.controls:               # the control characters formats.remove_controls takes out, RE2 escapes
        cells = ", ".join(f"regexp_replace(coalesce(c{i}, ''), '{_CONTROL_CLASS}', '', 'g') as c{i}" for i in range(width))
    else:
        cells = ", ".join(f"coalesce(c{i}, '') as c{i}" for i in range(width))
    return f"""
        select {index} as file_index, row_number, {named}, [{", ".join(f"c{i}" for i in range(width))}] as cells,
               ({fill}) as filled, ({any_cell}) as any_cell
        from (
            select row_number() over () + 1 as row_number, {cells}
            from read_csv('{path}', header = true, auto_detect = false, columns = {columns}, delim = E'{delimiter}',
                          quote = '"', escape = '"', strict_mode = true, null_padding = false, parallel = false)
        )"""


_CONTROL_CLASS = "[" + "".join(f"\\x{c:02x}" for c in CONTROL_BYTES) + "]"


def _map(con: duckdb.DuckDBPyConnection, view: str, column: str, fn, **typed: str) -> None:
    """Register ``view``: each distinct text of ``column`` and what ``fn`` makes of it (once per distinct text)."""
    texts = [r[0] for r in con.execute(f"select distinct {column} from {CELLS_TABLE}").fetchall()]
    answers = [fn(t) for t in texts]
    data = {"raw": pd.Series(texts, dtype=object)}
    for position, (name, dtype) in enumerate(typed.items()):
        data[name] = pd.Series([a[position] for a in answers], dtype=dtype)
    con.register(view, pd.DataFrame(data))


def validate_bulk(con: duckdb.DuckDBPyConnection, files: list[BulkFile], reference: Reference,
                  today: date) -> dict[str, BulkValidation]:
    """Read and check progress CSVs in DuckDB, all in one pass; sha → outcome.

    The rows SQL finds certainly good stay in DuckDB: append them with :func:`insert_good_rows` inside
    the write transaction, then :func:`drop_work_tables`. The rows the pandas validator settled are in
    each outcome's ``good_rows`` like any other file's. Raises BulkMismatch if DuckDB cannot read the
    files as planned or SQL and pandas disagree (then check the files one by one, or row by row)."""
    try:
        con.execute(f"create or replace temp table {CELLS_TABLE} as "
                    + " union all ".join(_read_branch(i, f) for i, f in enumerate(files)))
    except Exception as error:          # duckdb.Error, or UnicodeDecodeError from a message cut mid-character
        raise BulkMismatch(f"DuckDB cannot read these files as the pandas path does: {type(error).__name__}: "
                           f"{str(error)[:500]}") from error
    blank = dict(con.execute(f"select file_index, count(*) from {CELLS_TABLE} where any_cell and not filled "
                             f"group by file_index").fetchall())
    con.execute(f"delete from {CELLS_TABLE} where not (any_cell and filled)")
    con.register(FILES_VIEW, pd.DataFrame({
        "file_index": pd.Series(range(len(files)), dtype="int32"),
        "file_sha256": pd.Series([f.sha for f in files], dtype=object),
        "file_name": pd.Series([f.file_name for f in files], dtype=object)}))

    _map(con, "_pw_map_task", "task_id_raw", lambda t: (reference.tasks.get(lookup_key(t)) if t else None,),
         task_id="object")
    _map(con, "_pw_map_date", "report_date_raw", lambda d: _date(d, today), report_date="object", future="bool")
    _map(con, "_pw_map_status", "status_raw", lambda t: (parse_status(t) if t else None,), status="object")
    _map(con, "_pw_map_percent", "percent_complete_raw", lambda t: (_percent(t),), percent="float64")
    _map(con, "_pw_map_org", "reported_by_raw", lambda n: _organisation(reference, n), org_id="object",
         ambiguous="bool")
    _map_assignments(con, reference)
    con.execute(f"""
        create or replace temp table {DOUBTFUL_TABLE} as
        with typed as ({RULE_VIEW}),
        flags as (
            select file_index, row_number,
                   hash(file_index, {', '.join(KINDS[PROGRESS].key)}) as row_key,
                   hash(file_index, task_id, report_date) as day_key,
                   {_SURE_BAD} as sure_bad, {_DOUBTFUL} as doubtful
            from typed
        ),
        checked as (
            select file_index, row_number, row_key, day_key, doubtful and not sure_bad as open_row,
                   not sure_bad and not doubtful as row_ok, sure_bad
            from flags
        ),
        -- a key shared by two good-looking rows (or a hash collision), or a task and day that a row the pandas
        -- validator settles (an ambiguous organisation, settled by the task) may come to share: pandas decides
        shared as (select row_key from checked where row_ok group by row_key having count(*) > 1),
        open as (select distinct day_key from checked where open_row)
        select file_index, row_number, row_ok, sure_bad
        from checked left join shared using (row_key) left join open using (day_key)
        where not row_ok or shared.row_key is not null or open.day_key is not null
        """)
    return _settle(con, files, reference, today, blank)


# Every row with its typed values: the cells joined to what the rules made of each distinct text.
_TYPED = f"""
    select c.file_index, c.row_number, c.note_raw, c.reported_by_raw as reported_by, c.percent_complete_raw,
           c.task_id_raw, c.report_date_raw, c.status_raw,
           t.task_id, cast(d.report_date as date) as report_date, coalesce(d.future, false) as future,
           s.status, p.percent, o.org_id, coalesce(o.ambiguous, false) as ambiguous
    from {CELLS_TABLE} as c
    left join _pw_map_task as t on t.raw = c.task_id_raw
    left join _pw_map_date as d on d.raw = c.report_date_raw
    left join _pw_map_status as s on s.raw = c.status_raw
    left join _pw_map_percent as p on p.raw = c.percent_complete_raw
    left join _pw_map_org as o on o.raw = c.reported_by_raw"""

# The view the progress rules' SQL predicates read (rules.PROGRESS_RULES): the typed rows, and whether the row's
# organisation is assigned to its task (false when either is unknown).
RULE_VIEW = f"""
    select typed.*, coalesce(pair.assigned, false) as assigned
    from ({_TYPED}) as typed
    left join _pw_map_assigned as pair on pair.task_id = typed.task_id and pair.org_id = typed.org_id"""
# A row certainly bad: the OR of the sure progress rules' predicates; doubtful: it may break a rule SQL cannot
# settle. Compiled from the declarations at import: a progress rule with neither SQL nor disposition fails here.
_SURE_BAD = sure_bad_sql(PROGRESS_RULES)
_DOUBTFUL = doubtful_sql(PROGRESS_RULES)


def _date(text: str, today: date) -> tuple[str | None, bool]:
    parsed = parse_date(text) if text else None
    return (parsed.isoformat() if parsed else None), bool(parsed and parsed > today)


def _organisation(reference: Reference, name: str) -> tuple[str | None, bool]:
    org_id, why = reference.resolve_org(name) if name else (None, "missing_value")
    return org_id, why == "ambiguous_organization"


def _percent(text: str) -> float | None:
    """完成进度 as the pandas path reads it: a number (85, 85%, １２, 1,000), None if blank or not a number."""
    if not text:
        return None
    value, _ = parse_number(text)
    return value if value is not None and np.isfinite(value) else None


def _map_assignments(con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
    """Register ``_pw_map_assigned``: each distinct (task, organisation) pair of the group, and whether the
    organisation is assigned to the task. Only the pairs that occur: bounded by the group, not by the
    province's (or the nation's) hundreds of thousands of assignments."""
    pairs = con.execute(f"""
        select distinct t.task_id, o.org_id
        from {CELLS_TABLE} as c
        join _pw_map_task as t on t.raw = c.task_id_raw
        join _pw_map_org as o on o.raw = c.reported_by_raw
        where t.task_id is not null and o.org_id is not null""").fetchall()
    con.register("_pw_map_assigned", pd.DataFrame({
        "task_id": pd.Series([p[0] for p in pairs], dtype=object),
        "org_id": pd.Series([p[1] for p in pairs], dtype=object),
        "assigned": pd.Series([reference.is_assigned(*p) for p in pairs], dtype=bool)}))


def _settle(con: duckdb.DuckDBPyConnection, files: list[BulkFile], reference: Reference, today: date,
            blank: dict[int, int]) -> dict[str, BulkValidation]:
    """Hand every doubtful row to the pandas validator; check it agrees with SQL; build the outcomes."""
    doubtful: dict[int, list[tuple]] = {}
    for row in con.execute(f"""
            select d.file_index, d.row_number, d.sure_bad, c.cells
            from {DOUBTFUL_TABLE} as d join {CELLS_TABLE} as c using (file_index, row_number)
            order by d.file_index, d.row_number""").fetchall():
        doubtful.setdefault(row[0], []).append(row[1:])
    checked_files: dict[int, SheetValidation] = {}
    for index, rows in doubtful.items():
        file = files[index]
        width = len(file.plan.headers)
        frame = pd.DataFrame([["" if v is None else v for v in r[2]] for r in rows], dtype=object)
        frame.columns = range(width)
        sheet = Sheet(kind=PROGRESS, name=SHEET_TITLES[PROGRESS], headers=file.plan.headers, fields=file.plan.fields,
                      frame=frame, row_numbers=pd.Series([r[0] for r in rows], dtype="int64"), header_row=1,
                      long_cells=False)          # bulk_plan took no row longer than a cell may be
        checked = validate_progress(sheet, reference, today, file_label(file.file_name), show_sheet=False)
        sure_bad = {r[0] for r in rows if r[1]}
        accepted = set(checked.good["row_number"].astype("int64").tolist())
        if accepted & sure_bad:
            raise BulkMismatch(f"{file.file_name}: the pandas validator accepts rows SQL found problems in: "
                               f"{sorted(accepted & sure_bad)[:5]}")
        if sure_bad - {p.row_number for p in checked.problems}:
            raise BulkMismatch(f"{file.file_name}: SQL rejected rows the pandas validator found no problem in")
        checked_files[index] = checked
    totals = dict(con.execute(f"select file_index, count(*) from {CELLS_TABLE} group by file_index").fetchall())
    guesses = dict(con.execute(f"""
        select file_index, reported_by_raw from (
            select file_index, reported_by_raw, count(*) as n, min(row_number) as first_row
            from {CELLS_TABLE} where reported_by_raw <> '' group by file_index, reported_by_raw)
        qualify row_number() over (partition by file_index order by n desc, first_row) = 1""").fetchall())
    dates: dict[int, set[date]] = {}
    for index, day in con.execute(f"""
            select distinct c.file_index, cast(d.report_date as date)
            from {CELLS_TABLE} as c join _pw_map_date as d on d.raw = c.report_date_raw
            anti join {DOUBTFUL_TABLE} as doubtful using (file_index, row_number)""").fetchall():
        dates.setdefault(index, set()).add(day)
    outcomes: dict[str, BulkValidation] = {}
    for index, file in enumerate(files):
        label = file_label(file.file_name)
        checked = checked_files.get(index)
        rows_total = totals.get(index, 0)
        rows_quarantined = checked.rows_quarantined if checked else 0
        validation = _BulkFileValidation(file.file_name, "accepted", file_type="csv", encoding="utf-8",
                                         rows_blank=blank.get(index, 0),
                                         sheets=[checked] if checked is not None else [],
                                         notes=[f"文件“{label}”：{controls_note(file.plan.controls)}"]
                                         if file.plan.controls else [])
        validation.totals = (rows_total, rows_total - rows_quarantined, rows_quarantined)
        validation.guess = guesses.get(index)
        if rows_quarantined:
            validation.status = "partially_accepted"
        if rows_total - rows_quarantined == 0:
            validation.status = "rejected"
            validation.error_code = "no_valid_rows"
            validation.error = (f"文件“{label}”：全部 {rows_total} 行都未通过校验，没有数据入库，"
                                f"请按各行的提示修改后重新报送。")
        outcomes[file.sha] = BulkValidation(validation, dates.get(index, set()))
    return outcomes


class _BulkFileValidation(FileValidation):
    """A FileValidation whose counts come from SQL (its good rows stay in DuckDB)."""

    totals: tuple[int, int, int] = (0, 0, 0)
    guess: str | None = None

    @property
    def rows_total(self) -> int:
        return self.totals[0]

    @property
    def rows_accepted(self) -> int:
        return self.totals[1]

    @property
    def rows_quarantined(self) -> int:
        return self.totals[2]

    @property
    def reported_by_guess(self) -> str | None:
        return self.guess


def insert_good_rows(con: duckdb.DuckDBPyConnection, shas: list[str], *, partition_date: date,
                     loaded_at: object) -> None:
    """Append the certainly-good rows of these files to raw.progress_reports (inside the caller's transaction)."""
    con.execute(f"""
        insert into raw.progress_reports (file_sha256, file_name, partition_date, loaded_at, sheet_name, row_number,
                                          task_id, report_date, status, percent_complete, note, reported_by, org_id)
        select f.file_sha256, f.file_name, cast(? as date), cast(? as timestamp), ?, cast(typed.row_number as integer),
               typed.task_id, typed.report_date, typed.status, typed.percent, nullif(typed.note_raw, ''),
               typed.reported_by, typed.org_id
        from ({_TYPED}) as typed
        join {FILES_VIEW} as f using (file_index)
        anti join {DOUBTFUL_TABLE} as doubtful using (file_index, row_number)
        where f.file_sha256 in (select unnest(?::varchar[]))""",
                [partition_date, loaded_at, SHEET_TITLES[PROGRESS], shas])


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the work tables and views of the files just checked (also after a BulkMismatch)."""
    for table in (DOUBTFUL_TABLE, CELLS_TABLE):
        con.execute(f"drop table if exists {table}")
    for view in (*MAPS, FILES_VIEW):
        try:
            con.unregister(view)
        except duckdb.Error:
            pass


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Drop everything this module made on the connection (end of a load)."""
    drop_work_tables(con)
