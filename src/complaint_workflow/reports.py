"""Quarterly counts of complaints and compliments (§6.4), under either counting rule.

From July 2014 Cafcass records one complaint per complaint; before, one per member of staff
complained about (FOI answer, 2015). A complaint records how many staff it names (a count, never
who), so both rules can be applied to the same complaints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Literal, Protocol

from .calendar import as_london
from .complaint import Complaint
from .errors import InvalidInputError

__all__ = ["CountingRule", "quarter_of", "quarterly_counts"]

CountingRule = Literal["per-complaint", "per-staff-member"]
"""How quarterly counts are taken: once per complaint (from July 2014), or once per member of
staff named (before)."""


class _Received(Protocol):
    @property
    def received_at(self) -> datetime: ...


def quarter_of(instant: datetime) -> str:
    """The calendar quarter of an aware instant, in London: ``'2024-Q2'``."""
    local = as_london(instant)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def quarterly_counts(
    complaints: Iterable[Complaint] = (),
    compliments: Iterable[_Received] = (),
    *,
    rule: CountingRule = "per-complaint",
) -> dict[str, dict[str, int]]:
    """``{quarter: {"complaints": n, "compliments": m}}``, quarters in order.

    ``per-staff-member`` counts a complaint once for each member of staff it names (at least
    once), the rule before July 2014.
    """
    if rule not in ("per-complaint", "per-staff-member"):
        raise InvalidInputError("rule must be per-complaint or per-staff-member")
    counts: dict[str, Counter[str]] = {}
    for complaint in complaints:
        weight = 1 if rule == "per-complaint" else max(1, complaint.situation.staff_named)
        quarter = quarter_of(complaint.situation.received_at)
        counts.setdefault(quarter, Counter())["complaints"] += weight
    for compliment in compliments:
        counts.setdefault(quarter_of(compliment.received_at), Counter())["compliments"] += 1
    return {
        q: {"complaints": c["complaints"], "compliments": c["compliments"]}
        for q, c in sorted(counts.items())
    }
