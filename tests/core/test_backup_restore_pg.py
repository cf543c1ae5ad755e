"""The backup and restore drill (PostgreSQL): back up, destroy, restore — every case, file and audit event is
back and the audit chain (with its checkpoint) verifies; a damaged backup restores nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path  # noqa: TC003 - used at run time by the helper's annotations
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tests.applications.builders import PDF, code_of, make_item
from yiwang.applications import services as s
from yiwang.audit.models import AuditEvent
from yiwang.audit.services import audit_checkpoint, audit_verify_chain
from yiwang.cases.models import Case, CaseAttachment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _on_disk(tmp_path: Path) -> Any:
    """Uploads on the file system under ``tmp_path`` (the suite keeps them in memory), as deployed."""
    media = str(tmp_path / "media")
    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    return override_settings(
        MEDIA_ROOT=media, STORAGES=storages, AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints")
    )


def _snapshot() -> dict[str, Any]:
    return {
        "cases": sorted(Case.objects.values_list("number", "status")),
        "events": AuditEvent.objects.count(),
        "files": {
            a.file.name: default_storage.open(a.file.name).read() for a in CaseAttachment.objects.all()
        },
    }


def test_back_up_destroy_restore(world: Any, tmp_path: Path) -> None:
    with _on_disk(tmp_path):
        item = make_item(world)
        for n in range(3):
            s.application_receive(
                actor=world.users["clerk"],
                item=item,
                person=world.other_person,
                uploads=[s.Upload(code_of(item, 1), PDF + bytes([n]), f"{n}.pdf")],
            )
        audit_checkpoint(actor=None)
        before = _snapshot()
        assert len(before["cases"]) == 3 and len(before["files"]) == 3
        out = StringIO()
        call_command("backup", str(tmp_path / "backup"), stdout=out)
        assert "3/3" in out.getvalue()

        # destroy: every case and event gone, the files deleted
        with connection.cursor() as cur:
            cur.execute("TRUNCATE cases_case, audit_auditevent CASCADE")
        for name in before["files"]:
            default_storage.delete(name)
        assert Case.objects.count() == 0

        with pytest.raises(CommandError, match="--yes"):
            call_command("restore", str(tmp_path / "backup"))
        call_command("restore", str(tmp_path / "backup"), "--yes", stdout=StringIO())
        assert _snapshot() == before
        result = audit_verify_chain(grace_seconds=3600)
        assert result.ok, result.reason


def test_a_damaged_backup_restores_nothing(world: Any, tmp_path: Path) -> None:
    with _on_disk(tmp_path):
        call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
        dump = tmp_path / "backup" / "database.dump"
        dump.write_bytes(dump.read_bytes()[:-10])
        with pytest.raises(CommandError, match="does not match the manifest"):
            call_command("restore", str(tmp_path / "backup"), "--yes")
        with pytest.raises(CommandError, match="not empty"):
            call_command("backup", str(tmp_path / "backup"))
