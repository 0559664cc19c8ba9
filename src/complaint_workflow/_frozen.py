"""Cheap internal copies of frozen values: a positional constructor that skips the checks.

Every event makes a new :class:`~complaint_workflow.situation.Situation` and a new
:class:`~complaint_workflow.Complaint`, each an attrs frozen, slotted class. Their generated
``__init__`` stores each field through ``object.__setattr__`` (a frozen class refuses plain
stores), which costs about four times a plain attribute store; for the 24-field situation
that was the largest single cost of :meth:`Complaint.apply
<complaint_workflow.Complaint.apply>`.

:func:`builder` makes, once per class, a constructor that stores the fields with plain
attribute stores into an instance of a *twin*: a class with exactly the same slots and no
``__setattr__`` of its own. It then sets the instance's class to the frozen class. Python
allows that ``__class__`` assignment only between classes of the same memory layout, which
the twin has by construction; :func:`builder` checks once, when it is called, that the class
qualifies (frozen, slotted, no weak-reference slot, no base class of its own, no converter,
no validator, no ``__attrs_post_init__``) and that an instance it builds equals one built
by the class itself.

The result is the frozen value the class's own ``__init__`` would have made from the same
values: same class, same fields, equal, hashable where the class is, still refusing every
attribute store afterwards. What it skips is only what the qualifying classes do not have,
so it is used for internal copies whose values the library made or checked itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["builder"]

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for the frozen attrs class ``cls``: ``build(*values)`` is
    equal to ``cls(*values)`` (every field given, in ``attrs.fields`` order), made with plain
    attribute stores. Raises ``TypeError`` when ``cls`` does not qualify (see the module)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    problems = _why_not(cls, names, fields)
    if problems:
        raise TypeError(f"{cls.__name__} cannot have an unchecked builder: {problems}")
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": cls.__slots__})  # type: ignore[attr-defined]
    params = ", ".join(f"v{i}" for i in range(len(names)))
    stores = "".join(f"    obj.{name} = v{i}\n" for i, name in enumerate(names))
    source = (
        f"def build_{cls.__name__}({params}):\n"
        "    obj = new(twin)\n"
        f"{stores}"
        "    obj.__class__ = cls\n"
        "    return obj\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "twin": twin, "cls": cls}
    exec(compile(source, f"<builder of {cls.__name__}>", "exec"), namespace)
    build: Callable[..., T] = namespace[f"build_{cls.__name__}"]
    sample = tuple(object() for _ in names)
    made = build(*sample)
    if type(made) is not cls or tuple(getattr(made, n) for n in names) != sample:
        raise TypeError(f"{cls.__name__}: the builder does not store what it is given")
    return build


def _why_not(cls: type[Any], names: tuple[str, ...], fields: Any) -> str:
    if cls.__bases__ != (object,):
        return "it has a base class"
    if getattr(cls, "__setattr__", None) is object.__setattr__:
        return "it is not frozen"
    if set(getattr(cls, "__slots__", ("__dict__",))) != set(names):
        return "its slots are not exactly its fields (declare it weakref_slot=False)"
    if hasattr(cls, "__attrs_post_init__"):
        return "it has __attrs_post_init__"
    if any(f.converter is not None or f.validator is not None for f in fields):
        return "a field has a converter or a validator"
    return ""
