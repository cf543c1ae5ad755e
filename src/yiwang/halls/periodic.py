"""Sweeps of halls: missed appointments become no-shows; the day-before reminders (both idempotent)."""

from __future__ import annotations

from yiwang.core.periodic import Job


def _no_shows() -> int:
    from .services import appointments_mark_no_shows

    return appointments_mark_no_shows()


def _reminders() -> int:
    from .services import appointments_remind

    return appointments_remind()


JOBS = [
    Job("halls.no_shows", _no_shows, every_seconds=300),
    Job("halls.reminders", _reminders, every_seconds=900),
]
