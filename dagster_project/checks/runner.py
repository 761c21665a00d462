"""Run the GX checkpoints on the DataFrames and turn GX's results into rows of raw.expectation_results.

GX is slow to start (importing it costs seconds), so the file context is built once per process and
reused by every suite of a run (:func:`gx_context`). Runs go through the committed checkpoints, which
store the validation results and update the Data Docs site, both under ``data/``; the site is then made
self-contained (``data_docs.py``: local CSS and JavaScript, so it renders offline).

Statuses: a target is ``met`` when GX passes it on a real observation, ``no_data`` when there is no
observation (or no row for it at all), never a pass, and ``not_met`` otherwise. Severity: ``error`` once
the target is due (due date on or before the as-of date, or no due date: a standing norm), ``warn`` before;
a not-yet-due target with at least three observations gets the straight-line projection to its due date
that dbt computed (marts.fct_target_observation, like the gap: read from the frame, not recomputed).
Task-deadline and submission expectations are ``met`` / ``not_met`` with severity ``error``.
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..settings import Settings
from ..warehouse import LOCAL_TZ, Warehouse
from . import frames as frames_module
from .data_docs import make_self_contained
from .project import CHECKPOINT_OF_ASSET, committed_suites
from .results import ResultRow, write_results
from .suites import ASSET_DEADLINES, ASSET_TARGETS
from .suites import SUBMISSION_ASSETS  # noqa: F401 - one per declared submission kind: its raw table
DATA_DOCS_RESULTS = 100          # validation results listed on the Data Docs index (about six days of runs)
POLICY_ASSETS = (ASSET_TARGETS, ASSET_DEADLINES)


@dataclass(frozen=True)
class GxPaths:
    root: Path             # expectations/gx (committed)
    validations: Path      # data/gx_validations (run output)
    docs: Path             # data/gx_docs (the Data Docs site)

    @property
    def docs_index(self) -> Path:
        return self.docs / "index.html"


def gx_paths(settings: Settings) -> GxPaths:
    return GxPaths(settings.project_root / "expectations" / "gx", settings.data_dir / "gx_validations",
                   settings.data_dir / "gx_docs")


@dataclass
class SuiteOutcome:
    """One suite's verdict, for the Dagster check and the printed summary."""

    name: str
    kind: str
    rows: list[ResultRow]

    @property
    def passed(self) -> bool:
        return all(row.success for row in self.rows)

    @property
    def severity(self) -> str:
        return "error" if any(not r.success and r.severity == "error" for r in self.rows) else "warn"

    def counts(self) -> dict[str, int]:
        counts = {"met": 0, "not_met": 0, "no_data": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


@dataclass
class CheckRun:
    """The outcome of one run of some suites for one as-of date."""

    run_id: str
    as_of: date
    suites: list[SuiteOutcome] = field(default_factory=list)
    docs_index: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> list[ResultRow]:
        return [row for suite in self.suites for row in suite.rows]

    def suite(self, name: str) -> SuiteOutcome:
        return next(s for s in self.suites if s.name == name)


_gx_import: threading.Thread | None = None


def _import_gx() -> None:
    try:
        import great_expectations  # noqa: F401
    except Exception:  # noqa: BLE001 - the check that needs GX imports it again and reports the error
        pass


def import_gx_in_background() -> None:
    """Start importing GX (~6 s of pure import on the reference machine) on a background thread.

    The daily run's first step (the raw load: mostly DuckDB and pandas work, which releases the GIL) calls
    this, so the import overlaps that step instead of adding to the blocking submission check that follows.
    Once per process; a later ``import great_expectations`` simply waits for it to finish."""
    global _gx_import
    if _gx_import is None and "great_expectations" not in sys.modules:
        _gx_import = threading.Thread(target=_import_gx, name="import-great-expectations", daemon=True)
        _gx_import.start()


@lru_cache(maxsize=4)
def gx_context(paths: GxPaths):
    """The GX file context of expectations/gx, with run output redirected under data/ (built once)."""
    paths.validations.mkdir(parents=True, exist_ok=True)
    paths.docs.mkdir(parents=True, exist_ok=True)
    os.environ["POLICY_WH_GX_VALIDATIONS"] = str(paths.validations) + os.sep
    os.environ["POLICY_WH_GX_DOCS"] = str(paths.docs) + os.sep
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(paths.root.parent))
    # The Data Docs index page loads EVERY stored validation result each time it is rebuilt (18 new ones a
    # day): without a limit a daily run would slow down with every day of history. The site's index and
    # validation pages keep the latest results; the full history is raw.expectation_results.
    # (variables.data_docs_sites returns a copy: set it back; in memory only, the committed YAML is unchanged)
    sites = context.variables.data_docs_sites or {}
    for site in sites.values():
        site.setdefault("site_index_builder", {"class_name": "DefaultSiteIndexBuilder"})
        site["site_index_builder"].setdefault("validation_results_limit", DATA_DOCS_RESULTS)
    context.variables.data_docs_sites = sites
    return context


