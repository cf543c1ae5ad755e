"""Periodic job of the audit log: seal what the writers' own sealing missed (idempotent)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .services import audit_seal

JOBS = [Job("audit.seal", audit_seal, every_seconds=60)]
