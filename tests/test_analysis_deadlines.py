"""Vectorised due dates (``analysis.deadlines.due_dates``) equal the scalar ``deadlines``.

The property draws a policy variant (a built-in with random durations, anchors, week length,
cut-off and six-month comparison), a calendar (sometimes with closures) and a list of facts,
then checks every row of ``due_dates`` against ``complaint_workflow.deadlines`` for the same
facts: the same obligations, due dates, impossible flags, gate, day 0 and six-month limit.
Pinned examples give hand-worked dates; seeded bugs show the property can fail.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import Phase, event, example, given, settings
from hypothesis import strategies as st

from complaint_workflow import (
    CalendarDays,
    Months,
    Policy,
    Target,
    Weeks,
    WorkingDayCalendar,
    WorkingDays,
    deadlines,
)
from complaint_workflow.errors import (
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    PolicyError,
)

from .strategies import calendars, durations, instants

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
dl = pytest.importorskip("complaint_workflow.analysis.deadlines")
due_dates = dl.due_dates

LONDON = ZoneInfo("Europe/London")
KINDS = ("adult", "child", "other", "employee-matter")
ROUTES = (None, "early-resolution", "investigation")
FIRST, LAST = date(2013, 1, 1), date(2027, 12, 31)
FORMS = ("datetimes", "series-utc", "series-london", "index", "numpy-utc")


# ------------------------------------------------------------------ strategies


def month_end(d: date, months_back: int) -> date:
    """The last day of the month ``months_back`` months before ``d``'s month."""
    index = d.year * 12 + d.month - 1 - months_back + 1
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


TRIGGERS = (
    "child",
    "professional-judgement",
    "factual-error",
    "case-management",
    "conduct",
    "commissioned-provider",
)
ASPECTS = TRIGGERS[1:]


@st.composite
def extra_targets(draw: st.DrawFn, target_id: str) -> Target:
    """An analyst's own target: any triggers, routes, anchor, duration, strength and act."""
    return Target(
        id=target_id,
        duration=draw(durations),
        anchor=draw(st.sampled_from(["receipt", "hearing", "involvement-ended", "contact"])),
        strength=draw(st.sampled_from(["hard", "target"])),
        routes=tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        ["procedure", "early-resolution", "investigation", "outside-procedure"]
                    ),
                    min_size=1,
                    unique=True,
                )
            )
        ),
        triggers=tuple(draw(st.lists(st.sampled_from(TRIGGERS), unique=True))),
        met_by=draw(st.sampled_from(["response", "contact", "court-notification"])),
        restarts=draw(st.booleans()),
        kept_when_met=draw(st.booleans()),
        weighed_against=tuple(
            draw(st.lists(st.sampled_from(["response", "investigation", "early-resolution"])))
        ),
    )


@st.composite
def policy_variants(draw: st.DrawFn) -> Policy:
    """A built-in as it is, or with random durations, anchors, cut-off and parameters."""
    base = Policy.builtin(draw(st.sampled_from(Policy.builtin_ids())))
    if draw(st.integers(0, 4)) == 0:
        return base
    changes: dict[str, Any] = {}
    for target in base.targets:
        if not draw(st.booleans()):
            continue
        duration = draw(durations)
        if target.id in ("response", "early-resolution", "investigation", "contact"):
            anchor = draw(st.sampled_from(["receipt", "receipt", "contact", "triage"]))
            changes[target.id] = attrs.evolve(target, duration=duration, anchor=anchor)
        else:
            changes[target.id] = duration
    if draw(st.booleans()):  # a Cafcass target counted from the end of involvement
        changes["review"] = Target(
            id="review",
            duration=draw(durations),
            anchor="involvement-ended",
            routes=tuple(draw(st.lists(st.sampled_from(["procedure", "outside-procedure"]))))
            or ("procedure",),
        )
    for name in draw(st.lists(st.sampled_from(["extra-a", "extra-b"]), unique=True)):
        changes[name] = draw(extra_targets(name))
    cutoff = draw(
        st.one_of(
            st.none(),
            st.sampled_from([time(17, 0), time(16, 30), time(0, 0), time(9, 0), time(23, 59, 59)]),
            st.times().map(lambda t: t.replace(microsecond=0)),
        )
    )
    return base.evolve(
        id="variant",
        targets=changes,
        parameters={
            "week_length": draw(st.sampled_from(["calendar", "working"])),
            "cutoff": cutoff,
            "six_month_compares": draw(st.sampled_from(["received-date", "deemed-receipt"])),
            "response_before_hearing": draw(
                st.sampled_from(["whenever-hearing-known", "only-if-before-limit"])
            ),
        },
    )


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    """One complaint's facts: a receipt in any zone, a hearing (maybe too close), an end."""
    received = draw(instants(FIRST, LAST))
    on = received.astimezone(LONDON).date()
    hearing = draw(
        st.one_of(
            st.none(),
            st.integers(0, 12).map(lambda d: on + timedelta(days=d)),  # too close to meet
            st.integers(0, 200).map(lambda d: on + timedelta(days=d)),
        )
    )
    ended = draw(
        st.one_of(
            st.none(),
            st.integers(0, 400).map(lambda d: on - timedelta(days=d)),  # in time or out of it
            st.integers(1, 14).map(lambda k: month_end(on, k)),  # 31 August + 6 months ...
        )
    )
    return {
        "received_at": received,
        "complainant": draw(st.sampled_from(KINDS)),
        "route": draw(st.sampled_from(ROUTES)),
        "hearing": hearing,
        "involvement_ended": ended,
        "aspects": tuple(draw(st.lists(st.sampled_from(ASPECTS), unique=True, max_size=3))),
    }


