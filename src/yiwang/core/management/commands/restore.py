"""``yiwang restore DIR --yes``: put a ``yiwang backup`` back — the database (replacing every table), the
uploaded files and the audit checkpoints — after checking every part against the manifest. Then run
``yiwang audit_verify`` (docs/operations.md)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from .backup import pg_env, sha256


def _untar(archive: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(target, filter="data")


class Command(BaseCommand):
    help = "Restore a backup made with `yiwang backup` (replaces the database, files and checkpoints)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="confirm that the current data is replaced")

    def handle(self, *args: Any, **options: Any) -> None:
        src = Path(options["directory"])
        manifest_file = src / "manifest.json"
        if not manifest_file.exists():
            raise CommandError(f"{src} holds no backup (manifest.json is missing)")
        manifest = json.loads(manifest_file.read_text())
        for name, digest in manifest["sha256"].items():
            if not (src / name).exists() or sha256(src / name) != digest:
                raise CommandError(f"{name} is missing or does not match the manifest: nothing was restored")
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"the backup holds a {manifest['database']} database, this is {connection.vendor}"
            )
        if not options["yes"]:
            raise CommandError("restoring replaces every table, file and checkpoint: confirm with --yes")
        db = connection.settings_dict
        connections.close_all()
        self.stdout.write("1/3 database …")
        if connection.vendor == "postgresql":
            cmd = [
                "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--dbname", str(db["NAME"]), str(src / "database.dump"),
            ]  # fmt: skip
            done = subprocess.run(cmd, env=pg_env(db), capture_output=True, text=True, check=False)
            if done.returncode:
                raise CommandError(f"pg_restore failed: {done.stderr.strip()}")
        else:
            with (
                sqlite3.connect(str(src / "database.sqlite3")) as backup,
                sqlite3.connect(str(db["NAME"])) as live,
            ):
                backup.backup(live)
        self.stdout.write("2/3 uploaded files …")
        _untar(src / "media.tar.gz", Path(settings.MEDIA_ROOT))
        self.stdout.write("3/3 audit checkpoints …")
        _untar(src / "audit-checkpoints.tar.gz", Path(settings.AUDIT_CHECKPOINT_DIR))
        self.stdout.write(self.style.SUCCESS(f"restored from {src}; now run `yiwang audit_verify`"))
