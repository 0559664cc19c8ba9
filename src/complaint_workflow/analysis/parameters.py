"""The simulation's inputs: every rate, share and step-time distribution, with its default.

:class:`SimulationParameters` holds every number the simulation draws from (frozen; change one
with :func:`attrs.evolve`); :class:`Distribution` is a random, non-negative length of time.
``docs/modelling.md`` gives each default and why. Nothing here draws a caseload: the planner
(:mod:`complaint_workflow.analysis.planner`) does, from these values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InvalidInputError, bounded_repr
from ..vocabulary import ASPECTS, CHANNELS

__all__ = ["CHANNELS", "OUT_OF_HOURS_CHANNELS", "Distribution", "Floats", "SimulationParameters"]

Floats: TypeAlias = npt.NDArray[np.float64]

# --------------------------------------------------------------------- distributions


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1e5:
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a finite number from 0 to "
            f"100000 (got {bounded_repr(value)})"
        )


def _number(value: Any) -> Any:
    # A real number becomes a float; anything else is left for the validator to refuse.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number and abs(value) < 1e300 else value


@attrs.frozen
class Distribution:
    """A random, non-negative length of time: working days, or calendar days where a field says so.

    Working days are measured in office hours (8 a day by default), so 0.25 is two hours.
    Build one with :meth:`lognormal`, :meth:`exponential`, :meth:`uniform` or :meth:`fixed`.

    >>> Distribution.lognormal(10, 0.35).median
    10.0
    """

    kind: Literal["lognormal", "exponential", "uniform", "fixed"] = attrs.field()
    a: float = attrs.field(converter=_number, validator=_non_negative)
    """lognormal: the median; exponential: the mean; uniform: the low end; fixed: the value."""
    b: float = attrs.field(default=0.0, converter=_number, validator=_non_negative)
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
        if self.kind == "lognormal" and self.b > 5:
            raise InvalidInputError(f"Distribution.lognormal needs sigma <= 5 (got {self.b})")

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
OUT_OF_HOURS_CHANNELS: Final = ("email", "web-form")


@attrs.frozen(kw_only=True)
class SimulationParameters:
    """Every rate, share and step time of the simulation, with its default and why.

    Rates are per year; shares are probabilities from 0 to 1; step times are
    :class:`Distribution` s in working days (office hours) unless a field says calendar days.
    Cafcass's published figures calibrate the rates; the rest are stated assumptions, listed
    with their reasons in ``docs/modelling.md``. Change any with :func:`attrs.evolve`.

    >>> p = SimulationParameters()
    >>> p.complaints_per_year, p.compliments_per_year, p.staff_capacity
    (1450.0, 800.0, None)
    """

    # ---- arrivals (the published figures)
    complaints_per_year: float = attrs.field(default=1450.0, converter=float, validator=_rate)
    """Published: 1,449 (2013) and 1,476 (2014) calendar-year complaints; financial years
    1,264-1,596."""
    compliments_per_year: float = attrs.field(default=800.0, converter=float, validator=_rate)
    """Published: 599-1,005 service-user compliments a year in 2012-2014; the middle of
    600-1,000."""
    cases_per_year: float = attrs.field(default=56_000.0, converter=float, validator=_rate)
    """Published: 50,360-61,900 cases a year; context only (complaints per 1,000 cases)."""
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
    (§3.1): the rest are about ongoing cases, which Cafcass says the procedure now focuses on."""
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
