"""Boundaries and small behaviours that mutation testing found untested.

Each test here kills surviving mutants of ``calendar.py``, ``durations.py``, ``obligations.py``
or ``rules.py`` reported by ``scripts/mutation.py`` (see ``docs/mutation-report.md``): the
edges of the span, argument checks, ``repr``, backward durations, the anchors,
``only-if-before-limit``, the six-month gate, delay updates, policy eras and the exact instant
a delay update stops extending.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from complaint_workflow import (
    CalendarDataError,
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    WorkingDayCalendar,
)
from complaint_workflow.calendar import as_london, end_of_day
from complaint_workflow.durations import CalendarDays, Months, Weeks, WorkingDays
from complaint_workflow.errors import PolicyError
from complaint_workflow.obligations import Obligation, derive_obligations, situation_facts
from complaint_workflow.policy import Policy, Target
from complaint_workflow.rules import compile_policy
from complaint_workflow.situation import Delay, RouteStates, Situation

LONDON = ZoneInfo("Europe/London")
CAL = WorkingDayCalendar.england_and_wales()


# ---------------------------------------------------------------- calendar
class _NoOffset(tzinfo):
    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return None


def test_tzinfo_without_offset_is_naive():
    """Tzinfo without offset is naive."""
    with pytest.raises(NaiveDatetimeError):
        as_london(datetime(2024, 6, 12, 10, tzinfo=_NoOffset()))


def test_repr():
    """Repr."""
    assert repr(CAL).startswith("WorkingDayCalendar(2000-2060, ")
    assert repr(CAL).endswith(" holidays, 0 closures, 0 extra working days)")


def test_span_limits():
    """Span limits."""
    for first, last in [(1, 1), (2024, 2024), (9998, 9998)]:
        assert WorkingDayCalendar({}, first_year=first, last_year=last).first_year == first
    for first, last in [(0, 2000), (9999, 9999), (2025, 2024)]:
        with pytest.raises(InvalidInputError):
            WorkingDayCalendar({}, first_year=first, last_year=last)


def test_first_day_of_span():
    """First day of span."""
    assert CAL.add_working_days(date(2000, 1, 1), 0) == date(2000, 1, 4)


def test_govuk_update_keeps_other_years_and_edges():
    """Govuk update keeps other years and edges."""
    year = [{"title": t, "date": d.isoformat()} for d, t in CAL.holidays.items() if d.year == 2030]
    updated = CAL.with_govuk_bank_holidays(
        {"events": [*year, {"title": "One-off", "date": "2030-06-03"}]}
    )
    assert updated.holiday_name(date(2029, 12, 25)) == "Christmas Day"
    assert not updated.is_working_day(date(2029, 12, 25))
    for day in ("2000-06-06", "2060-06-08"):  # first and last year of the span
        edge = CAL.with_govuk_bank_holidays({"events": [{"title": "X", "date": day}]})
        assert edge.holiday_name(date.fromisoformat(day)) == "X"


def test_first_and_last_day():
    """First and last day."""
    assert CAL.first_day == date(2000, 1, 1)
    assert CAL.last_day == date(2060, 12, 31)


def test_day_after_the_span():
    """Day after the span."""
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(date(2061, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(date(2061, 1, 1), -1)


def test_n_must_be_an_int():
    """N must be an int."""
    for n in (True, 1.0):
        with pytest.raises(InvalidInputError):
            CAL.add_working_days(date(2024, 6, 12), n)


def test_no_working_day_left_for_day0():
    """No working day left for day0."""
    small = WorkingDayCalendar({}, first_year=2024, last_year=2024).with_closures(
        [date(2024, 12, 31)]
    )
    with pytest.raises(CalendarRangeError):
        small.add_working_days(date(2024, 12, 31), 0)


def test_first_working_day_of_span_backwards():
    """First working day of span backwards."""
    assert CAL.add_working_days(date(2000, 1, 5), -1) == date(2000, 1, 4)


def test_one_past_the_last_working_day():
    """One past the last working day."""
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(date(2060, 12, 31), 1)


def test_working_days_before_zero():
    """Working days before zero."""
    with pytest.raises(InvalidInputError):
        CAL.working_days_before(date(2024, 4, 2), 0)


def test_working_days_before_reaches_first_working_day():
    """Working days before reaches first working day."""
    assert CAL.working_days_before(date(2000, 1, 5), 1) == date(2000, 1, 4)


def test_between_at_span_edges():
    """Between at span edges."""
    assert CAL.working_days_between(date(2000, 1, 1), date(2000, 1, 10)) == 4
    assert CAL.working_days_between(date(2000, 1, 10), date(1999, 12, 31)) == -5
    assert CAL.working_days_between(date(2060, 12, 1), date(2061, 1, 1)) == 21
    assert CAL.working_days_between(date(2060, 12, 31), date(2060, 12, 1)) == -20
    with pytest.raises(CalendarRangeError):
        CAL.working_days_between(date(1999, 12, 1), date(2024, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.working_days_between(date(1999, 12, 31), date(1999, 12, 31))


def test_roll_forward():
    """Roll forward."""
    assert CAL.roll_forward(date(2024, 3, 29)) == date(2024, 4, 2)
    assert CAL.roll_forward(date(2024, 4, 2)) == date(2024, 4, 2)


def test_cutoff_must_be_naive_time():
    """Cutoff must be naive time."""
    received = datetime(2024, 6, 12, 10, tzinfo=LONDON)
    for cutoff in (time(17, tzinfo=UTC), "17:00"):
        with pytest.raises(InvalidInputError):
            CAL.deemed_receipt(received, cutoff)


# ---------------------------------------------------------------- durations
def test_max_units():
    """Max units."""
    assert WorkingDays(10_000).n == 10_000
    with pytest.raises(PolicyError):
        WorkingDays(10_001)


def test_before():
    """Before."""
    assert CalendarDays(3).before(date(2024, 6, 12), CAL, "calendar") == date(2024, 6, 9)
    assert Weeks(2).before(date(2024, 6, 12), CAL, "calendar") == date(2024, 5, 29)
    assert Weeks(1).before(date(2024, 4, 8), CAL, "working") == date(2024, 3, 28)
    assert Months(6).before(date(2024, 8, 31), CAL, "calendar") == date(2024, 2, 29)


def test_str():
    """Str."""
    assert [str(Weeks(1)), str(Weeks(2)), str(Months(1)), str(Months(6))] == [
        "1 week",
        "2 weeks",
        "1 month",
        "6 months",
    ]


# ---------------------------------------------------------------- obligations
RECEIVED = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)  # response due 2024-07-03


def situation(**changes) -> Situation:
    base = {
        "complaint_id": "c1",
        "complainant": "adult",
        "channel": "web",
        "case_ongoing": True,
        "involvement_ended": None,
        "staff_named": 0,
        "policy_id": "cafcass-2012",
        "received_at": RECEIVED,
        "receipt_at": RECEIVED,
        "hearing": None,
        "hearing_known_at": RECEIVED,
        "states": RouteStates(intake="procedure"),
    }
    base.update(changes)
    return Situation(**base)


def by_id(sit, policy, at=datetime(2024, 6, 12, 12, 0, tzinfo=LONDON)):
    return {o.id: o for o in derive_obligations(sit, policy, CAL, at)}


def test_default_not_overdue():
    """Default not overdue."""
    assert (
        Obligation(
            id="x", due=date(2024, 1, 1), strength="hard", clause="", status="pending"
        ).overdue
        is False
    )


def test_pending_is_not_overdue():
    """Pending is not overdue."""
    got = by_id(situation(hearing=date(2024, 9, 2)), Policy.builtin("cafcass-2012"))
    assert got["response-before-hearing"].status == "pending"
    assert {o.overdue for o in got.values()} == {False}


def test_contact_and_triage_anchors():
    """Contact and triage anchors."""
    policy = Policy.builtin("cafcass-2012").evolve(
        targets={
            "after-contact": Target(id="after-contact", duration=WorkingDays(5), anchor="contact"),
            "after-triage": Target(id="after-triage", duration=WorkingDays(10), anchor="triage"),
        }
    )
    assert "after-contact" not in by_id(situation(), policy)
    assert "after-triage" not in by_id(situation(), policy)
    contacted = (("contact", datetime(2024, 6, 13, 9, tzinfo=LONDON)),)
    assert "after-triage" not in by_id(situation(done=contacted), policy)
    done = (
        ("contact", datetime(2024, 6, 13, 9, tzinfo=LONDON)),
        ("triage", datetime(2024, 6, 14, 9, tzinfo=LONDON)),
    )
    got = by_id(situation(done=done), policy, datetime(2024, 6, 14, 12, tzinfo=LONDON))
    assert got["after-contact"].due == date(2024, 6, 20)
    assert got["after-triage"].due == date(2024, 6, 28)


def test_involvement_ended_anchor():
    """Involvement ended anchor."""
    policy = Policy.builtin("cafcass-2012").evolve(
        targets={
            "after-end": Target(
                id="after-end", duration=CalendarDays(10), anchor="involvement-ended"
            ),
        }
    )
    got = by_id(situation(involvement_ended=date(2024, 5, 1), case_ongoing=False), policy)
    assert got["after-end"].due == date(2024, 5, 11)


@pytest.mark.parametrize(
    ("rule", "hearing", "listed"),
    [
        ("only-if-before-limit", date(2024, 7, 9), True),  # due 2 Jul < response 3 Jul
        ("only-if-before-limit", date(2024, 7, 10), False),  # due 3 Jul == response 3 Jul
        ("only-if-before-limit", date(2024, 9, 2), False),
        ("whenever-hearing-known", date(2024, 9, 2), True),
    ],
)
def test_response_before_hearing_only_if_before_limit(rule, hearing, listed):
    """Response before hearing only if before limit."""
    policy = Policy.builtin("cafcass-2012").evolve(parameters={"response_before_hearing": rule})
    got = by_id(situation(hearing=hearing), policy)
    assert ("response-before-hearing" in got) is listed
    assert got["response"].due == date(2024, 7, 3)
    # Asked for alone, the target is still weighed against the limits it falls after.
    rules = compile_policy(policy)
    facts = situation_facts(situation(hearing=hearing), policy, CAL)
    alone = rules.answers(facts, CAL, frozenset({"response-before-hearing"}))
    assert alone["response-before-hearing"] == rules.answers(facts, CAL)["response-before-hearing"]
    assert alone["response-before-hearing"].owed is listed


def test_delay_sent_at_end_of_due_date_does_not_extend():
    """Delay sent at end of due date does not extend."""
    due = date(2024, 7, 3)
    late = Delay("response", sent_at=end_of_day(due), until=date(2024, 7, 17))
    got = by_id(situation(delays=(late,)), Policy.builtin("cafcass-2012"))
    assert got["response"].due == due
    assert got["response"].extended_from is None
    early = Delay(
        "response", sent_at=end_of_day(due) - timedelta(microseconds=1), until=date(2024, 7, 17)
    )
    got = by_id(situation(delays=(early,)), Policy.builtin("cafcass-2012"))
    assert got["response"].due == date(2024, 7, 17)
    assert got["response"].extended_from == due


def test_early_span_fast_path():
    """Early span fast path."""
    cal = WorkingDayCalendar({}, first_year=1, last_year=30)
    assert cal.add_working_days(date(10, 3, 1), 0) == date(10, 3, 1)  # a Monday
    assert cal.add_working_days(date(10, 3, 1), 3) == date(10, 3, 4)


def test_date_subclass_on_first_day():
    """Date subclass on first day."""

    class D(date):
        pass

    assert CAL.add_working_days(D(2000, 1, 1), 0) == date(2000, 1, 4)


def test_only_if_before_limit_weighs_the_web_triage_target() -> None:
    """Under the web page, the hearing rule is weighed against the triaged route's target."""
    web = Policy.builtin("cafcass-web").evolve(
        id="web-limit", parameters={"response_before_hearing": "only-if-before-limit"}
    )
    far = situation(hearing=date(2024, 9, 30), triage="early-resolution")
    assert "response-before-hearing" not in by_id(far, web)
    near = situation(hearing=date(2024, 6, 24), triage="early-resolution")
    assert by_id(near, web)["response-before-hearing"].due == date(2024, 6, 17)


