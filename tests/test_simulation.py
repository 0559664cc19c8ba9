"""Caseload simulation, what-if, sweeps and reports: reproducible, calibrated, the real rules."""

from __future__ import annotations

import importlib
import io
import math
import operator
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path

import attrs
import pandas as pd
import pytest
from matplotlib.figure import Figure

from complaint_workflow import Complaint, InvalidInputError, Policy, WorkingDays
from complaint_workflow.analysis.reports import plot_breach_rates, plot_due_dates, quarterly_table
from complaint_workflow.analysis.simulate import Simulation, SimulationParameters, simulate
from complaint_workflow.analysis.sweep import SimulationTask, run_task, simulate_many, sweep
from complaint_workflow.analysis.whatif import compare, replay_under, summary
from complaint_workflow.cli import main
from complaint_workflow.events import DelayUpdateSent
from complaint_workflow.reports import quarterly_counts

SMALL = SimulationParameters(complaints_per_year=250, compliments_per_year=120)


@pytest.fixture(scope="module")
def web() -> Simulation:
    return simulate("cafcass-web", years=1, seed=0)


@pytest.fixture(scope="module")
def compared(web: Simulation) -> pd.DataFrame:
    return compare(web, ["cafcass-2012", "cafcass-web"])


def assert_same(a: Simulation, b: Simulation) -> None:
    pd.testing.assert_frame_equal(a.complaints, b.complaints)
    pd.testing.assert_frame_equal(a.obligations, b.obligations)
    pd.testing.assert_frame_equal(a.compliments, b.compliments)
    assert a.events == b.events
    assert a.histories == b.histories


# --------------------------------------------------------------------- reproducibility


def test_the_same_seed_gives_equal_frames(web: Simulation) -> None:
    """Simulating again with the same seed gives equal frames, events and histories."""
    assert_same(web, simulate("cafcass-web", years=1, seed=0))


def test_a_different_seed_gives_different_frames(web: Simulation) -> None:
    """Another seed draws another caseload."""
    other = simulate("cafcass-web", years=1, seed=1)
    assert not other.complaints["received_at"].equals(web.complaints["received_at"])
    assert other.histories != web.histories


def test_nothing_reads_the_wall_clock() -> None:
    """No analysis module asks the clock; every instant comes from the seed and the start."""
    clock = re.compile(r"\.now\(|\.today\(|time\.time\(|perf_counter|monotonic|utcnow")
    for name in ("simulate", "whatif", "sweep", "reports"):
        module = importlib.import_module(f"complaint_workflow.analysis.{name}")
        assert module.__file__ is not None
        assert not clock.search(Path(module.__file__).read_text("utf-8")), module.__name__
    sim = simulate(years=1, seed=4, start=date(2031, 3, 1), parameters=SMALL)
    received = sim.complaints["received_at"]
    assert received.min() >= pd.Timestamp("2031-03-01", tz="Europe/London")
    assert received.max() < pd.Timestamp("2032-03-01", tz="Europe/London")


# --------------------------------------------------------------------- calibration


def test_rates_and_shares_match_the_parameters(web: Simulation) -> None:
    """A year holds about the configured complaints, compliments and shares (§7)."""
    p = web.parameters
    c = web.complaints
    assert abs(len(c) - p.complaints_per_year) < 4 * math.sqrt(p.complaints_per_year) + 10
    assert abs(len(web.compliments) - p.compliments_per_year) < 4 * math.sqrt(800) + 10
    assert abs((c["complainant"] == "child").mean() - p.child_share) < 0.02
    assert abs((c["complainant"] == "other").mean() - p.other_share) < 0.025
    weight = c["staff_named"].clip(lower=1).mean()
    assert abs(weight - p.mean_staff_weight) < 0.05
    smaller = simulate(years=2, seed=3, parameters=SMALL)
    assert abs(len(smaller.complaints) - 500) < 4 * math.sqrt(500) + 10


def test_receipts_fall_mostly_in_office_hours_and_deemed_receipt_matters(web: Simulation) -> None:
    """Most complaints arrive in office hours; the rest count from the next working day."""
    c = web.complaints
    assert 0.1 < c["out_of_hours"].mean() < 0.3
    later = c["deemed_receipt"].dt.date != c["received_at"].dt.date
    assert later.any()
    assert (later <= (c["out_of_hours"] | c["resubmitted"])).all()
    assert c["resubmitted"].any()


def test_every_complaint_is_followed_to_its_end(web: Simulation) -> None:
    """Each complaint is finished, and every route of the gate and the procedure occurs."""
    c = web.complaints
    assert c["finished"].all()
    assert {"early-resolution", "investigation", "outside-procedure", "quick-fix"} <= set(
        c["route"]
    )
    assert (c["events"].sum() + 2 * len(web.compliments)) == web.events
    assert len(web.histories) == len(c)


