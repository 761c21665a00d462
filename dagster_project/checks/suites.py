"""The expectation suites, generated from the seeds and the raw tables' declarations (never written by hand).

Every suite is a plain description (name, the DataFrame it validates, its expectations as GX
configurations) built deterministically from ``seeds/*.csv``, the raw tables' declarations
(``submissions/raw_tables.py``, the kinds in ``submissions/kinds/``) and the dbt var ``approx_tolerance``. ``project.write_project``
turns them into the GX file context; a test regenerates them and compares with the committed files.

Suites:

* ``submission_<raw table>`` — one per declared submission kind (``submissions/kinds/``: today
  ``submission_progress_reports``, ``submission_indicator_values``, ``submission_air_quality_readings``), on the
  raw layer of a daily partition: the schema (columns and types as declared, required values) generated from
  the kind's table, then the kind's value expectations (:data:`SUBMISSION_VALUE_EXPECTATIONS`) — allowed
  statuses, percent 0–100, known task / indicator / organisation / region / station ids, no future dates (a
  date is never later than its row's load time), quarters written YYYYQn, a composite index in (0, 1000),
  each file row loaded once;
* ``targets_<policy area>`` — one expectation per quantitative target with an indicator, on the latest
  observation of that indicator for the target's region (the whole city when none is named);
* ``task_deadlines`` — one expectation per lead department: every task of it whose deadline has passed
  is 已完成 (done); the failing tasks are listed by task_id.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..submissions.kinds import KINDS
from ..submissions.raw_tables import SUBMISSION_TABLES
from .comparators import approx_tolerance, expectation_kwargs, expected_text, row_condition
from .descriptions import WHOLE_CITY, SeedTables, read_seed_csv as _read_csv
PROGRESS_STATUSES = ("not_started", "in_progress", "done", "delayed", "blocked")

# Suite names are ASCII (they become file names); one per policy area of seeds/document_policy_areas.csv.
POLICY_AREA_SLUGS: dict[str, str] = {
    "法治政府": "rule_of_law",
    "医疗卫生": "health",
    "科技创新": "innovation",
    "金融": "finance",
    "生态环境": "environment",
    "农业农村": "agriculture",
    "社会保障": "social_security",
    "营商环境": "business_environment",
    "城市建设": "urban_construction",
    "机构编制": "institutions",
    "质量标准": "quality",
    "文化体育": "culture_sports",
    "商贸流通": "commerce",
    "安全生产": "work_safety",
    "产业发展": "industry",
    "政务管理": "administration",
}

# The types GX accepts for each DDL type: numpy dtypes as DuckDB's .df() gives them; for text, whose column
# frames.py hands over as object dtype, GX checks every value's Python type (str).
PANDAS_TYPES: dict[str, list[str]] = {
    "varchar": ["str"],
    "date": ["datetime64[us]", "datetime64[ns]", "datetime64[ms]", "datetime64[s]"],
    "timestamp": ["datetime64[us]", "datetime64[ns]", "datetime64[ms]", "datetime64[s]"],
    "double": ["float64", "Float64"],
    "integer": ["int32", "Int32", "int64", "Int64"],
    "decimal(18,4)": ["float64", "Float64"],       # DuckDB's .df() hands DECIMAL columns over as float64
}

# The DataFrames the suites validate (GX data assets of the pandas data source): each submission kind's raw
# table under its own name (submission_suites), then the policy frames.
SUBMISSION_ASSETS: tuple[str, ...] = tuple(kind.table.name for kind in KINDS.values())
ASSET_TARGETS = "target_observations"
ASSET_DEADLINES = "task_deadlines"
# The marts the policy DataFrames are read from (frames.py), where dbt computed what the suites check.
TARGET_TABLE = "marts.fct_target_observation"
DEADLINE_TABLE = "marts.fct_lead_task_deadline"


@dataclass(frozen=True)
class SuiteSpec:
    """One suite: its name, the DataFrame asset it validates, a bilingual description, its expectations."""

    name: str
    asset: str
    kind: str                        # submission | targets | deadlines
    description: str
    expectations: list[dict[str, Any]] = field(default_factory=list)   # {"type", "kwargs", "meta", "notes"?}
    meta: dict[str, Any] = field(default_factory=dict)


def raw_table_columns() -> dict[str, list[tuple[str, str, bool]]]:
    """{table: [(column, type, not_null)]} of the submissions' raw tables, from their declarations."""
    return {t.name: [(c.name, c.type, c.not_null) for c in t.columns] for t in SUBMISSION_TABLES}


