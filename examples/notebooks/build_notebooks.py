"""Write the example notebooks of this folder, outputs stripped: ``python build_notebooks.py``.

The notebooks are generated from the cells below so that they review as code, carry no
outputs or execution counts, and cannot drift: ``tests/test_notebooks.py`` checks that this
script renders exactly the committed ``.ipynb`` files, and executes each one top to bottom.
``--check`` exits with status 1, writing nothing, if a committed notebook differs. CI runs
ruff over the ``.ipynb`` files too, so write each code cell as ``ruff format`` leaves it.

Every notebook is seeded and reads no wall clock: receipt windows start on fixed dates, and
every instant is timezone-aware (Europe/London).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
"""The kernel the notebooks name: ipykernel's own, which runs the current interpreter."""

Cell = tuple[str, str]


def md(text: str) -> Cell:
    """A markdown cell (the blank space around the triple-quoted text removed)."""
    return ("markdown", text.strip())


def code(text: str) -> Cell:
    """A code cell (the blank space around the triple-quoted text removed); ruff-formatted."""
    return ("code", text.strip())


def notebook(stem: str, cells: Sequence[Cell]) -> NotebookNode:
    """A version 4.5 notebook with stable cell ids ``<stem>-NN``, no outputs, no counts."""
    nb = new_notebook(
        metadata={
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        }
    )
    for number, (kind, text) in enumerate(cells):
        cell = new_markdown_cell(text) if kind == "markdown" else new_code_cell(text)
        cell["id"] = f"{stem.replace('_', '-')}-{number:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


# --------------------------------------------------------------------- policy comparison