def test_every_history_replays_to_the_complaint_the_simulation_made(web: Simulation) -> None:
    """Replaying a history gives the same history, final state and obligations as the frames."""
    states = dict(zip(web.complaints["complaint_id"], web.complaints["state"], strict=True))
    owed = web.obligations.groupby("complaint_id")["obligation_id"].apply(list).to_dict()
    for history in web.histories:
        complaint = Complaint.replay(history)
        assert complaint.history == history
        assert complaint.state == states[complaint.id]
        ids = [o.id for o in complaint.obligations(web.observed_at)]
        assert ids == owed.get(complaint.id, [])


def test_staff_capacity_makes_responses_wait() -> None:
    """With two staff for every response, responses take longer than with no limit."""
    free = simulate(years=1, seed=5, parameters=SMALL)
    tight = simulate(years=1, seed=5, parameters=attrs.evolve(SMALL, staff_capacity=2))
    assert free.histories[0][0] == tight.histories[0][0]  # the same complaints arrive
    slow = tight.complaints["working_days_to_response"].mean()
    assert slow > free.complaints["working_days_to_response"].mean() + 1
    assert tight.complaints["finished"].all()


def test_bad_parameters_and_arguments_are_rejected() -> None:
    """A share outside 0-1, a bad year count or seed raises InvalidInputError."""
    with pytest.raises(InvalidInputError, match="child_share"):
        SimulationParameters(child_share=1.5)
    with pytest.raises(InvalidInputError, match="staff_named_distribution"):
        SimulationParameters(staff_named_distribution=(0.5, 0.2))
    with pytest.raises(InvalidInputError, match="years"):
        simulate(years=0)
    with pytest.raises(InvalidInputError, match="seed"):
        simulate(seed=-1)


# --------------------------------------------------------------------- what-if


def test_what_if_replays_identical_histories_with_each_policys_obligations(
    web: Simulation, compared: pd.DataFrame
) -> None:
    """Under each policy the events are the same; the obligations are the policy's own."""
    by_policy = {p: set(part["obligation_id"]) for p, part in compared.groupby("policy")}
    assert "response" not in by_policy["cafcass-web"]
    assert {"contact", "early-resolution", "investigation"} <= by_policy["cafcass-web"]
    assert "response" in by_policy["cafcass-2012"]
    assert not {"contact", "early-resolution", "investigation"} & by_policy["cafcass-2012"]
    for history in web.histories[:300]:
        for policy in (Policy.builtin("cafcass-2012"), Policy.builtin("cafcass-web")):
            complaint, dropped = replay_under(history, policy)
            if not dropped:
                assert complaint.history[1:] == history[1:]
            assert complaint.policy.id == policy.id
    web_rows = compared[compared["policy"] == "cafcass-web"].reset_index(drop=True)
    mine = web.obligations.reset_index(drop=True)
    pd.testing.assert_frame_equal(web_rows.drop(columns="delays_dropped"), mine)


def test_an_evolved_policy_is_compared_beside_the_built_ins(web: Simulation) -> None:
    """Shortening the investigation target to 15 working days makes more investigations late."""
    shorter = Policy.builtin("cafcass-web").evolve(
        id="web-15", targets={"investigation": WorkingDays(15)}
    )
    table = summary(compare(web, ["cafcass-web", shorter]))
    assert (
        table.loc["web-15", "late: investigation"] > table.loc["cafcass-web", "late: investigation"]
    )
    assert table.loc["web-15", "complaints"] == len(web.complaints)


def test_delay_updates_a_policy_does_not_need_are_left_out() -> None:
    """A delay update sent against the 15-day limit is refused under the 20-day web target."""
    params = attrs.evolve(SMALL, delay_update_share=1.0)
    sim = simulate("cafcass-2012", years=1, seed=2, parameters=params)
    assert any(isinstance(e, DelayUpdateSent) for h in sim.histories for e in h)
    df = compare(sim, ["cafcass-2012", "cafcass-web"])
    assert (df.loc[df["policy"] == "cafcass-2012", "delays_dropped"] == 0).all()
    assert (df.loc[df["policy"] == "cafcass-web", "delays_dropped"] > 0).any()
    assert df.attrs["dropped"] == {"cafcass-2012": 0, "cafcass-web": 0}


