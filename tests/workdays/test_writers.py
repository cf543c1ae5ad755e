"""Services are the only writers of a clock's computed fields: no raw ``.update(state=…)`` elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
CLOCK_QS = re.compile(r"\bClock\.objects\b|\.clocks\.")
RAW_WRITE = re.compile(r"\.update\([^)]*\b(state|due_date|due_at|provisional|stopped_at|remaining)\s*=")


def test_no_raw_clock_writes_outside_the_services() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "workdays" / "services.py" or "migrations" in path.parts:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAW_WRITE.search(line) and CLOCK_QS.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{lineno}: {line.strip()}")
    assert not offenders, "clock fields written outside yiwang.workdays.services:\n" + "\n".join(offenders)


def test_the_pattern_catches_a_raw_write() -> None:
    line = 'Clock.objects.filter(pk=1).update(state="overdue")'
    assert RAW_WRITE.search(line) and CLOCK_QS.search(line)
    other = "Case.objects.filter(clock=c).update(due_date=d)"
    assert not CLOCK_QS.search(other)