def _expectation(type_: str, key: str, kwargs: dict[str, Any], meta: dict[str, Any] | None = None,
                 notes: str | None = None, description: str | None = None) -> dict[str, Any]:
    """One expectation spec. ``description`` (plain text) replaces GX's generated sentence in Data Docs."""
    spec: dict[str, Any] = {"type": type_, "kwargs": kwargs, "meta": {"key": key, **(meta or {})}}
    if notes:
        spec["notes"] = notes
    if description:
        spec["description"] = description
    return spec


def _schema_expectations(table: str, columns: list[tuple[str, str, bool]]) -> list[dict[str, Any]]:
    specs = [_expectation("expect_table_columns_to_match_set", "schema:columns",
                          {"column_set": [c for c, _, _ in columns], "exact_match": True},
                          notes=f"raw.{table} 的列与建表语句一致。The columns of raw.{table} match its DDL.")]
    for column, type_, not_null in columns:
        specs.append(_expectation("expect_column_values_to_be_in_type_list", f"type:{column}",
                                  {"column": column, "type_list": PANDAS_TYPES[type_]}))
        if not_null:
            specs.append(_expectation("expect_column_values_to_not_be_null", f"not_null:{column}", {"column": column}))
    return specs


class _SeedIds:
    """The ids the submission suites' value expectations name, each seed read when first needed."""

    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self._cache: dict[tuple[str, str], list[str]] = {}

    def ids(self, seed: str, column: str) -> list[str]:
        if (seed, column) not in self._cache:
            self._cache[(seed, column)] = sorted({row[column] for row in _read_csv(self.seeds_dir / f"{seed}.csv")})
        return self._cache[(seed, column)]


_IN_SET = "expect_column_values_to_be_in_set"


def _known_org(seeds: _SeedIds) -> dict[str, Any]:      # every raw table names the reporting organisation …
    return _expectation(_IN_SET, "known:org_id", {"column": "org_id", "value_set": seeds.ids("organizations", "org_id")},
                        notes="填报单位必须在机构名录中。Organisations come from seeds/organizations.csv.")


def _unique_file_row() -> dict[str, Any]:                 # … and loads each row of a file once
    return _expectation("expect_compound_columns_to_be_unique", "unique:row",
                        {"column_list": ["file_sha256", "sheet_name", "row_number"]},
                        notes="每个文件的每一行只装载一次。Each file row is loaded once.")


def _progress_values(seeds: _SeedIds) -> list[dict[str, Any]]:
    return [
        _expectation(_IN_SET, "known:task_id", {"column": "task_id", "value_set": seeds.ids("tasks", "task_id")},
                     notes="任务编号必须在 seeds/tasks.csv 中。Task ids come from seeds/tasks.csv."),
        _known_org(seeds),
        _expectation(_IN_SET, "allowed:status", {"column": "status", "value_set": list(PROGRESS_STATUSES)},
                     notes="状态只能是 未启动、推进中、已完成、已延期、受阻。Allowed statuses."),
        _expectation("expect_column_values_to_be_between", "range:percent_complete",
                     {"column": "percent_complete", "min_value": 0, "max_value": 100},
                     notes="完成进度在 0 到 100 之间。Percent complete is 0–100."),
        _expectation("expect_column_pair_values_a_to_be_greater_than_b", "no_future:report_date",
                     {"column_A": "loaded_at", "column_B": "report_date", "or_equal": True},
                     notes="填报日期不晚于装载时间。No report date after the row was loaded."),
        _unique_file_row(),
    ]


def _indicator_values(seeds: _SeedIds) -> list[dict[str, Any]]:
    return [
        _expectation(_IN_SET, "known:indicator_id",
                     {"column": "indicator_id", "value_set": seeds.ids("indicators", "indicator_id")},
                     notes="指标编号必须在 seeds/indicators.csv 中。Indicator ids come from seeds/indicators.csv."),
        _expectation(_IN_SET, "known:region_code", {"column": "region_code", "value_set": seeds.ids("regions", "region_code")},
                     notes="地区代码必须在 seeds/regions.csv 中。Region codes come from seeds/regions.csv."),
        _known_org(seeds),
        _expectation("expect_column_pair_values_a_to_be_greater_than_b", "order:period",
                     {"column_A": "period_end", "column_B": "period_start", "or_equal": True},
                     notes="统计期结束不早于开始。A period ends no earlier than it starts."),
        _expectation("expect_column_pair_values_a_to_be_greater_than_b", "no_future:period_start",
                     {"column_A": "loaded_at", "column_B": "period_start", "or_equal": True},
                     notes="统计期在装载时已经开始。No period that had not started when it was loaded."),
        _unique_file_row(),
    ]


