"""The inbox: where a department's file waits for the daily load, named only by its content hash.

Why this module: the sender deserves an answer at once (accepted, partly accepted with n rows
quarantined, or rejected, and why), and the warehouse must never trust a file name. ``submit`` reads
each file, checks it (file level always; row level when reference data is at hand), and copies it to
``<inbox>/<sha256>.<ext>`` — the extension comes from the *content* (xlsx, csv, or bin for a file that
will be rejected) — next to a small ``<sha256>.json`` sidecar (original_name, received_at,
reported_by guess, and the data days the file carries, so the inbox sensor never parses it again). The stored name is only the hash, so a hostile name (``../``, an absolute path,
10 000 characters, non-UTF-8 bytes) cannot write outside the inbox; the same content sent twice is
stored once (the first sidecar is kept). Files are written to a temporary name and renamed, so a
loader scanning the inbox never sees half a file.

Reference data for the row checks comes from the published copy (else the seed CSVs), never from the
working warehouse: a read-only open of the file a load is about to write makes that load fail
(:func:`~dagster_project.submissions.reference.open_reference_snapshot`). When no reference data can be
read, the file is *received* (status ``received``): stored, file-level checks only, and the answer says
that the row checks will run when it is loaded — never that every row passed.

Whatever ``policy-wh submit`` prints of a file name or a cell goes through :func:`printable`, so a name
or a cell with a newline or a terminal escape cannot print a line of its own (a forged result).
"""
from __future__ import annotations

import hashlib
from collections import Counter
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

import duckdb

from . import data_days
from .formats import MAX_FILE_BYTES, FileRejected, detect_type, read_submission
from .reference import Reference, ReferenceUnavailable, load_reference, load_reference_snapshot
from .validation import FileValidation, file_label, rejected, unexpected_error, validate_file

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(xlsx|csv|bin)$")
MAX_NAME_CHARS = 255


