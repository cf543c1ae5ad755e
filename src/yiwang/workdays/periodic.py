"""Periodic jobs of the working-day context (run by ``yiwang run_periodic`` / the demo worker)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .services import clocks_sweep


def sweep_clocks() -> str:
    return str(clocks_sweep())


JOBS = [Job("clocks.sweep", sweep_clocks, 300)]
