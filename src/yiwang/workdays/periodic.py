"""Periodic jobs of the working-day context (run by ``yiwang run_periodic`` / the demo worker)."""

from __future__ import annotations

from yiwang.core.periodic import Job


def sweep_clocks() -> str:
    from .services import clocks_sweep

    return str(clocks_sweep())


JOBS = [Job("clocks.sweep", sweep_clocks, 300)]
