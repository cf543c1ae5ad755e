"""Periodic jobs of applications (run by ``yiwang run_worker`` in the demo, ``run_periodic`` from cron)."""

from __future__ import annotations

from yiwang.core.periodic import Job


def _sweep() -> object:
    from .services import applications_sweep

    return applications_sweep()


def _figures() -> object:
    from .figures import figures_rebuild

    return figures_rebuild()


def _due_dates() -> object:
    from yiwang.cases.services import cases_sync_due_dates

    return cases_sync_due_dates()


JOBS = [
    Job("cases.sync_due_dates", _due_dates, every_seconds=600),  # after calendar changes recompute clocks
    Job("applications.sweep", _sweep, every_seconds=600),  # 5-working-day rule, lapsed 容缺 promises
    Job("applications.figures", _figures, every_seconds=900),
]
