"""Hypothesis strategies, in one place: dates, instants, calendars, policies, rules' facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from complaint_workflow import (
    CalendarDays,
    Months,
    Parameters,
    Policy,
    Target,
    Weeks,
    WorkingDayCalendar,
    WorkingDays,
)
from complaint_workflow.policy import ANCHORS, PARAMETER_CHOICES, ROUTES, TRIGGERS
from complaint_workflow.rules import Facts
from complaint_workflow.vocabulary import ACTS

LONDON = ZoneInfo("Europe/London")

# Hard cases pinned beside the random ones (as CPython's zoneinfo tests do).
HARD_DATES = (
    date(2022, 9, 16),  # Friday before the Queen's state funeral (one-off)
    date(2022, 9, 19),  # the state funeral
    date(2023, 5, 5),  # Friday before the Coronation (one-off)
    date(2023, 5, 8),  # the Coronation bank holiday
    date(2020, 5, 8),  # VE day: the early May bank holiday moved to a Friday
    date(2024, 3, 28),  # Maundy Thursday
    date(2024, 3, 29),  # Good Friday
    date(2024, 4, 1),  # Easter Monday
    date(2021, 12, 24),  # Christmas Eve before a substituted Christmas
    date(2021, 12, 25),
    date(2021, 12, 27),  # substitute day
    date(2021, 12, 28),  # substitute day
    date(2027, 12, 24),
    date(2024, 3, 31),  # clocks go forward
    date(2024, 10, 27),  # clocks go back
)

GOVUK_FIRST = date(2012, 1, 1)
GOVUK_LAST = date(2028, 12, 31)


def dates(lo: date = date(2012, 3, 1), hi: date = date(2028, 9, 30)) -> st.SearchStrategy[date]:
    """Dates inside GOV.UK's coverage, with the pinned hard cases drawn often."""
    return st.one_of(st.sampled_from(HARD_DATES), st.dates(min_value=lo, max_value=hi))


offsets = st.integers(min_value=-60, max_value=60)

ZONES = (UTC, LONDON, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9, minutes=30)))


@st.composite
def instants(
    draw: st.DrawFn, lo: date = date(2012, 3, 1), hi: date = date(2028, 9, 30)
) -> datetime:
    """Aware instants: London wall-clock edges (00:00, 23:59, DST changes) in several zones."""
    day = draw(dates(lo, hi))
    clock = draw(
        st.one_of(
            st.sampled_from([time(0, 0), time(23, 59, 59), time(1, 30), time(9, 0), time(17, 0)]),
            st.times(),
        )
    )
    local = datetime.combine(day, clock, tzinfo=LONDON)
    return local.astimezone(draw(st.sampled_from(ZONES)))


@st.composite
def calendars(draw: st.DrawFn) -> WorkingDayCalendar:
    """The default calendar with a few extra closure days."""
    closures = draw(st.lists(st.dates(date(2012, 1, 1), date(2028, 12, 31)), max_size=5))
    return WorkingDayCalendar.england_and_wales().with_closures(closures)


durations = st.one_of(
    st.builds(WorkingDays, st.integers(1, 60)),
    st.builds(CalendarDays, st.integers(1, 90)),
    st.builds(Weeks, st.integers(1, 8)),
    st.builds(Months, st.integers(1, 12)),
)

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_ids = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z")


@st.composite
def targets(draw: st.DrawFn, target_id: str | None = None) -> Target:
    """Any valid target."""
    return Target(
        id=target_id or draw(_ids),
        duration=draw(durations),
        anchor=draw(st.sampled_from(ANCHORS)),
        strength=draw(st.sampled_from(["hard", "target"])),
        clause=draw(_text),
        description=draw(_text),
        routes=tuple(draw(st.lists(st.sampled_from(ROUTES), unique=True))),
        triggers=tuple(draw(st.lists(st.sampled_from(TRIGGERS), unique=True))),
        owed_by=draw(st.sampled_from(["cafcass", "complainant"])),
    )


parameters = st.builds(
    Parameters,
    week_length=st.sampled_from(PARAMETER_CHOICES["week_length"]),
    cutoff=st.none() | st.times().map(lambda t: t.replace(microsecond=0)),
    at_risk_working_days=st.integers(0, 10),
    delay_extends=st.booleans(),
    six_month_compares=st.sampled_from(PARAMETER_CHOICES["six_month_compares"]),
    response_before_hearing=st.sampled_from(PARAMETER_CHOICES["response_before_hearing"]),
    quick_fix_counts_from=st.sampled_from(PARAMETER_CHOICES["quick_fix_counts_from"]),
    exceptional_counts_from=st.sampled_from(PARAMETER_CHOICES["exceptional_counts_from"]),
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Any valid policy: random targets with unique ids and random parameters."""
    ids = draw(st.lists(_ids, unique=True, max_size=6))
    return Policy(
        id=draw(_ids),
        title=draw(_text),
        source=draw(_text),
        targets=tuple(draw(targets(i)) for i in ids),
        parameters=draw(parameters),
    )


@st.composite
def rich_policies(draw: st.DrawFn) -> Policy:
    """Any valid policy with every field of a target drawn (the act that meets it, restarts,
    kept when met, the others it is weighed against): random targets alone, or a built-in's
    with some of them, or a built-in as it is; any parameters."""
    base: tuple[Target, ...] = ()
    if draw(st.booleans()):
        base = Policy.builtin(draw(st.sampled_from(Policy.builtin_ids()))).targets
    taken = {t.id for t in base}
    ids = draw(st.lists(_ids.filter(lambda i: i not in taken), unique=True, max_size=4))
    every = [t.id for t in base] + ids
    drawn = []
    for target_id in ids:
        plain = draw(targets(target_id))
        drawn.append(
            attrs.evolve(
                plain,
                met_by=draw(st.sampled_from(ACTS)),
                restarts=draw(st.booleans()),
                kept_when_met=draw(st.booleans()),
                weighed_against=tuple(draw(st.lists(st.sampled_from(every), max_size=3))),
            )
        )
    return Policy(id="drawn", targets=(*base, *drawn), parameters=draw(parameters))


@st.composite
def scalar_facts(draw: st.DrawFn) -> Facts[bool, date]:
    """What the rules read of one complaint, every value drawn: routes, triggers, acts done,
    day 0 and a later clock, the day the hearing became known, and each anchor (present or not)."""
    receipt = draw(dates(date(2013, 1, 1), date(2027, 6, 30)))

    def near() -> date:
        return receipt + timedelta(days=draw(st.integers(-200, 200)))

    return Facts(
        on_route={r: draw(st.booleans()) for r in ROUTES},
        triggered={t: draw(st.booleans()) for t in TRIGGERS},
        done={a: draw(st.booleans()) for a in ACTS},
        receipt=receipt,
        clock=receipt + timedelta(days=draw(st.sampled_from([0, 0, 1, 3, 40]))),
        hearing_known=receipt + timedelta(days=draw(st.integers(0, 60))),
        anchors={a: (near(), draw(st.booleans())) for a in ANCHORS if a != "receipt"},
    )
