"""The row rules of each kind of sheet, declared once: the pandas validators run them, and the bulk path's
SQL (:mod:`.bulk_csv`) is compiled from the same declarations.

Each :class:`Rule` names its reason code, the field it checks and the message it gives, and says how a
row breaks it twice over: a Python predicate, vectorised over the typed columns the kind's parse step
computed (:class:`.engine.Typed`), and — for the bulk kind (progress) — a SQL predicate over the bulk
path's typed view (``bulk_csv.RULE_VIEW``: task_id_raw, task_id, report_date_raw, report_date, future,
status_raw, status, percent_complete_raw, percent, reported_by, org_id, ambiguous, assigned). A rule the
SQL cannot settle declares why instead: ``doubtful`` (the rows are handed to the pandas validator) or
``plan`` (:func:`.bulk_csv.bulk_plan` keeps such files off the bulk path). A progress rule with neither
cannot be compiled: importing bulk_csv fails, and tests/unit/test_rules.py says which rule.

The lists are in the order the validators apply them: a column's first failure masks the later rules on
that column, and a row's quarantine records keep this order.

The SQL predicate of a *sure* rule (no disposition) is true where the row breaks the rule read on its
own, without the masking of earlier rules on its column; it may mark more rows than the pandas rule
flags only where the row is bad for another rule (organization_not_assigned marks a row whose task is
unknown). A doubtful rule's SQL, if any, marks the rows that *may* break it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from .cells import flags, unit_matches
from .engine import Found, Typed, assigned, blank, conflicting, duplicated, formulas, long_cells
from .formats import AIR_QUALITY, FIELDS, INDICATORS, PROGRESS, nonblank
from .kinds import KINDS
from .reasons import FILE_CODES, MESSAGES, REASON_CODES

DOUBTFUL = "doubtful"       # SQL cannot settle it: the rows go to the pandas validator
PLAN = "plan"               # files that could break it never take the bulk path (bulk_csv.bulk_plan)
BULK_KIND = PROGRESS        # the kind whose large CSVs the bulk path checks in SQL


@dataclass(frozen=True)
class Rule:
    """One row rule: where a row breaks it (Python; SQL or a disposition for the bulk kind), and what it says."""

    code: str                               # reason code (REASON_CODES)
    column: str | None                      # the field it checks (masking is per field); None: the whole row
    check: Callable[[Typed], Found]         # True where a row breaks it (+ the values its message needs)
    message_code: str | None = None         # the MESSAGES template; default the code (per-kind variants differ)
    sql: str | None = None                  # bulk kind: true where a row breaks it, over bulk_csv.RULE_VIEW
    bulk: str | None = None                 # bulk kind, a rule SQL cannot settle: DOUBTFUL or PLAN

    def __post_init__(self) -> None:
        if self.message_code is None:
            object.__setattr__(self, "message_code", self.code)
        if self.code not in REASON_CODES or self.code in FILE_CODES:
            raise ValueError(f"{self.code}: not a row-level reason code")
        if self.message_code not in MESSAGES:
            raise ValueError(f"{self.code}: no message {self.message_code!r}")
        if self.bulk not in (None, DOUBTFUL, PLAN):
            raise ValueError(f"{self.code}: disposition {self.bulk!r} is neither {DOUBTFUL!r} nor {PLAN!r}")


# --- rule makers shared by the kinds ----------------------------------------------------------------------

def _too_long(kind: str, bulk: str | None = None) -> tuple[Rule, ...]:
    return tuple(Rule("cell_too_long", name, lambda t, name=name: long_cells(t, name), bulk=bulk)
                 for name in FIELDS[kind])


def _missing(name: str, sql: str | None = None) -> Rule:
    return Rule("missing_value", name, lambda t: blank(t, name), sql=sql)


def _formula(name: str, failing: Callable[[Typed], np.ndarray], sql: str | None = None) -> Rule:
    """A cell that did not parse (``failing``) and is a formula."""
    return Rule("formula_not_allowed", name, lambda t: formulas(t, name, failing(t)), sql=sql)


def _organisation(sql_missing: str | None = None, sql_unknown: str | None = None, sql_ambiguous: str | None = None,
                  bulk_ambiguous: str | None = None) -> tuple[Rule, ...]:
    return (
        _missing("reported_by", sql=sql_missing),
        Rule("unknown_organization", "reported_by", lambda t: (t.org_why == "unknown_organization").to_numpy(),
             sql=sql_unknown),
        # an ambiguous name may be settled by the row's task (progress): only the pandas validator knows
        Rule("ambiguous_organization", "reported_by", lambda t: (t.org_why == "ambiguous_organization").to_numpy(),
             sql=sql_ambiguous, bulk=bulk_ambiguous),
    )


def _duplicates(kind: str, bulk: str | None = None) -> tuple[Rule, ...]:
    """Rows sharing the kind's declared key with different content → conflicting_rows (all of them); otherwise
    later exact copies → duplicate_row (the first copy loads). Both look only at rows no earlier rule flagged."""
    key, key_label = list(KINDS[kind].key), KINDS[kind].key_label
    return (Rule("conflicting_rows", None, lambda t: conflicting(t, key, key_label), bulk=bulk),
            Rule("duplicate_row", None, lambda t: duplicated(t, key), bulk=bulk))


def _isna(name: str) -> Callable[[Typed], np.ndarray]:
    return lambda t: getattr(t, name).isna().to_numpy()


# --- 任务进展 (progress): also checked in SQL by the bulk path --------------------------------------------

def _percent_failing(t: Typed) -> np.ndarray:
    return np.isnan(t.percent) & nonblank(t.raw("percent_complete"))


def _not_assigned(t: Typed) -> Found:
    """Only rows whose task and organisation both passed are checked."""
    tasks = t.task_id.to_numpy(dtype=object)
    both = (t.task_id.notna() & t.org_id.notna()).to_numpy() & t.checks.ok("task_id") & t.checks.ok("reported_by")
    return ~assigned(t.reference, tasks, t.org_id.to_numpy(dtype=object), both), {"task_id": tasks}


PROGRESS_RULES: tuple[Rule, ...] = (
    *_too_long(PROGRESS, bulk=PLAN),
    _missing("task_id", sql="task_id_raw = ''"),
    Rule("unknown_task", "task_id", _isna("task_id"), sql="task_id is null"),
    _missing("report_date", sql="report_date_raw = ''"),
    _formula("report_date", _isna("report_date"), sql="report_date is null and starts_with(report_date_raw, '=')"),
    Rule("invalid_date", "report_date", _isna("report_date"), sql="report_date is null"),
    Rule("future_date", "report_date", lambda t: t.report_date_future.to_numpy(dtype=bool), sql="future"),
    _missing("status", sql="status_raw = ''"),
    Rule("invalid_status", "status", _isna("status"), sql="status is null"),
    _formula("percent_complete", _percent_failing,
             sql="percent is null and starts_with(percent_complete_raw, '=')"),
    Rule("invalid_percent", "percent_complete", _percent_failing, sql="percent_complete_raw <> '' and percent is null"),
    Rule("percent_out_of_range", "percent_complete", lambda t: (t.percent < 0) | (t.percent > 100),
         sql="percent < 0 or percent > 100"),
    *_organisation(sql_missing="reported_by = ''", sql_unknown="org_id is null and not ambiguous",
                   sql_ambiguous="ambiguous", bulk_ambiguous=DOUBTFUL),
    Rule("organization_not_assigned", "reported_by", _not_assigned,
         sql="org_id is not null and not ambiguous and not assigned"),
    *_duplicates(PROGRESS, bulk=DOUBTFUL),
)


# --- 指标数据 (indicators) --------------------------------------------------------------------------------

def _unit_mismatch(t: Typed) -> Found:
    """A unit written that is not the indicator's (a blank unit, or an indicator without one, matches)."""
    pair = pd.Series(t.unit.astype(str) + "\x1f" + t.expected_unit.astype(str), dtype=object)
    mask = ~flags(pair, unit_matches) & t.indicator_id.notna().to_numpy()
    return mask, {"indicator_id": t.indicator_id.to_numpy(dtype=object),
                  "expected": t.expected_unit.to_numpy(dtype=object)}