# ------------------------------------------------------------------ the check


def vector(
    policy: Policy | str,
    rows: list[dict[str, Any]],
    form: str = "datetimes",
    calendar: WorkingDayCalendar | None = None,
) -> Any:
    """``due_dates`` for ``rows``, with the receipts passed in the form named."""
    received = [r["received_at"] for r in rows]
    if form == "series-utc":
        received = pd.Series(pd.to_datetime(received, utc=True))
    elif form == "series-london":
        received = pd.Series(pd.to_datetime(received, utc=True)).dt.tz_convert("Europe/London")
    elif form == "index":
        received = pd.DatetimeIndex(pd.to_datetime(received, utc=True))
    elif form == "numpy-utc":
        received = np.array(
            [r.astimezone(UTC).replace(tzinfo=None) for r in received], dtype="datetime64[us]"
        )
    return due_dates(
        policy,
        received,
        complainant=np.array([r["complainant"] for r in rows]),
        route=np.array([r["route"] for r in rows], dtype=object),
        hearing=np.array([r["hearing"] for r in rows], dtype="datetime64[D]"),
        involvement_ended=np.array([r["involvement_ended"] for r in rows], dtype="datetime64[D]"),
        calendar=calendar,
        **aspects_argument(rows, form),
    )


def aspects_argument(rows: list[dict[str, Any]], form: str) -> dict[str, Any]:
    """The aspects as ``due_dates`` takes them: the shorthand where it can stand for them,
    else collections per complaint in a form chosen by ``form``."""
    given = [r["aspects"] for r in rows]
    if all(a in ((), ("professional-judgement",)) for a in given) and form != "datetimes":
        return {"court_aspect": np.array([bool(a) for a in given], dtype=bool)}
    if form.startswith("series"):
        return {"aspects": pd.Series([set(a) for a in given])}
    return {"aspects": [list(a) for a in given]}


def scalar(
    policy: Policy | str, row: dict[str, Any], calendar: WorkingDayCalendar | None = None
) -> Any:
    """The scalar report for one row's facts, at its receipt instant."""
    return deadlines(
        policy=policy,
        received_at=row["received_at"],
        complainant=row["complainant"],
        route=row["route"],
        hearing=row["hearing"],
        involvement_ended=row["involvement_ended"],
        aspects=row["aspects"],
        calendar=calendar,
    )


def as_date(value: Any) -> date | None:
    """A column value as a ``date``, ``None`` for NaT."""
    return None if pd.isna(value) else value.date()


def assert_rows_equal(
    policy: Policy | str,
    rows: list[dict[str, Any]],
    form: str = "datetimes",
    calendar: WorkingDayCalendar | None = None,
) -> Any:
    """Every row of ``due_dates`` equals the scalar report for the same facts."""
    chosen = Policy.load(policy) if isinstance(policy, str) else policy
    frame = vector(chosen, rows, form, calendar)
    owed = [t for t in chosen.targets if t.owed_by == "cafcass"]
    expected_columns = ["deemed_receipt", "eligibility", "six_month_limit"]
    for t in owed:
        expected_columns += [t.id, *([f"{t.id}__impossible"] if t.backward else [])]
    assert list(frame.columns) == expected_columns
    assert len(frame) == len(rows)
    for i, (row, got) in enumerate(zip(rows, frame.to_dict("records"), strict=True)):
        report = scalar(chosen, row, calendar)
        where = f"row {i}: {row}\n  scalar: {report}\n  vector: {got}"
        assert as_date(got["deemed_receipt"]) == report.deemed_receipt, where
        assert got["eligibility"] == report.eligibility, where
        assert as_date(got["six_month_limit"]) == report.six_month_limit, where
        obligations = {o.id: o for o in report.obligations}
        listed = {t.id for t in owed if not pd.isna(got[t.id])}
        assert listed == set(obligations), where
        for t in owed:
            o = obligations.get(t.id)
            if o is not None:
                assert as_date(got[t.id]) == o.due, f"{t.id}: {where}"
            if t.backward:
                impossible = o is not None and o.status == "impossible"
                assert got[f"{t.id}__impossible"] == impossible, f"{t.id}: {where}"
    return frame


