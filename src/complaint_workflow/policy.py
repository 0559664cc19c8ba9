"""Policy versions: the procedure's timescales as data.

A :class:`Policy` is a frozen value read from a TOML file: an id, a title, its source, a set
of named :class:`Parameters` (one per ambiguity of the texts, docs/policies.md) and its
:class:`Target` s. Two ship built in: ``cafcass-2012`` (the written procedure) and
``cafcass-web`` (the current web page, written as ``cafcass-2012`` evolved). Analysts make
variants with :meth:`Policy.evolve` or their own files, and compare with :meth:`Policy.diff`.

One validation: every rule about a field lives once, in the attrs validators of these
classes (and of the durations), and holds however a value is made: in Python, by ``evolve``
or from a file. The TOML reader parses with ``tomllib``, resolves ``extends`` and ``drop``,
and structures the document into the classes with the library's one cattrs converter, whose
hooks for these classes pass every value through untouched; what the converter itself
refuses is only the shape (an unknown key, a missing ``id``, a table where a list belongs).
A policy file names every problem it has: :class:`~complaint_workflow.errors.PolicyError`
carries the file, the path of the key (``targets[3].working_days``) and what was expected,
and nothing else escapes the loader.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs

from .durations import DURATION_TYPES, Duration, WeekLength
from .errors import PolicyError, bounded_repr
from .vocabulary import ACTS, ASPECTS, STRENGTHS, TARGET_ROUTES, TRIGGERS, Act, Anchor, Strength
from .vocabulary import ANCHORS as _ANCHORS

if TYPE_CHECKING:
    import cattrs

    from .calendar import WorkingDayCalendar

__all__ = [
    "ACTS",
    "ANCHORS",
    "ASPECTS",
    "COMPLAINANTS",
    "ROUTES",
    "TARGET_IDS",
    "TRIGGERS",
    "Anchor",
    "Parameters",
    "Policy",
    "PolicyChange",
    "Strength",
    "Target",
]

ANCHORS: Final[tuple[str, ...]] = _ANCHORS
ROUTES: Final[tuple[str, ...]] = TARGET_ROUTES
"""Where a target applies: the full procedure (any triage), one triage route, or outside it."""
COMPLAINANTS: Final = ("adult", "child", "other")
TARGET_IDS: Final = (
    "forward-to-cst",
    "contact",
    "early-resolution",
    "investigation",
    "response",
    "response-before-hearing",
    "court-notification",
    "meeting-offer",
    "court-update",
    "outside-response",
    "six-month-limit",
)
"""The target ids both built-ins use; other code relies on them."""

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]
_UNSHOWN: Final = object()


def _policy_error(where: str, key: str, expected: str, got: object = _UNSHOWN) -> PolicyError:
    """``{where}: {key} must be {expected} (got ...)``, its parts kept on the error."""
    shown = None if got is _UNSHOWN else _short(list(got) if isinstance(got, tuple) else got)
    message = f"{where}: {key} must be {expected}" + ("" if shown is None else f" (got {shown})")
    return PolicyError(message, field=key, expected=expected, got=shown)


def _short(value: object) -> str:
    return bounded_repr(value, 60)  # safe on huge and deeply nested values


def _rule(holds: Callable[[Any], bool], expected: str) -> _Validator:
    """An attrs validator: the one check of a field, however its value was made."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not holds(value):
            raise _policy_error(type(instance).__name__, attribute.name, expected, value)

    return check


def _one_of(choices: tuple[str, ...]) -> _Validator:
    return _rule(lambda v: v in choices, f"one of {', '.join(choices)}")


def _each_of(choices: tuple[str, ...]) -> _Validator:
    return _rule(
        lambda v: isinstance(v, tuple) and all(x in choices for x in v),
        f"a list drawn from {', '.join(choices)}",
    )


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    # Lists become tuples (frozen state holds tuples); anything else is left for the validator.
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


# Exact types: a TOML ``true`` is not a number, nor ``1`` a boolean.
_A_BOOL: Final = _rule(lambda v: type(v) is bool, "true or false")
_A_STRING: Final = _rule(lambda v: type(v) is str, "a string")
_AN_ID: Final = _rule(_is_id, "a string of lowercase letters, digits and '-'")
_IDS: Final = _rule(lambda v: isinstance(v, tuple) and all(map(_is_id, v)), "a list of target ids")
_A_DURATION: Final = _rule(
    lambda v: isinstance(v, tuple(DURATION_TYPES.values())),
    "WorkingDays, CalendarDays, Weeks or Months",
)


