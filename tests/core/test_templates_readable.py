"""Templates stay readable: no line of a template under ``src/yiwang/*/templates/`` is longer than 160
characters (one element per line for block markup, long attribute lists wrapped).

Two kinds of line may be longer, because wrapping them would change what they render or a message id:
- a line holding nothing but one message, a ``{% translate %}`` tag or a ``{% blocktranslate %}`` block
  (a template tag cannot span lines, and the text of a ``blocktranslate`` block is its msgid);
- the few lines in ``PINNED``, whose rendered bytes tests read as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("src/yiwang/*/templates/**/*.html"))
MAX_LINE = 160
ONE_MESSAGE = re.compile(
    r"\{% trans(?:late)? (?:\"[^\"]*\"|'[^']*')[^%]*%\}"
    r"|\{% blocktrans(?:late)?\b[^%]*%\}.*?\{% endblocktrans(?:late)? %\}"
)
# Template (relative to its templates/ folder) → the markup its one long line starts with.
PINNED = {
    # tests/notifications/test_pages.py reads '<span id="unread-badge" class="badge bad" …>1<span class=…>'
    "notifications/_badge.html": '{% load i18n %}<span id="unread-badge"',
    # … and 'id="inbox-unread" role="status" hx-swap-oob="true">1条未读消息'
    "notifications/_unread_line.html": '{% load i18n %}<p id="inbox-unread"',
}


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return "/".join(parts[parts.index("templates") + 1 :])


def _allowed(path: Path, line: str) -> bool:
    text = line.strip()
    if ONE_MESSAGE.fullmatch(text):
        return True
    pinned = PINNED.get(_name(path))
    return pinned is not None and text.startswith(pinned)


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 50


def test_no_template_line_is_longer_than_160_characters() -> None:
    long_lines = [
        f"{path.relative_to(ROOT)}:{number}: {len(line)} characters"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_LINE and not _allowed(path, line)
    ]
    assert not long_lines, "Template lines over 160 characters (wrap them):\n" + "\n".join(long_lines)


def test_pinned_lines_still_exist() -> None:
    """An entry of PINNED whose line is gone (or fits now) must leave the list."""
    stale = []
    for name, start in PINNED.items():
        path = next(p for p in TEMPLATES if _name(p) == name)
        lines = path.read_text(encoding="utf-8").splitlines()
        if not any(line.strip().startswith(start) and len(line) > MAX_LINE for line in lines):
            stale.append(name)
    assert not stale, f"PINNED entries no longer needed: {stale}"