QUARTER_PATTERN = r"^\d{4}Q[1-4]$"
COMPOSITE_INDEX_MAX = 1000       # the air-quality composite index lies strictly between 0 and this


def _air_quality_values(seeds: _SeedIds) -> list[dict[str, Any]]:
    return [
        _expectation(_IN_SET, "known:station_id",
                     {"column": "station_id", "value_set": seeds.ids("air_quality_stations", "station_id")},
                     notes="监测站编号必须在 seeds/air_quality_stations.csv 中。Station ids come from "
                           "seeds/air_quality_stations.csv."),
        _known_org(seeds),
        _expectation("expect_column_values_to_match_regex", "format:quarter",
                     {"column": "quarter", "regex": QUARTER_PATTERN},
                     notes="季度写作 YYYYQn（如 2016Q1）。Quarters are written YYYYQn, e.g. 2016Q1."),
        _expectation("expect_column_values_to_be_between", "range:composite_index",
                     {"column": "composite_index", "min_value": 0, "max_value": COMPOSITE_INDEX_MAX,
                      "strict_min": True, "strict_max": True},
                     notes=f"综合指数大于 0、小于 {COMPOSITE_INDEX_MAX}。The composite index is strictly between 0 and "
                           f"{COMPOSITE_INDEX_MAX}."),
        _unique_file_row(),
    ]


# The value expectations of each submission kind's suite (after the schema ones, which its raw table's
# declaration gives), keyed by kind name (submissions/kinds/KINDS). A kind declared without an entry here
# fails the generation (and a test): a new kind must not quietly get no suite.
SUBMISSION_VALUE_EXPECTATIONS: dict[str, Callable[[_SeedIds], list[dict[str, Any]]]] = {
    "progress": _progress_values,
    "indicators": _indicator_values,
    "air_quality": _air_quality_values,
}


def submission_suite_name(table: str) -> str:
    return f"submission_{table}"


def submission_suites(seeds_dir: Path) -> list[SuiteSpec]:
    """One suite per declared submission kind, on its raw table (GX asset: the table's name), in KINDS order."""
    tables = raw_table_columns()
    seeds = _SeedIds(seeds_dir)
    missing = [name for name in KINDS if name not in SUBMISSION_VALUE_EXPECTATIONS]
    if missing:
        raise ValueError(f"报送类型 {', '.join(missing)} 没有检查项，请在 dagster_project/checks/suites.py 的 "
                         "SUBMISSION_VALUE_EXPECTATIONS 中补充。No submission value expectations for these kinds.")
    specs = []
    for name, kind in KINDS.items():
        table = kind.table.name
        expectations = _schema_expectations(table, tables[table]) + SUBMISSION_VALUE_EXPECTATIONS[name](seeds)
        specs.append(SuiteSpec(
            submission_suite_name(table), table, "submission",
            f"报送质量：{kind.sheet_title}原始行（每日分区）。Submission quality of raw.{table} per daily partition.",
            expectations, {"table": f"raw.{table}"}))
    return specs