# ------------------------------------------------------------------ the property


PROBE: dict[str, Any] = {  # an analyst's target triggered by a factual error alone (issue 9)
    "policy": Policy.builtin("cafcass-web").evolve(
        id="web-fe",
        targets={
            "fe-check": Target(id="fe-check", duration=WorkingDays(3), triggers=("factual-error",))
        },
    ),
    "rows": [
        {
            "received_at": datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
            "complainant": "adult",
            "route": None,
            "hearing": None,
            "involvement_ended": None,
            "aspects": ("professional-judgement",),
        }
    ],
    "form": "series-utc",
    "calendar": None,
}
"""The probe: under the shorthand a complaint with a professional-judgement aspect only; the
``fe-check`` target must not be listed, as the scalar path does not list it."""

CONDUCT_ONLY: dict[str, Any] = {  # a target for conduct; a complaint about case management
    "policy": Policy.builtin("cafcass-web").evolve(
        id="web-conduct",
        targets={
            "conduct-check": Target(
                id="conduct-check", duration=WorkingDays(4), triggers=("conduct",)
            )
        },
    ),
    "rows": [
        {
            "received_at": datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
            "complainant": "adult",
            "route": "investigation",
            "hearing": None,
            "involvement_ended": None,
            "aspects": ("case-management",),
        }
    ],
    "form": "datetimes",
    "calendar": None,
}

ON_THE_CUTOFF: dict[str, Any] = {  # received on the cut-off to the second: not after it
    "policy": Policy.builtin("cafcass-2012").evolve(id="cutoff", parameters={"cutoff": time(17)}),
    "rows": [
        {
            "received_at": datetime(2025, 4, 17, 17, 0, tzinfo=LONDON),
            "complainant": "adult",
            "route": None,
            "hearing": None,
            "involvement_ended": None,
            "aspects": (),
        }
    ],
    "form": "series-london",
    "calendar": None,
}


@given(
    policy=policy_variants(),
    rows=st.lists(facts(), min_size=1, max_size=6),
    form=st.sampled_from(FORMS),
    calendar=st.one_of(st.none(), st.none(), calendars()),
)
@example(**PROBE)
@example(**ON_THE_CUTOFF)
@example(**CONDUCT_ONLY)
def test_every_row_equals_the_scalar_deadlines(
    policy: Policy, rows: list[dict[str, Any]], form: str, calendar: WorkingDayCalendar | None
) -> None:
    """For random policies, calendars and facts, each row equals the scalar report exactly."""
    frame = assert_rows_equal(policy, rows, form, calendar)
    for gate in frame["eligibility"].unique():
        event(f"gate {gate}")
    for column in frame.columns[3:]:
        values = frame[column]
        if (values if values.dtype == bool else values.notna()).any():
            event(f"some row has {column}")


# ------------------------------------------------------------------ pinned examples


def row(received: datetime, complainant: str = "adult", **facts: Any) -> dict[str, Any]:
    """One complaint's facts with the defaults of ``deadlines``."""
    base: dict[str, Any] = {
        "received_at": received,
        "complainant": complainant,
        "route": None,
        "hearing": None,
        "involvement_ended": None,
        "aspects": (),
    }
    return base | facts


def dates_of(frame: Any, i: int) -> dict[str, date | None]:
    """Row ``i``'s date columns as ``date`` or ``None``."""
    return {
        c: as_date(v)
        for c, v in frame.iloc[i].items()
        if c != "eligibility" and not c.endswith("__impossible")
    }


def test_christmas_2024_under_the_web_page() -> None:
    """A Friday-before-Christmas complaint: contact on Christmas Eve, investigation 22 January."""
    rows = [
        row(datetime(2024, 12, 20, 10, 0, tzinfo=LONDON), route="investigation"),
        row(datetime(2024, 12, 24, 16, 0, tzinfo=LONDON), route="early-resolution"),
    ]
    frame = assert_rows_equal("cafcass-web", rows)
    assert dates_of(frame, 0) == {
        "deemed_receipt": date(2024, 12, 20),
        "six_month_limit": None,
        "forward-to-cst": date(2024, 12, 23),
        "response-before-hearing": None,
        "court-notification": None,
        "meeting-offer": None,
        "court-update": None,
        "outside-response": None,
        "contact": date(2024, 12, 24),
        "early-resolution": None,
        "investigation": date(2025, 1, 22),
    }
    # Christmas Eve: contact over Christmas, Boxing Day and the weekend; one week = 7 days.
    got = dates_of(frame, 1)
    assert (got["forward-to-cst"], got["contact"]) == (date(2024, 12, 27), date(2024, 12, 30))
    assert got["early-resolution"] == date(2024, 12, 31)


