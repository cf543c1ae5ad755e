"""The audit chain: one event per service, verification, and detection of every kind of tampering."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from yiwang.audit.chain import GENESIS, compute_hash, keyed_algorithm, preferred_algorithm, row_fields
from yiwang.audit.models import AuditChainHead, AuditEvent
from yiwang.audit.services import (
    RetentionError,
    audit_checkpoint,
    audit_purge,
    audit_record,
    audit_seal,
    audit_verify_chain,
)

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    """``n`` events, sealed (in a test nothing commits, so the sealer is run by hand)."""
    written = [
        audit_record(actor=None, action="test.event", object_type="t", object_id=str(i), data={"i": i})
        for i in range(n)
    ]
    assert audit_seal() == n
    return [AuditEvent.objects.get(pk=e.pk) for e in written]


def _raw(sql: str, params: list[object]) -> None:
    """Tamper below the ORM, as an attacker with database access would (trigger disabled on PostgreSQL)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")


def test_chain_links_and_algorithm() -> None:
    events = _events(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert {e.algorithm for e in events} == {keyed_algorithm("test1")}  # a keyed MAC, key id recorded
    assert preferred_algorithm() in {"sm3", "sha256"}
    assert len(events[0].hash) == 64
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)
    result = audit_verify_chain()
    assert (result.ok, result.checked, result.first_bad_seq) == (True, 3, None)


def test_fields_recorded() -> None:
    e = audit_record(
        actor=None,
        action="x.y",
        object_type="o",
        object_id=7,
        outcome="denied",
        data={"id": "11010519491231002X", "mobile": "13812341234"},
    )
    e.refresh_from_db()
    assert e.actor_label == "system" and e.actor_id is None
    assert (e.action, e.object_type, e.object_id, e.outcome) == ("x.y", "o", "7", "denied")
    assert e.at.utcoffset() == timedelta(0)
    # identifiers in audit details are masked
    assert e.data == {"id": "110***********002X", "mobile": "138****1234"}


def test_verify_detects_modification() -> None:
    _events(5)
    _raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["forged", 3])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "hash" in result.reason


def test_verify_detects_deletion() -> None:
    _events(5)
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 2)


def test_verify_detects_deletion_of_the_last_row() -> None:
    _events(4)
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [4])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 4)


def test_verify_detects_insertion() -> None:
    events = _events(4)
    # Make room at seq 3 by shifting rows 3-4 up, then insert a forged row that links to row 2.
    _raw("UPDATE audit_auditevent SET seq = seq + 100 WHERE seq >= %s", [3])
    _raw("UPDATE audit_auditevent SET seq = seq - 99 WHERE seq >= %s", [100])
    e2 = events[1]
    _raw(
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_label, action, object_type, object_id, outcome, ip,"
        " channel, data, algorithm, prev_hash, hash) VALUES (%s, %s, NULL, 'system', 'forged', '', '', 'success', '',"
        " '', %s, %s, %s, %s)",
        [3, timezone.now(), "{}", preferred_algorithm(), e2.hash, "f" * 64],
    )
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)


def test_verify_detects_reordering() -> None:
    _events(4)
    _raw("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [2])
    _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = %s", [3])
    _raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = %s", [-1])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 2)


def test_audit_verify_command_reports_first_bad_sequence() -> None:
    _events(3)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().strip() == "OK: 3 audit events verified"
    _raw("UPDATE audit_auditevent SET ip = %s WHERE seq = %s", ["6.6.6.6", 2])
    with pytest.raises(CommandError, match="audit chain broken at sequence 2"):
        call_command("audit_verify")


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete() -> None:
    _events(2)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql)
    assert AuditEvent.objects.count() == 2
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()


def test_purge_never_below_180_days() -> None:
    with pytest.raises(RetentionError, match="below the legal minimum of 180 days"):
        audit_purge(actor=None, older_than_days=179)
    assert AuditEvent.objects.count() == 0


def test_purge_keeps_young_rows_and_the_chain_verifies() -> None:
    _events(4)
    old = timezone.now() - timedelta(days=400)
    # Back-date the first two rows (and re-hash nothing): purge must delete them and re-anchor the chain.
    _raw("UPDATE audit_auditevent SET at = %s WHERE seq <= %s", [old, 2])
    deleted = audit_purge(actor=None, older_than_days=365)
    assert deleted == 2
    audit_seal()
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [3, 4, 5]
    assert AuditEvent.objects.get(seq=5).action == "audit.purge"
    head = AuditChainHead.objects.get()
    assert head.anchor_seq == 3
    result = audit_verify_chain()
    assert result.ok, result
    assert result.checked == 3


def test_purge_deletes_nothing_younger_than_retention() -> None:
    _events(3)
    assert audit_purge(actor=None, older_than_days=180) == 0
    assert AuditEvent.objects.filter(action="test.event").count() == 3


def test_events_wait_unsealed_and_the_sealer_links_them_in_order() -> None:
    first = audit_record(actor=None, action="test.a")
    second = audit_record(actor=None, action="test.b")
    assert (first.seq, first.hash, second.seq) == (None, "", None)  # written without touching the head
    result = audit_verify_chain()
    assert (result.ok, result.checked, result.unsealed) == (True, 0, 2)
    assert audit_seal() == 2 and audit_seal() == 0
    a, b = AuditEvent.objects.get(pk=first.pk), AuditEvent.objects.get(pk=second.pk)
    assert (a.seq, b.seq) == (1, 2) and b.prev_hash == a.hash and a.sealed_at is not None
    assert audit_verify_chain().checked == 2


