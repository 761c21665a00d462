"""How a target's comparator becomes a GX expectation.

The dbt macro ``target_is_met`` (dbt/macros/target_attainment.sql) decides attainment in SQL, once, in
``marts.fct_target_observation`` (which ``rpt_target_attainment`` reads, with the gap and the projection);
GX decides it for ``raw.expectation_results``. Both must agree, so this module holds the one mapping
(comparator → ExpectColumnValuesToBeBetween bounds), tested against the macro at every boundary
(tests/unit/test_checks_comparators.py, tests/integration/test_target_macros.py):

* ``>=`` / ``>``: min_value (strict for ``>``); ``<=`` / ``<``: max_value (strict for ``<``);
* ``between``: min_value and max_value, both inclusive;
* ``approx`` (…左右): ``abs(observed - value) <= tolerance * abs(value)``, validated on the column
  ``abs_deviation`` with max_value ``tolerance * abs(value)`` — the same floating-point operations as SQL;
* ``=`` (a count to reach, 达到10家): reached in the indicator's direction — ``>= value`` when higher is
  better, ``<= value`` when lower is better.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

COMPARATORS = (">=", ">", "<=", "<", "between", "approx", "=")
DEFAULT_TOLERANCE = 0.05


def approx_tolerance(dbt_project_dir: Path) -> float:
    """The dbt var ``approx_tolerance`` from dbt_project.yml, so GX and SQL use one number."""
    config = yaml.safe_load((dbt_project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    value = (config.get("vars") or {}).get("approx_tolerance", DEFAULT_TOLERANCE)
    return float(value)


def expectation_kwargs(comparator: str, value: float, value_high: float | None, direction: str,
                       tolerance: float) -> dict[str, Any]:
    """Column and bounds of ExpectColumnValuesToBeBetween for one target (without the row condition)."""
    if comparator == ">=":
        return {"column": "observed_value", "min_value": value}
    if comparator == ">":
        return {"column": "observed_value", "min_value": value, "strict_min": True}
    if comparator == "<=":
        return {"column": "observed_value", "max_value": value}
    if comparator == "<":
        return {"column": "observed_value", "max_value": value, "strict_max": True}
    if comparator == "between":
        if value_high is None:
            raise ValueError(f"a between target needs value_high (value {value})")
        return {"column": "observed_value", "min_value": value, "max_value": value_high}
    if comparator == "approx":
        return {"column": "abs_deviation", "max_value": tolerance * abs(value)}
    if comparator == "=":
        if direction == "lower_is_better":
            return {"column": "observed_value", "max_value": value}
        return {"column": "observed_value", "min_value": value}
    raise ValueError(f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")


def _number(value: float) -> str:
    return f"{value:g}"


def expected_text(comparator: str, value: float, value_high: float | None, direction: str, tolerance: float,
                  unit: str = "") -> str:
    """A short, human reading of the target, e.g. '≥ 95%' or '90 ±5%'."""
    unit = unit or ""
    if comparator == "between":
        return f"{_number(value)}–{_number(value_high if value_high is not None else value)}{unit}"
    if comparator == "approx":
        return f"{_number(value)}{unit} ±{_number(tolerance * 100)}%"
    if comparator == "=":
        sign = "≤" if direction == "lower_is_better" else "≥"
        return f"{sign} {_number(value)}{unit}（达到）"
    sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}[comparator]
    return f"{sign} {_number(value)}{unit}"


_SAFE_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


def row_condition(column: str, value: str) -> str:
    """A pandas row condition selecting one id; ids are checked so the condition cannot be malformed."""
    if not _SAFE_ID.match(value):
        raise ValueError(f"编号“{value}”含有不允许的字符，无法生成检查。The id {value!r} has characters a row condition cannot hold.")
    return f'{column}=="{value}"'