INDICATOR_RULES: tuple[Rule, ...] = (
    *_too_long(INDICATORS),
    _missing("indicator_id"),
    Rule("unknown_indicator", "indicator_id", _isna("indicator_id")),
    _missing("region"),
    Rule("unknown_region", "region", _isna("region")),
    _missing("period"),
    _formula("period", _isna("period_start")),
    Rule("invalid_period", "period", _isna("period_start")),
    Rule("future_date", "period", lambda t: t.period_future.to_numpy(dtype=bool), message_code="future_period"),
    _missing("value"),
    _formula("value", lambda t: np.isnan(t.value)),
    Rule("non_numeric_value", "value", lambda t: np.isnan(t.value)),
    Rule("unit_mismatch", "unit", _unit_mismatch),
    *_organisation(),
    *_duplicates(INDICATORS),
)


# --- 空气质量 (air quality) -------------------------------------------------------------------------------

def _index_is(outcome: str) -> Callable[[Typed], np.ndarray]:
    return lambda t: (t.index_outcome == outcome).to_numpy()


def _not_ended(t: Typed) -> np.ndarray:
    return np.array([isinstance(end, date) and end > t.today for end in t.quarter_end], dtype=bool)


AIR_QUALITY_RULES: tuple[Rule, ...] = (
    *_too_long(AIR_QUALITY),
    _missing("station"),
    Rule("unknown_station", "station", _isna("station_id")),
    _missing("quarter"),
    _formula("quarter", _isna("quarter")),
    Rule("invalid_quarter", "quarter", _isna("quarter")),
    Rule("quarter_not_ended", "quarter", _not_ended),
    _missing("composite_index"),
    _formula("composite_index", _index_is("non_numeric")),
    Rule("non_numeric_value", "composite_index", _index_is("non_numeric"), message_code="non_numeric_index"),
    Rule("index_out_of_range", "composite_index", _index_is("range")),
    Rule("too_many_decimals", "composite_index", _index_is("decimals")),
    *_organisation(),
    *_duplicates(AIR_QUALITY),
)

