from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.audit.services import CheckpointError, audit_checkpoint, audit_checkpoints


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head (sequence number and hash) and append the checkpoint to the checkpoint "
        "file outside the database; --list prints every checkpoint (for the audit administrator to keep)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="print the checkpoints instead of writing one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for c in audit_checkpoints():
                self.stdout.write(json.dumps(c, sort_keys=True))
            return
        try:
            c = audit_checkpoint(actor=None)
        except CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"checkpoint #{c['seq']} {c['hash']} at {c['at']}")
        self.stdout.write(f"signature {c['signature']}")
