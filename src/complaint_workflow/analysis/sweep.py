"""Sweeps over many policies or seeds, on any :class:`concurrent.futures.Executor`.

Nothing here distributes work itself: :func:`sweep` submits one call per item to the
executor it is given (a local process pool by default; ``client.get_executor()`` of a Dask
``distributed.Client`` to run on a cluster) and collects the results in order. Functions and
items must pickle, so pass module-level functions and plain values.

A process pool starts interpreters that import the calling script again, so a script that
sweeps keeps its work under ``if __name__ == "__main__":``
(``docs/modelling.md`` has both as scripts, which the tests run):

.. code-block:: python

    from concurrent.futures import ProcessPoolExecutor
    from complaint_workflow.analysis.sweep import simulate_many

    if __name__ == "__main__":
        with ProcessPoolExecutor(max_workers=2) as pool:
            frame = simulate_many([0, 1, 2, 3], policy="cafcass-2012", executor=pool)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from typing import Literal, TypeVar

import attrs
import pandas as pd

from ..errors import InvalidInputError
from ..policy import Policy
from .dtypes import concat
from .simulate import SimulationParameters, simulate

__all__ = ["SimulationTask", "run_task", "simulate_many", "sweep"]

_T = TypeVar("_T")
_R = TypeVar("_R")

Table = Literal["obligations", "complaints", "compliments"]


def sweep(
    function: Callable[[_T], _R],
    items: Iterable[_T],
    *,
    executor: Executor | None = None,
) -> list[_R]:
    """``[function(item) for item in items]``, each call submitted to ``executor``.

    Without an executor a ``ProcessPoolExecutor(max_workers=2)`` is made and shut down here.
    Results come back in the order of ``items``; the first failure is raised.
    """
    if not callable(function):
        raise InvalidInputError("function must be callable (a module-level function)")
    work = list(items)
    if executor is None:
        with ProcessPoolExecutor(max_workers=2) as pool:
            return _run(pool, function, work)
    if not isinstance(executor, Executor):
        raise InvalidInputError(
            f"executor must be a concurrent.futures.Executor (got {type(executor).__name__})"
        )
    return _run(executor, function, work)


def _run(executor: Executor, function: Callable[[_T], _R], work: list[_T]) -> list[_R]:
    futures = [executor.submit(function, item) for item in work]
    try:
        return [future.result() for future in futures]
    finally:
        for future in futures:
            future.cancel()  # after a failure, nothing more is started for us


@attrs.frozen
class SimulationTask:
    """One simulation of a sweep, as a plain picklable value."""

    policy: Policy | str = "cafcass-web"
    seed: int = 0
    years: int = 1
    start: date = date(2024, 1, 1)
    parameters: SimulationParameters | None = None
    table: Table = "obligations"


def run_task(task: SimulationTask) -> pd.DataFrame:
    """Run one task and return its table, with a ``seed`` column (``policy`` is already one)."""
    sim = simulate(
        task.policy,
        years=task.years,
        seed=task.seed,
        start=task.start,
        parameters=task.parameters,
    )
    frame: pd.DataFrame = getattr(sim, task.table).copy()
    frame.insert(0, "seed", task.seed)
    if "policy" not in frame.columns:
        frame.insert(0, "policy", sim.policy.id)
    return frame


def simulate_many(
    policies_or_seeds: Sequence[Policy | str | int | tuple[Policy | str, int]],
    *,
    policy: Policy | str = "cafcass-web",
    seed: int = 0,
    years: int = 1,
    start: date = date(2024, 1, 1),
    parameters: SimulationParameters | None = None,
    table: Table = "obligations",
    executor: Executor | None = None,
) -> pd.DataFrame:
    """Simulate once per item and concatenate one table of each (``obligations`` by default).

    An item is a seed (run under ``policy``), a policy or id (run with ``seed``), or a
    ``(policy, seed)`` pair. Each simulation is independent: a policy sweep draws its own
    caseload for each policy; to hold the complaints fixed, use ``whatif.compare``.
    """
    if table not in ("obligations", "complaints", "compliments"):
        raise InvalidInputError("table must be obligations, complaints or compliments")
    tasks = [
        _task(item, policy, seed, years, start, parameters, table) for item in policies_or_seeds
    ]
    if not tasks:
        raise InvalidInputError("simulate_many needs at least one policy or seed")
    frames = sweep(run_task, tasks, executor=executor)
    return concat(frames)


def _task(
    item: Policy | str | int | tuple[Policy | str, int],
    policy: Policy | str,
    seed: int,
    years: int,
    start: date,
    parameters: SimulationParameters | None,
    table: Table,
) -> SimulationTask:
    if isinstance(item, bool):
        raise InvalidInputError("an item must be a seed, a policy, or a (policy, seed) pair")
    if isinstance(item, int):
        return SimulationTask(policy, item, years, start, parameters, table)
    if isinstance(item, str | Policy):
        return SimulationTask(item, seed, years, start, parameters, table)
    if (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], str | Policy)
        and isinstance(item[1], int)
    ):
        return SimulationTask(item[0], item[1], years, start, parameters, table)
    raise InvalidInputError("an item must be a seed, a policy, or a (policy, seed) pair")