POLICY_COMPARISON: list[Cell] = [
    md(
        """
# Policy comparison: the written procedure, the web page, and two variants

One simulated year of complaints (received from 1 January 2024, seeded) is replayed
under four policies:

- `cafcass-2012`, the written procedure: a response within **15 working days**, a hard
  limit (§4.10);
- `2012-20wd`, the written procedure with the limit moved to **20 working days**;
- `cafcass-web`, the web page: contact within 2 working days, then early resolution
  within **one calendar week** or an investigation within **20 working days** (targets);
- `web-15`, the web page with the investigation target cut to **15 working days**.

Everything that decides a due date, a route or a status is the library; the simulation
only plays the people (`docs/modelling.md` lists every assumption). `compare` replays the
*same* events at the *same* instants under each policy, so the differences below come
from the rules alone: staff do not hurry because a target is closer. Every rate of
lateness is a consequence of the assumed step times, not a finding about Cafcass.
        """
    ),
    code(
        """
%matplotlib inline
from datetime import date

import pandas as pd

from complaint_workflow import Policy, WorkingDays
from complaint_workflow.analysis import (
    compare,
    plot_breach_rates,
    plot_due_dates,
    simulate,
    summary,
)

pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)

START = date(2024, 1, 1)  # the receipt window opens on a fixed date, never "today"
SEED = 0
        """
    ),
    md(
        """
## The variants

A variant is an ordinary policy, evolved from a built-in one; `Policy.diff` says what
changed.
        """
    ),
    code(
        """
web_15 = Policy.builtin("cafcass-web").evolve(
    id="web-15", targets={"investigation": WorkingDays(15)}
)
limit_20 = Policy.builtin("cafcass-2012").evolve(
    id="2012-20wd", targets={"response": WorkingDays(20)}
)
POLICIES = ["cafcass-2012", limit_20, "cafcass-web", web_15]
NAMES = ["cafcass-2012", "2012-20wd", "cafcass-web", "web-15"]

for base, variant in (("cafcass-2012", limit_20), ("cafcass-web", web_15)):
    for change in Policy.builtin(base).diff(variant):
        print(f"{base} -> {variant.id}: {change}")
        """
    ),
    md(
        """
## One simulated year

The caseload is simulated under `cafcass-web` (the policy staff are assumed to work to
when they decide to send a delay update); the rates are the defaults calibrated against
PROCEDURE.md §7 (see `figures_2010_2014.ipynb`).
        """
    ),
    code(
        """
sim = simulate("cafcass-web", years=1, seed=SEED, start=START)
print(
    f"{len(sim.complaints):,} complaints and {len(sim.compliments):,} compliments "
    f"received {sim.start} to {sim.end} (exclusive); "
    f"obligations read at {sim.observed_at:%Y-%m-%d %H:%M %Z}"
)
sim.complaints["route"].value_counts().to_frame("complaints")
        """
    ),
    md(
        """
## The same complaints under each policy

`compare` gives one row per (policy, complaint, obligation); `summary` one row per
policy. A response is late if it was breached, met late, or is still overdue.
        """
    ),
    code(
        """
frame = compare(sim, POLICIES)
print("complaints left out (history does not fit the policy):", frame.attrs["dropped"])
table = summary(frame).loc[NAMES]  # summary sorts the policies by id; keep this order
headline = [
    "responses",
    "late_responses",
    "late_response_rate",
    "median_working_days_to_response",
    "breaches",
    "late",
]
table[headline]
        """
    ),
    md(
        """
Late obligations by obligation. `summary`'s `late: <id>` columns say 0 where a policy
does not owe an obligation at all; counting from the compare frame leaves those cells
empty (`NaN`) instead, so "never late" and "not owed" stay apart.
        """
    ),
    code(
        """
late = frame.groupby(["obligation_id", "policy"])["late"].sum().unstack("policy")
late[NAMES]
        """
    ),
    code(
        """
fig = plot_breach_rates(frame)
fig
        """
    ),
    md(
        """
## Reading the comparison

- **The written procedure's single limit is hard.** Under `cafcass-2012` every response
  past 15 working days is a breach, and with investigations taking a median of 10
  working days (an assumption) the slow tail of investigations makes nearly all of them.
  Moving the limit to 20 working days (`2012-20wd`) removes most of them: the same acts,
  a later line.
- **The web page spreads lateness differently.** Its investigation target (20 WD) is
  rarely missed, but early resolutions have one *calendar* week, and contact within 2
  working days is an obligation the written procedure does not have at all.
- **`web-15`** keeps everything else of the web page: only late investigations rise,
  because nothing in a replay adapts to the tighter target.
- The forward-to-CST and response-before-hearing rows are identical across policies:
  those targets are the same in every policy compared.

The figures behind these sentences, from the table above:
        """
    ),
    code(
        """
for name in NAMES:
    row = table.loc[name]
    print(
        f"{name:>12}: {int(row['late_responses']):4d} late responses of "
        f"{int(row['responses']):,} ({row['late_response_rate']:.1%}); "
        f"{int(row['breaches'])} breaches of any obligation"
    )
        """
    ),
    md(
        """
## Is one seed enough?

Two more simulated years (seeds 1 and 2) replayed under the same four policies. The
ordering of the policies is what to read; the exact rates move by a percentage point or
so from seed to seed.
        """
    ),
    code(
        """
runs = {SEED: table}
for seed in (1, 2):
    other = simulate("cafcass-web", years=1, seed=seed, start=START)
    runs[seed] = summary(compare(other, POLICIES)).loc[NAMES]
by_seed = pd.concat(runs, names=["seed"])
rates = by_seed["late_response_rate"].unstack("seed")
rates.assign(mean=rates.mean(axis=1), sd=rates.std(axis=1))
        """
    ),
    md(
        """
## Christmas

A calendar week does not stretch over Christmas, while the working days spent on a
complaint do; a working-day deadline stretches with the bank holidays. About 25
responses a year come from complaints received 18-24 December, so the three seeds are
pooled (mean of the three years).
        """
    ),
    code(
        """
christmas = [
    "christmas_week_responses",
    "late_response_rate_christmas_week",
    "late_response_rate_other_weeks",
    "mean_calendar_days_to_response_due_christmas_week",
    "mean_calendar_days_to_response_due_other_weeks",
]
by_seed[christmas].groupby("policy").mean().loc[NAMES].T
        """
    ),
    md(
        """
When the responses fall due, in calendar days from day 0: the working-day limits
(`response`, `investigation`) shift right for complaints received the week before
Christmas, the one-week early resolution does not. `bank_holidays.ipynb` measures this
for every receipt day rather than for simulated complaints.
        """
    ),
    code(
        """
fig = plot_due_dates(
    frame[frame["policy"].isin(["cafcass-2012", "cafcass-web"])],
    obligations=["response", "early-resolution", "investigation"],
)
fig
        """
    ),
]


# --------------------------------------------------------------------- bank holidays