def test_easter_2025_with_a_five_pm_cutoff() -> None:
    """After 17:00 on Maundy Thursday counts from Tuesday after Easter Monday; before, Thursday."""
    policy = Policy.builtin("cafcass-2012").evolve(id="cutoff", parameters={"cutoff": time(17)})
    rows = [
        row(datetime(2025, 4, 17, 18, 30, tzinfo=LONDON)),
        row(datetime(2025, 4, 17, 17, 0, tzinfo=LONDON)),  # on the cut-off is not after it
    ]
    frame = assert_rows_equal(policy, rows)
    late, on_time = dates_of(frame, 0), dates_of(frame, 1)
    assert late["deemed_receipt"] == date(2025, 4, 22)
    assert (late["forward-to-cst"], late["response"]) == (date(2025, 4, 23), date(2025, 5, 14))
    assert on_time["deemed_receipt"] == date(2025, 4, 17)
    assert (on_time["forward-to-cst"], on_time["response"]) == (
        date(2025, 4, 22),
        date(2025, 5, 13),
    )


def test_coronation_2023_child_with_a_close_hearing() -> None:
    """A child's complaint the Friday before the coronation, hearing the next Friday."""
    rows = [row(datetime(2023, 5, 5, 12, 0, tzinfo=LONDON), "child", hearing=date(2023, 5, 12))]
    frame = assert_rows_equal("cafcass-2012", rows)
    got = dates_of(frame, 0)
    assert got["forward-to-cst"] == date(2023, 5, 9)  # over the coronation bank holiday
    assert got["response"] == date(2023, 5, 30)  # and the spring bank holiday
    assert got["response-before-hearing"] == date(2023, 5, 4)  # before day 0: impossible
    assert got["court-notification"] == date(2023, 5, 11)
    assert bool(frame["response-before-hearing__impossible"].iloc[0])
    assert not bool(frame["court-notification__impossible"].iloc[0])


def test_clock_changes_and_the_cutoff() -> None:
    """The London wall clock decides the day and the cut-off on both sides of each clock change."""
    policy = Policy.builtin("cafcass-web").evolve(id="cutoff", parameters={"cutoff": time(17)})
    rows = [
        # 16:30 UTC is 17:30 BST on Friday 25 October 2024: after the cut-off, so Monday.
        row(datetime(2024, 10, 25, 16, 30, tzinfo=UTC), route="investigation"),
        # 16:30 UTC is 16:30 GMT on Monday 28 October 2024, after the clocks went back.
        row(datetime(2024, 10, 28, 16, 30, tzinfo=UTC), route="investigation"),
        # 00:30 UTC on 27 October is 01:30 BST, the first of the two: a Sunday.
        row(datetime(2024, 10, 27, 0, 30, tzinfo=UTC)),
        # 23:30 UTC on Saturday 30 March 2024 is still Saturday in GMT: Easter Monday follows.
        row(datetime(2024, 3, 30, 23, 30, tzinfo=UTC)),
        # 23:30 UTC on Tuesday 2 April 2024 is 00:30 BST on Wednesday.
        row(datetime(2024, 4, 2, 23, 30, tzinfo=UTC)),
    ]
    for form in FORMS:
        frame = assert_rows_equal(policy, rows, form)
        assert [dates_of(frame, i)["deemed_receipt"] for i in range(5)] == [
            date(2024, 10, 28),
            date(2024, 10, 28),
            date(2024, 10, 28),
            date(2024, 4, 2),
            date(2024, 4, 3),
        ]


def test_six_month_limit_clips_to_the_end_of_february() -> None:
    """31 August + 6 months is 28 February (29 in a leap year); a day later is out of time."""
    rows = [
        row(datetime(2025, 2, 28, 9, 0, tzinfo=LONDON), involvement_ended=date(2024, 8, 31)),
        row(datetime(2025, 3, 3, 9, 0, tzinfo=LONDON), involvement_ended=date(2024, 8, 31)),
        row(datetime(2024, 2, 29, 9, 0, tzinfo=LONDON), involvement_ended=date(2023, 8, 31)),
        row(
            datetime(2024, 3, 1, 9, 0, tzinfo=LONDON), "other", involvement_ended=date(2023, 8, 31)
        ),
    ]
    frame = assert_rows_equal("cafcass-2012", rows)
    assert [as_date(v) for v in frame["six_month_limit"]] == [
        date(2025, 2, 28),
        date(2025, 2, 28),
        date(2024, 2, 29),
        date(2024, 2, 29),
    ]
    assert list(frame["eligibility"]) == [
        "in-time",
        "exceptional-circumstances",
        "in-time",
        "outside-procedure",
    ]
    assert pd.isna(frame["response"].iloc[1])  # awaiting the decision: nothing owed yet
    assert as_date(frame["outside-response"].iloc[3]) == date(2024, 3, 22)


