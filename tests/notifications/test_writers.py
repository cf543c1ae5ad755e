"""The notification services are the only writers of a read receipt: nothing else in the code sets
``read_at`` (an unaudited read receipt would be a state change without its audit event)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
WRITER = SRC / "notifications" / "services.py"
WRITE_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}


def read_at_writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITE_CALLS and any(k.arg == "read_at" for k in node.keywords):
                lines.append(node.lineno)
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            lines += [t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr == "read_at"]
    return sorted(lines)


def test_the_detector_finds_both_kinds_of_write() -> None:
    assert read_at_writes("Notification.objects.filter(pk=1).update(read_at=now)\nn.read_at = now\n") == [
        1,
        2,
    ]
    assert read_at_writes("Notification.objects.filter(read_at__isnull=True).count()\n") == []


def test_only_the_services_write_read_at() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        if path == WRITER or "migrations" in path.parts:
            continue
        found += [
            f"{path.relative_to(SRC)}:{line}" for line in read_at_writes(path.read_text(encoding="utf-8"))
        ]
    assert not found, f"read_at written outside yiwang.notifications.services: {found}"
    assert read_at_writes(WRITER.read_text(encoding="utf-8")), "the services no longer write read_at?"