RULES: dict[str, tuple[Rule, ...]] = {PROGRESS: PROGRESS_RULES, INDICATORS: INDICATOR_RULES,
                                      AIR_QUALITY: AIR_QUALITY_RULES}


# --- the bulk kind's rules compiled to SQL ------------------------------------------------------------------

def sure_bad_sql(rules: tuple[Rule, ...] = RULES[BULK_KIND]) -> str:
    """True where a row certainly breaks a rule: the OR of the sure rules' SQL predicates (NULL read as false).
    Raises ValueError for a rule with neither a SQL predicate nor a disposition (it exists on one path only)."""
    terms = []
    for rule in rules:
        if rule.bulk is None and rule.sql is None:
            raise ValueError(f"rule {rule.code} on {rule.column}: no SQL predicate and no disposition "
                             f"({DOUBTFUL!r} or {PLAN!r}); the bulk path would load rows that break it")
        if rule.bulk is None:
            terms.append(f"coalesce(({rule.sql}), false)")
    return "(" + " or ".join(terms or ["false"]) + ")"


def doubtful_sql(rules: tuple[Rule, ...] = RULES[BULK_KIND]) -> str:
    """True where a row may break a rule SQL cannot settle (the OR of the doubtful rules' SQL predicates).
    Doubtful rules without SQL (the duplicate rules) are about keys: bulk_csv hands on rows sharing a key."""
    terms = [f"coalesce(({r.sql}), false)" for r in rules if r.bulk == DOUBTFUL and r.sql is not None]
    return "(" + " or ".join(terms or ["false"]) + ")"
