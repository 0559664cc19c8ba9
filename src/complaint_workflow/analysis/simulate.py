"""Caseload simulation: complaints and compliments driven through the real route machines.

:func:`simulate` draws a national caseload (arrivals over working days, who complains, what
about, how each step of the procedure is handled and how long it takes), turns each complaint
into events and applies them with :meth:`Complaint.apply <complaint_workflow.Complaint.apply>`.
Nothing here decides a deadline, a route or a status: the complaint does. The generator only
plays the staff and the complainants, reacting to where the complaint stands (it tells the
court before closing if the court route is still ``due``, for example).

Every number is a :class:`SimulationParameters` field with a documented default
(``docs/modelling.md`` gives the calibration against the published figures and each assumption).
Times are measured on a *working-time axis*: working day ``k`` of the calendar, plus the
fraction of its office hours (09:00-17:00 London by default) gone, so a step of 0.25 working
days is two office hours and a step never lands on a weekend or a bank holiday.

The same seed gives the same frames: every random number comes from
``numpy.random.default_rng(seed)`` (three spawned streams: arrivals, complaints,
compliments), drawn in a fixed order, and nothing reads the wall clock.

>>> sim = simulate("cafcass-2012", years=1, seed=1)
>>> 1_300 < len(sim.complaints) < 1_600
True
>>> sorted(set(sim.obligations["obligation_id"]))[:3]
['court-notification', 'court-update', 'forward-to-cst']
"""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from dateutil.relativedelta import relativedelta

from .. import events as ev
from ..calendar import LONDON, WorkingDayCalendar, end_of_day
from ..complaint import Complaint
from ..errors import CalendarRangeError, InvalidInputError
from ..feedback import Compliment, ComplimentPassedOn
from ..obligations import RESPONSE_TARGETS
from ..policy import ASPECTS, Policy
from ..reports import quarter_of
from .vectorised import VectorCalendar

__all__ = [
    "Distribution",
    "Simulation",
    "SimulationParameters",
    "simulate",
]

Floats: TypeAlias = npt.NDArray[np.float64]

_EPOCH_DAY: Final = date(1970, 1, 1).toordinal()
_NAT: Final = np.iinfo(np.int64).min
_CHRISTMAS_WEEK: Final = range(18, 25)  # 18-24 December: "the week before Christmas"


# --------------------------------------------------------------------- distributions


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a number >= 0 (got {value!r})"
        )