def test_columns_dtypes_and_index() -> None:
    """Dates are datetime64, the gate categorical, flags bool; a receipt series keeps its index."""
    received = pd.Series(
        pd.to_datetime(["2024-06-12T10:00:00+01:00", "2024-06-13T10:00:00+01:00"], utc=True),
        index=["a", "b"],
    )
    frame = due_dates("cafcass-web", received, complainant="child", route="investigation")
    assert list(frame.index) == ["a", "b"]
    assert frame["deemed_receipt"].dtype.kind == "M"
    assert list(frame["eligibility"].cat.categories) == list(dl.ELIGIBILITY)
    assert frame["court-notification__impossible"].dtype == bool
    assert frame["contact"].dt.date.tolist() == [date(2024, 6, 14), date(2024, 6, 17)]


def test_week_length_and_calendar_day_durations() -> None:
    """Weeks follow ``week_length``; calendar days and months are not rolled to working days."""
    web = Policy.builtin("cafcass-web")
    variants = [
        web.evolve(id="w", parameters={"week_length": "working"}),
        web.evolve(id="c", targets={"early-resolution": CalendarDays(3)}),
        web.evolve(id="m", targets={"early-resolution": Months(1)}),
        web.evolve(id="k", targets={"early-resolution": Weeks(2), "contact": WorkingDays(7)}),
    ]
    rows = [
        row(datetime(2024, 1, 31, 9, 0, tzinfo=LONDON), route="early-resolution"),
        row(datetime(2024, 12, 20, 9, 0, tzinfo=LONDON), route="early-resolution"),
    ]
    expected = [
        [date(2024, 2, 7), date(2024, 12, 31)],
        [date(2024, 2, 3), date(2024, 12, 23)],
        [date(2024, 2, 29), date(2025, 1, 20)],
        [date(2024, 2, 14), date(2025, 1, 3)],
    ]
    for policy, want in zip(variants, expected, strict=True):
        frame = assert_rows_equal(policy, rows)
        assert [as_date(v) for v in frame["early-resolution"]] == want, policy.id


# ------------------------------------------------------------------ inputs


def test_bad_inputs_are_refused_as_the_scalar_path_refuses_them() -> None:
    """A naive series, an unknown kind, a hearing before receipt, a NaT receipt all raise."""
    at = pd.Series(pd.to_datetime(["2024-06-12T10:00:00Z"], utc=True))
    with pytest.raises(NaiveDatetimeError):
        due_dates("cafcass-web", at.dt.tz_localize(None), complainant="adult")
    with pytest.raises(NaiveDatetimeError):
        due_dates("cafcass-web", [datetime(2024, 6, 12, 10)], complainant="adult")
    with pytest.raises(InvalidInputError, match="complainant"):
        due_dates("cafcass-web", at, complainant=["grandparent"])
    with pytest.raises(InvalidInputError, match="route"):
        due_dates("cafcass-web", at, complainant="adult", route=["triage"])
    with pytest.raises(InvalidInputError, match="hearing"):
        due_dates(
            "cafcass-web",
            at,
            complainant="adult",
            hearing=np.array(["2024-06-11"], dtype="datetime64[D]"),
        )
    with pytest.raises(InvalidInputError, match="involvement_ended"):
        due_dates(
            "cafcass-web",
            at,
            complainant="adult",
            involvement_ended=np.array(["2024-06-13"], dtype="datetime64[D]"),
        )
    with pytest.raises(InvalidInputError, match="NaT"):
        due_dates("cafcass-web", np.array(["NaT"], dtype="datetime64[s]"), complainant="adult")
    with pytest.raises(InvalidInputError, match="one element per complaint"):
        due_dates("cafcass-web", at, complainant=["adult", "child"])
    with pytest.raises(CalendarRangeError):
        due_dates(
            "cafcass-web",
            np.array(["2070-01-01T00:00"], dtype="datetime64[s]"),
            complainant="adult",
        )
    clash = Policy.builtin("cafcass-web").evolve(
        targets={"eligibility": Target(id="eligibility", duration=WorkingDays(1))}
    )
    with pytest.raises(PolicyError):
        due_dates(clash, at, complainant="adult")


