"""An immutable sequence with O(1) amortised append: a complaint's history.

``Complaint.apply`` returns a new complaint whose history is the old one plus one event.
Copying a tuple for that is O(n) per event, so a history of n events costs O(n²) to build.
:class:`Timeline` shares one growing list between every version: a version is a view of
its first ``len`` items, and appending to the newest view appends to the shared list in
place. Appending to an older view (a branch: two different events applied to the same
complaint) copies its items first, so no view ever sees an item it did not have. Every view
is immutable from the outside: it can be indexed, sliced, iterated and compared, never
changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

__all__ = ["Timeline"]

T = TypeVar("T")


class Timeline(Sequence[T], Generic[T]):
    """An immutable view of the first ``len(self)`` items of a shared, growing list."""

    __slots__ = ("_items", "_len")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items: list[T] = list(items)
        self._len = len(self._items)

    @classmethod
    def _view(cls, items: list[T], length: int) -> Timeline[T]:
        view: Timeline[T] = cls.__new__(cls)
        view._items = items
        view._len = length
        return view

    def appended(self, item: T) -> Timeline[T]:
        """A new view with ``item`` after this view's items; this view is unchanged.

        Safe for threads without a lock: ``list.append`` is atomic, and the item is kept in
        place only if it landed right after this view's items. When another thread appended
        first, this one's item is left beyond every view's end (no view ever sees it; the
        other thread's next append copies once, as for a branch) and the new view gets its
        own copy, as for a branch.
        """
        items, n = self._items, self._len
        if len(items) == n:
            items.append(item)
            if items[n] is item:
                return self._view(items, n + 1)
        fresh = items[:n]
        fresh.append(item)
        return self._view(fresh, n + 1)

    def prefix(self, n: int) -> Timeline[T]:
        """A view of the first ``n`` items (``0 <= n <= len(self)``), sharing this one's list."""
        if not 0 <= n <= self._len:
            raise IndexError("prefix longer than the history")
        return self._view(self._items, n)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self._items[: self._len][index])
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("history index out of range")
        return self._items[index]

    def __iter__(self) -> Iterator[T]:
        items, n = self._items, self._len
        for i in range(n):
            yield items[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Timeline):
            if self._len != other._len:
                return False
            if self._items is other._items:
                return True
            return all(a == b for a, b in zip(self, other, strict=True))
        if isinstance(other, tuple):
            return self._len == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Timeline({len(self)} items)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Timeline, (list(self),))
