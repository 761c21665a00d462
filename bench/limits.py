"""What a clerk waits for at the input limits: ``python -m bench.limits [--smoke] [--repeats N]``.

Why: the README's limits table (dagster_project/submissions/formats.py ``LIMITS``) promises that the
largest file we accept is checked in bounded time and memory, and that a file over a limit is refused
within seconds. This measures exactly that, the way a clerk meets it: a cold ``policy-wh submit`` process
(imports included) on

* the largest CSV we accept (just under ``MAX_FILE_BYTES``, progress rows shaped like a consolidated
  department submission),
* the largest .xlsx we accept (a template-shaped 任务进展 sheet, shared strings as Excel writes them,
  unpacking to just under ``MAX_UNPACKED_BYTES``),
* a CSV one MiB over the file-size limit, and
* a zip bomb: a small .xlsx whose sheet unpacks to 1.1 GiB (refused from the zip directory).

Each figure is the median of ``--repeats`` runs, each in its own process with its own empty inbox; peak
memory is the submit process's maximum resident set. Reference data comes from the seed CSVs (no
published copy in the scratch folder), as for a clerk before the first publication. The report goes to
``bench/limits.md``; ``--smoke`` writes small files (same code paths) for the test suite.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench.generate import PROGRESS_HEADERS, STATUSES
from bench.harness import Scenario, machine, measure, versions
from dagster_project.settings import PROJECT_ROOT
from dagster_project.submissions import formats

BENCH_DIR = Path(__file__).resolve().parent
MIB = 1024 * 1024
ACCEPTED = ("accepted", "partially_accepted")
BOMB_UNPACKED = 1_100 * MIB            # the zip bomb of issue 14: 1.1 GiB of sheet XML
# Progress notes as departments write them (30–60 characters); the row number keeps each one distinct, so
# the .xlsx's shared-string table grows as a real sheet's does.
NOTES = (
    "已完成年度计划的{p}%，正在组织第二批项目的现场验收，预计下月底前全部完成。",
    "按照文件要求已召开专题会议部署，牵头制定了实施方案，相关配套资金正在落实中。",
    "第{p}次调度会已开，存在土地指标不足的问题，已报请市政府协调解决。",
    "已与各县（市、区）对接，完成摸底调查，形成台账，下一步将分类推进整改。",
)


@dataclass(frozen=True)
class Case:
    """One measured input: its file, what it is, and the outcome the submit must report."""

    name: str
    label: str
    path: Path
    expect: tuple[str, ...]           # the statuses the submit may report: accepted, partially_accepted, rejected
    expect_code: str | None = None    # the reason code a rejection must carry
    rows: int = 0


def _pairs(seeds_dir: Path) -> list[tuple[str, str]]:
    """(task_id, organisation name as the clerk writes it) for every named assignment in the seeds."""
    with (seeds_dir / "organizations.csv").open(encoding="utf-8") as f:
        names = {row["org_id"]: row["name"] for row in csv.DictReader(f)}
    with (seeds_dir / "task_assignments.csv").open(encoding="utf-8") as f:
        pairs = sorted({(row["task_id"], names[row["org_id"]]) for row in csv.DictReader(f)
                        if row["org_id"] in names and row["generic"] != "true"})
    if not pairs:
        raise SystemExit(f"no task assignments in {seeds_dir}: run `policy-wh extract` first")
    return pairs


def _progress_row(pairs: list[tuple[str, str]], i: int, first: date) -> list[str]:
    """Row i: pair i mod P on day first + i div P (no two rows share a key), a realistic note."""
    task_id, name = pairs[i % len(pairs)]
    day = first + timedelta(days=i // len(pairs))
    percent = i % 101
    return [task_id, day.isoformat(), STATUSES[i % len(STATUSES)], str(percent),
            NOTES[i % len(NOTES)].format(p=percent) + f"（{i}）", name]


def write_csv(path: Path, pairs: list[tuple[str, str]], target_bytes: int, first: date = date(2016, 1, 1)) -> int:
    """A UTF-8 (BOM) CSV of progress rows, as close under target_bytes as a row allows; returns its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("\ufeff" + ",".join(PROGRESS_HEADERS) + "\r\n").encode("utf-8")
    size, rows = len(header), 0
    with path.open("wb") as out:
        out.write(header)
        while rows < formats.MAX_ROWS - 1:
            line = (",".join(_progress_row(pairs, rows, first)) + "\r\n").encode("utf-8")
            if size + len(line) > target_bytes:
                break
            out.write(line)
            size += len(line)
            rows += 1
    return rows


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="任务进展" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def write_xlsx(path: Path, pairs: list[tuple[str, str]], target_unpacked: int, first: date = date(2016, 1, 1)) -> int:
    """A one-sheet 任务进展 workbook whose members unpack to just under target_unpacked; returns its data rows.

    Written as Excel writes it: text cells refer to a shared-string table (each distinct text once),
    the percentage is a number. The sheet and the table are sized together in one pass, then written."""
    strings: dict[str, int] = {}
    rows: list[str] = []
    fixed = sum(len(v.encode("utf-8")) for v in _XLSX_PARTS.values()) + len(_SHEET_HEAD) + len(_SHEET_TAIL) + 200
    sheet_bytes = strings_bytes = 0

    def ref(text: str) -> int:
        nonlocal strings_bytes
        if text not in strings:
            strings[text] = len(strings)
            strings_bytes += len(f"<si><t>{escape(text)}</t></si>".encode("utf-8"))
        return strings[text]

    def row_xml(number: int, cells: list[str], numeric: set[int]) -> str:
        parts = [f'<row r="{number}">']
        for c, text in enumerate(cells):
            if c in numeric:
                parts.append(f'<c r="{_column(c)}{number}"><v>{text}</v></c>')
            else:
                parts.append(f'<c r="{_column(c)}{number}" t="s"><v>{ref(text)}</v></c>')
        parts.append("</row>")
        return "".join(parts)

    header = row_xml(1, PROGRESS_HEADERS, set())
    rows.append(header)
    sheet_bytes += len(header.encode("utf-8"))
    n = 0
    while n < formats.MAX_ROWS - 1:
        before = dict(strings=len(strings), strings_bytes=strings_bytes)
        xml = row_xml(n + 2, _progress_row(pairs, n, first), {3})
        size = len(xml.encode("utf-8"))
        if fixed + sheet_bytes + size + strings_bytes > target_unpacked:
            for text in list(strings)[before["strings"]:]:    # undo this row's new strings
                del strings[text]
            strings_bytes = before["strings_bytes"]
            break
        rows.append(xml)
        sheet_bytes += size
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode("utf-8"))
            for start in range(0, len(rows), 10_000):
                sheet.write("".join(rows[start:start + 10_000]).encode("utf-8"))
            sheet.write(_SHEET_TAIL.encode("utf-8"))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                         f'openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                         f'uniqueCount="{len(strings)}">').encode("utf-8"))
            batch: list[str] = []
            for text in strings:
                batch.append(f"<si><t>{escape(text)}</t></si>")
                if len(batch) == 10_000:
                    table.write("".join(batch).encode("utf-8"))
                    batch = []
            table.write(("".join(batch) + "</sst>").encode("utf-8"))
    return n