def test_month_arithmetic_equals_relativedelta_on_every_day() -> None:
    """``shift_months`` gives ``relativedelta(months=n)``'s answer for every day 2012-2028."""
    from dateutil.relativedelta import relativedelta

    from complaint_workflow.durations import shift_months

    day = date(2012, 1, 1)
    while day <= date(2028, 12, 31):
        for n in (-13, -12, -6, -1, 1, 2, 6, 11, 12, 25):
            assert shift_months(day, n) == day + relativedelta(months=n), (day, n)
        day += timedelta(days=1)


# --------------------------------------------------------------------- the GOV.UK reader's limits


def _division(events: list[dict[str, str]]) -> dict[str, object]:
    return {"england-and-wales": {"division": "england-and-wales", "events": events}}


def test_a_long_path_is_cut_to_200_characters_in_the_message(tmp_path: Path) -> None:
    """A path of 200 characters is named whole; a longer one is cut to 197 and '...'."""
    from complaint_workflow.calendar import load_govuk_bank_holidays

    base = str(tmp_path) + "/"
    exact = base + "a" * (200 - len(base))
    longer = base + "b" * (201 - len(base))
    with pytest.raises(CalendarDataError) as whole:
        load_govuk_bank_holidays(exact)
    assert str(whole.value).startswith(exact + ": cannot read it")
    with pytest.raises(CalendarDataError) as cut:
        load_govuk_bank_holidays(longer)
    assert str(cut.value).startswith(longer[:197] + "...: cannot read it")