PARAMETER_CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "week_length": get_args(WeekLength),
    "six_month_compares": ("received-date", "deemed-receipt"),
    "response_before_hearing": ("whenever-hearing-known", "only-if-before-limit"),
    "quick_fix_counts_from": ("escalation", "original-receipt"),
    "exceptional_counts_from": ("decision", "original-receipt"),
}


@attrs.frozen(cache_hash=True)
class Parameters:
    """The named answers to the procedure texts' ambiguities (see docs/policies.md).

    Defaults are the project's reading; ``docs/policies.md`` gives the reason for each.
    """

    week_length: WeekLength = attrs.field(
        default="calendar", validator=_one_of(PARAMETER_CHOICES["week_length"])
    )
    """"one week" is 7 calendar days (``calendar``) or 5 working days (``working``)."""
    cutoff: time | None = attrs.field(
        default=None,
        validator=_rule(
            lambda v: v is None or (isinstance(v, time) and v.tzinfo is None),
            "a time such as 17:00, without a UTC offset",
        ),
    )
    """London time after which a complaint counts as received the next day; none by default."""
    at_risk_working_days: int = attrs.field(
        default=1, validator=_rule(lambda v: type(v) is int and 0 <= v <= 60, "a whole number 0-60")
    )
    """An open obligation is ``at-risk`` once no more than this many working days remain,
    counting the due date (1: on the due date itself; 0: never before it is missed)."""
    delay_extends: bool = attrs.field(default=True, validator=_A_BOOL)
    """A delay update sent before the due date extends it to the new expected date (§4.12)."""
    six_month_compares: Literal["received-date", "deemed-receipt"] = attrs.field(
        default="received-date", validator=_one_of(PARAMETER_CHOICES["six_month_compares"])
    )
    """Which date is held against the six-month limit: the London date received, or day 0."""
    response_before_hearing: Literal["whenever-hearing-known", "only-if-before-limit"] = (
        attrs.field(
            default="whenever-hearing-known",
            validator=_one_of(PARAMETER_CHOICES["response_before_hearing"]),
        )
    )
    """When the 5-working-days-before-the-hearing target exists."""
    quick_fix_counts_from: Literal["escalation", "original-receipt"] = attrs.field(
        default="escalation", validator=_one_of(PARAMETER_CHOICES["quick_fix_counts_from"])
    )
    """A quick fix the complainant is unhappy with enters the procedure: counted from when."""
    exceptional_counts_from: Literal["decision", "original-receipt"] = attrs.field(
        default="decision", validator=_one_of(PARAMETER_CHOICES["exceptional_counts_from"])
    )
    """A late complaint accepted for exceptional circumstances is counted from when."""


PARAMETER_NAMES: Final = tuple(a.name for a in attrs.fields(Parameters))


