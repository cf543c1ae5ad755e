from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.audit.services import audit_seal, audit_verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first bad sequence number."

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        result = audit_verify_chain()
        if result.ok:
            self.stdout.write(
                f"OK: {result.checked} audit events verified"
                + (f" ({sealed} sealed just now)" if sealed else "")
                + (f", {result.unsealed} waiting to be sealed" if result.unsealed else "")
            )
            return
        if result.first_bad_seq is None:
            raise CommandError(f"audit chain not sealed: {result.reason}")
        raise CommandError(f"audit chain broken at sequence {result.first_bad_seq}: {result.reason}")