def test_a_title_may_have_200_characters_not_201() -> None:
    """A holiday's title of 200 characters is read; one of 201 is refused."""
    from complaint_workflow.calendar import load_govuk_bank_holidays

    ok = load_govuk_bank_holidays(_division([{"date": "2024-05-06", "title": "t" * 200}]))
    assert ok == {date(2024, 5, 6): "t" * 200}
    with pytest.raises(CalendarDataError, match="at most 200"):
        load_govuk_bank_holidays(_division([{"date": "2024-05-06", "title": "t" * 201}]))


def test_a_file_of_exactly_16_mib_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    """The size limit is 16 MiB inclusive, and the whole of such a file is parsed."""
    import json

    from complaint_workflow.calendar import MAX_GOVUK_BYTES, load_govuk_bank_holidays

    assert MAX_GOVUK_BYTES == 16 * 1024 * 1024
    head = json.dumps(_division([{"date": "2024-05-06", "title": "Early May"}]))[:-1]
    pad = ', "pad": "' + "x" * MAX_GOVUK_BYTES
    exact = (head + pad)[: MAX_GOVUK_BYTES - 2] + '"}'  # ends in "}": cut short, it is not JSON
    path = tmp_path / "bank-holidays.json"
    path.write_text(exact, encoding="ascii")
    assert path.stat().st_size == MAX_GOVUK_BYTES
    assert load_govuk_bank_holidays(path) == {date(2024, 5, 6): "Early May"}
    path.write_text(exact + " ", encoding="ascii")
    with pytest.raises(CalendarDataError, match=f"larger than {MAX_GOVUK_BYTES} bytes"):
        load_govuk_bank_holidays(path)