def test_inputs_as_categoricals_strings_and_scalars_agree() -> None:
    """Kinds and routes as categoricals, arrow strings, objects or one scalar give one answer."""
    rng = np.random.default_rng(7)
    n = 500
    seconds = rng.integers(
        np.datetime64("2014-01-01", "s").astype(int),
        np.datetime64("2027-01-01", "s").astype(int),
        n,
    )
    received = seconds.astype("datetime64[s]")
    kinds = np.array(KINDS)[rng.integers(0, 4, n)]
    routes = np.array(ROUTES, dtype=object)[rng.integers(0, 3, n)]
    plain = due_dates("cafcass-web", received, complainant=kinds, route=routes)
    for k, r in [
        (pd.Categorical(kinds), pd.Categorical(routes)),
        (pd.Series(kinds, dtype="str"), pd.Series(routes)),
        (kinds.astype(object), list(routes)),
    ]:
        pd.testing.assert_frame_equal(
            due_dates("cafcass-web", received, complainant=k, route=r), plain
        )
    one = due_dates("cafcass-web", received, complainant="child", route="investigation")
    many = due_dates(
        "cafcass-web",
        received,
        complainant=np.full(n, "child"),
        route=np.full(n, "investigation"),
    )
    pd.testing.assert_frame_equal(one, many)
    sample = [
        row(
            datetime.fromtimestamp(int(s), tz=UTC),
            str(kinds[i]),
            route=routes[i],
        )
        for i, s in enumerate(seconds[:60])
    ]
    assert_rows_equal("cafcass-web", sample, "numpy-utc")


# ------------------------------------------------------------------ the property can fail


def _seed(monkeypatch: pytest.MonkeyPatch, bug: str) -> None:
    vectorised = pytest.importorskip("complaint_workflow.analysis.vectorised")
    vc_class = vectorised.VectorCalendar
    if bug == "working days off by one":
        original = vc_class.add_working_days

        def after(self: Any, dates: Any, n: Any, *, where: Any = None) -> Any:
            return original(self, dates, n + 1 if n else n, where=where)

        monkeypatch.setattr(vc_class, "add_working_days", after)
        original_step = vc_class.step

        def stepped(self: Any, positions: Any, n: int, **kwargs: Any) -> Any:
            return original_step(self, positions, n + 1 if n > 0 else n, **kwargs)

        monkeypatch.setattr(vc_class, "step", stepped)
        original_seconds = vc_class._step_seconds

        def gathered(self: Any, positions: Any, n: int, *args: Any, **kwargs: Any) -> Any:
            return original_seconds(self, positions, n + 1 if n > 0 else n, *args, **kwargs)

        monkeypatch.setattr(vc_class, "_step_seconds", gathered)
    elif bug == "cut-off inclusive":  # on the cut-off counted as after it
        original_ns = vectorised._cutoff_ns
        monkeypatch.setattr(vectorised, "_cutoff_ns", lambda cutoff: original_ns(cutoff) - 1)
    elif bug == "February a day short":  # 31 August 2024 + 6 months would be 27 February
        lengths = vectorised._MONTH_LENGTHS.copy()
        lengths[11] = 27
        monkeypatch.setattr(vectorised, "_MONTH_LENGTHS", lengths)
    elif bug == "court aspect ignored":
        original_masks = dl._aspect_masks

        def masks(aspects: Any, court_aspect: Any, n: int) -> Any:
            found = original_masks(aspects, court_aspect, n)
            found["professional-judgement"] = np.zeros(n, dtype=bool)
            return found

        monkeypatch.setattr(dl, "_aspect_masks", masks)
    elif bug == "shorthand stands for both court aspects":  # the fe-check divergence
        original_masks = dl._aspect_masks

        def masks(aspects: Any, court_aspect: Any, n: int) -> Any:
            found = original_masks(aspects, court_aspect, n)
            if aspects is None:
                found["factual-error"] = found["professional-judgement"].copy()
            return found

        monkeypatch.setattr(dl, "_aspect_masks", masks)
    elif bug == "conduct read as case management":
        original_masks = dl._aspect_masks

        def masks(aspects: Any, court_aspect: Any, n: int) -> Any:
            found = original_masks(aspects, court_aspect, n)
            found["conduct"] = found["case-management"].copy()
            return found

        monkeypatch.setattr(dl, "_aspect_masks", masks)
    elif bug == "any trigger read as every trigger":
        monkeypatch.setattr(dl._VectorOps, "or_", lambda self, a, b: a & b)