def unpacked_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def write_zip_bomb(path: Path, unpacked: int = BOMB_UNPACKED) -> None:
    """A valid-looking .xlsx whose one sheet is ``unpacked`` bytes of the same row over and over."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'.encode("utf-8")
    chunk = row * (MIB // len(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _XLSX_PARTS.items():
            if name != "xl/_rels/workbook.xml.rels":
                archive.writestr(name, text)
        archive.writestr("xl/_rels/workbook.xml.rels", _XLSX_PARTS["xl/_rels/workbook.xml.rels"].replace(
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/>', ""))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode("utf-8"))
            written = 0
            while written < unpacked:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(_SHEET_TAIL.encode("utf-8"))


@dataclass
class Sizes:
    """The byte sizes measured: the real limits, or small ones for the smoke run (same code paths)."""

    largest_csv: int = formats.MAX_FILE_BYTES - 64 * 1024
    largest_unpacked: int = formats.MAX_UNPACKED_BYTES - 64 * 1024
    over_csv: int = formats.MAX_FILE_BYTES + MIB
    bomb_unpacked: int = BOMB_UNPACKED
    largest: str = "largest"                  # what the accepted files are called in the report

    @classmethod
    def smoke(cls) -> "Sizes":
        return cls(largest_csv=256 * 1024, largest_unpacked=512 * 1024, over_csv=formats.MAX_FILE_BYTES + MIB,
                   bomb_unpacked=formats.MAX_UNPACKED_BYTES + MIB, largest="small (smoke run)")


def make_cases(out: Path, sizes: Sizes, seeds_dir: Path = PROJECT_ROOT / "seeds") -> list[Case]:
    pairs = _pairs(seeds_dir)
    files = out / "files"
    cases = []
    csv_path = files / "largest-allowed.csv"
    rows = write_csv(csv_path, pairs, sizes.largest_csv)
    cases.append(Case("largest_csv", f"{sizes.largest} CSV accepted ({csv_path.stat().st_size / MIB:,.1f} MiB, {rows:,} rows)",
                      csv_path, ACCEPTED, rows=rows))
    xlsx_path = files / "largest-allowed.xlsx"
    rows = write_xlsx(xlsx_path, pairs, sizes.largest_unpacked)
    cases.append(Case("largest_xlsx", f"{sizes.largest} .xlsx accepted ({xlsx_path.stat().st_size / MIB:,.1f} MiB, unpacks to "
                      f"{unpacked_bytes(xlsx_path) / MIB:,.1f} MiB, {rows:,} rows)", xlsx_path, ACCEPTED, rows=rows))
    over = files / "over-size.csv"
    write_csv(over, pairs, sizes.over_csv + 4096)
    with over.open("ab") as f:                    # rows stop at MAX_ROWS: pad the last cell past the size limit
        missing = sizes.over_csv - over.stat().st_size
        if missing > 0:
            f.write(b"#" * missing)
    cases.append(Case("over_csv", f"CSV over the file-size limit ({over.stat().st_size / MIB:,.1f} MiB)", over,
                      ("rejected",), "file_too_large"))
    bomb = files / "zip-bomb.xlsx"
    write_zip_bomb(bomb, sizes.bomb_unpacked)
    cases.append(Case("zip_bomb", f"zip bomb ({bomb.stat().st_size / MIB:,.1f} MiB .xlsx unpacking to "
                      f"{unpacked_bytes(bomb) / MIB:,.0f} MiB)", bomb, ("rejected",), "unpacked_too_large"))
    return cases


class SubmitScenario(Scenario):
    """A clerk's machine: the project's seeds, an empty inbox, no published copy (reference from the seeds)."""

    def env(self) -> dict[str, str]:
        env = super().env()
        env.update({"POLICY_WH_ROOT": str(PROJECT_ROOT), "POLICY_WH_DATA": str(self.workdir / "data"),
                    "POLICY_WH_PUBLISHED": str(self.workdir / "no-published-copy.duckdb")})
        return env


@dataclass
class LimitsReport:
    machine: dict[str, str]
    versions: dict[str, str]
    repeats: int
    plan: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_seconds: float = 0.0


def run(out: Path, sizes: Sizes, repeats: int, plan: str) -> LimitsReport:
    report = LimitsReport(machine(), versions(), repeats, plan)
    started = time.perf_counter()
    print(f"[bench.limits] writing the files into {out / 'files'}", flush=True)
    cases = make_cases(out, sizes)
    for case in cases:
        runs = []
        for i in range(repeats):
            scenario = SubmitScenario(PROJECT_ROOT, out / "runs" / f"{case.name}-{i}")
            runs.append(measure(scenario, "submit_cli", file=str(case.path)))
        outcome = runs[0]
        if outcome["status"] not in case.expect or (case.expect_code and case.expect_code not in outcome["codes"]):
            raise SystemExit(f"{case.label}: expected {case.expect} {case.expect_code or ''}, the submit said "
                             f"{outcome['status']} {outcome['codes']}:\n{outcome['output'][-2000:]}")
        report.rows.append({"case": case.name, "label": case.label, "bytes": case.path.stat().st_size,
                            "runs": len(runs), "seconds": statistics.median(r["seconds"] for r in runs),
                            "peak_mib": max(r["peak_rss_children_mib"] for r in runs),
                            "status": outcome["status"], "codes": outcome["codes"]})
        print(f"[bench.limits] {case.label}: {report.rows[-1]['seconds']:.1f} s, "
              f"{report.rows[-1]['peak_mib']:,.0f} MiB, {outcome['status']}", flush=True)
    report.total_seconds = time.perf_counter() - started
    return report


def render(report: LimitsReport) -> str:
    lines = [
        "# Input limits: what `policy-wh submit` costs at and over them",
        "",
        f"Written by `python -m bench.limits` ({report.plan}) on {datetime.now():%Y-%m-%d %H:%M}; "
        f"{report.total_seconds:.0f} s in all. Do not edit by hand.",
        "",
        f"Machine: {report.machine['cores']} cores, {report.machine['memory']}, {report.machine['cpu']}, "
        f"{report.machine['os']}, Python {report.machine['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in report.versions.items()) + ".",
        "",
        f"Each row: one cold `policy-wh submit FILE` process (Python start and imports included, reference data "
        f"from the seed CSVs, an empty inbox), median of {report.repeats} run(s); peak memory is that process's "
        "maximum resident set. The limits are `dagster_project/submissions/formats.py` `LIMITS`.",
        "",
        "| file | size (MiB) | submit (s) | peak memory (MiB) | outcome |",
        "|---|---:|---:|---:|---|",
    ]
    for row in report.rows:
        outcome = row["status"] + (f" ({', '.join(sorted(set(row['codes'])))})" if row["status"] == "rejected" else "")
        lines.append(f"| {row['label']} | {row['bytes'] / MIB:,.1f} | {row['seconds']:.1f} | {row['peak_mib']:,.0f} | "
                     f"{outcome} |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.limits", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small files, one run each (for the tests)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3; the median is reported)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out" / "limits", help="scratch folder")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "limits.md", help="the report to write")
    args = parser.parse_args(argv)
    sizes = Sizes.smoke() if args.smoke else Sizes()
    repeats = 1 if args.smoke else args.repeats
    report = run(args.out.resolve(), sizes, repeats, "smoke" if args.smoke else "full")
    args.results.write_text(render(report), encoding="utf-8")
    print(f"[bench.limits] wrote {args.results} in {report.total_seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