def test_a_year_with_eight_days_replaces_and_one_with_seven_merges() -> None:
    """A GOV.UK year holding 8 days is a full list (it replaces); 7 is a partial one (merged)."""
    cal = WorkingDayCalendar.england_and_wales()
    had_2025 = {d for d in cal.holidays if d.year == 2025}
    had_2026 = {d for d in cal.holidays if d.year == 2026}
    assert len(had_2025) == len(had_2026) == 8
    eight = [{"date": f"2025-06-{day:02d}", "title": "made up"} for day in range(2, 10)]
    seven = [{"date": f"2026-06-{day:02d}", "title": "made up"} for day in range(1, 8)]
    new = cal.with_govuk_bank_holidays(_division(eight + seven))
    assert {d for d in new.holidays if d.year == 2025} == {date(2025, 6, d) for d in range(2, 10)}
    assert {d for d in new.holidays if d.year == 2026} == had_2026 | {
        date(2026, 6, d) for d in range(1, 8)
    }


@pytest.mark.parametrize(("year", "accepted"), [(0, False), (1, True), (9998, True), (9999, False)])
def test_the_holidays_package_span_runs_from_year_1_to_9998(
    monkeypatch: pytest.MonkeyPatch, year: int, accepted: bool
) -> None:
    """Years 1 and 9998 pass the span check (then the missing package is named); 0 and 9999
    are refused first."""
    import sys

    from complaint_workflow.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "holidays", None)  # "not installed"
    expected = MissingDependencyError if accepted else InvalidInputError
    with pytest.raises(expected):
        WorkingDayCalendar.from_holidays_package(year, year)


