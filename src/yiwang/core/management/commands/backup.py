"""``yiwang backup DIR``: the database, the uploaded files and the audit checkpoints, with a manifest of
SHA-256 digests, into a new directory (docs/operations.md, the backup and restore runbook).

PostgreSQL is dumped with ``pg_dump --format=custom`` (consistent: one snapshot); the embedded SQLite
database with SQLite's online backup. Files come from the local media directory (with object storage,
back up the bucket with its own tools: versioning and replication).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone


def pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tar(source: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as tar:
        if source.exists():
            tar.add(source, arcname=".")


class Command(BaseCommand):
    help = "Back up the database, uploaded files and audit checkpoints into a new directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["directory"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty: a backup goes into a new directory")
        out.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            self.stdout.write("1/3 database (pg_dump) …")
            target = out / "database.dump"
            cmd = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), str(db["NAME"])]
            done = subprocess.run(cmd, env=pg_env(db), capture_output=True, text=True, check=False)
            if done.returncode:
                raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        elif connection.vendor == "sqlite" and "memory" not in str(db["NAME"]):
            self.stdout.write("1/3 database (SQLite online backup) …")
            target = out / "database.sqlite3"
            with sqlite3.connect(str(db["NAME"])) as src, sqlite3.connect(str(target)) as dst:
                src.backup(dst)
        else:
            raise CommandError(f"cannot back up a {connection.vendor} database here")
        self.stdout.write("2/3 uploaded files …")
        _tar(Path(settings.MEDIA_ROOT), out / "media.tar.gz")
        self.stdout.write("3/3 audit checkpoints …")
        _tar(Path(settings.AUDIT_CHECKPOINT_DIR), out / "audit-checkpoints.tar.gz")
        parts = {p.name: sha256(p) for p in sorted(out.iterdir())}
        manifest = {"created_at": timezone.now().isoformat(), "database": connection.vendor, "sha256": parts}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        self.stdout.write(self.style.SUCCESS(f"backup written to {out} ({len(parts)} parts)"))
