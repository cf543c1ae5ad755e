"""Periodic jobs of the audit log (idempotent)."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .services import audit_checkpoint, audit_seal

JOBS = [
    # Seal what the writers' own sealing missed.
    Job("audit.seal", audit_seal, every_seconds=60),
    # A signed checkpoint of the chain head, outside the database.
    Job("audit.checkpoint", audit_checkpoint, every_seconds=900),
]