def test_an_event_left_unsealed_too_long_fails_verification(settings: object) -> None:
    audit_record(actor=None, action="test.a")
    _raw("UPDATE audit_auditevent SET at = %s", [timezone.now() - timedelta(minutes=10)])
    result = audit_verify_chain(grace_seconds=300)
    assert (result.ok, result.unsealed) == (False, 1)
    assert "unsealed" in result.reason
    assert audit_verify_chain(grace_seconds=3600).ok


def test_the_sealer_runs_after_commit(django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        event = audit_record(actor=None, action="test.committed")
    assert AuditEvent.objects.get(pk=event.pk).seq == 1


@pytest.mark.postgres
def test_the_trigger_lets_the_sealer_seal_once_and_nothing_else() -> None:
    audit_record(actor=None, action="test.a")
    audit_seal()
    for sql in (
        "UPDATE audit_auditevent SET hash = repeat('0', 64) WHERE seq = 1",  # a sealed row's seal
        "UPDATE audit_auditevent SET seq = NULL WHERE seq = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql)
    audit_record(actor=None, action="test.b")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        # an unsealed row's content cannot change while it waits either
        cur.execute(
            "UPDATE audit_auditevent SET seq = 99, action = 'forged', hash = 'x', prev_hash = 'y' WHERE seq IS NULL"
        )


# --- against someone who can write to the database (docs/adr/0007) ----------------------------------


def _rehash_from(seq: int, algorithm: str, keys: dict[str, bytes] | None = None) -> None:
    """Recompute the hashes of rows ``seq``… and the head as a database writer would, with what they have."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for e in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        fields = row_fields(
            seq=e.seq, at=e.at, actor_id=e.actor_id, actor_label=e.actor_label, action=e.action,
            object_type=e.object_type, object_id=e.object_id, outcome=e.outcome, ip=e.ip, channel=e.channel,
            data=e.data,
        )  # fmt: skip
        digest = compute_hash(algorithm, prev, fields, keys)
        _raw(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, algorithm = %s WHERE seq = %s",
            [prev, digest, algorithm, e.seq],
        )
        prev = digest
    _raw("UPDATE audit_auditchainhead SET last_hash = %s", [prev])


def test_a_rewritten_row_with_every_later_hash_recomputed_is_detected() -> None:
    _events(5)
    _raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["forged", 3])
    _rehash_from(3, "sha256")  # without the key: plain digests
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq, result.reason) == (False, 3, "an unkeyed row after keyed rows")
    _rehash_from(3, "hmac-sha256:test1", {"test1": b"a guessed key, 32 bytes long...."})  # with the wrong key
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)


def test_dropping_the_last_rows_and_moving_the_head_back_contradicts_a_checkpoint() -> None:
    _events(4)
    checkpoint = audit_checkpoint(actor=None)
    assert checkpoint["seq"] == 4 and len(checkpoint["signature"]) > 40
    assert audit_verify_chain().ok
    last = AuditEvent.objects.get(seq=2)
    _raw("DELETE FROM audit_auditevent WHERE seq >= %s", [3])
    _raw("UPDATE audit_auditchainhead SET last_seq = 2, last_hash = %s", [last.hash])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert "checkpoint #4" in result.reason and "removed" in result.reason


def test_a_forged_event_appended_with_a_plain_insert_is_detected() -> None:
    events = _events(2)
    _raw(
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_label, action, object_type, object_id, outcome, ip,"
        " channel, data, algorithm, prev_hash, hash) VALUES (3, %s, NULL, 'system', 'forged', '', '', 'success', '',"
        " '', '{}', %s, %s, %s)",
        [timezone.now(), "hmac-sha256:test1", events[1].hash, "f" * 64],
    )
    _raw("UPDATE audit_auditchainhead SET last_seq = 3, last_hash = %s", ["f" * 64])
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 3)


def test_a_tampered_checkpoint_signature_is_detected(settings: object) -> None:
    from pathlib import Path

    from yiwang.audit.keys import checkpoint_dir

    _events(2)
    audit_checkpoint(actor=None)
    path = Path(str(checkpoint_dir())) / "checkpoints.jsonl"
    line = path.read_text().splitlines()[-1].replace('"seq": 2', '"seq": 1')
    path.write_text(path.read_text() + line + "\n")
    result = audit_verify_chain()
    assert result.ok is False and "bad signature" in result.reason


def test_keys_rotate_and_old_rows_still_verify(settings: object) -> None:
    _events(2)
    settings.AUDIT_HMAC_KEYS = {"test1": b"t" * 32, "test2": b"u" * 32}  # type: ignore[attr-defined]
    settings.AUDIT_HMAC_KEY_ID = "test2"  # type: ignore[attr-defined]
    newer = _events(2)
    assert {e.algorithm for e in newer} == {keyed_algorithm("test2")}
    assert audit_verify_chain().ok
    settings.AUDIT_HMAC_KEYS = {"test2": b"u" * 32}  # type: ignore[attr-defined]
    result = audit_verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 1) and "unknown key" in result.reason


@pytest.mark.postgres
def test_the_chain_head_moves_forward_only() -> None:
    _events(3)
    for sql in (
        "UPDATE audit_auditchainhead SET last_seq = 1",
        "UPDATE audit_auditchainhead SET last_hash = 'x'",
        "DELETE FROM audit_auditchainhead",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
