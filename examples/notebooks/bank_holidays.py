# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Bank holidays: how many calendar days does a target really give?
#
# A target in working days is a different number of calendar days depending on when the
# complaint arrives; a target in calendar weeks is a different number of *working* days.
# `due_dates` gives every obligation's due date for arrays of receipt instants (exactly the
# scalar answers), so here every day of 2023-2025 is a receipt day: a complaint received
# at 10:00 London by an adult service user, under both built-in policies.
#
# | target | policy | measured in |
# | --- | --- | --- |
# | contact | `cafcass-web` | 2 working days |
# | early resolution | `cafcass-web` | one week: 7 calendar days from day 0 |
# | response | `cafcass-2012` | 15 working days (hard limit) |
# | investigation | `cafcass-web` | 20 working days |
#
# Spans are counted from the date the complaint was received (what the complainant sees),
# so a complaint received on a Saturday starts with the weekend.

# %%
# %matplotlib inline
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


# %%
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

# %% [markdown]
# ## What each target gives, over three years of receipt days
#
# Calendar days from receipt to the due date, and the same with the weekends-only
# calendar: the difference is what the bank holidays add.

# %%
extra = days[LABELS] - plain[LABELS]
overview = days[LABELS].describe().T[["min", "50%", "mean", "max"]]
overview["mean, weekends only"] = plain[LABELS].mean()
overview["receipt days stretched by a bank holiday"] = (extra > 0).mean()
overview["most days added"] = extra.max()
overview

# %% [markdown]
# ## By receipt week
#
# The mean over each receipt week (7 receipt days), one line per year, and the
# weekends-only calendar dotted. Good Friday and Easter Monday, the May and August bank
# holidays and Christmas each lift the working-day targets for the weeks whose window
# spans them (Easter moves: 9 April 2023, 31 March 2024, 20 April 2025). The one-week
# target moves in calendar days only when day 0 does (a receipt on a bank holiday); instead it
# loses working days, shown in its place.

# %%
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

# %% [markdown]
# The receipt weeks of 2024 whose 20-working-day investigation runs longest:

# %%
weekly.loc[2024].sort_values("investigation (20 WD)", ascending=False).head(6)

# %% [markdown]
# ## Christmas and Easter
#
# Receipt days grouped into the week before Christmas (18-24 December), the seven days up
# to and including Good Friday, and every other day: the mean calendar days each target
# gives, and how many of them the bank holidays add.

# %%
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

# %% [markdown]
# The worst receipt days. The longest windows span two or three bank holidays: Easter 2023
# followed by the early May bank holiday and the coronation, or Christmas, Boxing Day and New
# Year's Day. The one-week target gives the fewest working days around the same holidays,
# because its due date can fall on a bank holiday itself (Easter Monday, Christmas Day, Boxing
# Day): the last working day before it is the real deadline.

# %%
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

# %% [markdown]
# ## One extra closure day
#
# Suppose the office also closed on Christmas Eve (`with_closures`). In 2023 it was a
# Sunday, so only the 2024 and 2025 closures change anything; the table counts the receipt
# days of July 2024 to June 2025, around the 2024 closure. A closure moves every working-day
# due date whose window spans it, and day 0 itself for complaints received on the day; the
# one-week target moves only when day 0 does.

# %%
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

# %%
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

# %% [markdown]
# ## What this says
#
# - Away from bank holidays, 15 working days are 21 calendar days from a weekday receipt
#   and 20 working days are 28; weekend receipts add one or two days before day 0.
# - Bank holidays stretch the working-day targets for about a third (15 WD) to two fifths
#   (20 WD) of receipt days, by a day for most of them, and by four to six days for windows
#   that span Easter and the May bank holidays, or Christmas and New Year.
# - The web page's one-week early resolution is fixed in calendar days, so the same
#   holidays take working days away from it: received in the week before Christmas or
#   Easter, a complaint's week can hold three working days instead of five.
# - One extra closure day moves the due dates of about four weeks of receipts before it
#   under a 20-working-day target, and three under 15; the contact and one-week targets move
#   only for complaints received in the last few days before it.