@pytest.mark.parametrize(
    "bug",
    [
        "working days off by one",
        "cut-off inclusive",
        "February a day short",
        "court aspect ignored",
        "shorthand stands for both court aspects",
        "conduct read as case management",
        "any trigger read as every trigger",
    ],
)
def test_the_property_catches_seeded_bugs(monkeypatch: pytest.MonkeyPatch, bug: str) -> None:
    """The equality property fails on a deliberately broken vectorised module."""
    _seed(monkeypatch, bug)
    quick = settings(
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=True,
    )
    inner = test_every_row_equals_the_scalar_deadlines.hypothesis.inner_test  # type: ignore[attr-defined]
    strategies = {
        "policy": policy_variants(),
        "rows": st.lists(facts(), min_size=1, max_size=6),
        "form": st.sampled_from(FORMS),
        "calendar": st.none(),
    }
    pinned = given(**strategies)(inner)
    for case in (PROBE, ON_THE_CUTOFF, CONDUCT_ONLY):
        pinned = example(**case)(pinned)
    with pytest.raises(AssertionError):
        quick(pinned)()


# ------------------------------------------------------------------ the fast paths


def _clock_changes() -> list[datetime]:
    """Every London clock change from 2013 to 2027: 01:00 UTC on the last Sunday of March
    and of October."""
    changes = []
    for year in range(2013, 2028):
        for month in (3, 10):
            last = date(year, month, 31)
            sunday = last - timedelta(days=(last.weekday() + 1) % 7)
            changes.append(datetime(sunday.year, sunday.month, sunday.day, 1, tzinfo=UTC))
    return changes


def test_instants_either_side_of_every_clock_change_equal_the_scalar_path() -> None:
    """00:59:59.999999, 01:00 and 01:59:59 UTC on each clock-change day, and either side of
    London's midnight on the days around it, in every receipt form and under cut-offs on
    and either side of the change, give the scalar day 0 and gate."""
    offsets = (
        timedelta(microseconds=-1),
        timedelta(0),
        timedelta(minutes=59, seconds=59),
        timedelta(hours=-1),
        timedelta(hours=1),
        *(timedelta(days=d, hours=h, minutes=30) for d in range(-1, 7) for h in (-2, 22)),
    )
    rows = [
        row(
            change + offset,
            route="investigation",
            # the limit falls about the end of the month received (clock changes come in
            # its last week): some rows in time, some late, by the London date received
            involvement_ended=month_end((change + offset).astimezone(LONDON).date(), 6),
        )
        for change in _clock_changes()
        for offset in offsets
    ]
    web = Policy.builtin("cafcass-web")
    for cutoff in (None, time(0, 0), time(1, 0), time(1, 59, 59), time(2, 0)):
        policy = web.evolve(id="cutoff", parameters={"cutoff": cutoff})
        for form in FORMS:
            assert_rows_equal(policy, rows, form)
    assert _clock_changes()[0] == datetime(2013, 3, 31, 1, tzinfo=UTC)


def test_receipts_in_every_numpy_unit_and_pandas_form_agree() -> None:
    """Receipts as numpy datetime64 of s, ms, us and ns (read in place), of minutes (read
    through pandas), and as tz-aware Series and DatetimeIndex give one frame."""
    rng = np.random.default_rng(11)
    seconds = rng.integers(
        np.datetime64("2014-01-01", "s").astype(int),
        np.datetime64("2027-01-01", "s").astype(int),
        300,
    )
    seconds -= seconds % 60  # whole minutes, so every unit holds the same instants
    base = seconds.astype("datetime64[s]")
    kinds = np.array(KINDS)[rng.integers(0, 4, seconds.size)]
    plain = due_dates("cafcass-web", base, complainant=kinds, route="investigation")
    utc = pd.DatetimeIndex(base).tz_localize("UTC")
    forms = [
        *(base.astype(f"datetime64[{unit}]") for unit in ("ms", "us", "ns", "m")),
        pd.Series(utc),
        pd.Series(utc.tz_convert("Europe/London")),
        utc.as_unit("ns"),
    ]
    for received in forms:
        got = due_dates("cafcass-web", received, complainant=kinds, route="investigation")
        pd.testing.assert_frame_equal(got, plain, check_index_type=False)
    sample = [
        row(datetime.fromtimestamp(int(s), tz=UTC), str(k), route="investigation")
        for s, k in zip(seconds[:50], kinds[:50], strict=True)
    ]
    assert_rows_equal("cafcass-web", sample, "series-london")


def test_nat_receipts_are_refused_in_every_form() -> None:
    """A NaT receipt is named by its position whether it comes as numpy, a Series or an index."""
    at = np.array(["2024-06-12T10:00", "NaT"], dtype="datetime64[us]")
    for received in (at, pd.Series(pd.DatetimeIndex(at).tz_localize("UTC")), at.astype("M8[D]")):
        with pytest.raises(InvalidInputError, match=r"received_at\[1\] is NaT"):
            due_dates("cafcass-web", received, complainant="adult")