def test_summary_counts_late_responses_and_the_week_before_christmas(
    compared: pd.DataFrame,
) -> None:
    """The summary has one row per policy, late responses by complaint and a Christmas view."""
    table = summary(compared)
    assert list(table.index) == ["cafcass-2012", "cafcass-web"]
    rows = compared[
        (compared["policy"] == "cafcass-2012") & (compared["obligation_id"] == "response")
    ]
    assert table.loc["cafcass-2012", "late_responses"] >= rows["late"].sum()
    assert table.loc["cafcass-2012", "breached: response"] == rows["breached"].sum()
    assert table.loc["cafcass-web", "christmas_week_responses"] > 0
    for column in ("late_response_rate_christmas_week", "median_working_days_to_response"):
        assert 0 <= table.loc["cafcass-web", column] < 30


# --------------------------------------------------------------------- sweeps


def test_sweep_runs_on_a_local_process_pool() -> None:
    """A sweep on a process pool gives, in order, what running each task here gives."""
    assert sweep(operator.neg, [1, 2, 3]) == [-1, -2, -3]  # the default pool
    with ProcessPoolExecutor(max_workers=2) as pool:
        frame = simulate_many([1, 2], years=1, parameters=SMALL, executor=pool)
    expected = pd.concat(
        [run_task(SimulationTask(seed=s, parameters=SMALL)) for s in (1, 2)], ignore_index=True
    )
    pd.testing.assert_frame_equal(frame, expected)
    assert list(frame["seed"].unique()) == [1, 2]


def test_sweep_runs_on_a_local_dask_cluster() -> None:
    """A Dask client's executor runs the same sweep; policies and seeds both sweep."""
    distributed = pytest.importorskip("distributed")
    items = [("cafcass-2012", 1), "cafcass-web"]
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        frame = simulate_many(
            items, parameters=SMALL, table="complaints", executor=client.get_executor()
        )
    expected = sweep(
        run_task,
        [
            SimulationTask("cafcass-2012", 1, parameters=SMALL, table="complaints"),
            SimulationTask("cafcass-web", 0, parameters=SMALL, table="complaints"),
        ],
    )
    pd.testing.assert_frame_equal(frame, pd.concat(expected, ignore_index=True))


# --------------------------------------------------------------------- reports


def test_quarterly_table_counts_both_ways_as_the_core_report_does(web: Simulation) -> None:
    """Per staff member counts at least as many as per complaint, and both match the core."""
    per_complaint = quarterly_table(web)
    per_staff = quarterly_table(web, rule="per-staff-member")
    assert (per_staff["complaints"] >= per_complaint["complaints"]).all()
    assert per_staff["complaints"].sum() > per_complaint["complaints"].sum()
    assert per_complaint["complaints"].sum() == len(web.complaints)
    assert per_complaint["compliments"].sum() == len(web.compliments)
    replayed = [Complaint.replay(h) for h in web.histories]

    class Received:
        def __init__(self, at: datetime) -> None:
            self.received_at = at

    praised = [Received(t.to_pydatetime()) for t in web.compliments["received_at"]]
    for table, rule in ((per_complaint, "per-complaint"), (per_staff, "per-staff-member")):
        core = quarterly_counts(replayed, praised, rule=rule)  # type: ignore[arg-type]
        assert table.to_dict("index") == core
    with pytest.raises(InvalidInputError, match="rule"):
        quarterly_table(web, rule="per-case")  # type: ignore[arg-type]


def test_figures_are_matplotlib_figures(web: Simulation, compared: pd.DataFrame) -> None:
    """The due-date and breach-rate plots are Figures that save as PNG without a display."""
    for fig in (plot_due_dates(web), plot_due_dates(compared), plot_breach_rates(compared)):
        assert isinstance(fig, Figure)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        assert buffer.getvalue().startswith(b"\x89PNG")


# --------------------------------------------------------------------- the command


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        status = main(list(argv), out=out)
    finally:
        sys.stderr = old
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_simulate_writes_the_obligations(tmp_path: Path, suffix: str) -> None:
    """``simulate --out`` writes one row per obligation and prints a summary table."""
    path = tmp_path / f"obligations{suffix}"
    status, out, err = run(
        "simulate", "--policy", "cafcass-2012", "--years", "1", "--seed", "3", "--out", str(path)
    )
    assert status == 0, err
    frame = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    assert {"complaint_id", "obligation_id", "due", "status", "late"} <= set(frame.columns)
    assert f"obligations               {len(frame):,}" in out
    assert "late responses" in out
    assert "response" in out
    assert "breached" in out


def test_cli_simulate_rejects_a_bad_extension_in_one_line(tmp_path: Path) -> None:
    """An --out that is neither .parquet nor .csv is one error line and exit status 2."""
    status, out, err = run("simulate", "--out", str(tmp_path / "x.xlsx"))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("complaint-workflow: error: --out must end in .parquet or .csv")
    assert not (tmp_path / "x.xlsx").exists()
    status, _, err = run("simulate", "--years", "0")
    assert status == 2
    assert err.count("\n") == 1
