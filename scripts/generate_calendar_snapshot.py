"""Write ``src/complaint_workflow/data/england-and-wales.json``: every bank holiday in the span.

GOV.UK's ``england-and-wales`` list (as packaged by ``govuk-bank-holidays``) is the authority
for the years it covers; ``holidays.country_holidays("GB", subdiv="ENG")`` fills the rest of
the span. Weekend dates that ``holidays`` lists beside their substitute day are dropped, as
GOV.UK lists only the substitute. Run ``python scripts/generate_calendar_snapshot.py``; the
test suite fails while the committed file differs from what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIRST_YEAR = 2000
LAST_YEAR = 2060
TARGET = (
    Path(__file__).resolve().parent.parent / "src/complaint_workflow/data/england-and-wales.json"
)


def build() -> dict[str, object]:
    """The snapshot document, as written to disk."""
    import holidays
    from govuk_bank_holidays.bank_holidays import BankHolidays

    govuk = {
        h["date"]: h["title"]
        for h in BankHolidays(use_cached_holidays=True).get_holidays(
            division=BankHolidays.ENGLAND_AND_WALES
        )
    }
    govuk_years = sorted({d.year for d in govuk})
    covered = range(govuk_years[0], govuk_years[-1] + 1)
    package = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    events: list[dict[str, str]] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if year in covered:
            rows = sorted((d, t, "gov.uk") for d, t in govuk.items() if d.year == year)
        else:
            rows = sorted(
                (d, str(t), "holidays")
                for d, t in package.items()
                if d.year == year and d.weekday() < 5
            )
        events.extend({"date": d.isoformat(), "title": t, "source": s} for d, t, s in rows)
    return {
        "division": "england-and-wales",
        "span": [FIRST_YEAR, LAST_YEAR],
        "sources": {
            "gov.uk": [covered.start, covered.stop - 1],
            "holidays": "country_holidays('GB', subdiv='ENG') for every other year",
        },
        "events": events,
    }


def render() -> str:
    """The snapshot as the exact text committed."""
    document = build()
    events = document.pop("events")
    head = json.dumps(document, ensure_ascii=False)[:-1]
    lines = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in events)  # type: ignore[attr-defined]
    return f'{head}, "events": [\n  {lines}\n]}}\n'


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
