"""The published figures the simulation is calibrated against, read from the package's data.

``data/published_figures.toml`` holds the counts and names each source (a written
parliamentary answer of September 2014 and Cafcass' freedom-of-information answer of
February 2015; see ``docs/procedure.md`` §8).

>>> figures = published_figures()
>>> int(figures.calendar_years.loc[2013, "complaints"])
1449
>>> figures.financial_years.to_dict()
{'2011-12': 1264, '2012-13': 1496, '2013-14': 1596}
>>> sorted(figures.sources)
['foi-2015', 'written-answer-2014']
"""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources
from typing import Any

import attrs
import pandas as pd

__all__ = ["PublishedFigures", "published_figures"]


@attrs.frozen
class PublishedFigures:
    """The published counts: ``calendar_years`` (index ``year``; ``cases``, ``complaints``,
    ``compliments``, and ``compliments_from``, the first day compliments were collected,
    for a part year), ``financial_years`` (complaints by ``"2011-12"``...), ``sources`` (each
    source's title, date and author by id) and ``changes`` (dated changes in the procedure
    and in how complaints were counted)."""

    calendar_years: pd.DataFrame = attrs.field(eq=False)
    financial_years: pd.Series[Any] = attrs.field(eq=False)
    sources: dict[str, dict[str, str]]
    changes: dict[str, date]


def published_figures() -> PublishedFigures:
    """Read ``published_figures.toml`` shipped in ``complaint_workflow.analysis.data``."""
    raw = resources.files(__package__).joinpath("data/published_figures.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    years = pd.DataFrame(data["calendar_years"]).set_index("year")
    years["compliments_from"] = pd.to_datetime(years["compliments_from"])
    financial = pd.Series(
        {row["period"]: row["complaints"] for row in data["financial_years"]}, name="complaints"
    )
    return PublishedFigures(
        calendar_years=years,
        financial_years=financial,
        sources={key: dict(value) for key, value in data["sources"].items()},
        changes=dict(data["changes"]),
    )
