"""The repository's docs, code and examples cite nothing outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("README.md", "docs", "src", "examples")
SUFFIXES = {".md", ".py", ".toml", ".ipynb", ".txt", ".cfg", ".ini", ".csv", ".rst"}
FORBIDDEN = ("PROCEDURE.md", "DESIGN.md", "STYLE.md", "shared/", "seed 00", "seeds/")
"""Names of files the project was built from that users of the repository do not have."""
LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTSIDE = re.compile(r"(?<![\w/.])(/work/|/home/|~/|(?:\.\./)+)[\w./-]*")


def files(root: Path = ROOT) -> list[Path]:
    """Every text file under the scanned paths (caches and virtual environments skipped)."""
    found: list[Path] = []
    for name in SCANNED:
        path = root / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        found += [
            p
            for p in candidates
            if p.is_file()
            and p.suffix in SUFFIXES
            and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
        ]
    return found


def problems(path: Path, root: Path = ROOT) -> list[str]:
    """What in ``path`` cites something outside ``root``: a forbidden name, a Markdown link
    that leaves the repository or names a missing file, or a path outside it."""
    text = path.read_text("utf-8")
    where = path.relative_to(root)
    found = [f"{where}: mentions {word!r}" for word in FORBIDDEN if word in text]
    if path.suffix == ".md":
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:|#", target):
                continue  # a URL or an anchor on the page
            resolved = (path.parent / target.split("#")[0]).resolve()
            if not resolved.is_relative_to(root):
                found.append(f"{where}: link {target} leaves the repository")
            elif not resolved.exists():
                found.append(f"{where}: link {target} names no file")
    for match in OUTSIDE.finditer(text):
        cited = match.group(0)
        if cited.startswith("../"):
            resolved = (path.parent / cited).resolve()
            if resolved.is_relative_to(root):
                continue
        found.append(f"{where}: path {cited} is outside the repository")
    return found


def test_nothing_cites_outside_the_repository() -> None:
    """No file in README.md, docs/, src/ or examples/ cites PROCEDURE.md, DESIGN.md,
    STYLE.md, shared/, a seed, or a path or link outside the repository."""
    scanned = files()
    assert len(scanned) > 50
    assert [p for path in scanned for p in problems(path)] == []


def test_the_check_catches_each_kind_of_citation(tmp_path: Path) -> None:
    """Seeded citations: each forbidden name, a link out of the tree, a missing link target
    and an absolute path are all reported; a link inside the tree is not."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("# here\n")
    page = tmp_path / "docs" / "page.md"
    lines = [f"see {word}" for word in FORBIDDEN]
    lines += ["[a](../../outside.md)", "[b](missing.md)", "[c](here.md#here)", "/work/shared/x"]
    page.write_text("\n".join(lines) + "\n")
    reported = problems(page, tmp_path)
    for word in FORBIDDEN:
        assert any(repr(word) in r for r in reported), word
    assert any("leaves the repository" in r for r in reported)
    assert any("names no file" in r for r in reported)
    assert any("/work/shared/x" in r for r in reported)
    assert not any("here.md" in r for r in reported)
    assert [p.name for p in files(tmp_path)] == ["here.md", "page.md"]