def target_suites(seeds_dir: Path, tolerance: float) -> list[SuiteSpec]:
    areas = {row["doc_id"]: row["policy_area"] for row in _read_csv(seeds_dir / "document_policy_areas.csv")}
    indicators = {row["indicator_id"]: row for row in _read_csv(seeds_dir / "indicators.csv")}
    by_area: dict[str, list[dict[str, Any]]] = {}
    tables: SeedTables | None = None          # documents, indicators, regions: read when first needed
    for number, row in enumerate(_read_csv(seeds_dir / "targets.csv"), start=2):
        if not row["indicator_id"]:
            continue
        where = f"seeds/targets.csv 第 {number} 行（{row['target_id']}）"
        indicator = indicators.get(row["indicator_id"])
        if indicator is None:
            raise ValueError(f"{where}：指标编号 {row['indicator_id']} 不在 seeds/indicators.csv 中。Unknown indicator.")
        area = areas.get(row["doc_id"])
        if area not in POLICY_AREA_SLUGS:
            raise ValueError(f"{where}：文件 {row['doc_id']} 的政策领域“{area}”没有检查套件名称，请在 "
                             f"dagster_project/checks/suites.py 的 POLICY_AREA_SLUGS 中补充。No suite name for this policy area.")
        try:
            value = float(row["value"])
            high = float(row["value_high"]) if row["value_high"] else None
        except ValueError as error:
            raise ValueError(f"{where}：目标值 value/value_high 不是数字。The target value is not a number.") from error
        direction = indicator["direction"]
        kwargs = expectation_kwargs(row["comparator"], value, high, direction, tolerance)
        kwargs["row_condition"] = row_condition("target_id", row["target_id"])
        kwargs["condition_parser"] = "pandas"
        meta = {
            "target_id": row["target_id"], "doc_id": row["doc_id"], "task_id": row["task_id"] or None,
            "indicator_id": row["indicator_id"], "region_code": row["region_code"] or WHOLE_CITY,
            "comparator": row["comparator"], "value": value, "value_high": high, "unit": row["unit"],
            "direction": direction, "due_date": row["due_date"] or None, "policy_area": area,
            "expected": expected_text(row["comparator"], value, high, direction, tolerance, row["unit"]),
            "source_line": int(row["line"]) if row["line"] else None,
        }
        notes = f"目标 {row['target_id']}：{row['verbatim']}（{indicator['name']} {meta['expected']}）"
        tables = tables or SeedTables.read(seeds_dir)
        description = tables.describe(row, tolerance)      # the text the dashboard shows too (describe_target)
        by_area.setdefault(area, []).append(
            _expectation("expect_column_values_to_be_between", row["target_id"], kwargs, meta, notes, description))
    return [
        SuiteSpec(f"targets_{POLICY_AREA_SLUGS[area]}", ASSET_TARGETS, "targets",
                  f"政策目标：{area}领域的量化目标是否达成。Policy targets of the area {area} ({POLICY_AREA_SLUGS[area]}).",
                  sorted(specs, key=lambda s: s["meta"]["key"]),
                  {"policy_area": area, "approx_tolerance": tolerance, "table": TARGET_TABLE})
        for area, specs in sorted(by_area.items(), key=lambda item: POLICY_AREA_SLUGS[item[0]])
    ]


def deadline_suite(seeds_dir: Path) -> SuiteSpec:
    tasks = {row["task_id"]: row for row in _read_csv(seeds_dir / "tasks.csv")}
    names: dict[str, str] = {}
    for row in _read_csv(seeds_dir / "organizations.csv"):
        names.setdefault(row["org_id"], row["short_name"] or row["name"])
    due: dict[str, int] = {}
    for row in _read_csv(seeds_dir / "task_assignments.csv"):
        task = tasks.get(row["task_id"])
        if row["role"] != "lead" or not row["org_id"] or task is None or not task["deadline_date"] or task["duplicate_of"]:
            continue
        due[row["org_id"]] = due.get(row["org_id"], 0) + 1
    expectations = []
    for org_id in sorted(due):
        kwargs = {"column": "latest_status", "value_set": ["done"],
                  "row_condition": row_condition("org_id", org_id), "condition_parser": "pandas"}
        meta = {"org_id": org_id, "org_name": names.get(org_id, org_id), "tasks_with_deadline": due[org_id]}
        notes = f"{names.get(org_id, org_id)}牵头、期限已过的任务全部已完成。Every task it leads whose deadline has passed is done."
        description = (f"任务期限：{names.get(org_id, org_id)}（{org_id}）牵头的任务中有期限的 {due[org_id]} 项；"
                       f"要求：评估日期限已过的任务全部已完成")
        expectations.append(_expectation("expect_column_values_to_be_in_set", org_id, kwargs, meta, notes, description))
    return SuiteSpec("task_deadlines", ASSET_DEADLINES, "deadlines",
                     "任务期限：各牵头单位期限已过的任务是否已完成。Task deadlines: per lead department, tasks past their deadline are done.",
                     expectations, {"table": DEADLINE_TABLE})


def generate_suites(seeds_dir: Path, dbt_project_dir: Path) -> list[SuiteSpec]:
    """All suites, in a fixed order, from the seeds, the raw tables' declarations and the dbt var approx_tolerance."""
    tolerance = approx_tolerance(dbt_project_dir)
    return [*submission_suites(seeds_dir), *target_suites(seeds_dir, tolerance), deadline_suite(seeds_dir)]
