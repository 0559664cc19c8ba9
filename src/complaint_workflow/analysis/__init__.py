"""Optional analysis tools (``pip install "complaint-workflow[analysis]"``).

numpy, pandas and matplotlib live here only; the core library never imports this package, and
this package imports matplotlib only when a figure is drawn.

- :class:`VectorCalendar` and :func:`due_dates`: the calendar and every obligation's due date
  over arrays, exactly equal to the scalar answers.
- :func:`simulate`: a seeded caseload simulation through the real route machines.
- :func:`compare` and :func:`summary`: the same simulated complaints under several policies.
- :func:`sweep` and :func:`simulate_many`: fan work out over any
  :class:`concurrent.futures.Executor` (a local process pool, or a Dask client's executor).
- :func:`quarterly_table`, :func:`plot_due_dates`, :func:`plot_breach_rates`: reports.

The simulation's parts are modules of their own: ``parameters`` (its inputs), ``axis`` (working
time on the :class:`VectorCalendar`), ``planner`` (which event comes next, asking the complaint)
and ``frames`` (the tidy frames); ``dtypes`` declares the categorical dtype of every column that
has one.
"""

from .deadlines import due_dates
from .reports import plot_breach_rates, plot_due_dates, quarterly_table
from .simulate import Distribution, Simulation, SimulationParameters, simulate
from .sweep import SimulationTask, run_task, simulate_many, sweep
from .vectorised import VectorCalendar
from .whatif import compare, replay_under, summary

__all__ = [
    "Distribution",
    "Simulation",
    "SimulationParameters",
    "SimulationTask",
    "VectorCalendar",
    "compare",
    "due_dates",
    "plot_breach_rates",
    "plot_due_dates",
    "quarterly_table",
    "replay_under",
    "run_task",
    "simulate",
    "simulate_many",
    "summary",
    "sweep",
]