def test_six_month_limits_from_month_ends_by_table_equal_the_scalar_path() -> None:
    """Enough complaints that the limit is gathered from a table of every day: month ends,
    leap Februaries and 30-day months give the scalar limit and gate, row by row."""
    rng = np.random.default_rng(5)
    n = 1500
    received = [
        datetime(2023, 1, 2, 9, tzinfo=LONDON) + timedelta(days=int(d))
        for d in rng.integers(0, 800, n)
    ]
    rows = [
        row(
            at,
            str(KINDS[int(rng.integers(0, 4))]),
            route=ROUTES[int(rng.integers(0, 3))],
            involvement_ended=(
                None
                if rng.random() < 0.2
                else month_end(at.date(), int(rng.integers(1, 9)))
                if rng.random() < 0.6
                else at.date() - timedelta(days=int(rng.integers(0, 300)))
            ),
            hearing=None if rng.random() < 0.5 else at.date() + timedelta(int(rng.integers(0, 60))),
        )
        for at in received
    ]
    ended = [r["involvement_ended"] for r in rows if r["involvement_ended"] is not None]
    assert max(ended) - min(ended) < timedelta(days=n)  # the table path, not element-wise
    frame = assert_rows_equal("cafcass-2012", rows)
    assert {"in-time", "exceptional-circumstances"} <= set(frame["eligibility"])


def test_text_codes_take_only_exact_choices() -> None:
    """The text fast path codes a row only as the very text it holds: near misses, a NUL
    inside, wider arrays and non-ASCII text are refused or coded as the slow path codes them."""
    choices = ("adult", "child", "other", "employee-matter")
    good = np.array(["adult", "child", "employee-matter", "other"] * 5000)
    assert (dl._text_codes(good, choices) == np.tile([0, 1, 3, 2], 5000)).all()
    wide = good.astype("U40")
    assert (dl._text_codes(wide, choices) == np.tile([0, 1, 3, 2], 5000)).all()
    for bad in ("adulx", "adult ", "a", "adult\x00x", "émployee-matter", "employee-matte"):
        spoiled = good.copy()
        spoiled[17_777] = bad
        assert dl._text_codes(spoiled, choices) is None
        with pytest.raises(InvalidInputError, match=r"complainant\[17777\]"):
            due_dates(
                "cafcass-web",
                np.full(spoiled.size, np.datetime64("2024-06-12T10:00", "s")),
                complainant=spoiled,
            )
    narrow = np.array(["adult", "child"] * 10, dtype="U5")  # "employee-matter" cannot fit
    assert (dl._text_codes(narrow, choices) == np.tile([0, 1], 10)).all()


def test_object_codes_with_many_distinct_objects_agree() -> None:
    """Equal strings as distinct objects (as read from a file), more than the address
    comparisons handle, code as the same strings shared."""
    routes = ["early-resolution", "investigation", None] * 400
    copies = np.array(["".join(r) if r else None for r in routes], dtype=object)
    shared = np.array(routes, dtype=object)
    received = np.full(len(routes), np.datetime64("2024-06-12T10:00", "s"))
    pd.testing.assert_frame_equal(
        due_dates("cafcass-web", received, complainant="adult", route=copies),
        due_dates("cafcass-web", received, complainant="adult", route=shared),
    )
    spoiled = shared.copy()
    spoiled[5] = "triage"
    with pytest.raises(InvalidInputError, match=r"route\[5\]"):
        due_dates("cafcass-web", received, complainant="adult", route=spoiled)


def test_the_fast_path_tests_catch_seeded_bugs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Coding text by its first character alone, or London's clock changes a week late,
    fails the tests above."""
    vectorised = pytest.importorskip("complaint_workflow.analysis.vectorised")
    with monkeypatch.context() as patch:

        def first_character(array: Any, choices: Any) -> Any:
            lookup = {c[0]: i for i, c in enumerate(choices)}
            return np.array([lookup.get(str(t)[:1], -2) for t in array], dtype=np.int8)

        patch.setattr(dl, "_text_codes", first_character)
        with pytest.raises(AssertionError):
            test_text_codes_take_only_exact_choices()
    with monkeypatch.context() as patch:
        original = vectorised._year_offsets.__wrapped__

        def a_week_late(y0: int, y1: int, unit: str) -> Any:
            start, offsets = original(y0, y1, unit)
            return start, np.roll(offsets, 24 * 7)

        patch.setattr(vectorised, "_year_offsets", a_week_late)
        with pytest.raises(AssertionError):
            test_instants_either_side_of_every_clock_change_equal_the_scalar_path()