# --------------------------------------------------------------------- the rules' limits


@pytest.mark.parametrize(
    ("compares", "gate"),
    [("received-date", "in-time"), ("deemed-receipt", "exceptional-circumstances")],
)
def test_the_six_month_rule_compares_the_date_the_policy_names(compares: str, gate: str) -> None:
    """Involvement ended 3 February 2024: the limit is Saturday 3 August. Received that
    Saturday, the London date is on the limit (in time) but day 0 is Monday 5 August (late)."""
    from complaint_workflow import Complaint

    policy = Policy.builtin("cafcass-2012").evolve(
        id="compare", parameters={"six_month_compares": compares}
    )
    c = Complaint.open(
        complaint_id="S-1",
        complainant="adult",
        received_at=datetime(2024, 8, 3, 10, 0, tzinfo=LONDON),
        involvement_ended=date(2024, 2, 3),
        policy=policy,
    )
    assert c.six_month_limit == date(2024, 8, 3)
    assert c.deemed_receipt == date(2024, 8, 5)
    assert c.eligibility == gate


def test_a_policy_without_a_complainant_limit_has_no_late_complaint() -> None:
    """Without a six-month target, a complaint received years after involvement ended is in time."""
    from complaint_workflow import Complaint

    unlimited = Policy.builtin("cafcass-2012").evolve(
        id="no-limit", targets={"six-month-limit": None}
    )
    assert not any(t.owed_by == "complainant" for t in unlimited.targets)
    c = Complaint.open(
        complaint_id="S-2",
        complainant="adult",
        received_at=RECEIVED,
        involvement_ended=date(2020, 1, 6),
        policy=unlimited,
    )
    assert c.six_month_limit is None
    assert c.eligibility == "in-time"
    assert "response" in {o.id for o in c.obligations(RECEIVED)}


@pytest.mark.parametrize(
    ("hearing", "listed"),
    [
        (date(2024, 7, 16), True),  # due Tue 9 Jul, before investigation's Wed 10 Jul
        (date(2024, 7, 17), False),  # due Wed 10 Jul, on investigation's date
    ],
)
def test_only_if_before_limit_weighs_against_the_last_limit_when_only_it_applies(
    hearing: date, listed: bool
) -> None:
    """Weighed against early-resolution then investigation, a complaint triaged to
    investigation is judged by investigation's date (20 working days: 10 July 2024)."""
    web = Policy.builtin("cafcass-web").evolve(
        id="web-limit", parameters={"response_before_hearing": "only-if-before-limit"}
    )
    weighed = web.target("response-before-hearing").weighed_against
    assert [w for w in weighed if any(t.id == w for t in web.targets)] == [
        "early-resolution",
        "investigation",
    ]
    got = by_id(situation(hearing=hearing, triage="investigation"), web)
    assert "early-resolution" not in got
    assert got["investigation"].due == date(2024, 7, 10)
    assert ("response-before-hearing" in got) is listed


def test_involvement_ended_anchor_while_the_case_is_ongoing() -> None:
    """A target counted from the end of involvement is not owed while the case is ongoing."""
    policy = Policy.builtin("cafcass-2012").evolve(
        targets={
            "after-end": Target(
                id="after-end", duration=CalendarDays(10), anchor="involvement-ended"
            ),
        }
    )
    assert "after-end" not in by_id(situation(), policy)
    assert "response" in by_id(situation(), policy)


# --------------------------------------------------------------------- delay updates


def _complaint(policy: Policy):  # type: ignore[no-untyped-def]
    from complaint_workflow import Complaint

    return Complaint.open(
        complaint_id="D-1", complainant="adult", received_at=RECEIVED, policy=policy
    )


