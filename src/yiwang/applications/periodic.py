"""Periodic jobs of applications (run by ``yiwang run_worker`` in the demo, ``run_periodic`` from cron)."""

from __future__ import annotations

from yiwang.core.periodic import Job


def _sweep() -> object:
    from .services import applications_sweep

    return applications_sweep()


def _figures() -> object:
    from .figures import figures_rebuild

    return figures_rebuild()


JOBS = [
    Job("applications.sweep", _sweep, every_seconds=600),  # 5-working-day rule, lapsed 容缺 promises
    Job("applications.figures", _figures, every_seconds=900),
]
