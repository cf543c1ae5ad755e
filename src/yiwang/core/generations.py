"""Named generation counters for configuration kept in process memory (docs/adr/0015).

A context that serves per-request configuration from memory (a hall's booking rules, say) builds it
once per process and remembers the generations it was built at. ``bump(name)`` runs in the writer's
transaction, so the new value becomes visible exactly when the change commits; ``read(names)`` costs
one small query, so every process sees a committed change on its next request. A snapshot also expires
after a bounded age, a safety net for writes that bypass the signals (``QuerySet.update``, raw SQL).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import connection, transaction
from django.db.models import F

from .models import Generation

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

T = TypeVar("T")

_TABLE = Generation._meta.db_table


_LISTENERS: list[Callable[[str], None]] = []


def on_bump(listener: Callable[[str], None]) -> None:
    """Call ``listener(name)`` in this process after a transaction that bumped ``name`` commits (a
    process's own change is seen at once, even by readers that cache the generations briefly)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def bump(name: str) -> None:
    """Move ``name``'s counter on (inside the current transaction, if any)."""
    with transaction.atomic():
        if not Generation.objects.filter(name=name).update(value=F("value") + 1):
            Generation.objects.get_or_create(name=name, defaults={"value": 1})
        transaction.on_commit(lambda: [listener(name) for listener in _LISTENERS])


def read(names: Iterable[str]) -> tuple[int, ...]:
    """The current values of ``names`` (0 for one never bumped), in one query."""
    wanted = tuple(names)
    if not wanted:
        return ()
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT name, value FROM {connection.ops.quote_name(_TABLE)} WHERE name IN "  # noqa: S608
            f"({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        found = dict(cur.fetchall())
    return tuple(int(found.get(n, 0)) for n in wanted)


_ALL: list[Snapshots] = []


def clear_all() -> None:
    """Forget every process's snapshots (tests: a rolled-back database can repeat a generation's value)."""
    for snapshots in _ALL:
        snapshots.clear()


class Snapshots(Generic[T]):
    """Per-process snapshots keyed by a hashable key, rebuilt when the named generations move or the
    snapshot is older than ``max_age`` seconds."""

    def __init__(self, names: Iterable[str], build: Callable[[Hashable], T | None], max_age: float = 60.0):
        self.names = tuple(names)
        self.build = build
        self.max_age = max_age
        self._rows: dict[Hashable, tuple[tuple[int, ...], float, T | None]] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def get(self, key: Hashable) -> T | None:
        gen = read(self.names)
        now = time.monotonic()
        row = self._rows.get(key)
        if row is not None and row[0] == gen and now - row[1] < self.max_age:
            return row[2]
        value = self.build(key)
        with self._lock:
            self._rows[key] = (gen, now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
