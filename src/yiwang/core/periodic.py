"""Periodic jobs (sweeps). django-tasks has no scheduler, so ``yiwang run_worker`` runs these on a
timer in the demo, and production runs ``yiwang run_periodic --once`` from cron. A context declares
its jobs in ``<context>/periodic.py`` as ``JOBS = [Job(name, function, every_seconds)]``; each job
must be idempotent."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps

from .ratelimit import purge_expired  # periodic modules are imported once the app registry is ready

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every_seconds: int = 300


def periodic_jobs() -> list[Job]:
    jobs: list[Job] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yiwang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.periodic")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.periodic":
                raise
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return jobs


JOBS = [Job("core.purge_attempt_counters", purge_expired, every_seconds=3600)]