def test_a_delay_update_moves_nothing_when_the_policy_says_delays_do_not_extend() -> None:
    """Under ``delay_extends = false`` a delay update leaves the response due on 3 July 2024."""
    from complaint_workflow import DelayUpdateSent

    fixed = Policy.builtin("cafcass-2012").evolve(
        id="no-extension", parameters={"delay_extends": False}
    )
    c = _complaint(fixed).apply(
        DelayUpdateSent(at=datetime(2024, 6, 14, 10, tzinfo=LONDON), new_expected=date(2024, 7, 17))
    )
    response = {o.id: o for o in c.obligations(c.last_at)}["response"]
    assert response.due == date(2024, 7, 3)
    assert response.extended_from is None


def test_a_delay_update_is_folded_again_when_the_hearing_moves() -> None:
    """Extended to 26 July, the target 5 working days before a hearing moved from 22 to 29 July
    (so due 22 July, not 15) stays extended to 26 July, as a replay says."""
    from complaint_workflow import Complaint, DelayUpdateSent, HearingListed, HearingMoved

    c = _complaint(Policy.builtin("cafcass-2012")).apply(
        HearingListed(at=datetime(2024, 6, 13, 10, tzinfo=LONDON), hearing=date(2024, 7, 22))
    )
    assert {o.id: o for o in c.obligations(c.last_at)}["response-before-hearing"].due == date(
        2024, 7, 15
    )
    c = c.apply(
        DelayUpdateSent(
            at=datetime(2024, 6, 14, 10, tzinfo=LONDON),
            new_expected=date(2024, 7, 26),
            obligation="response-before-hearing",
        )
    )
    c = c.apply(
        HearingMoved(at=datetime(2024, 6, 17, 10, tzinfo=LONDON), hearing=date(2024, 7, 29))
    )
    moved = {o.id: o for o in c.obligations(c.last_at)}["response-before-hearing"]
    assert moved.due == date(2024, 7, 26)
    assert moved.extended_from == date(2024, 7, 22)
    assert moved.status == "extended"
    assert Complaint.replay(c.history).obligations(c.last_at) == c.obligations(c.last_at)


# --------------------------------------------------------------------- three eras

# Received Wed 12 June 2024 (day 0): 2 working days is Fri 14 June, 5 is Wed 19 June. The
# policy changes at 00:00 London on Sat 15 June and on Thu 20 June: each change is the end of a
# due date exactly.
FIRST_CHANGE = end_of_day(date(2024, 6, 14))
SECOND_CHANGE = end_of_day(date(2024, 6, 19))


def _extra(**days: int) -> dict[str, Target | None]:
    return {
        name: Target(id=name, duration=WorkingDays(n), strength="target")
        for name, n in days.items()
    }


def test_three_eras_judge_what_falls_due_at_each_change_instant() -> None:
    """A due date ending at a change instant is judged by the policy it ended under; one a
    later policy makes end at (or before) its own start is not owed under it."""
    from complaint_workflow import PolicyChanged

    base = Policy.builtin("cafcass-2012")
    first = base.evolve(id="era-one", targets=_extra(**{"at-first": 2}))
    second = base.evolve(
        id="era-two", targets=_extra(**{"at-first": 2, "at-second": 5, "new-at-first": 2})
    )
    third = base.evolve(
        id="era-three",
        targets=_extra(**{"at-first": 2, "at-second": 5, "new-at-first": 2, "new-at-second": 5}),
    )
    known = {p.id: p for p in (second, third)}
    c = _complaint(first).apply(PolicyChanged(at=FIRST_CHANGE, policy_id="era-two"), policies=known)
    c = c.apply(PolicyChanged(at=SECOND_CHANGE, policy_id="era-three"), policies=known)
    assert [(p.id, start) for p, start in c.eras] == [
        ("era-one", RECEIVED),
        ("era-two", FIRST_CHANGE),
        ("era-three", SECOND_CHANGE),
    ]
    at = datetime(2024, 6, 21, 12, tzinfo=LONDON)
    added = {"at-first", "at-second", "new-at-first", "new-at-second"}
    got = {o.id: o.due for o in c.obligations(at) if o.id in added}
    assert got == {
        "at-first": date(2024, 6, 14),  # ended at the first change: era one's
        "at-second": date(2024, 6, 19),  # ended at the second change: era two's
    }
    # "new-at-first" would have ended at era two's start, "new-at-second" at era three's.
