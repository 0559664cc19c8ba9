"""A complaint's timeline as an SVG picture: working days, events, obligations, the hearing.

:func:`svg` draws, for a complaint at an instant ``at``:

- a day axis in which weekends and bank holidays (and any closures of the complaint's
  calendar) are shaded, each with a ``<title>`` naming the day;
- each event of the history up to ``at`` as a mark with its type name;
- each obligation (``complaint.obligations(at)``) as a bar from its anchor to its due date,
  coloured by status *and* labelled with the status in words, with a hatch pattern for the
  statuses that need attention, so the picture does not rely on colour alone;
- the next hearing, and the instant ``at`` as a line.

A bar starts at its anchor: the deemed receipt (day 0) or the contact / triage that starts its
clock; for a target counted back from a hearing, the day the hearing became known. The picture
is plain SVG text built with the standard library, the same for the same complaint and
instant, and holds identifiers, event type names, dates and statuses only: never a personal
detail. Every element a reader may want to check carries ``data-*`` attributes (``data-date``,
``data-id``, ``data-status``, ``data-start``, ``data-due`` …).

>>> from datetime import datetime
>>> from complaint_workflow import LONDON, Complaint
>>> c = Complaint.open(complaint_id="C-1", complainant="adult", policy="cafcass-2012",
...                    received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON))
>>> picture = svg(c, datetime(2024, 6, 20, 12, 0, tzinfo=LONDON))
>>> picture.startswith("<svg") and 'data-id="response"' in picture
True
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final
from xml.sax.saxutils import escape, quoteattr

from .calendar import as_london
from .obligations import STATUSES, Obligation, situation_facts
from .rules import Facts, Rule, ScalarOps

if TYPE_CHECKING:
    from .complaint import Complaint

__all__ = ["STATUS_STYLES", "svg"]

STATUS_STYLES: Final[dict[str, tuple[str, str]]] = {
    "pending": ("#4477aa", ""),
    "at-risk": ("#ccbb44", "cw-tl-hatch"),
    "met": ("#228833", ""),
    "met-late": ("#66ccee", "cw-tl-dots"),
    "breached": ("#cc3344", "cw-tl-cross"),
    "impossible": ("#aa3377", "cw-tl-cross"),
    "extended": ("#999999", "cw-tl-dots"),
}
"""Each status's fill colour and the id of the pattern laid over it (``""``: none)."""

_LEFT: Final = 200  # the column of obligation names
_RIGHT: Final = 230  # room for the status words after the last bar
_TOP: Final = 36
_ROW: Final = 26
_LANE: Final = 14
_AXIS: Final = 34
_LEGEND: Final = 60
_PLOT: Final = 900.0  # the days' area, in px, before a day width is clamped
_MAX_DAYS: Final = 800
_DATE_LABEL: Final = 100  # room one axis date needs, in px
_CHAR: Final = 6.6  # approximate width of one character of the 11px label font

_STYLE: Final = """
.cw-tl text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;
font-size:11px;fill:#1a1a1a}
.cw-tl .cw-tl-heading{font-size:13px;font-weight:600}
.cw-tl .weekend{fill:#e4e4e4}
.cw-tl .bank-holiday{fill:#f2d4a8}
.cw-tl .closure{fill:#d9d2e9}
.cw-tl .tick{stroke:#888;stroke-width:1}
.cw-tl .event-mark{fill:#1a1a1a}
.cw-tl .event-line{stroke:#1a1a1a;stroke-width:1;stroke-dasharray:2 3}
.cw-tl .hearing-line{stroke:#7a3e00;stroke-width:2;stroke-dasharray:6 3}
.cw-tl .at-line{stroke:#c00;stroke-width:2}
.cw-tl .bar-edge{fill:none;stroke:#1a1a1a;stroke-width:1}
.cw-tl .met-mark{fill:#fff;stroke:#1a1a1a;stroke-width:1.5}
"""


