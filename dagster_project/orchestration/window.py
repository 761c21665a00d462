"""The run window: the data days one daily run covers, in one place.

A daily run covers a range of daily partitions, ``first_day … last_day`` (one day for the schedule, a range
for a backfill, the inbox sensor or ``policy-wh load --from/--to``). The window travels

* **into a run** as Dagster's partition run tags (:meth:`RunWindow.to_tags`; this module is the only place
  their names are spelled), from the job runner, the inbox sensor and the checks sensor, which copies a load
  run's tags to its checks run (:func:`window_tags`);
* **inside a run** from the Dagster context (:meth:`RunWindow.from_context`): the raw load widens it to every
  data day it loaded (:meth:`RunWindow.widened`) and emits the result ONCE, as metadata of its
  materialization (:meth:`RunWindow.to_metadata`); the daily dbt asset reads that metadata back from the
  run's own event log (:meth:`RunWindow.from_metadata`) — no table is read to find it;
* **into dbt** as the vars ``min_date``/``max_date`` (:meth:`RunWindow.dbt_vars`, read by
  dbt/macros/load_window.sql and the snapshot model);
* **into the checks**: the submission suites check the raw rows of the run's partitions
  (:meth:`RunWindow.from_context`); the target and deadline suites are evaluated as of the warehouse's as-of
  day (dbt/macros/as_of_date.sql: the latest partition any load covered), which is never before the window's
  last day after its load — a late file for an old day must not move the verdicts back to that day.

The raw load still writes its window into ``raw.load_runs`` (the user-facing record of the loads, which the
dashboard and the as-of day read); nothing reads it back to find a run's window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

PARTITION_TAG = "dagster/partition"                                   # a run of one partition
RANGE_START_TAG = "dagster/asset_partition_range_start"               # a run over a range (one run)
RANGE_END_TAG = "dagster/asset_partition_range_end"
WINDOW_TAGS = (RANGE_START_TAG, RANGE_END_TAG, PARTITION_TAG)

# the metadata keys under which the raw load emits the window the daily models rebuild
FIRST_DAY_KEY = "rebuild_first_day"
LAST_DAY_KEY = "rebuild_last_day"


@dataclass(frozen=True)
class RunWindow:
    """The data days ``first_day … last_day`` (both included) of one run."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"a run window ends ({self.last_day}) before it starts ({self.first_day})")

    def __str__(self) -> str:
        return f"{self.first_day.isoformat()} … {self.last_day.isoformat()}"

    @classmethod
    def of(cls, first_day: date, last_day: date | None = None) -> "RunWindow":
        return cls(first_day, last_day or first_day)

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    # -- Dagster ------------------------------------------------------------------------------------------------
    @classmethod
    def from_context(cls, context: Any) -> "RunWindow":
        """The partitions the step runs for (an asset or an asset-check context; one run may cover a range)."""
        keys = context.partition_key_range
        return cls(date.fromisoformat(keys.start), date.fromisoformat(keys.end))

    @classmethod
    def of_run(cls, context: Any) -> "RunWindow":
        """The window of the run a step belongs to, for any step: the run's partition tags (a range or one
        partition), which a step of an unpartitioned asset (the daily dbt models, the published copy, the
        policy checks) reads as well as a partitioned one; a run without them (the daily models materialized
        alone from the UI) covers yesterday, the day the schedule loads."""
        window = cls.from_tags(context.run.tags)
        if window is None:
            from ..warehouse import local_today

            window = cls.of(local_today() - timedelta(days=1))
        return window

    def to_tags(self) -> dict[str, str]:
        """The run tags that make a run of a partitioned job cover exactly this window, as ONE run."""
        return {RANGE_START_TAG: self.first_day.isoformat(), RANGE_END_TAG: self.last_day.isoformat()}

    @classmethod
    def from_tags(cls, tags: Mapping[str, str]) -> "RunWindow | None":
        """The window a run's tags give (a range or one partition); None for a run without partition tags."""
        if RANGE_START_TAG in tags:
            return cls.of(date.fromisoformat(tags[RANGE_START_TAG]),
                          date.fromisoformat(tags[RANGE_END_TAG]) if RANGE_END_TAG in tags else None)
        if PARTITION_TAG in tags:
            return cls.of(date.fromisoformat(tags[PARTITION_TAG]))
        return None

    def to_metadata(self) -> dict[str, str]:
        return {FIRST_DAY_KEY: self.first_day.isoformat(), LAST_DAY_KEY: self.last_day.isoformat()}

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> "RunWindow | None":
        """The window :meth:`to_metadata` wrote (plain strings or Dagster's MetadataValue); None if absent."""
        if FIRST_DAY_KEY not in metadata or LAST_DAY_KEY not in metadata:
            return None
        first, last = (getattr(metadata[key], "value", metadata[key]) for key in (FIRST_DAY_KEY, LAST_DAY_KEY))
        return cls(date.fromisoformat(str(first)), date.fromisoformat(str(last)))

    # -- the data ------------------------------------------------------------------------------------------------
    def widened(self, days: Iterable[date]) -> "RunWindow":
        """This window plus ``days`` (the data days a load touched: report dates, period ends, quarter ends)."""
        every = {self.first_day, self.last_day, *days}
        return RunWindow(min(every), max(every))

    def union(self, other: "RunWindow | None") -> "RunWindow":
        return self if other is None else self.widened((other.first_day, other.last_day))

    def dbt_vars(self) -> dict[str, str]:
        """What the daily dbt build passes as ``--vars`` (dbt/macros/load_window.sql: ``min_date``/``max_date``)."""
        return {"min_date": self.first_day.isoformat(), "max_date": self.last_day.isoformat()}


def window_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """A run's partition tags as they are (one partition or a range): what a run over the same window carries."""
    return {key: tags[key] for key in WINDOW_TAGS if key in tags}


def emitted_window(context: Any, asset_key: Any, partition: date) -> "RunWindow | None":
    """The window this run's materialization of ``asset_key`` for ``partition`` emitted (:meth:`RunWindow.to_metadata`),
    read from the run's event log; None if this run did not materialize it (a run of the dbt assets alone)."""
    import dagster as dg

    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[partition.isoformat()]), limit=1).records
    for record in records:
        if record.run_id == context.run.run_id and record.asset_materialization is not None:
            return RunWindow.from_metadata(record.asset_materialization.metadata)
    return None
