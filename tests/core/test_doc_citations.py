"""Citations of the project's documents point at something that exists: every ``docs/….md`` path named in
the code, tests and docs, every section of docs/rules.md (``§2``), capability of docs/capabilities.md
(``C5``), layering rule and quoted section of docs/architecture.md. The documents they replaced were never
part of the repository; their bare names are no longer cited."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCES = [
    p
    for folder in ("src", "tests", "docs", "bench")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in {".py", ".md", ".html", ".txt", ".toml"}
    and "locale" not in p.parts
    and p != Path(__file__).resolve()
] + [ROOT / "README.md"]
OLD_NAMES = re.compile(r"(?<![\w/])(RULES|ARCHITECTURE|CAPABILITIES)\.md")
# Citations in contexts another change is rewriting; this list may only shrink.
OLD_NAMES_LEFT: set[str] = set()


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _citations(doc: str) -> list[tuple[str, str]]:
    """(file, what follows the document's name up to the end of the parenthesis or line) for each citation."""
    pattern = re.compile(re.escape(doc) + r"([^)\n]*)")
    return [(str(p.relative_to(ROOT)), m.group(1)) for p in SOURCES for m in pattern.finditer(_text(p))]


def _numbers(tail: str, prefix: str) -> set[int]:
    found: set[int] = set()
    for a, b in re.findall(rf"{prefix}(\d+)(?:\s*[–-]\s*{prefix}?(\d+))?", tail):
        found |= set(range(int(a), int(b or a) + 1))
    return found


def test_every_cited_document_exists() -> None:
    missing = sorted(
        f"{p.relative_to(ROOT)}: {m}"
        for p in SOURCES
        for m in re.findall(r"(?<![\w/])docs/[\w/.-]+?\.md", _text(p))
        if not (ROOT / m).exists()
    )
    assert not missing, missing


def test_rules_sections_exist() -> None:
    sections = {int(n) for n in re.findall(r"^## (\d+)\. ", _text(DOCS / "rules.md"), re.MULTILINE)}
    assert sections == set(range(1, 10))
    cited = {(f, n) for f, tail in _citations("docs/rules.md") for n in _numbers(tail.split(";")[0], "§")}
    assert cited, "no citation of docs/rules.md found"
    assert not sorted(c for c in cited if c[1] not in sections)


def test_capabilities_exist() -> None:
    text = _text(DOCS / "capabilities.md")
    known = {int(n) for n in re.findall(r"^\| C(\d+) \|", text, re.MULTILINE)}
    assert known == set(range(1, 21))
    cited = {(f, n) for f, tail in _citations("docs/capabilities.md") for n in _numbers(tail, "C")}
    assert not sorted(c for c in cited if c[1] not in known)


def test_architecture_rules_and_sections_exist() -> None:
    text = _text(DOCS / "architecture.md")
    rules = {int(n) for n in re.findall(r"^(\d+)\. \*\*", text, re.MULTILINE)}
    assert rules == set(range(1, 8))
    headings = set(re.findall(r"^## (.+)$", text, re.MULTILINE))
    problems = []
    for f, tail in _citations("docs/architecture.md"):
        for n in _numbers(tail.replace(" and ", ", "), r"rules? ") | {
            int(x) for x in re.findall(r"(?:,|and) (\d+)\b", tail) if "rule" in tail
        }:
            if n not in rules:
                problems.append(f"{f}: layering rule {n}")
        for name in re.findall(r'"([^"]+)"', tail):
            if name not in headings:
                problems.append(f"{f}: section {name!r}")
    assert not problems, problems


def test_the_old_document_names_are_no_longer_cited() -> None:
    found = {str(p.relative_to(ROOT)) for p in SOURCES if OLD_NAMES.search(_text(p))}
    assert found <= OLD_NAMES_LEFT, sorted(found - OLD_NAMES_LEFT)
