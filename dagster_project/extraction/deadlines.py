"""Deadline phrases → the last day allowed and the kind of deadline.

OWNER: helper "targets and deadlines". STUB — to be replaced by the real implementation.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEADLINE_KINDS = ("date", "ongoing", "conditional", "phased", "none")


@dataclass(frozen=True)
class Deadline:
    text: str            # verbatim, as printed
    date: date | None    # the last day allowed (2016年6月底前 → 2016-06-30); None for ongoing/conditional
    kind: str            # one of DEADLINE_KINDS


def parse_deadline(text: str, doc_year: int) -> Deadline:
    """Parse a whole deadline cell or phrase (持续实施, 2016年6月底前完成, 年底前 …)."""
    return Deadline(text=text, date=None, kind="none")


def find_deadline(text: str, doc_year: int) -> Deadline | None:
    """The deadline phrase inside a measure's running text, if any (``Deadline.text`` is verbatim)."""
    return None
