"""Rewrite every generated section of README.md and docs/*.md from the library itself.

Run ``python scripts/generate_docs.py``; ``tests/test_docs.py`` fails while any section is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from complaint_workflow.docgen import replace_sections, timeline_example

ROOT = Path(__file__).resolve().parent.parent


def pages() -> list[Path]:
    """Every Markdown page that may hold generated sections."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def main() -> int:
    for page in pages():
        text = page.read_text("utf-8")
        new = replace_sections(text)
        if new != text:
            page.write_text(new, "utf-8")
            print(f"updated {page.relative_to(ROOT)}")
    example = ROOT / "docs" / "timeline-example.svg"
    picture = timeline_example()
    if not example.exists() or example.read_text("utf-8") != picture:
        example.write_text(picture, "utf-8")
        print(f"updated {example.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