BANK_HOLIDAYS: list[Cell] = [
    md(
        """
# Bank holidays: how many calendar days does a target really give?

A target in working days is a different number of calendar days depending on when the
complaint arrives; a target in calendar weeks is a different number of *working* days.
`due_dates` gives every obligation's due date for arrays of receipt instants (exactly the
scalar answers), so here every day of 2023-2025 is a receipt day: a complaint received
at 10:00 London by an adult service user, under both built-in policies.

| target | policy | measured in |
| --- | --- | --- |
| contact | `cafcass-web` | 2 working days |
| early resolution | `cafcass-web` | one week: 7 calendar days from day 0 |
| response | `cafcass-2012` | 15 working days (hard limit) |
| investigation | `cafcass-web` | 20 working days |

Spans are counted from the date the complaint was received (what the complainant sees),
so a complaint received on a Saturday starts with the weekend.
        """
    ),
    code(
        """
%matplotlib inline
from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from complaint_workflow import WorkingDayCalendar
from complaint_workflow.analysis import VectorCalendar, due_dates

pd.set_option("display.precision", 2)
pd.set_option("display.width", 120)

CALENDAR = WorkingDayCalendar.england_and_wales()
# A calendar with the weekends only: what the targets would give with no bank holidays.
WEEKENDS_ONLY = WorkingDayCalendar(
    holidays={}, first_year=CALENDAR.first_year, last_year=CALENDAR.last_year
)
# 10:00 London on every day of 2023-2025: aware instants on fixed dates, no wall clock.
RECEIVED = pd.date_range("2023-01-01 10:00", "2025-12-31 10:00", freq="D").tz_localize(
    "Europe/London"
)
TARGETS = {  # label: (policy, triage route assumed, target id)
    "contact (2 WD)": ("cafcass-web", None, "contact"),
    "early resolution (1 week)": ("cafcass-web", "early-resolution", "early-resolution"),
    "response (15 WD)": ("cafcass-2012", None, "response"),
    "investigation (20 WD)": ("cafcass-web", "investigation", "investigation"),
}
LABELS = list(TARGETS)
WEEK = "early resolution (1 week)"
        """
    ),
    code(
        """
def spans(calendar: WorkingDayCalendar) -> pd.DataFrame:
    # One row per receipt day: calendar days from the date received to each due date,
    # and the working days after day 0 up to the one-week target's due date.
    received = pd.Series(RECEIVED.tz_localize(None).normalize())
    out = pd.DataFrame({"received": received})
    out["year"] = received.dt.year
    out["week"] = (received.dt.day_of_year - 1) // 7 + 1  # week 1 is 1-7 January
    for label, (policy, route, target) in TARGETS.items():
        due = due_dates(policy, RECEIVED, complainant="adult", route=route, calendar=calendar)
        out[label] = (due[target] - received).dt.days
        if label == WEEK:
            day0 = due["deemed_receipt"].to_numpy("datetime64[D]")
            end = due[target].to_numpy("datetime64[D]")
            one = np.timedelta64(1, "D")
            out["working days in the week"] = VectorCalendar(calendar).working_days_between(
                day0 + one, end + one
            )
    return out


days = spans(CALENDAR)
plain = spans(WEEKENDS_ONLY)
days.head(8)
        """
    ),
    md(
        """
## What each target gives, over three years of receipt days

Calendar days from receipt to the due date, and the same with the weekends-only
calendar: the difference is what the bank holidays add.
        """
    ),
    code(
        """
extra = days[LABELS] - plain[LABELS]
overview = days[LABELS].describe().T[["min", "50%", "mean", "max"]]
overview["mean, weekends only"] = plain[LABELS].mean()
overview["receipt days stretched by a bank holiday"] = (extra > 0).mean()
overview["most days added"] = extra.max()
overview
        """
    ),
    md(
        """
## By receipt week

The mean over each receipt week (7 receipt days), one line per year, and the
weekends-only calendar dotted. Good Friday and Easter Monday, the May and August bank
holidays and Christmas each lift the working-day targets for the weeks whose window
spans them (Easter moves: 9 April 2023, 31 March 2024, 20 April 2025). The one-week
target moves in calendar days only when day 0 does (a receipt on a bank holiday); instead it
loses working days, shown in its place.
        """
    ),
    code(
        """
weekly = days.groupby(["year", "week"])[[*LABELS, "working days in the week"]].mean()
plain_weekly = plain.groupby("week")[[*LABELS, "working days in the week"]].mean()
panels = [*LABELS[:1], "working days in the week", *LABELS[2:]]
full_weeks = weekly.index.get_level_values("week") <= 52  # week 53 is one or two days

fig = Figure(figsize=(11, 7), layout="constrained")
axes = fig.subplots(2, 2, sharex=True).ravel()
for ax, label in zip(axes, panels, strict=True):
    for year, part in weekly.loc[full_weeks, label].groupby(level="year"):
        ax.plot(part.index.get_level_values("week"), part.to_numpy(), label=str(year))
    ax.plot(plain_weekly.loc[:52, label], "k:", label="weekends only")
    title = "early resolution (1 week): working days given" if label == panels[1] else label
    ax.set_title(title)
    ax.set_ylabel("working days" if label == panels[1] else "calendar days (weekly mean)")
for ax in axes[2:]:
    ax.set_xlabel("receipt week of the year (week 1 is 1-7 January)")
axes[0].legend(fontsize="small")
fig.suptitle("What the targets give, by receipt week")
fig
        """
    ),
    md(
        """
The receipt weeks of 2024 whose 20-working-day investigation runs longest:
        """
    ),
    code(
        """
weekly.loc[2024].sort_values("investigation (20 WD)", ascending=False).head(6)
        """
    ),
    md(
        """
## Christmas and Easter

Receipt days grouped into the week before Christmas (18-24 December), the seven days up
to and including Good Friday, and every other day: the mean calendar days each target
gives, and how many of them the bank holidays add.
        """
    ),
    code(
        """
good_fridays = [d for d, name in CALENDAR.holidays.items() if name == "Good Friday"]


def season(day: date) -> str:
    if day.month == 12 and 18 <= day.day <= 24:
        return "18-24 December"
    if any(0 <= (friday - day).days < 7 for friday in good_fridays):
        return "7 days to Good Friday"
    return "other days"


days["season"] = [season(d) for d in days["received"].dt.date]
by_season = days.groupby("season")[[*LABELS, "working days in the week"]].mean()
added = extra.groupby(days["season"]).mean().add_suffix(": days added")
by_season.join(added).T
        """
    ),
    md(
        """
The worst receipt days. The longest windows span two or three bank holidays: Easter 2023
followed by the early May bank holiday and the coronation, or Christmas, Boxing Day and New
Year's Day. The one-week target gives the fewest working days around the same holidays,
because its due date can fall on a bank holiday itself (Easter Monday, Christmas Day, Boxing
Day): the last working day before it is the real deadline.
        """
    ),
    code(
        """
longest = {c: days.loc[days[c] == days[c].max(), "received"].dt.date for c in LABELS}
worst = pd.DataFrame(
    {
        "longest (calendar days)": days[LABELS].max(),
        "receipt days with it": [len(longest[c]) for c in LABELS],
        "first three": [", ".join(map(str, longest[c].head(3))) for c in LABELS],
    }
)
fewest = days["working days in the week"].min()
short = days.loc[days["working days in the week"] == fewest, "season"]
print(f"The one-week target gives as few as {fewest} working days on {len(short)} receipt days:")
print(short.value_counts().to_string())
worst
        """
    ),
    md(
        """
## One extra closure day

Suppose the office also closed on Christmas Eve (`with_closures`). In 2023 it was a
Sunday, so only the 2024 and 2025 closures change anything; the table counts the receipt
days of July 2024 to June 2025, around the 2024 closure. A closure moves every working-day
due date whose window spans it, and day 0 itself for complaints received on the day; the
one-week target moves only when day 0 does.
        """
    ),
    code(
        """
eves = [date(year, 12, 24) for year in (2023, 2024, 2025)]
closures = [d for d in eves if CALENDAR.is_working_day(d)]
print("closed:", ", ".join(str(d) for d in closures))
closed = spans(CALENDAR.with_closures(closures))
moved = closed[LABELS] - days[LABELS]
around_2024 = days["received"].between("2024-07-01", "2025-06-30")
later = (moved > 0) & around_2024.to_numpy()[:, None]
impact = pd.DataFrame(
    {
        "receipt days moved": later.sum(),
        "mean days added, where moved": moved[later].mean(),
        "first receipt day moved": [days.loc[later[c], "received"].min().date() for c in LABELS],
        "last receipt day moved": [days.loc[later[c], "received"].max().date() for c in LABELS],
    }
)
impact
        """
    ),
    code(
        """
window = (days["received"] >= "2024-11-15") & (days["received"] <= "2025-01-05")
fig = Figure(figsize=(10, 3.8), layout="constrained")
ax = fig.subplots()
for label in LABELS:
    ax.step(days.loc[window, "received"], moved.loc[window, label], where="mid", label=label)
ax.set_ylabel("calendar days added")
ax.set_xlabel("date received")
ax.set_title("Closing on Christmas Eve 2024: the extra days, by receipt day")
ax.legend(fontsize="small")
fig
        """
    ),
    md(
        """
## What this says

- Away from bank holidays, 15 working days are 21 calendar days from a weekday receipt
  and 20 working days are 28; weekend receipts add one or two days before day 0.
- Bank holidays stretch the working-day targets for about a third (15 WD) to two fifths
  (20 WD) of receipt days, by a day for most of them, and by four to six days for windows
  that span Easter and the May bank holidays, or Christmas and New Year.
- The web page's one-week early resolution is fixed in calendar days, so the same
  holidays take working days away from it: received in the week before Christmas or
  Easter, a complaint's week can hold three working days instead of five.
- One extra closure day moves the due dates of about four weeks of receipts before it
  under a 20-working-day target, and three under 15; the contact and one-week targets move
  only for complaints received in the last few days before it.
        """
    ),
]