@attrs.frozen(cache_hash=True)
class Target:
    """One timescale of the procedure: what is owed, measured how, from what, how firmly.

    ``routes`` says where it applies (``procedure`` covers every complaint in the full
    procedure); ``triggers``, when not empty, makes it apply only to a child's complaint or
    one with a listed aspect. ``owed_by="complainant"`` marks a limit on the complainant (the
    six-month rule), which is not an obligation of Cafcass.
    """

    id: str = attrs.field(validator=_AN_ID)
    duration: Duration = attrs.field(validator=_A_DURATION)
    """In a file, one key names the unit and gives the count: ``working_days = 15``,
    ``calendar_days``, ``weeks`` or ``months``."""
    anchor: Anchor = attrs.field(default="receipt", validator=_one_of(ANCHORS))
    strength: Strength = attrs.field(default="hard", validator=_one_of(STRENGTHS))
    clause: str = attrs.field(default="", validator=_A_STRING)
    description: str = attrs.field(default="", validator=_A_STRING)
    routes: tuple[str, ...] = attrs.field(
        default=("procedure",), converter=_to_tuple, validator=_each_of(ROUTES)
    )
    triggers: tuple[str, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_each_of(TRIGGERS)
    )
    owed_by: Literal["cafcass", "complainant"] = attrs.field(
        default="cafcass", validator=_one_of(("cafcass", "complainant"))
    )
    met_by: Act = attrs.field(default="response", validator=_one_of(ACTS))
    """The recorded act that meets it: ``response`` unless the file says otherwise."""
    restarts: bool = attrs.field(default=True, validator=_A_BOOL)
    """For a receipt anchor: whether the count starts again when the procedure's clock starts
    later (a quick fix escalated, a late complaint accepted; ``Parameters`` say when). False
    for what is owed on the actual receipt whatever follows (passing it to the CST)."""
    kept_when_met: bool = attrs.field(default=False, validator=_A_BOOL)
    """Still listed, as met, after the complaint leaves the target's routes (e.g. a complaint
    passed to the CST, then found to be a repeat)."""
    weighed_against: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=_IDS)
    """The limits this target is weighed against, in order: under the parameter
    ``response_before_hearing = "only-if-before-limit"`` it is owed only when it falls before
    the due date of the first of them that applies (the 5-days-before-the-hearing target
    against the response limit)."""

    @property
    def backward(self) -> bool:
        """Whether the target counts back from its anchor (a date before the hearing)."""
        return self.anchor == "hearing"

    def due(self, anchor: date, calendar: WorkingDayCalendar, parameters: Parameters) -> date:
        """The due date for an anchor date, on a calendar, under the policy's parameters."""
        if self.backward:
            return self.duration.before(anchor, calendar, parameters.week_length)
        return self.duration.after(anchor, calendar, parameters.week_length)

    def describe(self, parameters: Parameters | None = None) -> str:
        """Plain words: ``'15 working days after receipt'``, ``'1 week (7 calendar days) ...'``."""
        text = str(self.duration)
        if parameters is not None and self.duration.key == "weeks":
            days = (
                7 * self.duration.n if parameters.week_length == "calendar" else 5 * self.duration.n
            )
            kind = "calendar" if parameters.week_length == "calendar" else "working"
            text += f" ({days} {kind} days)"
        anchor = self.anchor.replace("-", " ")
        return f"{text} {'before the' if self.backward else 'after'} {anchor}"


@attrs.frozen
class PolicyChange:
    """One difference between two policies: a dotted path and its value in each."""

    path: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        return f"{self.path}: {self.before or '(none)'} -> {self.after or '(none)'}"


def _check_targets(instance: Policy, attribute: attrs.Attribute[Any], value: Any) -> None:
    tables = "an array of tables ([[targets]]; in Python, a tuple of Target)"
    if not isinstance(value, tuple):
        raise _policy_error("Policy", "targets", tables, value)
    seen: set[str] = set()
    for index, target in enumerate(value):
        if not isinstance(target, Target):
            table = "a table ([[targets]]; in Python, a Target)"
            raise _policy_error("Policy", f"targets[{index}]", table, target)
        if target.id in seen:
            raise _policy_error(
                "Policy", f"targets[{index}].id", "unique among the targets", target.id
            )
        seen.add(target.id)


