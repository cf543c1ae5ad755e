"""Background tasks of outreach (defined next to the service they run)."""

from __future__ import annotations

from .services import run_screening

__all__ = ["run_screening"]