def svg(complaint: Complaint, at: datetime) -> str:
    """The complaint's timeline at the aware instant ``at``, as SVG text (``<svg ...>...</svg>``).

    Only what had happened by ``at`` is drawn, as in ``complaint.obligations(at)``. Raises
    :class:`~complaint_workflow.errors.NaiveDatetimeError` for a naive ``at``.
    """
    instant = as_london(at, "at")
    seen = _as_of(complaint, instant)
    calendar = complaint.calendar
    events = [e for e in complaint.history if e.at <= instant]
    obligations = seen.obligations(instant) if seen is not None else ()
    situation = (seen or complaint).situation
    policy = (seen or complaint).policy
    day0 = (seen or complaint).deemed_receipt
    bars: list[tuple[Obligation, date]] = []
    if obligations:
        facts = situation_facts(situation, policy, calendar)
        ops = ScalarOps(calendar, policy.parameters)
        for o in obligations:
            target = policy.get(o.id)
            start = day0 if target is None else _bar_start(Rule(target), facts, ops)
            bars.append((o, start))

    received = as_london(complaint.history[0].at).date()
    days: list[date] = [received, instant.date()]
    days += [as_london(e.at).date() for e in events]
    for o, start in bars:
        days += [start, o.due]
        if o.extended_from is not None:
            days.append(o.extended_from)
        if o.met_at is not None:
            days.append(as_london(o.met_at).date())
    hearing = situation.hearing if seen is not None else None
    if hearing is not None:
        days.append(hearing)
    first = max(min(days) - timedelta(days=1), calendar.first_day)
    last = min(max(days) + timedelta(days=2), calendar.last_day)
    if (last - first).days + 1 > _MAX_DAYS:
        last = first + timedelta(days=_MAX_DAYS - 1)
    count = (last - first).days + 1
    width_day = max(3.0, min(24.0, _PLOT / count))
    plot = count * width_day

    def x_of(d: date) -> float:
        return _LEFT + (d - first).days * width_day

    def x_at(t: datetime) -> float:
        local = as_london(t)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return x_of(local.date()) + width_day * seconds / 86400

    def clamp(x: float) -> float:
        return max(_LEFT, min(_LEFT + plot, x))

    # Event labels go in lanes so that none overlaps another.
    lanes: list[float] = []
    placed: list[tuple[float, int]] = []
    for e in events:
        x = clamp(x_at(e.at))
        width = len(e.name) * _CHAR + 8
        lane = next((i for i, end in enumerate(lanes) if end <= x), len(lanes))
        if lane == len(lanes):
            lanes.append(0.0)
        lanes[lane] = x + width
        placed.append((x, lane))
    events_height = max(1, len(lanes)) * _LANE + 8
    bars_top = _TOP + events_height + _AXIS
    bars_bottom = bars_top + max(1, len(bars)) * _ROW
    legend_top = bars_bottom + 24
    total_width = _LEFT + plot + _RIGHT
    total_height = legend_top + _LEGEND

    title = f"Timeline of complaint {complaint.id} at {instant:%a %d %b %Y %H:%M} (London)"
    summary = (
        f"{len(events)} events and {len(bars)} obligations between {first.isoformat()} "
        f"and {last.isoformat()}; weekends and bank holidays shaded."
    )
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cw-tl" role="img" '
        f'width="{_n(total_width)}" height="{_n(total_height)}" '
        f'viewBox="0 0 {_n(total_width)} {_n(total_height)}" '
        'aria-labelledby="cw-tl-title cw-tl-desc" '
        f"data-complaint={quoteattr(complaint.id)} data-at={quoteattr(instant.isoformat())} "
        f'data-first="{first.isoformat()}" data-last="{last.isoformat()}">',
        f'<title id="cw-tl-title">{escape(title)}</title>',
        f'<desc id="cw-tl-desc">{escape(summary)}</desc>',
        f"<style>{_STYLE}</style>",
        _defs(),
        f'<text class="cw-tl-heading" x="8" y="18">{escape(title)}</text>',
    ]

    # Non-working days, shaded through every lane.
    top, bottom = _TOP, bars_bottom
    out.append('<g class="days">')
    for i in range(count):
        d = first + timedelta(days=i)
        if calendar.is_working_day(d):
            continue
        holiday = calendar.holiday_name(d)
        if holiday is not None:
            kind, label = "bank-holiday", f"{d.isoformat()}: {holiday} (bank holiday)"
        elif d.weekday() >= 5:
            kind, label = "weekend", f"{d.isoformat()}: {d:%A}"
        else:
            kind, label = "closure", f"{d.isoformat()}: closed"
        out.append(
            f'<rect class="{kind}" data-date="{d.isoformat()}" x="{_n(x_of(d))}" y="{top}" '
            f'width="{_n(width_day)}" height="{bottom - top}"><title>{escape(label)}</title></rect>'
        )
    out.append("</g>")

    # The axis: a tick each day, a date under each Monday (or the first day).
    axis_y = _TOP + events_height + 6
    out.append('<g class="axis">')
    out.append(
        f'<line class="tick" x1="{_LEFT}" y1="{axis_y}" x2="{_n(_LEFT + plot)}" y2="{axis_y}"/>'
    )
    step = 7 if width_day >= 6 else 28
    for i in range(count):
        d = first + timedelta(days=i)
        x = x_of(d)
        out.append(
            f'<line class="tick" x1="{_n(x)}" y1="{axis_y}" x2="{_n(x)}" y2="{axis_y + 4}"/>'
        )
        labelled = d.weekday() == 0 and (step == 7 or d.day <= 7)
        first_monday = (7 - first.weekday()) % 7
        if i == 0 and first_monday * width_day >= _DATE_LABEL:
            labelled = True
        if labelled:
            out.append(
                f'<text class="date-label" x="{_n(x + 1)}" y="{axis_y + 16}" '
                f'data-date="{d.isoformat()}">{d:%a %d %b %Y}</text>'
            )
    out.append("</g>")

    # Events: a mark on the axis and the type name in its lane.
    out.append('<g class="events">')
    for e, (x, lane) in zip(events, placed, strict=True):
        y = _TOP + 10 + lane * _LANE
        out.append(
            f'<g class="event" data-type={quoteattr(e.name)} data-version="{e.version}" '
            f"data-at={quoteattr(e.at.isoformat())}>"
            f"<title>{escape(f'{e.name}, version {e.version}, {e.at.isoformat()}')}</title>"
            f'<line class="event-line" x1="{_n(x)}" y1="{y + 2}" x2="{_n(x)}" y2="{axis_y}"/>'
            f'<circle class="event-mark" cx="{_n(x)}" cy="{axis_y}" r="3.5"/>'
            f'<text x="{_n(x + 3)}" y="{y}">{escape(e.name)}</text></g>'
        )
    out.append("</g>")

    # Obligations: one row each, a bar from its anchor to the end of its due day.
    out.append('<g class="obligations">')
    for row, (o, start) in enumerate(bars):
        y = bars_top + row * _ROW + 4
        height = _ROW - 8
        lo, hi = min(start, o.due), max(start, o.due)
        x1, x2 = clamp(x_of(lo)), clamp(x_of(hi) + width_day)
        colour, pattern = STATUS_STYLES[o.status]
        words = _status_words(o)
        tip = f"{o.id} ({o.strength}, {o.clause or 'no clause'}): {words}"
        out.append(
            f'<g class="obligation" data-id={quoteattr(o.id)} data-status="{o.status}" '
            f'data-start="{start.isoformat()}" data-due="{o.due.isoformat()}" '
            f"data-strength={quoteattr(o.strength)} data-clause={quoteattr(o.clause)}"
            + ("" if o.met_at is None else f" data-met-at={quoteattr(o.met_at.isoformat())}")
            + (
                ""
                if o.extended_from is None
                else f' data-extended-from="{o.extended_from.isoformat()}"'
            )
            + f"><title>{escape(tip)}</title>"
            f'<text class="obligation-name" x="8" y="{y + height - 5}">{escape(o.id)}</text>'
            f'<rect class="bar" x="{_n(x1)}" y="{y}" width="{_n(max(x2 - x1, 2))}" '
            f'height="{height}" fill="{colour}"/>'
        )
        if pattern:
            out.append(
                f'<rect class="bar-pattern" x="{_n(x1)}" y="{y}" width="{_n(max(x2 - x1, 2))}" '
                f'height="{height}" fill="url(#{pattern})"/>'
            )
        out.append(
            f'<rect class="bar-edge" x="{_n(x1)}" y="{y}" width="{_n(max(x2 - x1, 2))}" '
            f'height="{height}"/>'
        )
        if o.extended_from is not None:
            xe = clamp(x_of(o.extended_from) + width_day)
            out.append(
                f'<line class="extended-from" x1="{_n(xe)}" y1="{y - 2}" x2="{_n(xe)}" '
                f'y2="{y + height + 2}" stroke="#1a1a1a" stroke-width="2"/>'
            )
        label_x = x2
        if o.met_at is not None:
            xm = clamp(x_at(o.met_at))
            label_x = max(label_x, xm + 5)
            out.append(
                f'<path class="met-mark" d="M{_n(xm)} {y - 1} l5 {_n(height / 2 + 1)} '
                f'l-5 {_n(height / 2 + 1)} l-5 -{_n(height / 2 + 1)} z"/>'
            )
        out.append(
            f'<text class="status-label" x="{_n(label_x + 8)}" '
            f'y="{y + height - 5}">{escape(words)}</text></g>'
        )
    if not bars:
        out.append(
            f'<text class="none" x="8" y="{bars_top + _ROW - 10}">no obligations owed at '
            f"{escape(instant.isoformat())}</text>"
        )
    out.append("</g>")

    # The hearing and the instant.
    if hearing is not None and first <= hearing <= last:
        xh = x_of(hearing) + width_day / 2
        out.append(
            f'<g class="hearing" data-date="{hearing.isoformat()}">'
            f"<title>{escape(f'hearing on {hearing:%a %d %b %Y}')}</title>"
            f'<line class="hearing-line" x1="{_n(xh)}" y1="{_TOP}" x2="{_n(xh)}" '
            f'y2="{bars_bottom}"/>'
            f'<text x="{_n(xh + 4)}" y="{bars_bottom + 14}">hearing {hearing:%d %b}</text></g>'
        )
    xa = clamp(x_at(instant))
    out.append(
        f'<g class="at" data-at={quoteattr(instant.isoformat())}>'
        f"<title>{escape(f'at {instant.isoformat()}')}</title>"
        f'<line class="at-line" x1="{_n(xa)}" y1="{_TOP - 6}" x2="{_n(xa)}" y2="{bars_bottom}"/>'
        f'<text x="{_n(xa + 4)}" y="{_TOP - 8}">at {instant:%d %b %H:%M}</text></g>'
    )

    out.append(_legend(legend_top))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _bar_start(rule: Rule, facts: Facts[bool, date], ops: ScalarOps) -> date:
    """Where an obligation's bar starts: the day its clock starts, or, counted back from a
    hearing, the day the hearing became known (day 0 if it was known on receipt)."""
    if rule.target.backward:
        return max(facts.receipt, facts.hearing_known)
    day, _ = rule.anchor(facts, ops)
    return day


