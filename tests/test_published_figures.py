"""The published figures shipped with the package: their sources, and the page that shows them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pandas")

from complaint_workflow.analysis.figures import published_figures

PAGE = Path(__file__).resolve().parent.parent / "docs" / "procedure.md"


def test_each_figure_names_a_dated_source() -> None:
    """Both sources are named with their title and month: the September 2014 written answer
    and the February 2015 freedom-of-information answer."""
    sources = published_figures().sources
    assert sources["written-answer-2014"]["published"] == "2014-09"
    assert sources["foi-2015"]["published"] == "2015-02"
    assert "parliamentary answer" in sources["written-answer-2014"]["title"].lower()
    assert "freedom-of-information" in sources["foi-2015"]["title"].lower()


def test_the_counts_are_whole_and_the_changes_dated() -> None:
    """Five calendar years and three financial years of counts; 2010's compliments are a
    part year from April; the two dated changes are there."""
    figures = published_figures()
    years = figures.calendar_years
    assert list(years.index) == [2010, 2011, 2012, 2013, 2014]
    assert int(years["complaints"].sum()) == 1_047 + 1_124 + 1_613 + 1_449 + 1_476
    assert years.loc[2010, "compliments_from"].date() == date(2010, 4, 1)
    assert years["compliments_from"].isna().sum() == 4
    assert int(figures.financial_years.sum()) == 1_264 + 1_496 + 1_596
    assert figures.changes == {
        "one_step_procedure": date(2012, 2, 1),
        "counted_per_complaint": date(2014, 7, 1),
    }


def test_docs_table_matches_the_data_file() -> None:
    """docs/procedure.md shows exactly the shipped calendar-year counts."""
    rows = re.findall(
        r"^\| (20\d\d) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+)", PAGE.read_text("utf-8"), re.M
    )
    shown = {int(y): tuple(int(v.replace(",", "")) for v in vals) for y, *vals in rows}
    years = published_figures().calendar_years
    data = {
        int(y): (int(r["cases"]), int(r["complaints"]), int(r["compliments"]))
        for y, r in years.iterrows()
    }
    assert shown == data