@attrs.frozen(cache_hash=True)
class Policy:
    """A policy version: timescales and parameters under one id.

    >>> from complaint_workflow import WorkingDays
    >>> web = Policy.builtin("cafcass-web")
    >>> web.target("investigation").describe()
    '20 working days after receipt'
    >>> variant = web.evolve(id="web-15", targets={"investigation": WorkingDays(15)})
    >>> for change in web.diff(variant):
    ...     print(change)
    id: cafcass-web -> web-15
    targets.investigation.duration: 20 working days -> 15 working days
    """

    id: str = attrs.field(validator=_AN_ID)
    title: str = attrs.field(default="", validator=_A_STRING)
    source: str = attrs.field(default="", validator=_A_STRING)
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_check_targets
    )
    parameters: Parameters = attrs.field(
        factory=Parameters,
        validator=_rule(
            lambda v: isinstance(v, Parameters), "a table ([parameters]; in Python, a Parameters)"
        ),
    )

    # ----------------------------------------------------------------- loading

    @staticmethod
    def builtin_ids() -> tuple[str, ...]:
        """The ids of the policies shipped with the library."""
        return BUILTIN_IDS

    @classmethod
    def builtin(cls, policy_id: str) -> Policy:
        """A built-in policy: ``cafcass-2012`` or ``cafcass-web``."""
        if not isinstance(policy_id, str) or policy_id not in BUILTIN_IDS:
            raise PolicyError(
                f"unknown policy {_short(policy_id)}; expected one of {', '.join(BUILTIN_IDS)} "
                "or a path to a .toml file"
            )
        return _builtin(policy_id)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Policy:
        """Read a policy from a TOML file (see ``docs/policies.md`` for the format)."""
        if not isinstance(path, str | os.PathLike):
            raise PolicyError(f"expected a path to a .toml file (got {type(path).__name__})")
        where = os.fspath(path)
        if not isinstance(where, str):
            raise PolicyError("expected a str path to a .toml file (got bytes)")
        if len(where) > 200:
            where = where[:197] + "..."
        raw = _read_regular_file(Path(path), where)
        return _load(raw, where, Path(path).resolve().parent, depth=0)

    @classmethod
    def from_toml_text(cls, text: str | bytes, *, name: str = "<string>") -> Policy:
        """Read a policy from TOML text; ``name`` stands for the file in messages."""
        if not isinstance(text, str | bytes):
            raise PolicyError(f"{name}: expected TOML text (got {type(text).__name__})")
        try:
            raw = text.encode("utf-8") if isinstance(text, str) else text
        except UnicodeEncodeError:
            raise PolicyError(
                f"{name}: the text must be valid Unicode (a lone surrogate?)"
            ) from None
        return _load(raw, name, Path.cwd(), depth=0)

    @classmethod
    def from_embedded_toml(cls, text: str, *, name: str, parent: Callable[[str], Policy]) -> Policy:
        """Read a policy embedded in a document (a JSON history): it never reads a file.

        Its ``extends`` may name only what ``parent`` resolves (a built-in id or another
        policy of the same document); ``parent`` raises :class:`PolicyError` for anything
        else. A path in ``extends`` is refused.
        """
        if not isinstance(text, str):
            raise PolicyError(f"{name}: expected TOML text (got {type(text).__name__})")
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:
            raise PolicyError(
                f"{name}: the text must be valid Unicode (a lone surrogate?)"
            ) from None
        return _load(raw, name, None, depth=0, parent=parent)

    @classmethod
    def load(cls, id_or_path: str | os.PathLike[str]) -> Policy:
        """A built-in by id, or a TOML file by path."""
        if not isinstance(id_or_path, str | os.PathLike):
            raise PolicyError(
                f"expected a built-in policy id or a .toml path (got {type(id_or_path).__name__})"
            )
        if isinstance(id_or_path, str) and id_or_path in BUILTIN_IDS:
            return cls.builtin(id_or_path)
        if isinstance(id_or_path, str) and not id_or_path.endswith(".toml"):
            return cls.builtin(id_or_path)  # raises a clear "unknown policy"
        return cls.from_toml(id_or_path)

    def to_toml(self) -> str:
        """This policy as a self-contained TOML document; ``from_toml_text`` reads it back equal."""
        import tomli_w  # imported here: only writing a policy needs it

        head = {"id": self.id, "title": self.title, "source": self.source}
        targets = [_target_table(t) for t in self.targets]
        parameters = _parameters_table(self.parameters)
        document = {k: v for k, v in head.items() if v} | {"parameters": parameters}
        return tomli_w.dumps(document | {"targets": targets})

    # ----------------------------------------------------------------- using

    def get(self, target_id: str) -> Target | None:
        """The target with this id, or ``None``."""
        return next((t for t in self.targets if t.id == target_id), None)

    def target(self, target_id: str) -> Target:
        """The target with this id; :class:`PolicyError` if the policy has none."""
        found = self.get(target_id)
        if found is None:
            raise PolicyError(
                f"policy {self.id!r} has no target {_short(target_id)}; it has "
                f"{', '.join(t.id for t in self.targets)}"
            )
        return found

    def evolve(
        self,
        *,
        id: str | None = None,
        title: str | None = None,
        source: str | None = None,
        targets: Mapping[str, Target | Duration | None] | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Policy:
        """A variant of this policy; every change is validated as a file would be.

        ``targets`` maps a target id to a new :class:`Target` (replacing or adding it), to a
        duration (changing only how it is measured), or to ``None`` (dropping it).
        ``parameters`` maps parameter names to new values.
        """
        for name, given in (("targets", targets), ("parameters", parameters)):
            if given is not None and not isinstance(given, Mapping):
                raise _policy_error(
                    f"evolve of {self.id!r}", name, "a mapping", type(given).__name__
                )
        new_targets = list(self.targets)
        for target_id, change in (targets or {}).items():
            index = next((i for i, t in enumerate(new_targets) if t.id == target_id), None)
            if change is None:
                if index is None:
                    raise _policy_error(
                        f"evolve of {self.id!r}",
                        f"targets[{target_id!r}]",
                        "an existing target id to drop",
                    )
                del new_targets[index]
            elif isinstance(change, Target):
                if change.id != target_id:
                    raise _policy_error(
                        f"evolve of {self.id!r}",
                        f"targets[{target_id!r}]",
                        "a Target with the same id",
                        change.id,
                    )
                if index is None:
                    new_targets.append(change)
                else:
                    new_targets[index] = change
            elif isinstance(change, tuple(DURATION_TYPES.values())):
                if index is None:
                    raise _policy_error(
                        f"evolve of {self.id!r}",
                        f"targets[{target_id!r}]",
                        "an existing target id (pass a Target to add one)",
                    )
                new_targets[index] = attrs.evolve(new_targets[index], duration=change)
            else:
                raise _policy_error(
                    f"evolve of {self.id!r}",
                    f"targets[{target_id!r}]",
                    "a Target, a duration or None",
                    change,
                )
        new_parameters = self.parameters
        if parameters:
            unknown = sorted(set(parameters) - set(PARAMETER_NAMES))
            if unknown:
                raise _policy_error(
                    f"evolve of {self.id!r}",
                    f"parameters.{unknown[0]}",
                    f"one of {', '.join(PARAMETER_NAMES)}",
                )
            new_parameters = attrs.evolve(self.parameters, **parameters)
        return Policy(
            id=self.id if id is None else id,
            title=self.title if title is None else title,
            source=self.source if source is None else source,
            targets=tuple(new_targets),
            parameters=new_parameters,
        )

    def diff(self, other: Policy) -> tuple[PolicyChange, ...]:
        """What differs from ``self`` to ``other``, path by path (empty if equal)."""
        if not isinstance(other, Policy):
            raise PolicyError(f"diff needs another Policy (got {type(other).__name__})")
        changes: list[PolicyChange] = []
        for name in ("id", "title", "source"):
            a, b = getattr(self, name), getattr(other, name)
            if a != b:
                changes.append(PolicyChange(name, a, b))
        for name in PARAMETER_NAMES:
            a, b = getattr(self.parameters, name), getattr(other.parameters, name)
            if a != b:
                changes.append(PolicyChange(f"parameters.{name}", _plain(a), _plain(b)))
        mine = {t.id: t for t in self.targets}
        theirs = {t.id: t for t in other.targets}
        for target_id in [*mine, *(i for i in theirs if i not in mine)]:
            a_t, b_t = mine.get(target_id), theirs.get(target_id)
            if a_t is None or b_t is None:
                changes.append(
                    PolicyChange(
                        f"targets.{target_id}",
                        None if a_t is None else a_t.describe(self.parameters),
                        None if b_t is None else b_t.describe(other.parameters),
                    )
                )
                continue
            for field in attrs.fields(Target):
                a, b = getattr(a_t, field.name), getattr(b_t, field.name)
                if a != b:
                    changes.append(
                        PolicyChange(f"targets.{target_id}.{field.name}", _plain(a), _plain(b))
                    )
        return tuple(changes)


def _plain(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return value.isoformat("minutes")
    return str(value)


def _toml_plain(value: object) -> object:
    """A value as tomli-w writes it: booleans, integers, times and strings as they are,
    tuples as lists of strings, anything else as its string."""
    if isinstance(value, bool | int | time | str):
        return value
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return str(value)


def _target_table(t: Target) -> dict[str, Any]:
    """A target as its ``[[targets]]`` table: what ``to_toml`` writes and ``extends`` inherits."""
    entry: dict[str, Any] = {"id": t.id, t.duration.key: t.duration.n}
    entry |= {"anchor": t.anchor, "strength": t.strength}
    entry |= {k: v for k, v in (("clause", t.clause), ("description", t.description)) if v}
    entry["routes"] = list(t.routes)
    entry |= {"triggers": list(t.triggers)} if t.triggers else {}
    entry |= {"owed_by": t.owed_by} if t.owed_by != "cafcass" else {}
    entry |= {"met_by": t.met_by, "restarts": t.restarts, "kept_when_met": t.kept_when_met}
    entry |= {"weighed_against": _toml_plain(t.weighed_against)} if t.weighed_against else {}
    return entry


def _parameters_table(parameters: Parameters) -> dict[str, Any]:
    """The parameters as their ``[parameters]`` table (a cutoff of none is left out)."""
    return {
        name: _toml_plain(value)
        for name in PARAMETER_NAMES
        if (value := getattr(parameters, name)) is not None
    }


# --------------------------------------------------------------------- the loader

_FILE_KEYS: Final[dict[type, tuple[str, ...]]] = {
    Policy: tuple(sorted({a.name for a in attrs.fields(Policy)} | {"extends", "drop"})),
    Target: tuple(
        sorted({a.name for a in attrs.fields(Target)} - {"duration"} | {*DURATION_TYPES})
    ),
    Parameters: PARAMETER_NAMES,
}
"""The keys a file may use in each table (a target spells its duration by its unit)."""
_MAX_EXTENDS: Final = 8
MAX_POLICY_BYTES: Final = 1_000_000
"""The largest policy file read (the built-ins are about 4 kB)."""
MAX_TOML_DEPTH: Final = 16
"""The deepest nesting of arrays and tables a policy file may have (a valid one has 3)."""


def _read_regular_file(path: Path, where: str) -> bytes:
    """The bytes of a regular file; a FIFO, device or directory is refused before reading."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise PolicyError(f"{where}: cannot read the file ({exc.strerror or exc})") from None
    except ValueError:  # e.g. an embedded NUL in the path
        raise PolicyError(f"{where}: not a valid path") from None
    if not stat.S_ISREG(info.st_mode):
        raise PolicyError(f"{where}: not a regular file (a FIFO, device or directory?)")
    if info.st_size > MAX_POLICY_BYTES:
        raise PolicyError(f"{where}: larger than {MAX_POLICY_BYTES} bytes; not a policy file")
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"{where}: cannot read the file ({exc.strerror or exc})") from None


def _toml_depth_ok(text: str) -> bool:
    """Whether brackets nest at most :data:`MAX_TOML_DEPTH` deep (quoted text ignored).

    Checked before parsing, since ``tomllib`` recurses once per level.
    """
    depth = 0
    quote = ""
    escaped = False
    for ch in text:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote or ch == "\n":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return False
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == "#":
            quote = "\n"  # a comment runs to the end of the line
    return True


def _load(
    raw: bytes,
    where: str,
    folder: Path | None,
    depth: int,
    parent: Callable[[str], Policy] | None = None,
) -> Policy:
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(f"{where}: larger than {MAX_POLICY_BYTES} bytes; not a policy file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"{where}: the file must be UTF-8 text") from None
    if not _toml_depth_ok(text):
        raise PolicyError(f"{where}: arrays and tables nest deeper than {MAX_TOML_DEPTH} levels")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{where}: not valid TOML ({_short(str(exc))})") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise PolicyError(f"{where}: nested too deeply") from None
    return _from_document(document, where, folder, depth, parent)


def _from_document(
    document: dict[str, Any],
    where: str,
    folder: Path | None,
    depth: int,
    parent_of: Callable[[str], Policy] | None = None,
) -> Policy:
    """Resolve ``extends`` and ``drop``, then structure the document into a :class:`Policy`."""
    raw = {k: v for k, v in document.items() if k not in ("extends", "drop")}
    origins: list[int | None] | None = None
    if "extends" in document:
        parent = _parent(document["extends"], where, folder, depth, parent_of)
        raw, origins = _inherit(raw, parent, document.get("drop"), where)
    elif "drop" in document:
        raise _policy_error(where, "drop", "used only with extends")
    try:
        return _reader().structure(raw, Policy)
    except Exception as exc:  # cattrs' error group, the validators' PolicyErrors inside
        error = _reworded(exc, where, raw.get("targets"), origins)
    raise error  # outside the handler: no __context__ (cattrs' groups do not pickle)


def _parent(
    extends: object,
    where: str,
    folder: Path | None,
    depth: int,
    parent_of: Callable[[str], Policy] | None,
) -> Policy:
    """The policy ``extends`` names: a built-in, a file beside this one, or (embedded in a
    document) whatever ``parent_of`` resolves."""
    if not isinstance(extends, str):
        raise _policy_error(where, "extends", "a policy id or a .toml path", extends)
    if depth >= _MAX_EXTENDS:
        raise _policy_error(where, "extends", f"a chain of at most {_MAX_EXTENDS} files")
    if parent_of is not None:  # embedded in a document: never a file
        return parent_of(extends)
    if extends in BUILTIN_IDS:
        return _builtin(extends)
    if extends.endswith(".toml") and folder is not None:
        parent_path = folder / extends
        try:
            raw = _read_regular_file(parent_path, str(parent_path))
        except PolicyError:
            raise _policy_error(where, "extends", "a readable .toml file", extends) from None
        return _load(raw, str(parent_path), parent_path.parent, depth + 1)
    raise _policy_error(
        where, "extends", f"one of {', '.join(BUILTIN_IDS)} or a .toml path", extends
    )


def _inherit(
    raw: dict[str, Any], parent: Policy, drop: object, where: str
) -> tuple[dict[str, Any], list[int | None]]:
    """The document with what it inherits written in, and where each target came from.

    The parent's parameters go under the file's own; the parent's targets (less ``drop``)
    are changed key by key by the file's tables of the same id, and the file's other tables
    follow them. For each resulting target, its index among the file's tables (``None`` for
    one inherited as it was), so that a message names the table the file has.
    """
    tables = [_target_table(t) for t in parent.targets]
    if drop is not None:
        names = [t.id for t in parent.targets]
        if not isinstance(drop, list) or any(d not in names for d in drop):
            raise _policy_error(where, "drop", f"a list drawn from {', '.join(names)}", drop)
        tables = [t for t in tables if t["id"] not in drop]
    merged = dict(raw)
    own = raw.get("parameters", {})
    inherited = _parameters_table(parent.parameters)
    merged["parameters"] = inherited | own if isinstance(own, dict) else own
    origins: list[int | None] = [None] * len(tables)
    given = raw.get("targets", [])
    if isinstance(given, list):  # anything else is left for Policy's validator to refuse
        position = {t["id"]: i for i, t in enumerate(tables)}
        for index, table in enumerate(given):
            target_id = table.get("id") if isinstance(table, dict) else None
            at = position.pop(target_id, None) if isinstance(target_id, str) else None
            if at is None:  # a new target, or an id given twice (Policy's validator refuses)
                tables.append(table)
                origins.append(index)
                continue
            base = tables[at]
            if any(unit in table for unit in DURATION_TYPES):  # its own duration replaces
                base = {k: v for k, v in base.items() if k not in DURATION_TYPES}
            tables[at] = base | table
            origins[at] = index
        merged["targets"] = tables
    return merged, origins


# --------------------------------------------------------------------- the converter's hooks


@functools.cache
def _reader() -> cattrs.Converter:
    """The library's one converter, with the policy classes' hooks (registered on first use).

    Every field is passed on as it came: the classes' validators are its only check. The
    hooks do what the file's spelling needs and no more: a table becomes its class (a value
    that is not a table is handed on as it is, for the owning class's validator to refuse), a
    unit key (``working_days = 15``) becomes the target's duration and a string cutoff
    (``"17:00"``) a time. The converter refuses unknown keys and a missing ``id``.
    """
    from cattrs.gen import make_dict_structure_fn, override

    from ._converter import converter

    conv = converter()

    def as_is(cls: type, **special: Any) -> dict[str, Any]:
        return {a.name: override(struct_hook=_as_is) for a in attrs.fields(cls)} | special

    def tables_only(structure: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        return lambda value, kind: structure(value, kind) if value.__class__ is dict else value

    parameters = make_dict_structure_fn(
        Parameters, conv, **as_is(Parameters, cutoff=override(struct_hook=_cutoff))
    )
    parameters_hook = tables_only(parameters)
    conv.register_structure_hook(Parameters, parameters_hook)
    target = make_dict_structure_fn(Target, conv, **as_is(Target))
    conv.register_structure_hook(Target, tables_only(lambda v, k: target(_with_duration(v), k)))

    def targets(value: Any, _: Any) -> Any:
        return conv.structure(value, list[Target]) if value.__class__ is list else value

    policy = make_dict_structure_fn(
        Policy,
        conv,
        **as_is(
            Policy,
            targets=override(struct_hook=targets),
            parameters=override(struct_hook=parameters_hook),
        ),
    )
    conv.register_structure_hook(Policy, policy)
    return conv


def _as_is(value: Any, _: Any) -> Any:
    return value


def _cutoff(value: Any, _: Any) -> Any:
    """``cutoff = "17:00"`` is the time it names and ``""`` none; other values pass as they are."""
    if value.__class__ is not str:
        return value
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return value  # the validator refuses it, quoting it


def _with_duration(table: dict[str, Any]) -> dict[str, Any]:
    """A ``[[targets]]`` table with its unit key (``working_days = 15``) made the duration.

    The duration's own validator checks the count; its refusal is re-worded for the key.
    """
    if "duration" in table:  # the file names the unit instead
        known = ", ".join(_FILE_KEYS[Target])
        raise _policy_error("Target", "duration", f"one of {known} (unknown key)")
    units = [unit for unit in DURATION_TYPES if unit in table]
    if len(units) > 1:
        expected = f"absent: give only one of {', '.join(DURATION_TYPES)}"
        raise _policy_error("Target", units[1], expected)
    shaped = {k: v for k, v in table.items() if k not in DURATION_TYPES}
    if units:
        try:
            shaped["duration"] = DURATION_TYPES[units[0]](table[units[0]])
        except PolicyError as exc:
            expected = exc.expected or str(exc)
            raise _policy_error("Target", units[0], expected, table[units[0]]) from None
    return shaped


_MISSING: Final = {
    "": "present (a policy needs an id)",
    "id": "present (every target needs an id)",
    "duration": f"given: one of {', '.join(DURATION_TYPES)} (a target needs a duration)",
}


def _reworded(
    exc: Exception, where: str, tables: object, origins: list[int | None] | None
) -> PolicyError:
    """One PolicyError for what structuring raised: the file, the path of the first problem
    (``targets[3] (investigation).working_days``), what it must be, what came."""
    import cattrs

    leaves: list[BaseException] = []

    def token(leaf: BaseException, _: object) -> str:
        leaves.append(leaf)
        return str(len(leaves) - 1)

    found = cattrs.transform_error(exc, path="", format_exception=token)
    number, _, path = found[0].partition(" @ ")
    leaf = leaves[int(number)]
    got: str | None = None
    if isinstance(leaf, PolicyError) and leaf.expected is not None:  # an attrs validator
        path += f".{leaf.field}" if leaf.field else ""
        expected, got = leaf.expected, leaf.got
    elif isinstance(leaf, cattrs.ForbiddenExtraKeysError):
        path += f".{sorted(map(str, leaf.extra_fields))[0]}"
        expected = f"one of {', '.join(_FILE_KEYS[leaf.cl])} (unknown key)"
    elif isinstance(leaf, KeyError):  # a required key is missing
        expected = _MISSING.get("" if path == ".id" else path.rpartition(".")[2], "present")
    else:  # pragma: no cover - every hook hands on what it cannot read
        expected = f"well formed ({type(leaf).__name__})"
    path, named = _as_in_file(path.lstrip("."), tables, origins)
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    shown = "" if got is None else f" (got {got})"
    return PolicyError(
        f"{where}: {named} must be {expected}{shown}{more}", field=path, expected=expected, got=got
    )


def _as_in_file(path: str, tables: object, origins: list[int | None] | None) -> tuple[str, str]:
    """A path as the file has it (``targets[i]`` counts the file's own tables, not what it
    inherits), and the same with the target's id for the message (``targets[3] (contact)``)."""
    found = re.match(r"targets\[(\d+)\]", path)
    if found is None or not isinstance(tables, list):
        return path, path
    index, rest = int(found[1]), path[found.end() :]
    in_file = index if origins is None else origins[index]
    table = tables[index] if index < len(tables) else None
    target_id = table.get("id") if isinstance(table, dict) else None
    if in_file is None:  # pragma: no cover - an inherited target was valid in its parent
        return path, path
    plain = f"targets[{in_file}]{rest}"
    known = isinstance(target_id, str) and _ID.fullmatch(target_id) and rest != ".id"
    return plain, f"targets[{in_file}] ({target_id}){rest}" if known else plain


BUILTIN_IDS: Final = ("cafcass-2012", "cafcass-web")


@functools.cache
def _builtin(policy_id: str) -> Policy:
    from importlib import resources  # lazy: ~9 ms of import time otherwise

    resource = resources.files("complaint_workflow.policies").joinpath(f"{policy_id}.toml")
    return _load(resource.read_bytes(), f"{policy_id}.toml", Path("."), depth=0)
