"""The history's sequence: immutable views with O(1) amortised append."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_workflow.sequence import Timeline


def test_appending_leaves_the_older_view_unchanged() -> None:
    """A view appended to is unchanged, and the new view has one more item."""
    a = Timeline([1, 2])
    b = a.appended(3)
    assert list(a) == [1, 2]
    assert list(b) == [1, 2, 3]
    assert len(a) == 2
    assert len(b) == 3


def test_branching_from_an_older_view_copies() -> None:
    """Two different items appended to one view give two histories that never mix."""
    a = Timeline([1])
    b = a.appended(2)
    c = a.appended(3)
    assert (list(a), list(b), list(c)) == ([1], [1, 2], [1, 3])
    d = b.appended(4)
    assert list(d) == [1, 2, 4]
    assert list(c.appended(5)) == [1, 3, 5]


def test_indexing_slicing_equality_and_pickling() -> None:
    """A view indexes, slices and compares like a tuple, and pickles to an equal view."""
    a = Timeline(["x", "y"]).appended("z")
    assert a[0] == "x"
    assert a[-1] == "z"
    assert a[1:] == ("y", "z")
    assert a == ("x", "y", "z")
    assert a == Timeline(["x", "y", "z"])
    assert a != Timeline(["x", "y"])
    assert hash(a) == hash(("x", "y", "z"))
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(IndexError):
        a[3]
    with pytest.raises(IndexError):
        Timeline(["x"]).appended("y")[-3]


@given(st.lists(st.tuples(st.integers(0, 20), st.integers())))
def test_any_sequence_of_appends_matches_tuples(steps: list[tuple[int, int]]) -> None:
    """Appending to any earlier view gives exactly what tuple concatenation gives."""
    views: list[Timeline[int]] = [Timeline()]
    tuples: list[tuple[int, ...]] = [()]
    for which, item in steps:
        i = which % len(views)
        views.append(views[i].appended(item))
        tuples.append((*tuples[i], item))
    for view, expected in zip(views, tuples, strict=True):
        assert tuple(view) == expected
        assert len(view) == len(expected)


class _Raced(list[object]):
    """A list whose next append is preceded by another thread's (simulated, deterministic)."""

    def append(self, item: object) -> None:
        super().append("another thread's item")
        super().append(item)


def _unchecked_appended(view: Timeline[object], item: object) -> Timeline[object]:
    """The seeded bug: append in place whenever the lengths agreed, never looking again."""
    items, n = view._items, view._len
    if len(items) == n:
        items.append(item)
        return Timeline._view(items, n + 1)
    return Timeline._view([*items[:n], item], n + 1)


@pytest.mark.parametrize("append", [Timeline.appended, _unchecked_appended])
def test_an_append_raced_by_another_thread_gets_its_own_copy(append: object) -> None:
    """When another thread extends the shared list first, the new view still ends in its item."""
    view: Timeline[object] = Timeline._view(_Raced(["a", "b"]), 2)
    after = append(view, "mine")  # type: ignore[operator]
    if append is Timeline.appended:
        assert list(after) == ["a", "b", "mine"]
        assert list(view) == ["a", "b"]
    else:  # the seeded bug lets the other thread's item into this history
        assert list(after) != ["a", "b", "mine"]


def test_threads_appending_to_one_view_each_see_only_their_own_item() -> None:
    """Real threads racing appends on one fresh view per round: each view is the prefix plus
    its own item, and the view appended to is unchanged."""
    import sys
    import threading

    rounds, workers = 300, 6
    bases = [Timeline(range(3)) for _ in range(rounds)]
    wrong: list[tuple[int, int]] = []
    barrier = threading.Barrier(workers)

    def worker(k: int) -> None:
        for r, base in enumerate(bases):
            barrier.wait()  # every worker appends to the same fresh view at once
            view = base.appended(k)
            if list(view) != [0, 1, 2, k]:
                wrong.append((r, k))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []
    assert all(list(base) == [0, 1, 2] for base in bases)