# --------------------------------------------------------------------- figures 2010-2014

FIGURES_2010_2014: list[Cell] = [
    md(
        """
# The published figures 2010-2014, and the simulation calibrated against them

PROCEDURE.md §7 (seed 002) gives cases, complaints and compliments by calendar year
2010-2014, and complaints for three financial years. Two facts shape how they compare:

- the procedure went from three stages to one in **February 2012** (and 2012 saw a
  mail-out about the new procedure to every service user);
- until **June 2014** a complaint was recorded once per member of staff named; from
  **July 2014** once per complaint.

This notebook sets the table out, calibrates the simulation's arrival rates year by year
against the calendar-year figures under the counting rule of the time, simulates each
year with three seeds, and shows the fit: in-sample (the calendar years) and
out-of-sample (the financial years, which the calibration never sees).
        """
    ),
    code(
        """
%matplotlib inline
from datetime import date

import attrs
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from complaint_workflow import WorkingDayCalendar
from complaint_workflow.analysis import SimulationParameters, quarterly_table, simulate

pd.set_option("display.precision", 3)
pd.set_option("display.width", 140)

CALENDAR = WorkingDayCalendar.england_and_wales()
BASE = SimulationParameters()  # the library's defaults
RULE_CHANGE = date(2014, 7, 1)  # from here one complaint is one complaint
YEARS = [2010, 2011, 2012, 2013, 2014]
SEEDS = (0, 1, 2)
        """
    ),
    md(
        """
## The published table (§7)
        """
    ),
    code(
        """
published = pd.DataFrame(
    {
        "cases": [55_564, 54_230, 58_727, 61_900, 50_360],
        "complaints": [1_047, 1_124, 1_613, 1_449, 1_476],
        "compliments": [265, 367, 716, 1_005, 599],
    },
    index=pd.Index(YEARS, name="year"),
)
published["complaints per 1,000 cases"] = 1_000 * published["complaints"] / published["cases"]
published["complaints counted"] = [*["per staff member named"] * 4, "per staff to June"]
published["note"] = [
    "compliments from April only",
    "",
    "one stage from February; mail-out",
    "",
    "per complaint from July",
]
financial_years = pd.Series(
    {"2011-12": 1_264, "2012-13": 1_496, "2013-14": 1_596}, name="complaints"
)
published
"""
    ),
    code(
        """
financial_years.to_frame()
        """
    ),
    md(
        """
## Calibration: what the figures can pin down

In the simulation, complaints and compliments arrive as a Poisson process over the
days of the year, a working day weighing 1 and any other day `non_working_day_weight`
(0.2), scaled so the expected total is `complaints_per_year` (`docs/modelling.md`,
Arrivals). A complaint names 0, 1, 2 or 3 members of staff
(`staff_named_distribution`), so under the old rule it is expected to count
`mean_staff_weight` = E[max(1, staff named)] times.

So for each year the expected published count is `complaints_per_year` times

*(share of the year's arrivals before July 2014) × `mean_staff_weight` + (the rest) × 1*,

and the calibrated `complaints_per_year` is the published count divided by that factor:
one parameter per year, solved exactly, with no search. Compliments are counted once
each; 2010's were counted from April only, so its rate is the April-December figure
divided by April-December's share of the year's arrivals.
        """
    ),
    code(
        """
def arrival_share(year: int, first: date, stop: date, p: SimulationParameters = BASE) -> float:
    # Expected share of the year's arrivals received in [first, stop).
    every_day = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D").date
    weight = np.array(
        [1.0 if CALENDAR.is_working_day(d) else p.non_working_day_weight for d in every_day]
    )
    inside = np.array([first <= d < stop for d in every_day])
    return float(weight[inside].sum() / weight.sum())


def calibrate(p: SimulationParameters = BASE) -> pd.DataFrame:
    table = pd.DataFrame(index=published.index)
    table["share counted per staff"] = [
        arrival_share(y, date(y, 1, 1), RULE_CHANGE, p) for y in YEARS
    ]
    old = table["share counted per staff"]
    table["count per complaint"] = old * p.mean_staff_weight + (1 - old)
    table["complaints_per_year"] = published["complaints"] / table["count per complaint"]
    april = arrival_share(2010, date(2010, 4, 1), date(2011, 1, 1), p)
    counted = np.where(published.index == 2010, april, 1.0)
    table["compliments_per_year"] = published["compliments"] / counted
    return table


calibration = calibrate()
print(f"default mean_staff_weight: {BASE.mean_staff_weight:.2f}")
calibration
        """
    ),
    md(
        """
### What the figures cannot pin down: how many staff a complaint names

The per-complaint rates above depend on `staff_named_distribution`, which §7 does not
give. The July 2014 change could in principle reveal it: if 2013 and 2014 had the same
per-complaint rate `r`, then 1,449 = `r` × w and 1,476 = `r` × (s × w + 1 - s), with s the
share of 2014 counted the old way. Solving gives the weight the published figures
imply:
        """
    ),
    code(
        """
s = calibration.loc[2014, "share counted per staff"]
c2013, c2014 = published.loc[2013, "complaints"], published.loc[2014, "complaints"]
rate = (c2014 - s * c2013) / (1 - s)
implied_weight = c2013 / rate
print(
    f"s = {s:.3f}: per-complaint rate {rate:,.0f} a year, implied staff weight "
    f"{implied_weight:.3f} (it cannot be below 1)"
)
        """
    ),
    md(
        """
A weight below 1 is impossible under the rule (a complaint counts at least once), so the
two figures cannot both come from one steady rate: complaints rose in 2014, or very few
complaints named more than one person, or the change was recorded differently. The
staff weight stays an **assumption**. How much it matters: the per-complaint rates the
same published counts imply, for three staff-named distributions.
        """
    ),
    code(
        """
STAFF_NAMED = {
    "nobody named twice": (0.30, 0.70, 0.0, 0.0),
    "library default": BASE.staff_named_distribution,
    "more named": (0.20, 0.50, 0.20, 0.10),
}
sensitivity = {}
for name, shares in STAFF_NAMED.items():
    p = attrs.evolve(BASE, staff_named_distribution=shares)
    rates = calibrate(p)["complaints_per_year"]
    sensitivity[name] = {"mean staff weight": p.mean_staff_weight, **rates.to_dict()}
pd.DataFrame(sensitivity).T.round(2)
        """
    ),
    md(
        """
## Simulating each year

Two models, each year simulated from 1 January with three seeds (`years=1` per run):

- **library defaults**: `SimulationParameters()` every year (1,450 complaints and 800
  compliments a year, set from the 2013-2014 figures);
- **calibrated**: the defaults with that year's `complaints_per_year` and
  `compliments_per_year` from the table above.

The same seeds serve both models, so their differences are the parameters, not the
noise. Every year runs under `cafcass-2012`: the counts depend only on arrivals and the
staff named, not on the policy, and the three-stage procedure before February 2012 has
no policy file (nothing about its deadlines is claimed here). Each run is counted per
quarter the way the figures were published: per member of staff named up to 2014-Q2,
per complaint from 2014-Q3.
        """
    ),
    code(
        """
def parameters(model: str, year: int) -> SimulationParameters:
    if model == "library defaults":
        return BASE
    rates = calibration.loc[year, ["complaints_per_year", "compliments_per_year"]]
    return attrs.evolve(BASE, **rates.to_dict())


def as_published(sim) -> pd.DataFrame:
    per_staff = quarterly_table(sim, rule="per-staff-member")
    per_complaint = quarterly_table(sim, rule="per-complaint")
    out = per_complaint.rename(columns={"complaints": "per complaint"})
    out["per staff member"] = per_staff["complaints"]
    old_rule = out.index < "2014-Q3"
    out["complaints"] = np.where(old_rule, out["per staff member"], out["per complaint"])
    return out


runs = []
for model in ("library defaults", "calibrated"):
    for year in YEARS:
        for seed in SEEDS:
            sim = simulate(
                "cafcass-2012",
                years=1,
                seed=1_000 * seed + year,
                start=date(year, 1, 1),
                parameters=parameters(model, year),
            )
            runs.append(as_published(sim).assign(model=model, seed=seed))
quarters = pd.concat(runs).reset_index()
quarters["year"] = quarters["quarter"].str[:4].astype(int)
print(f"{len(runs)} simulated years")
quarters.head()
        """
    ),
    md(
        """
## The fit

Calendar years are in-sample: the calibration solved for them. Financial years (April
to March, summed from the quarters of consecutive simulated years with the same seed)
are out-of-sample. 2010's compliments are counted from April, as published.
        """
    ),
    code(
        """
def financial_year(quarter: str) -> str:
    year, q = int(quarter[:4]), quarter[-1]
    first = year if q != "1" else year - 1
    return f"{first}-{(first + 1) % 100:02d}"


counted = quarters.copy()
counted.loc[counted["quarter"] == "2010-Q1", "compliments"] = 0  # from April only
calendar_years = counted.groupby(["model", "seed", "year"])[["complaints", "compliments"]].sum()
counted["financial year"] = counted["quarter"].map(financial_year)
fy = (
    counted[counted["financial year"].isin(financial_years.index)]
    .groupby(["model", "seed", "financial year"])["complaints"]
    .sum()
)

rows = []
for figure in ("complaints", "compliments"):
    for year in YEARS:
        runs_of = calendar_years[figure].xs(year, level="year")
        rows.append((figure, str(year), "in-sample", published.loc[year, figure], runs_of))
for period, value in financial_years.items():
    rows.append(("complaints", f"FY {period}", "out-of-sample", value, fy.xs(period, level=2)))

records = []
for figure, period, kind, value, runs_of in rows:
    for model, values in runs_of.groupby(level="model"):
        records.append(
            {
                "figure": figure,
                "period": period,
                "kind": kind,
                "model": model,
                "published": value,
                "simulated": values.mean(),
                "sd": values.std(),
                "relative error": values.mean() / value - 1,
            }
        )
fit = pd.DataFrame(records)
fit_table = fit.pivot_table(
    index=["figure", "period", "kind", "published"],
    columns="model",
    values=["simulated", "sd", "relative error"],
    sort=False,
)
fit_table.style.format("{:.0f}").format("{:+.1%}", subset=["relative error"])
        """
    ),
    code(
        """
errors = fit.pivot_table(
    index=["figure", "kind"],
    columns="model",
    values="relative error",
    aggfunc=lambda e: e.abs().mean(),
)
print("mean absolute relative error, by figure and kind:")
errors.style.format("{:.1%}")
        """
    ),
    code(
        """
fig = Figure(figsize=(12, 8), layout="constrained")
(ax_c, ax_k), (ax_f, ax_e) = fig.subplots(2, 2)
markers = {"library defaults": ("s", "C1"), "calibrated": ("o", "C0")}


def panel(ax, figure: str, periods: list[str], title: str) -> None:
    part = fit[(fit["figure"] == figure) & fit["period"].isin(periods)]
    x = np.arange(len(periods))
    shown = part[part["model"] == "calibrated"].set_index("period").loc[periods]
    ax.bar(x, shown["published"], 0.6, color="0.8", label="published (§7)")
    for k, (model, (marker, colour)) in enumerate(markers.items()):
        mine = part[part["model"] == model].set_index("period").loc[periods]
        ax.errorbar(
            x + (k - 0.5) * 0.2,
            mine["simulated"],
            yerr=mine["sd"],
            fmt=marker,
            color=colour,
            capsize=3,
            label=f"simulated: {model} (mean ± sd, 3 seeds)",
        )
    ax.set_xticks(x, periods)
    ax.set_title(title)


panel(ax_c, "complaints", [str(y) for y in YEARS], "Complaints, calendar years (calibrated)")
panel(ax_k, "compliments", [str(y) for y in YEARS], "Compliments, calendar years (calibrated)")
panel(
    ax_f,
    "complaints",
    [f"FY {p}" for p in financial_years.index],
    "Complaints, financial years (held out)",
)
ax_c.set_ylabel("as counted at the time")
handles, labels = ax_c.get_legend_handles_labels()
fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize="small")

order = fit[fit["model"] == "calibrated"][["figure", "period"]].apply(" ".join, axis=1)
x = np.arange(len(order))
for k, (model, (_, colour)) in enumerate(markers.items()):
    mine = fit[fit["model"] == model]
    ax_e.bar(x + (k - 0.5) * 0.4, 100 * mine["relative error"], 0.4, color=colour, label=model)
ax_e.axhline(0, color="k", lw=0.8)
ax_e.set_xticks(x, order, rotation=60, ha="right", fontsize="small")
ax_e.set_ylabel("relative error, %")
ax_e.set_title("Simulated / published - 1")
ax_e.legend(fontsize="small")
fig
        """
    ),
    md(
        """
## The counting rule, quarter by quarter

The calibrated simulation counted both ways: per member of staff named (the rule to
June 2014), per complaint (the rule from July 2014), and as published (the first, then
the second). The gap between the two lines is the staff weight; the published series
drops onto the lower line in 2014-Q3, which is why the calibrated per-complaint rate for
2014 is higher than 2013's although the published figures are nearly equal.
        """
    ),
    code(
        """
calibrated = quarters[quarters["model"] == "calibrated"]
mean = calibrated.groupby("quarter")[["per staff member", "per complaint", "complaints"]].mean()
fig = Figure(figsize=(11, 4), layout="constrained")
ax = fig.subplots()
x = np.arange(len(mean))
ax.plot(x, mean["complaints"], "-", color="C0", lw=7, alpha=0.3, label="as published")
ax.plot(x, mean["per staff member"], ".--", color="C1", label="per member of staff named")
ax.plot(x, mean["per complaint"], ".--", color="C2", label="per complaint")
for k, year in enumerate(YEARS):
    quarter_mean = published.loc[year, "complaints"] / 4
    ax.hlines(quarter_mean, 4 * k - 0.4, 4 * k + 3.4, color="0.4", lw=3, alpha=0.5)
ax.axvline(list(mean.index).index("2014-Q3") - 0.5, color="k", lw=0.8)
ax.text(list(mean.index).index("2014-Q3") - 0.4, mean.values.max(), " July 2014", va="top")
ax.set_xticks(x, mean.index, rotation=60, ha="right", fontsize="small")
ax.set_ylabel("complaints a quarter (mean of 3 seeds)")
ax.set_title("Calibrated simulation by quarter; grey: the published year / 4")
ax.legend(fontsize="small")
fig
        """
    ),
    md(
        """
## What is calibrated, and what is assumed

**Calibrated, one number per year, solved exactly:** `complaints_per_year` (per
complaint, from the published count and the counting rule of the time) and
`compliments_per_year` (2010 scaled up from April-December). The calendar-year fit is
therefore in-sample: its residuals are simulation noise (a few per cent with three
seeds) and say nothing about whether the model is right.

**Held out:** the three financial-year figures. They test the assumption that the rate
is constant within each calendar year. FY 2011-12 comes out close; FY 2012-13 is
over-predicted by a few per cent, consistent with the 2012 excess (the mail-out about the
new procedure) falling early in 2012 rather than evenly; FY 2013-14 is under-predicted by
nearly a tenth: the published 1,596 exceeds both calendar years around it, which a rate
constant within each year cannot produce.

**Assumed, not calibrated:**

- the staff-named distribution (mean weight 1.14): §7 cannot identify it; the 2013 and
  2014 figures taken together imply a weight below 1, which is impossible, so the rule
  change and a change in the rate cannot be separated;
- arrival timing (weekends and bank holidays weigh 0.2 of a working day, no season, no
  growth within a year), and the same rate before and after the February 2012 change;
- cases: `cases_per_year` is context only; complaints per 1,000 cases is a ratio of
  published inputs, not an output;
- everything that decides lateness (routes, complainants, step times): nothing in §7
  speaks to it, so no late-response rate in these notebooks is calibrated.

**The library defaults** (1,450 complaints a year, about 1,650 when counted per member
of staff named; 800 compliments) come near the 2012 and 2014 figures but well above 2010,
2011 and 2013: a single rate cannot follow complaints rising from about 1,000 to 1,600 a
year, nor compliments growing from about 350 to 1,000 and falling back to 600. They were
set from the later years, and `complaints_per_year` is the parameter to change.
        """
    ),
    code(
        """
summary = fit.pivot_table(
    index=["figure", "period"], columns="model", values="relative error", sort=False
)
for (figure, period), row in summary.iterrows():
    print(
        f"{figure:>11} {period:>10}: calibrated {row['calibrated']:+6.1%}, "
        f"library defaults {row['library defaults']:+6.1%}"
    )
        """
    ),
]


NOTEBOOKS: dict[str, Callable[[], NotebookNode]] = {
    "policy_comparison": lambda: notebook("policy_comparison", POLICY_COMPARISON),
    "bank_holidays": lambda: notebook("bank_holidays", BANK_HOLIDAYS),
    "figures_2010_2014": lambda: notebook("figures_2010_2014", FIGURES_2010_2014),
}
"""Each notebook's file stem and how to build it."""


def render(name: str) -> str:
    """The exact text of ``<name>.ipynb``: nbformat's JSON and a final newline."""
    return nbformat.writes(NOTEBOOKS[name]()) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write every notebook (or, with ``--check``, report those that differ); exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a notebook differs"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        path = args.out / f"{name}.ipynb"
        text = render(name)
        current = path.read_bytes().decode("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, "utf-8", newline="\n")
    if args.check and stale:
        print(f"stale: {', '.join(stale)}; run python {Path(__file__).name}", file=sys.stderr)
        return 1
    print(f"wrote: {', '.join(stale)}" if stale else "up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
