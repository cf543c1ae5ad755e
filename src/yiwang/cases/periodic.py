"""Periodic jobs of the case kernel (run by ``yiwang run_worker`` in the demo, ``run_periodic`` from cron)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .services import cases_sync_due_dates

JOBS = [
    # After a calendar change the workdays sweep recomputes the clocks; copy the due dates onto the cases.
    Job("cases.sync_due_dates", cases_sync_due_dates, every_seconds=600),
]