@attrs.frozen
class Distribution:
    """A random, non-negative length of time: working days, or calendar days where a field says so.

    Working days are measured in office hours (8 a day by default), so 0.25 is two hours.
    Build one with :meth:`lognormal`, :meth:`exponential`, :meth:`uniform` or :meth:`fixed`.

    >>> Distribution.lognormal(10, 0.35).median
    10.0
    """

    kind: Literal["lognormal", "exponential", "uniform", "fixed"] = attrs.field()
    a: float = attrs.field(converter=float, validator=_non_negative)
    """lognormal: the median; exponential: the mean; uniform: the low end; fixed: the value."""
    b: float = attrs.field(default=0.0, converter=float, validator=_non_negative)
    """lognormal: sigma of the underlying normal; uniform: the high end; otherwise unused."""

    @kind.validator
    def _check_kind(self, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in ("lognormal", "exponential", "uniform", "fixed"):
            raise InvalidInputError(
                "Distribution.kind must be lognormal, exponential, uniform or fixed"
            )

    def __attrs_post_init__(self) -> None:
        if self.kind == "uniform" and self.b < self.a:
            raise InvalidInputError("Distribution.uniform needs low <= high")

    @classmethod
    def lognormal(cls, median: float, sigma: float) -> Distribution:
        """Right-skewed: most steps near ``median``, a long tail of slow ones."""
        return cls("lognormal", median, sigma)

    @classmethod
    def exponential(cls, mean: float) -> Distribution:
        """Memoryless, with this mean."""
        return cls("exponential", mean)

    @classmethod
    def uniform(cls, low: float, high: float) -> Distribution:
        """Every value in ``[low, high)`` equally likely."""
        return cls("uniform", low, high)

    @classmethod
    def fixed(cls, value: float) -> Distribution:
        """Always ``value``."""
        return cls("fixed", value)

    @property
    def median(self) -> float:
        """The median of the distribution."""
        match self.kind:
            case "lognormal" | "fixed":
                return self.a
            case "exponential":
                return self.a * float(np.log(2.0))
        return (self.a + self.b) / 2

    def draw(self, rng: np.random.Generator, size: int) -> Floats:
        """``size`` independent draws."""
        match self.kind:
            case "lognormal":
                if self.a == 0:
                    return np.zeros(size)
                return rng.lognormal(float(np.log(self.a)), self.b, size)
            case "exponential":
                return rng.exponential(self.a, size) if self.a > 0 else np.zeros(size)
            case "uniform":
                return rng.uniform(self.a, self.b, size)
        return np.full(size, self.a)


# --------------------------------------------------------------------- parameters


def _share(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InvalidInputError(
            f"SimulationParameters.{attribute.name} must be a share from 0 to 1 (got {value!r})"
        )


def _rate(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1e6:
        raise InvalidInputError(
            f"SimulationParameters.{attribute.name} must be a number from 0 to 1,000,000 "
            f"(got {value!r})"
        )


def _distribution(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Distribution):
        raise InvalidInputError(
            f"SimulationParameters.{attribute.name} must be a Distribution "
            f"(got {type(value).__name__})"
        )


def _pairs(
    value: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), v) for k, v in items)


def _floats(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(value)


def _shares_of(choices: tuple[str, ...], *, complete: bool) -> Callable[..., None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        names = [k for k, _ in value]
        bad = [k for k in names if k not in choices]
        if bad or len(set(names)) != len(names):
            raise InvalidInputError(
                f"SimulationParameters.{attribute.name} must map each of "
                f"{', '.join(choices)} at most once"
            )
        for k, v in value:
            if not isinstance(v, int | float) or isinstance(v, bool) or not 0 <= v <= 1:
                raise InvalidInputError(
                    f"SimulationParameters.{attribute.name}[{k!r}] must be a share from 0 to 1"
                )
        if complete and abs(sum(v for _, v in value) - 1) > 1e-9:
            raise InvalidInputError(f"SimulationParameters.{attribute.name} must add up to 1")

    return check


def _probabilities(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not value
        or any(not isinstance(v, int | float) or isinstance(v, bool) or v < 0 for v in value)
        or abs(sum(value) - 1) > 1e-9
    ):
        raise InvalidInputError(
            f"SimulationParameters.{attribute.name} must be probabilities >= 0 adding up to 1"
        )


def _capacity(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not int or value < 1):
        raise InvalidInputError(
            "SimulationParameters.staff_capacity must be None or a whole number >= 1"
        )


def _hour(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or not 0 <= value <= 24:
        raise InvalidInputError(f"SimulationParameters.{attribute.name} must be an hour 0-24")


_LN: Final = Distribution.lognormal
CHANNELS: Final = ("email", "web-form", "phone", "letter", "in-person", "feedback-form")
_OUT_OF_HOURS_CHANNELS: Final = ("email", "web-form")


@attrs.frozen(kw_only=True)
class SimulationParameters:
    """Every rate, share and step time of the simulation, with its default and why.

    Rates are per year; shares are probabilities from 0 to 1; step times are
    :class:`Distribution` s in working days (office hours) unless a field says calendar days.
    Published figures (procedure.md §8) calibrate the rates; the rest are stated assumptions, listed
    with their reasons in ``docs/modelling.md``. Change any with :func:`attrs.evolve`.

    >>> p = SimulationParameters()
    >>> p.complaints_per_year, p.compliments_per_year, p.staff_capacity
    (1450.0, 800.0, None)
    """

    # ---- arrivals (§7)
    complaints_per_year: float = attrs.field(default=1450.0, converter=float, validator=_rate)
    """§7: 1,449 (2013) and 1,476 (2014) calendar-year complaints; financial years 1,264-1,596."""
    compliments_per_year: float = attrs.field(default=800.0, converter=float, validator=_rate)
    """§7: 599-1,005 service-user compliments a year in 2012-2014; the middle of 600-1,000."""
    cases_per_year: float = attrs.field(default=56_000.0, converter=float, validator=_rate)
    """§7: 50,360-61,900 cases a year; context only (complaints per 1,000 cases)."""
    non_working_day_weight: float = attrs.field(default=0.2, validator=_rate)
    """A weekend day or bank holiday receives this fraction of a working day's complaints
    (emails and web forms keep coming; post and phone do not)."""
    after_hours_share: float = attrs.field(default=0.12, validator=_share)
    """On a working day, the share received outside office hours (06:00-09:00, 17:00-23:00)."""
    office_opens: int = attrs.field(default=9, validator=_hour)
    """Office hours start (London hour); the working-time axis counts from here."""
    office_closes: int = attrs.field(default=17, validator=_hour)
    """Office hours end (London hour)."""
    channel_shares: tuple[tuple[str, float], ...] = attrs.field(
        default=(
            ("email", 0.40),
            ("web-form", 0.25),
            ("phone", 0.15),
            ("letter", 0.10),
            ("in-person", 0.05),
            ("feedback-form", 0.05),
        ),
        converter=_pairs,
        validator=_shares_of(CHANNELS, complete=True),
    )
    """How complaints arrive (§4.2); out of hours only email and web forms arrive."""

    # ---- who complains (§1, §2)
    child_share: float = attrs.field(default=0.04, validator=_share)
    """Complaints made by the child the case is about (§5); few children complain."""
    other_share: float = attrs.field(default=0.06, validator=_share)
    """Relatives, friends and other professionals: outside the procedure (§2.2)."""
    employee_matter_share: float = attrs.field(default=0.02, validator=_share)
    """A service user about an employee, not about a case: the line manager (§2.3)."""
    ended_in_time_share: float = attrs.field(default=0.15, validator=_share)
    """Of service users' complaints, the share whose case ended within six months."""
    out_of_time_share: float = attrs.field(default=0.05, validator=_share)
    """Of service users' complaints, the share raised over six months after the case ended
    (§3.1): the rest are about ongoing cases, which the procedure now focuses on."""
    exceptional_accept_share: float = attrs.field(default=0.4, validator=_share)
    """Late complaints accepted for exceptional circumstances (§3.1, §5.2)."""
    hearing_share: float = attrs.field(default=0.6, validator=_share)
    """Ongoing cases with the next hearing already listed when the complaint arrives."""
    hearing_lead: Distribution = attrs.field(default=_LN(35, 0.6), validator=_distribution)
    """Calendar days from receipt to that hearing (rolled forward to a working day)."""
    hearing_listed_share: float = attrs.field(default=0.15, validator=_share)
    """Ongoing cases with no hearing known that get one listed while the complaint is open."""
    hearing_moved_share: float = attrs.field(default=0.10, validator=_share)
    """Listed hearings that move (later) while the complaint is open."""
    hearing_vacated_share: float = attrs.field(default=0.03, validator=_share)
    """Listed hearings vacated while the complaint is open."""
    staff_named_distribution: tuple[float, ...] = attrs.field(
        default=(0.30, 0.58, 0.10, 0.02), converter=_floats, validator=_probabilities
    )
    """Probability that a complaint names 0, 1, 2, 3 … members of staff (§8 counting rule)."""

    # ---- the gate (§3, §4.1, §1.5)
    resubmission_share: float = attrs.field(default=0.01, validator=_share)
    """Abusive submissions asked to be re-submitted, and re-submitted (§3.3)."""
    refused_share: float = attrs.field(default=0.002, validator=_share)
    """In-time complaints refused for abusive or persistent behaviour (§3.3, §3.4)."""
    repeat_share: float = attrs.field(default=0.03, validator=_share)
    """In-time complaints that repeat one already answered (§4.1)."""
    challenge_share: float = attrs.field(default=0.04, validator=_share)
    """In-time complaints that challenge an officer's recommendation (web page)."""
    quick_fix_share: float = attrs.field(default=0.08, validator=_share)
    """In-time complaints a local manager can put right quickly (§1.5)."""
    quick_fix_escalation_share: float = attrs.field(default=0.3, validator=_share)
    """Quick fixes the complainant is unhappy with, which enter the procedure."""

    # ---- the procedure (§4, web page)
    email_assessment_share: float = attrs.field(default=0.25, validator=_share)
    """Complainants who cannot or will not talk: the assessment goes by email."""
    aspect_shares: tuple[tuple[str, float], ...] = attrs.field(
        default=(
            ("professional-judgement", 0.45),
            ("factual-error", 0.20),
            ("case-management", 0.35),
            ("conduct", 0.20),
            ("commissioned-provider", 0.03),
        ),
        converter=_pairs,
        validator=_shares_of(ASPECTS, complete=False),
    )
    """Chance that a complaint has each aspect (§4.4), independently; a complaint with none
    drawn is about case management."""
    serious_conduct_share: float = attrs.field(default=0.1, validator=_share)
    """Conduct aspects serious enough for the Head of Practice (§4.8)."""
    joint_provider_response_share: float = attrs.field(default=0.5, validator=_share)
    """Commissioned-provider complaints answered jointly (§4.9)."""
    early_resolution_share: float = attrs.field(default=0.5, validator=_share)
    """Triaged to early resolution rather than investigation (web page)."""
    escalation_share: float = attrs.field(default=0.1, validator=_share)
    """Early resolutions escalated to an investigation."""
    phone_response_share: float = attrs.field(default=0.4, validator=_share)
    """Early resolutions answered by phone (the web page allows it)."""
    child_meeting_held_share: float = attrs.field(default=0.6, validator=_share)
    """Children who take up the offered meeting (§5.3)."""
    delay_update_share: float = attrs.field(default=0.5, validator=_share)
    """Late responses whose complainant is sent a delay update before the due date (§4.12)."""
    staff_capacity: int | None = attrs.field(default=None, validator=_capacity)
    """Responses in progress at once (triage to response); ``None``: unlimited. A complaint
    waits, first come first served, for a free member of staff."""

    # ---- step times, in working days
    forward_time: Distribution = attrs.field(default=_LN(0.15, 1.0), validator=_distribution)
    """Receipt (or the next opening) to the Customer Service Team (§4.2: 1 working day)."""
    contact_time: Distribution = attrs.field(default=_LN(0.6, 0.8), validator=_distribution)
    """Reaching the CST (or the procedure starting) to contact (web: 2 working days)."""
    assessment_time: Distribution = attrs.field(default=_LN(0.5, 0.7), validator=_distribution)
    """Contact to assessment (§4.4); also the gate's decisions after forwarding."""
    triage_time: Distribution = attrs.field(default=_LN(0.1, 0.5), validator=_distribution)
    """Assessment to triage: usually the same day."""
    early_resolution_time: Distribution = attrs.field(
        default=_LN(2.0, 0.6), validator=_distribution
    )
    """Triage to the response of an early resolution (web: one week from receipt)."""
    investigation_time: Distribution = attrs.field(default=_LN(10.0, 0.35), validator=_distribution)
    """Triage (or escalation) to an investigation's response (§4.10: 15 WD; web: 20 WD)."""
    outside_response_time: Distribution = attrs.field(
        default=_LN(9.0, 0.4), validator=_distribution
    )
    """Forwarding (or the decision) to a response outside the procedure (§2.2: 15 WD)."""
    action_time: Distribution = attrs.field(default=_LN(1.5, 0.7), validator=_distribution)
    """Assessment to each action: conduct referral, provider agreement, correction, telling
    the court; and forwarding to offering a child a meeting."""
    close_time: Distribution = attrs.field(default=_LN(0.5, 0.5), validator=_distribution)
    """Response to closing."""
    quick_fix_time: Distribution = attrs.field(default=_LN(2.0, 0.5), validator=_distribution)
    """Quick fix offered to the manager's response, and the response to the complainant's
    answer."""
    exceptional_decision_time: Distribution = attrs.field(
        default=_LN(3.0, 0.5), validator=_distribution
    )
    """Forwarding to the exceptional-circumstances decision (§3.1)."""
    resubmission_time: Distribution = attrs.field(default=_LN(5.0, 0.7), validator=_distribution)
    """Re-submission asked to re-submitted."""
    meeting_time: Distribution = attrs.field(default=_LN(8.0, 0.5), validator=_distribution)
    """A child's meeting offered to held or declined."""
    compliment_time: Distribution = attrs.field(default=_LN(1.0, 0.7), validator=_distribution)
    """A compliment received to passed on to its manager (§6)."""
    feedback_form_compliment_share: float = attrs.field(default=0.2, validator=_share)
    """Compliments written on a feedback form (§8)."""

    def __attrs_post_init__(self) -> None:
        if self.office_opens >= self.office_closes or self.office_opens < 6:
            raise InvalidInputError(
                "SimulationParameters: office hours must satisfy 6 <= office_opens < office_closes"
            )
        if self.child_share + self.other_share + self.employee_matter_share > 1:
            raise InvalidInputError(
                "SimulationParameters: child_share + other_share + employee_matter_share "
                "must not exceed 1"
            )
        if self.ended_in_time_share + self.out_of_time_share > 1:
            raise InvalidInputError(
                "SimulationParameters: ended_in_time_share + out_of_time_share must not exceed 1"
            )
        gate = self.refused_share + self.repeat_share + self.challenge_share + self.quick_fix_share
        if gate > 1:
            raise InvalidInputError(
                "SimulationParameters: refused, repeat, challenge and quick-fix shares "
                "must not exceed 1 together"
            )
        if self.hearing_moved_share + self.hearing_vacated_share > 1:
            raise InvalidInputError(
                "SimulationParameters: hearing_moved_share + hearing_vacated_share "
                "must not exceed 1"
            )

    @property
    def mean_staff_weight(self) -> float:
        """The expected count of a complaint under the per-staff rule, ``max(1, staff named)``."""
        return sum(max(1, n) * p for n, p in enumerate(self.staff_named_distribution))


# --------------------------------------------------------------------- the result


@attrs.frozen(eq=False)
class Simulation:
    """A simulated caseload: tidy frames, the event histories, and how they were made.

    ``complaints`` has one row per complaint, ``obligations`` one per obligation at
    ``observed_at`` (after every event), ``compliments`` one per compliment. ``histories``
    holds each complaint's events, so :func:`complaint_workflow.analysis.whatif.compare`
    can replay them under other policies. ``events`` counts every event applied (openings and
    compliments included).
    """

    complaints: pd.DataFrame
    obligations: pd.DataFrame
    compliments: pd.DataFrame
    events: int
    histories: tuple[tuple[ev.Event, ...], ...] = attrs.field(repr=False)
    policy: Policy = attrs.field(repr=False)
    parameters: SimulationParameters = attrs.field(repr=False)
    seed: int = 0
    start: date = date(2024, 1, 1)
    end: date = date(2025, 1, 1)
    """The first day after the receipt window (``start`` plus ``years``)."""
    observed_at: datetime = attrs.field(default=datetime(2025, 1, 1, tzinfo=LONDON))
    """The instant the obligations are read at: the end of the day of the last event."""
    calendar: WorkingDayCalendar = attrs.field(
        factory=WorkingDayCalendar.england_and_wales, repr=False
    )


# --------------------------------------------------------------------- the working-time axis


class _Axis:
    """Working day ``k`` of the calendar plus the fraction of its office hours gone."""

    __slots__ = ("_cum", "_minutes", "_opens", "_origin", "_working")

    def __init__(self, calendar: WorkingDayCalendar, opens: int, closes: int) -> None:
        self._origin, self._cum, self._working = calendar.table()
        self._opens = opens * 60
        self._minutes = (closes - opens) * 60

    def _range(self, what: str) -> CalendarRangeError:
        first, last = self._working[0], self._working[-1]
        return CalendarRangeError(
            f"{what} is outside the calendar's span {first.year}-{last.year}; "
            "simulate fewer years, start earlier, or build a calendar over a wider span"
        )

    def is_working(self, d: date) -> bool:
        i = d.toordinal() - self._origin
        if not 0 <= i < len(self._cum) - 1:
            raise self._range(f"the date {d.isoformat()}")
        return self._cum[i + 1] > self._cum[i]

    def at(self, local: datetime) -> float:
        """The axis position of a London wall-clock instant (off hours: the next opening)."""
        i = local.toordinal() - self._origin
        if not 0 <= i < len(self._cum) - 1:
            raise self._range(f"the instant {local.isoformat()}")
        k = self._cum[i]
        if self._cum[i + 1] == k:  # not a working day: the next one's opening
            return float(k)
        minute = local.hour * 60 + local.minute - self._opens
        if minute < 0:
            return float(k)
        if minute >= self._minutes:
            return float(k + 1)
        return k + minute / self._minutes

    def instant(self, t: float) -> datetime:
        """The London instant at axis position ``t``, to the minute (monotone in ``t``)."""
        total = round(t * self._minutes)
        k, minute = divmod(total, self._minutes)
        try:
            d = self._working[k]
        except IndexError:
            raise self._range("a simulated step") from None
        minute += self._opens
        return datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=LONDON)

    def day(self, t: float) -> date:
        """The working day at axis position ``t``."""
        return self.instant(t).date()


# --------------------------------------------------------------------- arrivals


def _arrivals(
    rng: np.random.Generator,
    per_year: float,
    years: int,
    start: date,
    end: date,
    axis: _Axis,
    p: SimulationParameters,
) -> list[tuple[datetime, bool]]:
    """Receipt instants in ``[start, end)``, in order, each with "received out of hours"."""
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    working = np.array([axis.is_working(d) for d in days], dtype=bool)
    weights = np.where(working, 1.0, p.non_working_day_weight)
    total = weights.sum()
    lam = weights * (per_year * years / total) if total > 0 else weights * 0
    counts = rng.poisson(lam)
    n = int(counts.sum())
    which = np.repeat(np.arange(len(days)), counts)
    u_when, u_minute = rng.random(n), rng.random(n)
    opens, closes = p.office_opens * 60, p.office_closes * 60
    early, late = opens - 6 * 60, max(0, 23 * 60 - closes)  # 06:00-opening, closing-23:00
    minutes = np.empty(n, dtype=np.int64)
    off = np.empty(n, dtype=bool)
    is_working = working[which]
    after_hours = is_working & (u_when < p.after_hours_share)
    in_office = is_working & ~after_hours
    minutes[in_office] = opens + (u_minute[in_office] * (closes - opens)).astype(np.int64)
    span = early + late
    pick = (u_minute[after_hours] * span).astype(np.int64) if span else np.zeros(0, np.int64)
    minutes[after_hours] = np.where(pick < early, 6 * 60 + pick, closes + pick - early)
    rest = ~is_working
    minutes[rest] = 7 * 60 + (u_minute[rest] * 16 * 60).astype(np.int64)  # 07:00-23:00
    off[:] = ~in_office
    order = np.lexsort((minutes, which))
    out: list[tuple[datetime, bool]] = []
    for i in order.tolist():
        d = days[int(which[i])]
        m = int(minutes[i])
        out.append((datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=LONDON), bool(off[i])))
    return out


# --------------------------------------------------------------------- planning

_Item = tuple[float, int, type[ev.Event], dict[str, Any]]

# Ranks order events planned for the same instant, so causes come before what they allow.
_R_RESUB_ASKED, _R_RESUBMITTED, _R_FORWARD, _R_OFFER_MEETING = 0, 1, 2, 3
_R_GATE, _R_QF_RESPONSE, _R_QF_ANSWER = 4, 5, 6
_R_CONTACT, _R_ASSESS, _R_TRIAGE, _R_HEARING = 7, 8, 9, 10
_R_CONDUCT, _R_PROVIDER, _R_COURT, _R_CORRECT, _R_ESCALATE = 11, 12, 13, 14, 15
_R_MEETING, _R_COURT_UPDATE, _R_RESPOND, _R_CLOSE = 16, 17, 19, 20


@attrs.define(slots=True)
class _Plan:
    """One complaint's planned events; a procedure response waits for :func:`_finish`."""

    complaint: Complaint
    items: list[_Item]
    end: float
    row: int
    gate: str = "in-time"
    procedure_from: float | None = None
    triage_at: float = 0.0
    assessed_at: float = 0.0
    work: float = 0.0
    escalate_after: float | None = None
    early: bool = False
    phone: bool = False
    court: bool = False
    child_or_pj: bool = False
    aspects: tuple[str, ...] = ()
    serious: bool = False
    meeting: tuple[float, float, bool] | None = None


class _Draws:
    """Every per-complaint random number, drawn up front in a fixed order."""

    def __init__(self, rng: np.random.Generator, n: int, p: SimulationParameters) -> None:
        self.u = rng.random((n, 24)).tolist()
        self.aspects = rng.random((n, len(ASPECTS))).tolist()
        self.staff = rng.choice(
            len(p.staff_named_distribution), size=n, p=list(p.staff_named_distribution)
        ).tolist()
        names = (
            "hearing_lead",
            "forward_time",
            "contact_time",
            "assessment_time",
            "triage_time",
            "early_resolution_time",
            "investigation_time",
            "outside_response_time",
            "action_time",
            "close_time",
            "quick_fix_time",
            "exceptional_decision_time",
            "resubmission_time",
            "meeting_time",
        )
        self.d: dict[str, list[float]] = {
            name: getattr(p, name).draw(rng, n).tolist() for name in names
        }
        # five independent action times (conduct, provider, correction, court, meeting offer)
        self.actions = p.action_time.draw(rng, n * 5).reshape(n, 5).tolist()
        self.more = {  # second draws of steps that happen twice
            "quick_fix_time": p.quick_fix_time.draw(rng, n).tolist(),
            "hearing_lead": p.hearing_lead.draw(rng, n).tolist(),
        }


# The columns of _Draws.u: one uniform number per decision, per complaint.
(
    _U_WHO,
    _U_CASE,
    _U_ENDED,
    _U_HEARING,
    _U_HEARING_EVENT,
    _U_HEARING_WHEN,
    _U_CHANNEL,
    _U_RESUB,
    _U_GATE,
    _U_QF,
    _U_EXCEPTIONAL,
    _U_SERIOUS,
    _U_JOINT,
    _U_EARLY,
    _U_ESCALATE,
    _U_ESCALATE_WHEN,
    _U_PHONE,
    _U_EMAIL,
    _U_MEETING,
    _U_DELAY,
    _U_REPEAT_OF,
    _U_SPARE_1,  # reserved: a new draw takes a spare column and the others stay the same
    _U_SPARE_2,
    _U_SPARE_3,
) = range(24)


def _pick(u: float, pairs: Sequence[tuple[str, float]]) -> str:
    total = sum(v for _, v in pairs)
    acc = 0.0
    for name, share in pairs:
        acc += share / total if total else 0
        if u < acc:
            return name
    return pairs[-1][0]


class _Planner:
    def __init__(
        self,
        p: SimulationParameters,
        policy: Policy,
        calendar: WorkingDayCalendar,
        axis: _Axis,
        draws: _Draws,
    ) -> None:
        self.p, self.policy, self.calendar, self.axis, self.draws = p, policy, calendar, axis, draws
        self.ids: list[str] = []

    # ---- opening
    def open(self, i: int, received: datetime, off_hours: bool) -> _Plan:
        p, u, d = self.p, self.draws.u[i], self.draws.d
        who = u[_U_WHO]
        complainant: ev.ComplainantKind
        if who < p.child_share:
            complainant = "child"
        elif who < p.child_share + p.other_share:
            complainant = "other"
        elif who < p.child_share + p.other_share + p.employee_matter_share:
            complainant = "employee-matter"
        else:
            complainant = "adult"
        received_on = received.date()
        involvement_ended: date | None = None
        hearing: date | None = None
        ongoing = True
        if complainant in ("adult", "child"):
            case = u[_U_CASE]
            if case < p.out_of_time_share:
                months = relativedelta(months=6, days=1 + int(u[_U_ENDED] * 365))
                involvement_ended = received_on - months
            elif case < p.out_of_time_share + p.ended_in_time_share:
                involvement_ended = received_on - timedelta(days=1 + int(u[_U_ENDED] * 170))
        if involvement_ended is not None:
            ongoing = False
        elif complainant in ("adult", "child") and u[_U_HEARING] < p.hearing_share:
            lead = max(1, round(d["hearing_lead"][i]))
            hearing = self.calendar.roll_forward(received_on + timedelta(days=lead))
        if off_hours:
            channel = _pick(
                u[_U_CHANNEL], [(c, s) for c, s in p.channel_shares if c in _OUT_OF_HOURS_CHANNELS]
            )
        else:
            channel = _pick(u[_U_CHANNEL], p.channel_shares)
        complaint_id = f"C-{i + 1:06d}"
        self.ids.append(complaint_id)
        complaint = Complaint.open(
            complaint_id=complaint_id,
            received_at=received,
            complainant=complainant,
            channel=channel,
            case_ongoing=ongoing,
            involvement_ended=involvement_ended,
            hearing=hearing,
            staff_named=int(self.draws.staff[i]),
            policy=self.policy,
            calendar=self.calendar,
        )
        return _Plan(complaint=complaint, items=[], end=0.0, row=i)

    # ---- the whole path up to the procedure's response
    def plan(self, plan: _Plan, received: datetime) -> None:
        p, i = self.p, plan.row
        u, d, acts = self.draws.u[i], self.draws.d, self.draws.actions[i]
        add = plan.items.append
        c = plan.complaint
        t0 = self.axis.at(received)
        if u[_U_RESUB] < p.resubmission_share:
            asked = t0 + d["forward_time"][i]
            add((asked, _R_RESUB_ASKED, ev.ResubmissionRequested, {}))
            t = asked + d["resubmission_time"][i]
            add((t, _R_RESUBMITTED, ev.Resubmitted, {}))
        else:
            t = t0 + d["forward_time"][i]
            add((t, _R_FORWARD, ev.ForwardedToCST, {}))
        if c.situation.complainant == "child":
            offered = t + acts[4]
            plan.meeting = (
                offered,
                offered + d["meeting_time"][i],
                u[_U_MEETING] < p.child_meeting_held_share,
            )
        decide = t + d["assessment_time"][i]
        gate = plan.gate = c.eligibility  # fixed by the opening facts and the policy
        if gate == "outside-procedure":
            self._outside(plan, t)
        elif gate == "exceptional-circumstances":
            when = t + d["exceptional_decision_time"][i]
            accepted = u[_U_EXCEPTIONAL] < p.exceptional_accept_share
            add((when, _R_GATE, ev.ExceptionalCircumstancesDecided, {"accepted": accepted}))
            if accepted:
                self._procedure(plan, when)
            else:
                self._outside(plan, when)
        else:
            g = u[_U_GATE]
            cut = p.refused_share
            if g < cut:
                add(
                    (
                        decide,
                        _R_GATE,
                        ev.ContactRestricted,
                        {"restriction": "refused", "because": "abusive"},
                    )
                )
                plan.end = decide
            elif g < (cut := cut + p.repeat_share) and len(self.ids) > 1:
                earlier = self.ids[int(u[_U_REPEAT_OF] * (len(self.ids) - 1))]
                add(
                    (decide, _R_GATE, ev.RepeatedComplaintLinked, {"earlier_complaint_id": earlier})
                )
                plan.end = decide
            elif g < (cut := cut + p.challenge_share):
                add((decide, _R_GATE, ev.ChallengeNotTakenForward, {}))
                plan.end = decide
            elif g < cut + p.quick_fix_share:
                add((decide, _R_GATE, ev.QuickFixOffered, {}))
                responded = decide + d["quick_fix_time"][i]
                add((responded, _R_QF_RESPONSE, ev.QuickFixResponded, {}))
                answered = responded + self.draws.more["quick_fix_time"][i]
                if u[_U_QF] < p.quick_fix_escalation_share:
                    add((answered, _R_QF_ANSWER, ev.QuickFixEscalated, {}))
                    self._procedure(plan, answered)
                else:
                    add((answered, _R_QF_ANSWER, ev.QuickFixAccepted, {}))
                    plan.end = answered
            else:
                self._procedure(plan, t)

    def _outside(self, plan: _Plan, t: float) -> None:
        i = plan.row
        when = t + self.draws.d["outside_response_time"][i]
        plan.items.append((when, _R_RESPOND, ev.Responded, {"method": "written"}))
        plan.end = when

    def _procedure(self, plan: _Plan, t: float) -> None:
        p, i = self.p, plan.row
        u, d, flags = self.draws.u[i], self.draws.d, self.draws.aspects[i]
        add = plan.items.append
        method = "email-assessment" if u[_U_EMAIL] < p.email_assessment_share else "discussion"
        contact = t + d["contact_time"][i]
        add((contact, _R_CONTACT, ev.ContactMade, {"method": method}))
        shares = dict(p.aspect_shares)
        aspects = tuple(a for a, f in zip(ASPECTS, flags, strict=True) if f < shares.get(a, 0.0))
        aspects = aspects or ("case-management",)
        serious = "conduct" in aspects and u[_U_SERIOUS] < p.serious_conduct_share
        assessed = contact + d["assessment_time"][i]
        add((assessed, _R_ASSESS, ev.Assessed, {"aspects": aspects, "serious_conduct": serious}))
        triage = assessed + d["triage_time"][i]
        early = u[_U_EARLY] < p.early_resolution_share
        add(
            (
                triage,
                _R_TRIAGE,
                ev.Triaged,
                {"route": "early-resolution" if early else "investigation"},
            )
        )
        work = d["early_resolution_time"][i] if early else d["investigation_time"][i]
        escalate_after = None
        if early and u[_U_ESCALATE] < p.escalation_share:
            escalate_after = u[_U_ESCALATE_WHEN] * work
            work = escalate_after + d["investigation_time"][i]
        s = plan.complaint.situation
        child = s.complainant == "child"
        pj = "professional-judgement" in aspects
        plan.procedure_from = t
        plan.assessed_at = assessed
        plan.triage_at = triage
        plan.work = work
        plan.escalate_after = escalate_after
        plan.early = early
        plan.phone = early and escalate_after is None and u[_U_PHONE] < p.phone_response_share
        plan.aspects = aspects
        plan.serious = serious
        plan.child_or_pj = child or pj
        # In an ongoing case the court hears of a child's complaint and of professional
        # judgement; a factual error alone is told by correcting it (§4.6, §4.7, §5.4).
        plan.court = s.case_ongoing and (child or pj)


def _finish(plan: _Plan, start: float, draws: _Draws, p: SimulationParameters) -> None:
    """The procedure's planned events from the moment work on the response starts."""
    i = plan.row
    d, acts, add = draws.d, draws.actions[i], plan.items.append
    respond = start + plan.work
    if plan.escalate_after is not None:
        add((start + plan.escalate_after, _R_ESCALATE, ev.Triaged, {"route": "investigation"}))
    after = plan.assessed_at
    if "conduct" in plan.aspects:
        to = "head-of-practice" if plan.serious else "manager"
        add((min(after + acts[0], respond), _R_CONDUCT, ev.ConductReferred, {"to": to}))
    if "commissioned-provider" in plan.aspects:
        joint = draws.u[i][_U_JOINT] < p.joint_provider_response_share
        add(
            (
                min(after + acts[1], respond),
                _R_PROVIDER,
                ev.ProviderResponseAgreed,
                {"joint": joint},
            )
        )
    court = min(after + acts[3], respond)
    if plan.court:
        add((court, _R_COURT, ev.CourtNotified, {}))
    if "factual-error" in plan.aspects:
        corrected = min(after + acts[2], respond)
        if plan.court and plan.child_or_pj:
            corrected = max(corrected, court)  # the court hears first; the correction follows
        add((corrected, _R_CORRECT, ev.FactualErrorCorrected, {}))
    method = "phone" if plan.phone else "written"
    add((respond, _R_RESPOND, ev.Responded, {"method": method, "phso_signposted": True}))
    close = respond + d["close_time"][i]
    add((close, _R_CLOSE, ev.ComplaintClosed, {}))
    plan.end = respond


def _side_events(
    plan: _Plan,
    t0: float,
    draws: _Draws,
    p: SimulationParameters,
    axis: _Axis,
    calendar: WorkingDayCalendar,
) -> None:
    """Hearing changes and a child's meeting, placed before the complaint's last step."""
    i, u, add = plan.row, draws.u[plan.row], plan.items.append
    s = plan.complaint.situation
    end = plan.end
    if plan.meeting is not None:
        offered, decided, held = plan.meeting
        offered = min(offered, end)
        decided = min(max(decided, offered), end)
        add((offered, _R_OFFER_MEETING, ev.MeetingOffered, {}))
        if held:
            add((decided, _R_MEETING, ev.MeetingHeld, {}))
            update = min(decided + draws.actions[i][4], end)
            add((update, _R_COURT_UPDATE, ev.CourtUpdated, {}))
        else:
            add((decided, _R_MEETING, ev.MeetingDeclined, {}))
    if not s.case_ongoing or s.complainant not in ("adult", "child"):
        return
    when = t0 + u[_U_HEARING_WHEN] * (end - t0)
    lead = max(1, round(draws.more["hearing_lead"][i]))
    on = axis.day(when)
    roll = u[_U_HEARING_EVENT]
    if s.hearing is None:
        if roll < p.hearing_listed_share:
            hearing = calendar.roll_forward(on + timedelta(days=lead))
            add((when, _R_HEARING, ev.HearingListed, {"hearing": hearing}))
    elif roll < p.hearing_moved_share:
        hearing = calendar.roll_forward(max(on, s.hearing) + timedelta(days=lead))
        add((when, _R_HEARING, ev.HearingMoved, {"hearing": hearing}))
    elif roll < p.hearing_moved_share + p.hearing_vacated_share:
        add((when, _R_HEARING, ev.HearingVacated, {}))


def _sort_key(item: _Item) -> tuple[float, int]:
    return item[0], item[1]


def _drive(plan: _Plan, axis: _Axis, delay: bool) -> Complaint:
    """Apply the planned events in time order, as the staff would, reacting to the complaint."""
    c = plan.complaint
    plan.items.sort(key=_sort_key)
    for t, _, kind, fields in plan.items:
        at = axis.instant(t)
        states = c.situation.states
        if kind is ev.CourtNotified and states.court not in ("not-needed", "due"):
            continue  # already told (a correction stood for it)
        if kind is ev.CourtUpdated:
            s = c.situation
            if not (
                states.court == "notified"
                and states.child == "held"
                and s.hearing is not None
                and at.date() > s.hearing
            ):
                continue  # only a meeting after the hearing needs an update (§5.4)
        if (
            kind is ev.FactualErrorCorrected
            and states.court == "due"
            and (
                c.situation.complainant == "child"
                or "professional-judgement" in c.situation.aspects
            )
        ) or (kind is ev.ComplaintClosed and states.court == "due"):
            c = c.apply(ev.CourtNotified(at=at))  # the court must hear before this
        if kind is ev.Responded and delay:
            c = _maybe_delay(c, at)
        c = c.apply(kind(at=at, **fields))
    return c


def _maybe_delay(c: Complaint, respond_at: datetime) -> Complaint:
    """Send a delay update on the due date when the response will be late (§4.12)."""
    owed = {o.id: o for o in c.obligations(respond_at)}
    target = next((owed[t] for t in RESPONSE_TARGETS if t in owed), None)
    if target is None or target.met_at is not None or respond_at.date() <= target.due:
        return c
    sent = max(c.last_at, datetime.combine(target.due, time(12), tzinfo=LONDON))
    if sent >= end_of_day(target.due):
        return c  # too late for an update to count: none is sent
    return c.apply(ev.DelayUpdateSent(at=sent, new_expected=respond_at.date()))


def _allocate(plans: list[_Plan], capacity: int | None) -> dict[int, float]:
    """When work on each procedure response starts: at triage, or when staff are free."""
    jobs = sorted(
        (plan.triage_at, plan.row, plan.work) for plan in plans if plan.procedure_from is not None
    )
    if capacity is None:
        return {row: at for at, row, _ in jobs}
    free: list[float] = [float("-inf")] * capacity
    start: dict[int, float] = {}
    for at, row, work in jobs:
        earliest = heapq.heappop(free)
        begin = max(at, earliest)
        start[row] = begin
        heapq.heappush(free, begin + work)
    return start


# --------------------------------------------------------------------- rows


def _london_date(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def _route_of(c: Complaint) -> str:
    s = c.situation
    st = s.states
    if st.procedure is not None:
        return s.triage or "procedure"
    if st.outside is not None:
        return "outside-procedure"
    return {"resolved-quickly": "quick-fix"}.get(st.intake, st.intake)


OBLIGATION_COLUMNS: Final = (
    "policy",
    "complaint_id",
    "obligation_id",
    "due",
    "strength",
    "clause",
    "status",
    "met_at",
    "extended_from",
    "extended",
    "overdue",
    "late",
    "breached",
    "working_days_late",
    "working_days_to_met",
    "bank_holidays_to_due",
    "complainant",
    "route",
    "received_at",
    "deemed_receipt",
    "quarter",
    "christmas_week",
)
"""The columns of every obligations frame (:class:`Simulation` and ``whatif.compare``)."""

_DAY_COUNTS: Final = ("working_days_late", "working_days_to_met", "bank_holidays_to_due")
OBLIGATION_ROW_COLUMNS: Final = tuple(c for c in OBLIGATION_COLUMNS if c not in _DAY_COUNTS)
"""The columns :func:`obligation_rows` fills; :func:`obligations_frame` adds the day counts."""

COMPLAINT_COLUMNS: Final = (
    "policy",
    "complaint_id",
    "received_at",
    "deemed_receipt",
    "quarter",
    "year",
    "out_of_hours",
    "christmas_week",
    "complainant",
    "channel",
    "case_ongoing",
    "hearing",
    "eligibility",
    "route",
    "state",
    "finished",
    "owner",
    "staff_named",
    "aspects",
    *(f"aspect_{a.replace('-', '_')}" for a in ASPECTS),
    "resubmitted",
    "quick_fix",
    "escalated",
    "delayed",
    "response_at",
    "response_obligation",
    "response_due",
    "working_days_to_response",
    "late_response",
    "breaches",
    "any_breach",
    "events",
)
"""The columns of :attr:`Simulation.complaints`."""

_INSTANT_COLUMNS: Final = frozenset({"received_at", "met_at", "response_at"})
_DATE_COLUMNS: Final = frozenset(
    {"due", "extended_from", "deemed_receipt", "hearing", "response_due"}
)
_INT_COLUMNS: Final = frozenset(
    {"working_days_late", "working_days_to_met", "working_days_to_response"}
)


def new_columns(names: Iterable[str]) -> dict[str, list[Any]]:
    """Empty column lists, filled row by row and turned into a frame once."""
    return {name: [] for name in names}


def obligation_rows(rows: dict[str, list[Any]], complaint: Complaint, at: datetime) -> list[Any]:
    """Append one row per obligation of ``complaint`` at ``at`` to lists made by
    ``new_columns(OBLIGATION_ROW_COLUMNS)``; returns the obligations."""
    s = complaint.situation
    received = s.received_at
    local = received.astimezone(LONDON)
    day0 = complaint.deemed_receipt
    quarter = quarter_of(received)
    xmas = local.month == 12 and local.day in _CHRISTMAS_WEEK
    route = _route_of(complaint)
    owed = complaint.obligations(at)
    policy_id = complaint.policy.id
    for o in owed:
        rows["policy"].append(policy_id)
        rows["complaint_id"].append(s.complaint_id)
        rows["obligation_id"].append(o.id)
        rows["due"].append(o.due)
        rows["strength"].append(o.strength)
        rows["clause"].append(o.clause)
        rows["status"].append(o.status)
        rows["met_at"].append(o.met_at)
        rows["extended_from"].append(o.extended_from)
        rows["extended"].append(o.extended_from is not None)
        rows["overdue"].append(o.overdue)
        rows["late"].append(o.status in ("breached", "met-late") or o.overdue)
        rows["breached"].append(o.status == "breached")
        rows["complainant"].append(s.complainant)
        rows["route"].append(route)
        rows["received_at"].append(received)
        rows["deemed_receipt"].append(day0)
        rows["quarter"].append(quarter)
        rows["christmas_week"].append(xmas)
    return list(owed)


def complaint_row(
    rows: dict[str, list[Any]],
    complaint: Complaint,
    owed: Sequence[Any],
    calendar: WorkingDayCalendar,
    off_hours: bool,
    eligibility: str | None = None,
) -> None:
    """Append the complaint's own row (``eligibility``: known already, saves deriving it)."""
    s = complaint.situation
    opened = complaint.history[0]
    assert isinstance(opened, ev.ComplaintOpened)
    local = s.received_at.astimezone(LONDON)
    day0 = complaint.deemed_receipt
    by_id = {o.id: o for o in owed}
    response = next((by_id[t] for t in RESPONSE_TARGETS if t in by_id), None)
    responded = s.done_at("response")
    breaches = sum(1 for o in owed if o.status == "breached")
    triaged = sum(1 for e in complaint.history if isinstance(e, ev.Triaged))
    rows["policy"].append(complaint.policy.id)
    rows["complaint_id"].append(s.complaint_id)
    rows["received_at"].append(s.received_at)
    rows["deemed_receipt"].append(day0)
    rows["quarter"].append(quarter_of(s.received_at))
    rows["year"].append(local.year)
    rows["out_of_hours"].append(off_hours)
    rows["christmas_week"].append(local.month == 12 and local.day in _CHRISTMAS_WEEK)
    rows["complainant"].append(s.complainant)
    rows["channel"].append(s.channel)
    rows["case_ongoing"].append(opened.case_ongoing)
    rows["hearing"].append(opened.hearing)
    rows["eligibility"].append(complaint.eligibility if eligibility is None else eligibility)
    rows["route"].append(_route_of(complaint))
    rows["state"].append(complaint.state)
    rows["finished"].append(complaint.finished)
    rows["owner"].append(complaint.owner)
    rows["staff_named"].append(s.staff_named)
    rows["aspects"].append(",".join(s.aspects))
    for a in ASPECTS:
        rows[f"aspect_{a.replace('-', '_')}"].append(a in s.aspects)
    rows["resubmitted"].append(s.receipt_at != s.received_at)
    rows["quick_fix"].append(s.states.quick_fix is not None)
    rows["escalated"].append(triaged > 1)
    rows["delayed"].append(bool(s.delays))
    rows["response_at"].append(responded)
    rows["response_obligation"].append(None if response is None else response.id)
    rows["response_due"].append(None if response is None else response.due)
    rows["working_days_to_response"].append(
        None if responded is None else calendar.working_days_between(day0, _london_date(responded))
    )
    rows["late_response"].append(
        response is not None and (response.status in ("breached", "met-late") or response.overdue)
    )
    rows["breaches"].append(breaches)
    rows["any_breach"].append(breaches > 0)
    rows["events"].append(len(complaint.history))


def _instants(values: list[datetime | None]) -> pd.Series[Any]:
    micros = np.array(
        [_NAT if v is None else round(v.timestamp() * 1_000_000) for v in values], dtype=np.int64
    )
    index = pd.DatetimeIndex(micros.view("datetime64[us]")).tz_localize("UTC")
    return pd.Series(index.tz_convert("Europe/London"))


def _dates(values: list[date | None]) -> pd.Series[Any]:
    days = np.array(
        [_NAT if v is None else v.toordinal() - _EPOCH_DAY for v in values], dtype=np.int64
    )
    return pd.Series(days.view("datetime64[D]").astype("datetime64[s]"))


def to_frame(rows: dict[str, list[Any]]) -> pd.DataFrame:
    """The frame of filled column lists: instants in London, dates as datetimes, counts nullable."""
    data: dict[str, Any] = {}
    for name, values in rows.items():
        if name in _INSTANT_COLUMNS:
            data[name] = _instants(values)
        elif name in _DATE_COLUMNS:
            data[name] = _dates(values)
        elif name in _INT_COLUMNS:
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = values
    return pd.DataFrame(data)


@functools.lru_cache(maxsize=4)
def _vector_calendar(calendar: WorkingDayCalendar) -> VectorCalendar:
    return VectorCalendar(calendar)


def obligations_frame(rows: dict[str, list[Any]], calendar: WorkingDayCalendar) -> pd.DataFrame:
    """The obligations frame of filled row lists, with the working-day counts added at once.

    ``working_days_to_met``: working days from day 0 to the London date it was met;
    ``working_days_late``: working days after the due date up to that date (0 on time);
    ``bank_holidays_to_due``: weekdays that are not working days from day 0 to the due date.
    """
    frame = to_frame(rows)
    n = len(frame)
    vc = _vector_calendar(calendar)
    day0 = frame["deemed_receipt"].to_numpy("datetime64[D]")
    due = frame["due"].to_numpy("datetime64[D]")
    met_local = frame["met_at"].dt.tz_convert("Europe/London").dt.tz_localize(None)
    met = met_local.to_numpy("datetime64[D]")
    one = np.timedelta64(1, "D")
    done = ~np.isnat(met)
    to_met = np.zeros(n, dtype=np.int64)
    late = np.zeros(n, dtype=np.int64)
    if done.any():
        to_met[done] = vc.working_days_between(day0[done], met[done])
        late[done] = np.maximum(0, vc.working_days_between(due[done] + one, met[done] + one))
    ahead = due >= day0
    holidays = np.zeros(n, dtype=np.int64)
    if ahead.any():
        start, stop = day0[ahead], due[ahead] + one
        holidays[ahead] = np.busday_count(start, stop) - vc.working_days_between(start, stop)
    frame["working_days_late"] = pd.array(np.where(done, late, 0), dtype="Int64")
    frame["working_days_to_met"] = pd.array(to_met, dtype="Int64")
    frame.loc[~done, ["working_days_late", "working_days_to_met"]] = pd.NA
    frame["bank_holidays_to_due"] = holidays
    extra = [c for c in frame.columns if c not in OBLIGATION_COLUMNS]
    return frame[[*OBLIGATION_COLUMNS, *extra]]


# --------------------------------------------------------------------- simulate


def _check_arguments(years: object, seed: object, start: object) -> None:
    if type(years) is not int or not 1 <= years <= 100:
        raise InvalidInputError(f"years must be a whole number from 1 to 100 (got {years!r})")
    if type(seed) is not int or seed < 0:
        raise InvalidInputError(f"seed must be a whole number >= 0 (got {seed!r})")
    if not isinstance(start, date) or isinstance(start, datetime):
        raise InvalidInputError(f"start must be a datetime.date (got {type(start).__name__})")


def simulate(
    policy: Policy | str = "cafcass-web",
    *,
    years: int = 1,
    seed: int = 0,
    start: date = date(2024, 1, 1),
    parameters: SimulationParameters | None = None,
    calendar: WorkingDayCalendar | None = None,
    progress: bool = False,
) -> Simulation:
    """Simulate ``years`` of complaints and compliments received from ``start``, under ``policy``.

    Every complaint is opened with :meth:`Complaint.open` and driven event by event through
    :meth:`Complaint.apply`; complaints received in the window are followed to their end, and
    the obligations are read after the last event. The same arguments give equal frames.
    ``progress`` shows a ``tqdm`` bar on stderr.
    """
    _check_arguments(years, seed, start)
    chosen = Policy.load(policy) if isinstance(policy, str) else policy
    if not isinstance(chosen, Policy):
        raise InvalidInputError("policy must be a Policy, a built-in id or a .toml path")
    p = SimulationParameters() if parameters is None else parameters
    if not isinstance(p, SimulationParameters):
        raise InvalidInputError("parameters must be SimulationParameters or None")
    cal = WorkingDayCalendar.england_and_wales() if calendar is None else calendar
    axis = _Axis(cal, p.office_opens, p.office_closes)
    end = start + relativedelta(years=years)
    root = np.random.default_rng(seed)
    arrival_rng, complaint_rng, compliment_rng = root.spawn(3)

    arrivals = _arrivals(arrival_rng, p.complaints_per_year, years, start, end, axis, p)
    n = len(arrivals)
    draws = _Draws(complaint_rng, n, p)
    planner = _Planner(p, chosen, cal, axis, draws)
    with _gc_paused():
        plans: list[_Plan] = []
        for i, (received, off_hours) in enumerate(arrivals):
            plan = planner.open(i, received, off_hours)
            planner.plan(plan, received)
            plans.append(plan)
        for row, begin in _allocate(plans, p.staff_capacity).items():
            _finish(plans[row], begin, draws, p)
        complaints: list[Complaint] = []
        delay_share = p.delay_update_share
        bar = _progress_bar(n, progress)
        for i, plan in enumerate(plans):
            _side_events(plan, axis.at(arrivals[i][0]), draws, p, axis, cal)
            complaints.append(_drive(plan, axis, draws.u[i][_U_DELAY] < delay_share))
            if bar is not None and (i + 1) % 64 == 0:
                bar.update(64)
        if bar is not None:
            bar.update(n - bar.n)
            bar.close()
        last = max(
            (c.last_at for c in complaints), default=datetime.combine(end, time(0), tzinfo=LONDON)
        )
        observed = end_of_day(_london_date(last))
        crow = new_columns(COMPLAINT_COLUMNS)
        orow = new_columns(OBLIGATION_ROW_COLUMNS)
        for (_, off_hours), c, plan in zip(arrivals, complaints, plans, strict=True):
            owed = obligation_rows(orow, c, observed)
            complaint_row(crow, c, owed, cal, off_hours, plan.gate)

    compliments, compliment_events = _compliments(compliment_rng, years, start, end, axis, p)
    events = sum(len(c.history) for c in complaints) + compliment_events
    return Simulation(
        complaints=to_frame(crow),
        obligations=obligations_frame(orow, cal),
        compliments=compliments,
        events=events,
        histories=tuple(c.history for c in complaints),
        policy=chosen,
        parameters=p,
        seed=seed,
        start=start,
        end=end,
        observed_at=observed,
        calendar=cal,
    )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic values.

    Every complaint stays alive until the frames are built, so each full collection would
    walk all of them again; frozen events and tuples make no cycles for it to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _progress_bar(total: int, show: bool) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="simulating", unit=" complaints", file=sys.stderr, leave=False)


def _compliments(
    rng: np.random.Generator,
    years: int,
    start: date,
    end: date,
    axis: _Axis,
    p: SimulationParameters,
) -> tuple[pd.DataFrame, int]:
    arrivals = _arrivals(rng, p.compliments_per_year, years, start, end, axis, p)
    n = len(arrivals)
    passed = p.compliment_time.draw(rng, n).tolist()
    forms = (rng.random(n) < p.feedback_form_compliment_share).tolist()
    rows = new_columns(
        (
            "compliment_id",
            "received_at",
            "quarter",
            "source",
            "via_feedback_form",
            "state",
            "passed_on_at",
        )
    )
    events = 0
    for i, (received, _) in enumerate(arrivals):
        compliment = Compliment.record(
            compliment_id=f"K-{i + 1:06d}",
            received_at=received,
            source="service-user",
            via_feedback_form=forms[i],
        )
        on = axis.instant(axis.at(received) + passed[i])
        compliment = compliment.apply(ComplimentPassedOn(at=on))
        events += len(compliment.history)
        rows["compliment_id"].append(compliment.id)
        rows["received_at"].append(received)
        rows["quarter"].append(quarter_of(received))
        rows["source"].append(compliment.source)
        rows["via_feedback_form"].append(compliment.via_feedback_form)
        rows["state"].append(compliment.state)
        rows["passed_on_at"].append(on)
    frame = pd.DataFrame(
        {
            **{k: v for k, v in rows.items() if k not in ("received_at", "passed_on_at")},
            "received_at": _instants(rows["received_at"]),
            "passed_on_at": _instants(rows["passed_on_at"]),
        }
    )
    return frame[list(rows)], events
