"""Cheap internal copies of frozen values: a positional constructor that skips the checks.

Every event makes a new :class:`~complaint_workflow.situation.Situation` and a new
:class:`~complaint_workflow.Complaint`, each an attrs frozen, slotted class. Their generated
``__init__`` stores each field through ``object.__setattr__`` (a frozen class refuses plain
stores), which costs about four times a plain attribute store; for the 24-field situation
that was the largest single cost of :meth:`Complaint.apply
<complaint_workflow.Complaint.apply>`.

:func:`builder` makes, once per class, a constructor that stores the fields with plain
attribute stores into an instance of a *twin*: a class with exactly the same slots and no
``__setattr__`` of its own. It then sets the instance's class to the frozen class.

Two kinds of condition decide which classes qualify, and :func:`builder` checks both once,
when it is called:

- *Nothing skipped that matters:* the class's own ``__init__`` must only store its fields, so
  no converter or validator, no ``__attrs_pre_init__`` or ``__attrs_post_init__``, no
  ``init=False`` field (which ``__init__`` would set to its default), no base class of its
  own. :func:`evolver` also refuses a field given to ``__init__`` by another name (a private
  field), which ``attrs.evolve`` takes by that name.
- *The class assignment must be allowed:* Python assigns ``__class__`` only between classes
  of the same memory layout, and it does not count two classes with a weak-reference slot
  as the same layout even when their slots are identical; a cached hash adds a slot the
  fields do not have. So the class must be slotted with exactly its fields as slots
  (declared ``weakref_slot=False``, no ``cache_hash``). The assignment is then tried once.

:func:`evolver` makes a copy of an existing value with some fields replaced (``attrs.evolve``
without the checks): every other field is read from the original.

The result is the frozen value the class's own ``__init__`` would have made from the same
values: same class, same fields, equal, hashable where the class is, still refusing every
attribute store afterwards. What it skips is only what the qualifying classes do not have,
so it is used for internal copies whose values the library made or checked itself.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs

__all__ = ["builder", "evolver"]

T = TypeVar("T")


_FREE_THREADED: Final = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
"""On a free-threaded build, assigning ``__class__`` may pause every thread: there the class's
own constructor and ``attrs.evolve`` are used instead (same values, the usual cost)."""


def builder(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for the frozen attrs class ``cls``: ``build(*values)`` is
    equal to ``cls(*values)`` (every field given, in ``attrs.fields`` order), made with plain
    attribute stores. Raises ``TypeError`` when ``cls`` does not qualify (see the module)."""
    names = _fields_of(cls)
    if _FREE_THREADED:  # pragma: no cover - not the build CI runs
        return cls
    params = ", ".join(f"v{i}" for i in range(len(names)))
    stores = "".join(f"    obj.{name} = v{i}\n" for i, name in enumerate(names))
    return _compiled(cls, "build", params, stores)


def evolver(cls: type[T], always: tuple[str, ...] = ()) -> Callable[..., T]:
    """A copy-with-changes for the frozen attrs class ``cls``, made like :func:`builder`'s.

    ``evolve(src, *new_always, changes)`` is equal to ``attrs.evolve(src, **dict(zip(always,
    new_always)), **changes)``: every field read from ``src`` and stored plainly, the fields
    named in ``always`` given positionally, then each of ``changes`` (a mapping of field names
    to values; a name that is not a field raises ``AttributeError``; ``changes`` must not
    name a field of ``always``, which ``attrs.evolve`` would refuse and this lets win).
    """
    names = _fields_of(cls)
    aliased = [f.name for f in attrs.fields(cls) if f.alias != f.name]  # type: ignore[arg-type]
    if aliased:  # attrs.evolve takes these by their alias, a change here by the name
        raise TypeError(f"{cls.__name__} has fields given by another name: {aliased}")
    unknown = set(always) - set(names)
    if unknown:
        raise TypeError(f"{cls.__name__} has no fields {sorted(unknown)}")
    if _FREE_THREADED:  # pragma: no cover - not the build CI runs

        def plain(src: T, *values: Any) -> T:
            *given, changes = values
            return attrs.evolve(src, **dict(zip(always, given, strict=True)), **changes)  # type: ignore[misc]

        return plain
    params = ", ".join(["src", *(f"new_{n}" for n in always), "changes"])
    stores = "".join(
        f"    obj.{n} = new_{n}\n" if n in always else f"    obj.{n} = src.{n}\n" for n in names
    )
    stores += "    for name, value in changes.items():\n        put(obj, name, value)\n"
    return _compiled(cls, "evolve", params, stores)


def _fields_of(cls: type[Any]) -> tuple[str, ...]:
    fields = attrs.fields(cls)
    names = tuple(f.name for f in fields)
    problems = _why_not(cls, names, fields)
    if problems:
        raise TypeError(f"{cls.__name__} cannot have an unchecked builder: {problems}")
    return names


def _compiled(cls: type[T], kind: str, params: str, stores: str) -> Callable[..., T]:
    """Compile ``kind``'s function: a new twin, ``stores``, then the frozen class."""
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": cls.__slots__})  # type: ignore[attr-defined]
    source = (
        f"def {kind}_{cls.__name__}({params}):\n"
        "    obj = new(twin)\n"
        f"{stores}"
        "    obj.__class__ = cls\n"
        "    return obj\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "twin": twin, "cls": cls, "put": setattr}
    exec(compile(source, f"<{kind} of {cls.__name__}>", "exec"), namespace)
    made: Callable[..., T] = namespace[f"{kind}_{cls.__name__}"]
    _check_layout(cls, twin)
    return made


def _check_layout(cls: type[Any], twin: type[Any]) -> None:
    """Python refuses the class assignment unless the layouts agree: try it once now."""
    obj = object.__new__(twin)
    try:
        obj.__class__ = cls
    except TypeError as exc:  # pragma: no cover - _why_not refuses what would fail here
        raise TypeError(f"{cls.__name__}: {exc}") from None


def _why_not(cls: type[Any], names: tuple[str, ...], fields: Any) -> str:
    """Why ``cls``'s own ``__init__`` (or ``attrs.evolve``) would do more than store the
    fields it is given, or ``""``."""
    if cls.__bases__ != (object,):
        return "it has a base class"
    if getattr(cls, "__setattr__", None) is object.__setattr__:
        return "it is not frozen"
    slots = set(getattr(cls, "__slots__", ("__dict__",)))
    if slots - set(names) == {"__weakref__"}:
        return "it has a weak-reference slot (declare it weakref_slot=False)"
    if slots != set(names):
        return "its slots are not exactly its fields (a cached hash, or no slots)"
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            return f"it has {hook}"
    for f in fields:
        if f.converter is not None or f.validator is not None:
            return f"field {f.name} has a converter or a validator"
        if not f.init:
            return f"field {f.name} is not set by __init__ (init=False)"
    return ""
