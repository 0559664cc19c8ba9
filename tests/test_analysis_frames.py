"""Analysts' conventions: categorical columns everywhere, policy order, figures, lazy imports."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from complaint_workflow import Complaint, Policy, Target, WorkingDays
from complaint_workflow.analysis import (
    Simulation,
    SimulationParameters,
    SimulationTask,
    compare,
    due_dates,
    plot_breach_rates,
    plot_due_dates,
    run_task,
    simulate,
    summary,
)
from complaint_workflow.analysis.dtypes import (
    COMPLAINT_ROUTES,
    ELIGIBILITY_DTYPE,
    ROUTE_DTYPE,
    STATUS_DTYPE,
    STRENGTH_DTYPE,
    categorical,
    concat,
    obligation_dtype,
)
from complaint_workflow.errors import InvalidInputError
from complaint_workflow.events import CourtNotified
from complaint_workflow.situation import RouteStates
from complaint_workflow.vocabulary import ELIGIBILITIES, OBLIGATION_STATUSES, STRENGTHS

ROOT = Path(__file__).resolve().parent.parent
SMALL = SimulationParameters(complaints_per_year=300, compliments_per_year=50)
ORDER = ["cafcass-web", "cafcass-2012"]  # not alphabetical, on purpose


@pytest.fixture(scope="module")
def sim() -> Simulation:
    return simulate("cafcass-web", years=1, seed=11, parameters=SMALL)


@pytest.fixture(scope="module")
def compared(sim: Simulation) -> pd.DataFrame:
    return compare(sim, ORDER)


# --------------------------------------------------------------------- categoricals


def test_every_producer_gives_the_same_categorical_dtypes(
    sim: Simulation, compared: pd.DataFrame
) -> None:
    """status, obligation id, route, strength and eligibility are the declared categoricals."""
    facts = due_dates(
        "cafcass-web", np.array(["2024-06-12T10:00"], "datetime64[s]"), complainant="adult"
    )
    frames = {
        "simulate.obligations": sim.obligations,
        "simulate.complaints": sim.complaints,
        "compare": compared,
        "due_dates": facts,
    }
    expected = {
        "status": STATUS_DTYPE,
        "strength": STRENGTH_DTYPE,
        "route": ROUTE_DTYPE,
        "eligibility": ELIGIBILITY_DTYPE,
        "obligation_id": obligation_dtype(),
        "response_obligation": obligation_dtype(),
    }
    seen = 0
    for where, frame in frames.items():
        for column, dtype in expected.items():
            if column in frame.columns:
                seen += 1
                assert frame[column].dtype == dtype, (where, column)
    assert seen == 12
    assert list(STATUS_DTYPE.categories) == list(OBLIGATION_STATUSES)
    assert list(STRENGTH_DTYPE.categories) == list(STRENGTHS)
    assert list(ELIGIBILITY_DTYPE.categories) == list(ELIGIBILITIES)


def test_counts_show_the_zeros(sim: Simulation) -> None:
    """A count lists every status and route, with 0 for those that never happened."""
    statuses = sim.obligations["status"].value_counts()
    assert sorted(map(str, statuses.index)) == sorted(OBLIGATION_STATUSES)
    assert (statuses == 0).any()  # e.g. nothing is still pending after every complaint ended
    routes = sim.complaints["route"].value_counts()
    assert set(routes.index) == set(COMPLAINT_ROUTES)
    assert routes["procedure"] == 0  # every procedure complaint was triaged


def test_obligation_ids_include_every_built_in_target_and_a_variants_own() -> None:
    """Obligation categories are the built-ins' Cafcass targets, then a custom policy's."""
    builtin = list(obligation_dtype().categories)
    for policy_id in Policy.builtin_ids():
        owed = [t.id for t in Policy.builtin(policy_id).targets if t.owed_by == "cafcass"]
        assert set(owed) <= set(builtin)
    assert "six-month-limit" not in builtin  # owed by the complainant, never listed
    variant = Policy.builtin("cafcass-web").evolve(id="web-fe")
    variant = Policy(
        id="web-fe",
        title=variant.title,
        source=variant.source,
        targets=(
            *variant.targets,
            Target(id="fe-check", duration=WorkingDays(3), triggers=("factual-error",)),
        ),
        parameters=variant.parameters,
    )
    assert list(obligation_dtype([variant]).categories) == [*builtin, "fe-check"]


def test_a_value_outside_the_categories_is_an_error_not_missing() -> None:
    """Turning a column categorical never silently drops an unknown value."""
    with pytest.raises(InvalidInputError, match="'nowhere'"):
        categorical(["investigation", "nowhere"], ROUTE_DTYPE, "route")


def test_concatenated_sweeps_stay_categorical() -> None:
    """Frames from several runs concatenate to categoricals, also with a custom target."""
    frames = [run_task(SimulationTask("cafcass-web", s, parameters=SMALL)) for s in (1, 2)]
    joined = concat(frames)
    assert joined["obligation_id"].dtype == obligation_dtype()
    custom = frames[1].assign(
        obligation_id=frames[1]["obligation_id"].cat.add_categories(["fe-check"])
    )
    mixed = concat([frames[0], custom])
    assert isinstance(mixed["obligation_id"].dtype, pd.CategoricalDtype)
    assert list(mixed["obligation_id"].cat.categories)[-1] == "fe-check"
    assert len(mixed) == len(frames[0]) + len(frames[1])


# --------------------------------------------------------------------- summary


def test_summary_keeps_the_callers_policy_order_and_marks_not_owed(compared: pd.DataFrame) -> None:
    """Policies come out in the order compare was given; a target not owed is <NA>, not 0."""
    table = summary(compared)
    assert list(table.index) == ORDER
    assert table.loc["cafcass-web", "late: response"] is pd.NA  # the web page has no single limit
    assert table.loc["cafcass-2012", "late: contact"] is pd.NA
    owed = compared[
        (compared["policy"] == "cafcass-2012") & (compared["obligation_id"] == "response")
    ]
    assert table.loc["cafcass-2012", "late: response"] == int(owed["late"].sum())
    forwards = table["breached: forward-to-cst"]
    assert forwards.notna().all()  # owed under both: a count, 0 if never late
    assert {f"late: {o}" for o in obligation_dtype().categories} <= set(table.columns)


# --------------------------------------------------------------------- figures


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]


def test_breach_rates_draw_into_the_callers_axes_in_their_order(compared: pd.DataFrame) -> None:
    """ax= is used and its figure returned; bars follow the policy order, in per cent."""
    fig = Figure()
    ax = fig.subplots()
    got = plot_breach_rates(compared, ax=ax)
    assert got is fig
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ORDER
    assert "Simulated" in ax.get_title()
    assert ax.yaxis.get_major_formatter().format_pct(0.25, 1.0) == "25%"  # type: ignore[attr-defined]
    texts = _texts(fig)
    assert "not owed" in texts  # the web page owes no single response; 2012 owes no contact
    assert any(re.fullmatch(r"\d+%", t) for t in texts)
    with pytest.raises(InvalidInputError, match="Axes"):
        plot_breach_rates(compared, ax="left")


def test_due_dates_figure_takes_a_grid_of_axes_and_names_what_is_not_owed(
    compared: pd.DataFrame,
) -> None:
    """plot_due_dates draws into 2 x policies axes, titles say simulated, not owed is named."""
    fig = Figure()
    axes = fig.subplots(2, 2)
    assert plot_due_dates(compared, ax=axes) is fig
    assert [ax.get_title().split(":")[0] for ax in axes[0]] == ORDER
    assert "Simulated" in fig.get_suptitle()
    assert any(t.startswith("not owed: ") and "response" in t for t in _texts(fig))
    with pytest.raises(InvalidInputError, match="4 matplotlib Axes"):
        plot_due_dates(compared, ax=axes[0])
    own = plot_due_dates(compared)
    buffer = io.BytesIO()
    own.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_figure_displays_in_a_fresh_notebook_kernel() -> None:
    """With no backend set up and no pyplot, IPython renders a returned figure as a PNG."""
    out = _run(
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from complaint_workflow.analysis import simulate, compare, plot_breach_rates\n"
        "from complaint_workflow.analysis import SimulationParameters\n"
        "p = SimulationParameters(complaints_per_year=80, compliments_per_year=10)\n"
        "fig = plot_breach_rates(compare(simulate(years=1, parameters=p), ['cafcass-web']))\n"
        "data, _ = InteractiveShell.instance().display_formatter.format(fig)\n"
        "png = data['image/png'][:8] == b'\\x89PNG\\r\\n\\x1a\\n'\n"
        "print(png, 'matplotlib.pyplot' in sys.modules)\n"
    )
    assert out.split() == ["True", "False"]


def test_the_analysis_package_imports_no_matplotlib_until_a_plot() -> None:
    """Importing the analysis tools and computing due dates never imports matplotlib."""
    out = _run(
        textwrap.dedent(
            """
            import sys
            import numpy as np
            import complaint_workflow.analysis as analysis
            import complaint_workflow.analysis.reports
            from complaint_workflow.analysis import due_dates
            from complaint_workflow.analysis.deadlines import due_dates as same
            received = np.array(["2024-06-12T10:00"], "datetime64[s]")
            frame = due_dates("cafcass-web", received, complainant="adult")
            print("matplotlib" in sys.modules)
            sim = analysis.simulate(
                years=1,
                parameters=analysis.SimulationParameters(complaints_per_year=50),
            )
            print("matplotlib" in sys.modules)
            analysis.plot_due_dates(sim)
            print("matplotlib" in sys.modules)
            """
        )
    )
    assert out.split() == ["False", "False", "True"]


# --------------------------------------------------------------------- the sweep scripts


def _scripts() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "modelling.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    found = [b for b in blocks if "Executor" in b or "get_executor" in b]
    return [(b.splitlines()[0].lstrip("# ").split(":")[0], b) for b in found]


def test_the_docs_sweep_examples_are_guarded_scripts() -> None:
    """Every pool or cluster example in the docs is a script with a __main__ guard."""
    scripts = _scripts()
    assert {name for name, _ in scripts} == {"sweep_seeds.py", "sweep_dask.py"}
    for _, code in scripts:
        assert 'if __name__ == "__main__":' in code


@pytest.mark.parametrize("index", [0, 1])
def test_the_docs_sweep_examples_run_as_scripts(tmp_path: Path, index: int) -> None:
    """Each sweep example runs with ``python script.py`` under the spawn start method too."""
    name, code = _scripts()[index]
    if "distributed" in code:
        pytest.importorskip("distributed")
    script = tmp_path / name
    script.write_text(
        "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)\n" + code,
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip()


# --------------------------------------------------------------------- the planner asks


def test_the_court_is_told_only_while_the_complaint_says_it_is_due(sim: Simulation) -> None:
    """Every simulated CourtNotified comes when the complaint's court track is ``due``."""
    told = 0
    for history in sim.histories:
        for k, event in enumerate(history):
            if isinstance(event, CourtNotified):
                before = Complaint.replay(history[:k])
                assert before.states.get("court") == "due", before.id
                told += 1
    assert told > 10