def _clean(value: Any) -> Any:
    """JSON-safe values (timestamps, numpy numbers, NaN) for the details column."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return _clean(value.item())
    return str(value)


def _exception_message(result: Any) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return info.get("exception_message")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return value.get("exception_message")
    return None


def _float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    try:
        return None if pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _date(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "date"):
        return value.date()
    return value


class _Interpreter:
    """Turns GX expectation results into ResultRows, with the DataFrames at hand for context."""

    def __init__(self, run_id: str, evaluated_at: datetime, as_of: date, data: frames_module.Frames) -> None:
        self.run_id, self.evaluated_at, self.as_of, self.data = run_id, evaluated_at, as_of, data
        targets = data.by_asset.get(ASSET_TARGETS)
        self.targets = {row["target_id"]: row for row in targets.to_dict("records")} if targets is not None else {}

    def row(self, suite: str, result: Any, **values: Any) -> ResultRow:
        config = result.expectation_config
        base = dict(run_id=self.run_id, evaluated_at=self.evaluated_at, as_of_date=self.as_of, suite=suite,
                    expectation=config.meta["key"], expectation_type=config.type, target_id=None,
                    indicator_id=None, org_id=None, region_code=None, observed_value=None, expected=None,
                    gap=None, projected_value=None, projected_status=None,
                    element_count=result.result.get("element_count"),
                    unexpected_count=result.result.get("unexpected_count"), details=None)
        base.update(values)
        return ResultRow(**base)

    def target(self, suite: str, result: Any) -> ResultRow:
        meta = result.expectation_config.meta
        frame_row = self.targets.get(meta["target_id"], {})
        observed = _float(frame_row.get("observed_value"))
        element_count = result.result.get("element_count") or 0
        missing = result.result.get("missing_count") or 0
        error = _exception_message(result)
        if observed is None or element_count == 0 or missing >= element_count:
            status = "no_data"
        else:
            status = "met" if result.success and not error else "not_met"
        value, high = meta["value"], meta["value_high"]
        due = _date(meta.get("due_date"))
        severity = "warn" if due is not None and due > self.as_of else "error"
        # the projection and the gap are dbt's (marts.fct_target_observation); shown before the due date only
        projected = _float(frame_row.get("projected_value")) if severity == "warn" and due is not None else None
        projected_status = _text(frame_row.get("projected_status")) if projected is not None else None
        details = {"observed_period": _clean(frame_row.get("observed_period")),
                   "observations": int(frame_row.get("observation_count") or 0), "due_date": meta.get("due_date"),
                   "target_value": value, "target_value_high": high}
        if error:
            details["error"] = error
        return self.row(
            suite, result, target_id=meta["target_id"], indicator_id=meta["indicator_id"],
            region_code=meta["region_code"], success=status == "met", status=status, severity=severity,
            observed_value=observed, expected=meta.get("expected"),
            gap=_float(frame_row.get("gap")),
            projected_value=projected, projected_status=projected_status,
            details=json.dumps(details, ensure_ascii=False, sort_keys=True))

    def deadline(self, suite: str, result: Any) -> ResultRow:
        meta = result.expectation_config.meta
        failing = [item.get("task_id") for item in result.result.get("unexpected_index_list") or []]
        error = _exception_message(result)
        success = bool(result.success) and not error
        details: dict[str, Any] = {"org_name": meta.get("org_name"), "tasks_due": result.result.get("element_count"),
                                   "failing_tasks": sorted(t for t in failing if t)}
        if error:
            details["error"] = error
        return self.row(suite, result, org_id=meta["org_id"], success=success,
                        status="met" if success else "not_met", severity="error",
                        observed_value=float(result.result.get("unexpected_count") or 0),
                        expected="期限已过的任务全部已完成 all tasks past their deadline are done",
                        details=json.dumps(details, ensure_ascii=False, sort_keys=True))

    def submission(self, suite: str, result: Any) -> ResultRow:
        config = result.expectation_config
        error = _exception_message(result)
        success = bool(result.success) and not error
        kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "value_set", "type_list")}
        details: dict[str, Any] = {"sample": _clean((result.result.get("partial_unexpected_list") or [])[:10])}
        observed = result.result.get("observed_value")
        if observed is not None:
            details["observed"] = _clean(observed)
        if error:
            details["error"] = error
        return self.row(suite, result, success=success, status="met" if success else "not_met", severity="error",
                        observed_value=_float(result.result.get("unexpected_count")),
                        expected=json.dumps(_clean(kwargs), ensure_ascii=False, sort_keys=True),
                        details=json.dumps(details, ensure_ascii=False, sort_keys=True))


def run_suites(paths: GxPaths, data: frames_module.Frames, as_of: date, run_id: str) -> CheckRun:
    """Run the checkpoint of every DataFrame in ``data``; nothing is written to the warehouse here.

    Each checkpoint's validation definitions run one by one (each stores its validation result), and the
    Data Docs site is rebuilt ONCE at the end for every result of this call. The committed checkpoints'
    own ``update_data_docs`` action would rebuild the site — index page included, which lists every
    result ever stored — once per validation definition: 18 rebuilds, most of the checks' time."""
    run = CheckRun(run_id=run_id, as_of=as_of, docs_index=paths.docs_index)
    clock = time.perf_counter()
    if _gx_import is not None:
        _gx_import.join()
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (ExpectationSuiteIdentifier,
                                                                            ValidationResultIdentifier)

    context = gx_context(paths)
    run.seconds["gx_context"] = time.perf_counter() - clock
    kinds = {s["name"]: s["kind"] for s in committed_suites(paths.root)}
    evaluated_at = datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)
    interpreter = _Interpreter(run_id, evaluated_at, as_of, data)
    stored: list[Any] = []
    for asset, frame in data.by_asset.items():
        clock = time.perf_counter()
        checkpoint = context.checkpoints.get(CHECKPOINT_OF_ASSET[asset])
        gx_run_id = RunIdentifier(run_name=f"{as_of.isoformat()} {run_id}", run_time=datetime.now(LOCAL_TZ))
        for definition in checkpoint.validation_definitions:
            validation = definition.run(checkpoint_id=checkpoint.id, batch_parameters={"dataframe": frame},
                                        result_format=checkpoint.result_format, run_id=gx_run_id)
            suite = validation.suite_name
            suite_id = ExpectationSuiteIdentifier(name=suite)
            stored += [ValidationResultIdentifier(suite_id, gx_run_id, validation.batch_id), suite_id]
            kind = kinds.get(suite, "submission")
            interpret = {"targets": interpreter.target, "deadlines": interpreter.deadline}.get(kind, interpreter.submission)
            rows = sorted((interpret(suite, r) for r in validation.results), key=lambda r: r.expectation)
            run.suites.append(SuiteOutcome(suite, kind, rows))
        run.seconds[f"gx:{CHECKPOINT_OF_ASSET[asset]}"] = time.perf_counter() - clock
    if stored:
        clock, started = time.perf_counter(), time.time_ns()
        context.build_data_docs(resource_identifiers=stored)
        # GX's pages load their CSS and JavaScript from CDNs: point them at local copies (offline intranet)
        make_self_contained(paths.docs, since_ns=started)
        run.seconds["data_docs"] = time.perf_counter() - clock
    run.suites.sort(key=lambda s: s.name)
    return run


