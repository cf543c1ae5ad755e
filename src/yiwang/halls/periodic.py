"""Sweeps of halls: missed appointments become no-shows; the day-before reminders (both idempotent)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .services import appointments_mark_no_shows, appointments_remind

JOBS = [
    Job("halls.no_shows", appointments_mark_no_shows, every_seconds=300),
    Job("halls.reminders", appointments_remind, every_seconds=900),
]