@dataclass
class SubmitResult:
    """The answer to the sender for one file."""

    source: str                         # the path as given (for the caller's logs)
    original_name: str                  # sanitised file name, as recorded
    status: str                         # accepted | partially_accepted | rejected | received (not row-checked)
    file_sha256: str | None = None
    stored_path: Path | None = None     # None only if the file could not be read at all
    duplicate: bool = False             # the same content was already in the inbox
    rows_total: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_blank: int = 0
    rows_checked: bool = True           # False: no reference data, only file-level checks ran (status received)
    checked_against: str = ""           # where the reference data came from, or why there was none
    reason_codes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)   # Chinese, one per problem
    notes: list[str] = field(default_factory=list)     # Chinese: hidden sheet ignored, control characters removed

    @property
    def message(self) -> str:
        """One Chinese sentence for the sender."""
        if self.status == "rejected":
            head = self.reasons[0] if self.reasons else "文件未被接收。"
            return head if not self.duplicate else head + "（此文件此前已收到。）"
        if self.status == "received":
            text = (f"已接收文件“{self.original_name}”：共 {self.rows_total} 行，行级校验将在装载时进行"
                    "（报送时无法读取参考数据，尚未逐行核对；装载后请查看装载报告，有问题的行会被隔离并说明原因）。")
        elif self.status == "partially_accepted":
            text = f"已收到文件“{self.original_name}”：共 {self.rows_total} 行，{self.rows_accepted} 行通过校验，{self.rows_quarantined} 行有问题被隔离，请按提示修改后重新报送这些行。"
        else:
            text = f"已收到文件“{self.original_name}”：共 {self.rows_total} 行，全部通过校验。"
        return text + ("（此文件此前已收到，不会重复入库。）" if self.duplicate else "")


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: never part of a stored name.
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def sanitise_name(name: str | bytes | os.PathLike) -> str:
    """The base name only, valid UTF-8, no control characters, at most 255 characters."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if isinstance(name, bytes):
        text = name.decode("utf-8", errors="replace")
    else:
        text = name.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    text = re.split(r"[\\/]", text)[-1]
    text = _NAME_CONTROLS.sub("", text).strip()
    if text in ("", ".", ".."):
        text = "unnamed"
    if len(text) > MAX_NAME_CHARS:
        stem, dot, ext = text.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        text = text[: MAX_NAME_CHARS - len(ext) - 2] + "…" + ("." + ext if ext else "")
    return text


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Unicode categories a terminal or log viewer may act on instead of showing: controls, format characters
# (bidi overrides, zero-width marks), lone surrogates, line and paragraph separators.
_UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def printable(text: object) -> str:
    r"""``text`` for one line of a terminal or log: control and format characters shown escaped.

    ``\n`` ``\r`` ``\t`` as such, a byte that was not UTF-8 (``os.fsdecode``'s surrogate escape) as
    ``\xff``, anything else unprintable as ``\x07``, ``\u202e`` or ``\U000e0001``. Chinese text and
    ordinary spaces (also the 全角 space) are left alone.
    """
    text = str(text)
    if text.isprintable():
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in _UNPRINTABLE:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def _stored_extension(data: bytes) -> str:
    try:
        return detect_type(data)
    except FileRejected:
        return "bin"


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=".incoming-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def sidecar_path(stored: Path) -> Path:
    return stored.with_name(stored.name.split(".", 1)[0] + ".json")


def read_sidecar(stored: Path) -> dict[str, object]:
    """The sidecar of an inbox file ({} if missing or unreadable)."""
    try:
        value = json.loads(sidecar_path(stored).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


_UNKNOWN = object()


def store(data: bytes, original_name: str, inbox_dir: Path, *, received_at: datetime,
          reported_by: str | None, days: frozenset[date] | None | object = _UNKNOWN) -> tuple[str, Path, bool]:
    """Copy bytes into the inbox under their hash; returns (sha256, stored path, was already there).

    ``days`` are the data days the file carries (None: unreadable), as the caller already parsed them;
    without it they are computed here. They go into the sidecar, so the sensor never parses the file."""
    sha = hashlib.sha256(data).hexdigest()
    inbox_dir.mkdir(parents=True, exist_ok=True)
    stored = inbox_dir / f"{sha}.{_stored_extension(data)}"
    if stored.exists():
        return sha, stored, True
    sidecar = sidecar_path(stored)
    if not sidecar.exists():
        if days is _UNKNOWN:
            days = data_days.bytes_data_days(data)
        meta = {"original_name": original_name, "received_at": received_at.isoformat(timespec="seconds"),
                "reported_by": reported_by, "size": len(data), "file_sha256": sha,
                "data_days": data_days.encode(days)}
        _write_atomically(sidecar, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    _write_atomically(stored, data)           # last: a file in the inbox always has its sidecar
    return sha, stored, False


def stored_data_days(stored: Path) -> frozenset[date] | None:
    """The data days of an inbox file, as ``submit`` recorded them in its sidecar; computed from the file
    only when the sidecar does not say (a file put into the inbox by hand, or an older sidecar)."""
    meta = read_sidecar(stored)
    if "data_days" in meta:
        try:
            return data_days.decode(meta["data_days"])
        except ValueError:
            pass
    return data_days.path_data_days(stored)


def inbox_files(inbox_dir: Path | None = None) -> list[Path]:
    """The stored files of the inbox, oldest received first (what the loader takes)."""
    if inbox_dir is None:
        from ..settings import load_settings

        inbox_dir = load_settings().inbox_dir
    if not inbox_dir.is_dir():
        return []
    files = [p for p in inbox_dir.iterdir() if STORED_NAME.match(p.name) and p.is_file()]
    return sorted(files, key=lambda p: (str(read_sidecar(p).get("received_at") or ""), p.name))


def _reference(con: duckdb.DuckDBPyConnection | None, reference: Reference | None) -> tuple[Reference | None, str]:
    """(reference data or None, where it came from or why there is none). Never opens the working warehouse."""
    if reference is not None:
        return reference, "given reference data"
    if con is not None:
        return load_reference(con), "the given connection"
    try:
        snapshot, source = load_reference_snapshot(with_text=False)
    except ReferenceUnavailable as error:
        return None, str(error)
    except duckdb.Error as error:      # a published copy of another shape: say so, check at load time
        return None, f"参考数据无法读取 the reference data cannot be read: {error}"
    return snapshot, source.describe()


def _read(path: str | bytes | os.PathLike) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileRejected("file_too_large", f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后报送。")
    return data


def _result(source: str, name: str, outcome: FileValidation, checked: bool, against: str = "") -> SubmitResult:
    return SubmitResult(
        source=source, original_name=name, status=outcome.status, rows_total=outcome.rows_total,
        rows_accepted=outcome.rows_accepted, rows_quarantined=outcome.rows_quarantined,
        rows_blank=outcome.rows_blank, rows_checked=checked, checked_against=against,
        reason_codes=([outcome.error_code] if outcome.error_code and not outcome.problems else [])
        + [p.reason_code for p in outcome.problems],
        reasons=([outcome.error] if outcome.error else []) + [p.reason for p in outcome.problems
                                                               if p.reason != outcome.error],
        notes=list(outcome.notes),
    )


def submit(paths: Iterable[str | bytes | os.PathLike], *, names: Sequence[str | bytes] | None = None,
           inbox_dir: Path | None = None, con: duckdb.DuckDBPyConnection | None = None,
           reference: Reference | None = None, today: date | None = None,
           received_at: datetime | None = None) -> list[SubmitResult]:
    """Check each file, store it in the inbox under its hash, and say what will happen to it.

    ``names`` are the names the sender gave (e.g. from an upload form), one per path; by default the
    path's own base name. Row-level checks need reference data: ``reference``, else read through
    ``con``, else the published copy read-only, else the seed CSVs — never the working warehouse, which
    a load may be about to open. Without any, only file-level checks run: a readable file is
    ``received`` (``rows_checked`` False, no row counted as accepted) and its message says the row
    checks will run when it is loaded. ``checked_against`` says which reference data was used, or why
    there was none.
    """
    if inbox_dir is None:
        from ..settings import load_settings

        inbox_dir = load_settings().inbox_dir
    paths = list(paths)
    if names is not None and len(names) != len(paths):
        raise ValueError("names must give one name per path")
    ref, against = _reference(con, reference)
    today = today or datetime.now(LOCAL_TZ).date()
    stamp = received_at or datetime.now(LOCAL_TZ).replace(microsecond=0)
    results: list[SubmitResult] = []
    for position, path in enumerate(paths):
        source = os.fsdecode(path) if isinstance(path, (bytes, str, os.PathLike)) else str(path)
        name = sanitise_name(names[position] if names is not None else os.path.basename(os.fsdecode(path)))
        try:
            data = _read(path)
        except FileRejected as error:
            results.append(_result(source, name, rejected(name, error), ref is not None, against))
            continue
        except OSError as error:
            problem = FileRejected("unreadable_file", "文件无法打开（不存在或没有读取权限）。", str(error))
            results.append(_result(source, name, rejected(name, problem), ref is not None, against))
            continue
        if ref is not None:
            outcome = validate_file(data, name, ref, today)
            result = _result(source, name, outcome, True, against)
            guess = outcome.reported_by_guess
            days = (None if outcome.error_code and not outcome.sheets
                    else data_days.sheet_data_days(s.sheet for s in outcome.sheets))
        else:
            result, guess, days = _file_level_only(source, name, data, against)
        sha, stored, duplicate = store(data, name, inbox_dir, received_at=stamp, reported_by=guess, days=days)
        result.file_sha256, result.stored_path, result.duplicate = sha, stored, duplicate
        results.append(result)
    return results


def _file_level_only(source: str, name: str, data: bytes,
                     against: str) -> tuple[SubmitResult, str | None, frozenset[date] | None]:
    """No reference data: read the file and its headers only. A readable file is received, not accepted:
    no row has been checked, so none is counted as accepted (the load checks them)."""
    try:
        submission = read_submission(data)
    except FileRejected as error:
        return _result(source, name, rejected(name, error), False, against), None, None
    except Exception as error:  # noqa: BLE001 - whatever the reader hits is the file's problem, never submit's
        return _result(source, name, unexpected_error(name, error), False, against), None, None
    outcome = FileValidation(name, "received", file_type=submission.file_type, encoding=submission.encoding,
                             notes=[f"文件“{file_label(name)}”：{note}" for note in submission.notes])
    result = _result(source, name, outcome, False, against)
    result.rows_total = submission.rows_total
    result.rows_accepted = 0
    result.rows_blank = sum(s.rows_blank for s in submission.sheets)
    names = Counter(t for s in submission.sheets for t in s.column("reported_by").tolist() if t)
    return result, names.most_common(1)[0][0] if names else None, data_days.sheet_data_days(submission.sheets)


__all__ = ["SubmitResult", "file_label", "inbox_files", "printable", "read_sidecar", "sanitise_name", "store",
           "stored_data_days", "submit"]