def _status_words(o: Obligation) -> str:
    words = f"{o.status}, due {o.due:%a %d %b}"
    if o.status == "at-risk" and o.overdue:
        words = f"at-risk (overdue), due {o.due:%a %d %b}"
    if o.extended_from is not None:
        words += f" (was {o.extended_from:%d %b})"
    if o.met_at is not None:
        words += f"; done {as_london(o.met_at):%d %b %H:%M}"
    return words


def _as_of(complaint: Complaint, instant: datetime) -> Complaint | None:
    """The complaint as it stood at ``instant`` (``None`` before it was received)."""
    from .complaint import Complaint

    if instant >= complaint.last_at:
        return complaint
    prefix = [e for e in complaint.history if e.at <= instant]
    if not prefix:
        return None
    known = {p.id: p for p in (*complaint.earlier_policies, complaint.policy)}
    return Complaint.replay(prefix, policies=known, calendar=complaint.calendar)


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="cw-tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#1a1a1a" '
        'stroke-width="1.5"/></pattern>'
        '<pattern id="cw-tl-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1.2"/></pattern>'
        '<pattern id="cw-tl-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.3" fill="#1a1a1a"/></pattern>'
        "</defs>"
    )


def _legend(top: int) -> str:
    parts = [f'<g class="legend" transform="translate(8 {top})">']
    x = 0.0
    for status in STATUSES:
        colour, pattern = STATUS_STYLES[status]
        parts.append(
            f'<g class="legend-item" data-status="{status}">'
            f'<rect x="{_n(x)}" y="0" width="22" height="12" fill="{colour}"/>'
            + (
                f'<rect x="{_n(x)}" y="0" width="22" height="12" fill="url(#{pattern})"/>'
                if pattern
                else ""
            )
            + f'<rect class="bar-edge" x="{_n(x)}" y="0" width="22" height="12"/>'
            f'<text x="{_n(x + 27)}" y="10">{status}</text></g>'
        )
        x += 27 + len(status) * _CHAR + 16
    shades = (("weekend", "weekend"), ("bank-holiday", "bank holiday"), ("closure", "closure"))
    x = 0.0
    for kind, label in shades:
        parts.append(
            f'<g class="legend-item" data-day="{kind}"><rect class="{kind}" x="{_n(x)}" y="22" '
            f'width="12" height="12"/><text x="{_n(x + 17)}" y="32">{label}</text></g>'
        )
        x += 17 + len(label) * _CHAR + 16
    parts.append(
        f'<g class="legend-item"><line class="hearing-line" x1="{_n(x)}" y1="22" x2="{_n(x)}" '
        f'y2="34"/><text x="{_n(x + 6)}" y="32">hearing</text></g>'
    )
    x += 6 + 7 * _CHAR + 16
    parts.append(
        f'<g class="legend-item"><line class="at-line" x1="{_n(x)}" y1="22" x2="{_n(x)}" '
        f'y2="34"/><text x="{_n(x + 6)}" y="32">the instant shown</text></g>'
    )
    x += 6 + 17 * _CHAR + 16
    parts.append(
        f'<g class="legend-item"><path class="met-mark" d="M{_n(x + 5)} 22 l5 6 l-5 6 l-5 -6 z"/>'
        f'<text x="{_n(x + 14)}" y="32">when done</text></g>'
    )
    parts.append("</g>")
    return "".join(parts)


def _n(value: float) -> str:
    """A coordinate with at most one decimal, and none when whole (stable across runs)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
