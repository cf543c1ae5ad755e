"""Services are the only writers of a clock's computed fields: no raw ``Clock.objects….update(state=…)``
anywhere else in the code (docs/architecture.md, "Workflows")."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
FIELDS = {
    "state",
    "due_date",
    "due_at",
    "provisional",
    "stopped_at",
    "remaining",
    "started_at",
    "limit_value",
}


def _is_clock_queryset(node: ast.AST) -> bool:
    """``Clock.objects…`` or ``something.clocks…`` at the root of a chain of calls and attributes."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "clocks":
                return True
            node = node.value
        else:
            return isinstance(node, ast.Name) and node.id == "Clock"


def raw_clock_writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and _is_clock_queryset(node.func.value)
            and {k.arg for k in node.keywords} & FIELDS
        ):
            lines.append(node.lineno)
    return lines


def test_no_raw_clock_writes_outside_the_services() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "workdays" / "services.py" or "migrations" in path.parts:
            continue
        offenders += [
            f"{path.relative_to(SRC)}:{n}" for n in raw_clock_writes(path.read_text(encoding="utf-8"))
        ]
    assert not offenders, "clock fields written outside yiwang.workdays.services:\n" + "\n".join(offenders)


def test_the_check_tells_clock_writes_from_other_writes() -> None:
    assert raw_clock_writes('Clock.objects.filter(pk=1).update(state="overdue")') == [1]
    assert raw_clock_writes("office.clocks.all().update(due_date=d)") == [1]
    assert raw_clock_writes("Clock.objects.filter(pk=1).update(label='x')") == []
    sync = 'stale.update(due_date=Subquery(Clock.objects.filter(pk=OuterRef("clock_id")).values("due_date")[:1]))'
    assert raw_clock_writes(sync) == []