def new_run_id() -> str:
    return f"cli-{uuid.uuid4()}"


def run_submission_checks(settings: Settings, warehouse: Warehouse, first: date, last: date,
                          run_id: str | None = None) -> CheckRun:
    """The submission-quality suites on the raw rows of the partitions first … last; results stored as of last."""
    clock = time.perf_counter()
    with warehouse.connect() as con:
        data = frames_module.read_submission_frames(con, first, last)
    read = time.perf_counter() - clock
    run = run_suites(gx_paths(settings), data, last, run_id or new_run_id())
    run.seconds["read"] = read
    _store(warehouse, run)
    return run


def run_policy_checks(settings: Settings, warehouse: Warehouse, as_of: date | None = None,
                      run_id: str | None = None) -> CheckRun:
    """The target and task-deadline suites as of ``as_of`` (default: the reports' as-of date)."""
    clock = time.perf_counter()
    with warehouse.connect() as con:
        as_of = as_of or frames_module.default_as_of(con)
        data = frames_module.read_policy_frames(con, as_of)
    read = time.perf_counter() - clock
    run = run_suites(gx_paths(settings), data, as_of, run_id or new_run_id())
    run.seconds["read"] = read
    _store(warehouse, run)
    return run


def run_all_checks(settings: Settings, warehouse: Warehouse, as_of: date | None = None) -> CheckRun:
    """Every suite for one date (policy-wh checks): the raw partition of that date, targets and deadlines."""
    run_id = new_run_id()
    policy = run_policy_checks(settings, warehouse, as_of, run_id)
    submission = run_submission_checks(settings, warehouse, policy.as_of, policy.as_of, run_id)
    policy.suites = sorted(policy.suites + submission.suites, key=lambda s: s.name)
    for name, seconds in submission.seconds.items():
        policy.seconds[name] = policy.seconds.get(name, 0.0) + seconds
    return policy


def _store(warehouse: Warehouse, run: CheckRun) -> None:
    clock = time.perf_counter()
    with warehouse.connect() as con:
        write_results(con, run.rows)
    run.seconds["write"] = time.perf_counter() - clock
