"""How a target's comparator becomes a GX expectation, and the same rule in plain Python.

The dbt macro ``target_is_met`` (dbt/macros/target_attainment.sql) decides attainment in SQL for
``rpt_target_attainment``; GX decides it for ``raw.expectation_results``. Both must agree, so this module
holds the one mapping (comparator → ExpectColumnValuesToBeBetween bounds) and a Python twin of the macro
used for projections and tested against GX at every boundary:

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


def is_met(comparator: str, observed: float | None, value: float, value_high: float | None, direction: str,
           tolerance: float) -> bool | None:
    """The Python twin of the dbt macro target_is_met; None when there is no observation."""
    if observed is None:
        return None
    if comparator == ">=":
        return observed >= value
    if comparator == ">":
        return observed > value
    if comparator == "<=":
        return observed <= value
    if comparator == "<":
        return observed < value
    if comparator == "between":
        return value <= observed <= (value_high if value_high is not None else value)
    if comparator == "approx":
        return abs(observed - value) <= tolerance * abs(value)
    if comparator == "=":
        return observed <= value if direction == "lower_is_better" else observed >= value
    raise ValueError(f"unknown comparator {comparator!r}")


def gap(comparator: str, observed: float | None, value: float, value_high: float | None, direction: str,
        met: bool | None) -> float | None:
    """How far the observation is from meeting the target (0 when met), as rpt_target_attainment computes it."""
    if observed is None:
        return None
    if met:
        return 0.0
    if comparator in ("<=", "<") or (comparator == "=" and direction == "lower_is_better"):
        return observed - value
    if comparator == "between" and value_high is not None and observed > value_high:
        return observed - value_high
    if comparator == "approx":
        return abs(observed - value)
    return value - observed


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