def test_the_planner_takes_the_courts_need_from_the_complaint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Change the complaint's rule so the court is never needed, and the planner tells the
    court no more: it reads the need from the complaint instead of deciding it itself."""
    assert any(isinstance(e, CourtNotified) for h in _court_sim().histories for e in h)
    slot = RouteStates.__dict__["court"]

    def read(self: RouteStates) -> str | None:
        value: str | None = slot.__get__(self, RouteStates)
        return "not-needed" if value == "due" else value

    def write(self: RouteStates, value: str | None) -> None:
        slot.__set__(self, value)

    monkeypatch.setattr(RouteStates, "court", property(read, write))
    histories = _court_sim().histories
    assert not any(isinstance(e, CourtNotified) for h in histories for e in h)


def _court_sim() -> Simulation:
    return simulate("cafcass-web", years=1, seed=11, parameters=SMALL)


def test_the_court_check_catches_a_planner_that_restates_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeded bug: a planner deciding the court's need itself (the rule as the simulator once
    restated it) still tells the court when the complaint says it need not be told."""
    from complaint_workflow.analysis import planner

    def restated(c: Complaint) -> bool:
        s = c.situation
        child_or_pj = s.complainant == "child" or "professional-judgement" in s.aspects
        return s.case_ongoing and child_or_pj and s.states.court in ("not-needed", "due")

    monkeypatch.setattr(planner, "_court_due", restated)
    with pytest.raises(AssertionError):
        test_the_planner_takes_the_courts_need_from_the_complaint(monkeypatch)
