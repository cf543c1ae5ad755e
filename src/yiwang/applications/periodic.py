"""Periodic jobs of applications (run by ``yiwang run_worker`` in the demo, ``run_periodic`` from cron)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .figures import figures_rebuild
from .services import applications_sweep

JOBS = [
    Job(
        "applications.sweep", applications_sweep, every_seconds=600
    ),  # 5-working-day rule, lapsed 容缺 promises
    Job("applications.figures", figures_rebuild, every_seconds=900),
]
