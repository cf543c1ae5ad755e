"""The only writer of the audit log."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from yiwang.core import requestctx
from yiwang.core.masking import mask_text

from .chain import (
    GENESIS,
    PLAIN,
    UnknownKey,
    compute_hash,
    keyed_algorithm,
    preferred_algorithm,
    row_fields,
    sign_checkpoint,
    verify_checkpoint,
)
from .keys import checkpoint_dir, checkpoint_private_key, checkpoint_public_key, current_key_id, hmac_keys
from .models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


log = logging.getLogger(__name__)


def _actor_parts(actor: AbstractBaseUser | AnonymousUser | None) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonymous" if actor is not None else "system"
    return int(str(actor.pk)), str(actor.get_username())[:150]


def _clean_data(data: dict[str, Any] | None) -> dict[str, Any]:
    if not data:
        return {}
    # Round-trip through JSON so the stored value equals what was hashed, and mask identifiers.
    return json.loads(mask_text(json.dumps(data, ensure_ascii=False, default=str)))


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = AuditEvent.Outcome.SUCCESS,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction, taking no lock: the sealer links it into the
    chain after the transaction commits (``audit_seal``)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    info = requestctx.current()
    actor_id, actor_label = _actor_parts(actor)
    event = AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        outcome=str(outcome),
        ip=info.ip,
        channel=info.channel,
        data=_clean_data(data),
    )
    transaction.on_commit(_seal_after_commit)
    return event


_timer_lock = threading.Lock()
_timer: list[threading.Timer] = []


def _seal_after_commit() -> None:
    """Seal soon after a commit. With ``AUDIT_SEAL_DELAY_SECONDS`` > 0 (the default, 0.2 s) one timer per
    process seals everything committed meanwhile in one batch, so writers under load do not each run a
    sealing round; with 0 the committing thread seals at once. Another process sealing at the same
    moment is skipped, not waited for (it, the next timer, or the periodic job seals this event)."""
    delay = float(getattr(settings, "AUDIT_SEAL_DELAY_SECONDS", 0.2))
    if delay <= 0:
        _seal_quietly()
        return
    with _timer_lock:
        if _timer and _timer[0].is_alive():
            return
        timer = threading.Timer(delay, _seal_in_thread)
        timer.daemon = True
        _timer[:] = [timer]
        timer.start()


def _seal_in_thread() -> None:
    try:
        _seal_quietly()
    finally:
        connection.close()


def _seal_quietly() -> None:
    try:
        audit_seal(wait=False)
    except DatabaseError:
        log.exception("audit sealing failed; the periodic job retries")


def _fields(e: AuditEvent, seq: int) -> dict[str, Any]:
    return row_fields(
        seq=seq,
        at=e.at.astimezone(UTC) if e.at.tzinfo else e.at,
        actor_id=e.actor_id,
        actor_label=e.actor_label,
        action=e.action,
        object_type=e.object_type,
        object_id=e.object_id,
        outcome=e.outcome,
        ip=e.ip,
        channel=e.channel,
        data=e.data,
    )


def audit_seal(*, wait: bool = True, batch: int = 500) -> int:
    """Link every committed, unsealed event into the chain, in the order the sealer sees them: each gets
    the next sequence number and a hash over its own fields and the previous event's hash. Only the
    sealer locks the chain head. ``wait=False`` returns at once if another sealer holds it. Returns
    how many events were sealed."""
    sealed = 0
    key_id = current_key_id()
    keys = hmac_keys()
    algorithm = keyed_algorithm(key_id) if key_id else preferred_algorithm()
    if not key_id:
        log.warning("no AUDIT_HMAC_KEYS configured: audit events are sealed with a plain digest")
    while True:
        with transaction.atomic():
            heads = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(id=1)
            head = heads.first()
            if head is None:
                if AuditChainHead.objects.filter(id=1).exists():
                    return sealed  # another sealer holds it
                AuditChainHead.objects.get_or_create(id=1)
                continue
            rows = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not rows:
                return sealed
            seq, prev = head.last_seq, head.last_hash or GENESIS
            now = timezone.now()
            for e in rows:
                seq += 1
                e.seq, e.algorithm, e.prev_hash, e.sealed_at = seq, algorithm, prev, now
                e.hash = prev = compute_hash(algorithm, e.prev_hash, _fields(e, seq), keys)
            AuditEvent.objects.bulk_update(rows, ["seq", "algorithm", "prev_hash", "hash", "sealed_at"])
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash"])
            sealed += len(rows)
        if len(rows) < batch:
            return sealed


def audit_denied(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Record a refused access. The caller must not be inside the refused work's transaction (check access
    before opening it), or the row would roll back with it; the test suite fails on any refusal whose row
    is missing at the end of the test."""
    return audit_record(
        actor=actor, action=action, obj=obj, outcome=AuditEvent.Outcome.DENIED, data=data or None
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    unsealed: int = 0
    oldest_unsealed_seconds: float = 0.0


def _row_problem(e: AuditEvent, seq: int, prev: str, keyed: bool, keys: dict[str, bytes]) -> str:
    """Why one sealed row does not verify ("" when it does)."""
    if e.prev_hash != prev:
        return "previous-hash link does not match the row before"
    if e.algorithm in PLAIN and keyed:
        # Unkeyed rows may only precede the keyed ones (rows written before keying was introduced).
        return "an unkeyed row after keyed rows"
    try:
        ok = compute_hash(e.algorithm, e.prev_hash, _fields(e, seq), keys) == e.hash
    except UnknownKey:
        return f"row hashed with an unknown key or algorithm ({e.algorithm})"
    return "" if ok else "row content does not match its hash"


def _verify_sealed(head: AuditChainHead | None) -> VerifyResult:
    expected_seq = head.anchor_seq if head else 1
    prev = (head.anchor_prev_hash if head else "") or GENESIS
    checked, keyed, keys = 0, False, hmac_keys()
    for e in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=5000):
        seq = int(e.seq or 0)
        if seq != expected_seq:
            return VerifyResult(
                False, checked, min(seq, expected_seq), f"expected #{expected_seq}, found #{seq}"
            )
        problem = _row_problem(e, seq, prev, keyed, keys)
        if problem:
            return VerifyResult(False, checked, seq, problem)
        keyed = keyed or e.algorithm not in PLAIN
        prev = e.hash
        expected_seq += 1
        checked += 1
    if head and head.last_seq and head.last_seq != expected_seq - 1:
        return VerifyResult(False, checked, expected_seq, f"chain head says #{head.last_seq} is the last row")
    if head and head.last_seq and head.last_hash != prev:
        return VerifyResult(False, checked, head.last_seq, "chain head hash does not match the last row")
    return VerifyResult(True, checked)


def audit_verify_chain(*, grace_seconds: int | None = None) -> VerifyResult:
    """Recompute the chain of sealed events (the keyed MAC of every row) and report the first sequence
    number where it breaks; compare it with every signed checkpoint outside the database (a rewritten,
    removed or truncated tail contradicts one). Events not yet sealed are counted; one left unsealed longer
    than ``AUDIT_SEAL_GRACE_SECONDS`` (the sealer runs after every commit and every minute) fails the
    check, as it may have been altered before sealing."""
    grace = (
        grace_seconds
        if grace_seconds is not None
        else int(getattr(settings, "AUDIT_SEAL_GRACE_SECONDS", 300))
    )
    head = AuditChainHead.objects.filter(id=1).first()
    result = _verify_sealed(head)
    if not result.ok:
        return result
    problem = _checkpoint_problem(head.last_seq if head else 0)
    if problem:
        return VerifyResult(False, result.checked, problem[0], problem[1])
    unsealed = AuditEvent.objects.filter(seq__isnull=True)
    n = unsealed.count()
    oldest = unsealed.order_by("at").values_list("at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    if n and age > grace:
        reason = f"{n} events left unsealed, the oldest for {age:.0f} s"
        return VerifyResult(False, result.checked, None, reason, unsealed=n, oldest_unsealed_seconds=age)
    return VerifyResult(True, result.checked, unsealed=n, oldest_unsealed_seconds=age)


# --- checkpoints: the chain head, signed, kept outside the database ---------------------------------

CHECKPOINTS = "checkpoints.jsonl"


class CheckpointError(RuntimeError):
    pass


def audit_checkpoint(*, actor: AbstractBaseUser | AnonymousUser | None = None) -> dict[str, Any]:
    """Seal, then sign the chain head (sequence number and hash) with the checkpoint key and append it to
    the checkpoint file outside the database; returns the checkpoint (printable for the audit
    administrator). One audit event records it."""
    audit_seal()
    private = checkpoint_private_key()
    folder = checkpoint_dir()
    if private is None or folder is None:
        raise CheckpointError("no checkpoint signing key or directory is configured")
    head = AuditChainHead.objects.filter(id=1).first()
    seq, digest = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    digest = digest or GENESIS
    checkpoint: dict[str, Any] = {"seq": seq, "hash": digest, "at": at}
    checkpoint["signature"] = sign_checkpoint(private, seq=seq, hash_=digest, at=at)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / CHECKPOINTS).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(checkpoint, sort_keys=True) + "\n")
    audit_record(actor=actor, action="audit.checkpoint", object_type="audit.auditchainhead", data=checkpoint)
    return checkpoint


def audit_checkpoints() -> list[dict[str, Any]]:
    folder = checkpoint_dir()
    path = folder / CHECKPOINTS if folder else None
    if path is None or not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            row = {"invalid": line[:80]}
        out.append(row)
    return out


def _checkpoint_problem(last_seq: int) -> tuple[int | None, str] | None:
    """The first checkpoint the database contradicts: a bad signature, a head behind it, or a row at its
    sequence number whose hash differs (rows rewritten, removed or the head moved back)."""
    public = checkpoint_public_key()
    checkpoints = audit_checkpoints()
    if not checkpoints:
        return None
    if public is None:
        return None, "checkpoints exist but no public key is configured to verify them"
    hashes = dict(
        AuditEvent.objects.filter(
            seq__in=[c.get("seq") for c in checkpoints if isinstance(c.get("seq"), int)]
        ).values_list("seq", "hash")
    )
    for c in checkpoints:
        seq, digest, at, sig = c.get("seq"), c.get("hash"), c.get("at"), c.get("signature")
        if not (
            isinstance(seq, int) and isinstance(digest, str) and isinstance(at, str) and isinstance(sig, str)
        ):
            return None, "a checkpoint line is malformed"
        if not verify_checkpoint(public, seq=seq, hash_=digest, at=at, signature=sig):
            return seq, f"checkpoint #{seq} of {at} has a bad signature"
        if seq > last_seq:
            return (
                seq,
                f"the chain ends at #{last_seq} but checkpoint #{seq} of {at} was signed: rows were removed",
            )
        if seq and hashes.get(seq) != digest:
            return seq, f"row #{seq} differs from checkpoint {at}: rows were rewritten or removed"
    return None


class RetentionError(ValueError):
    pass


def audit_purge(*, actor: AbstractBaseUser | AnonymousUser | None, older_than_days: int | None = None) -> int:
    """Delete events older than the retention period (never younger than 180 days); audited."""
    days = older_than_days if older_than_days is not None else settings.AUDIT_RETENTION_DAYS
    if days < settings.AUDIT_MIN_RETENTION_DAYS:
        raise RetentionError(
            f"retention of {days} days is below the legal minimum of {settings.AUDIT_MIN_RETENTION_DAYS} days"
        )
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        doomed = AuditEvent.objects.filter(at__lt=cutoff, seq__isnull=False, seq__lt=head.last_seq)
        last = doomed.order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            count = 0
        else:
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL yiwang.audit_purge = 'on'")
            count = AuditEvent.objects.filter(seq__lte=last[0]).count()
            AuditEvent.objects.filter(seq__lte=last[0]).delete()
            head.anchor_seq = int(last[0] or 0) + 1
            head.anchor_prev_hash = last[1]
            head.save(update_fields=["anchor_seq", "anchor_prev_hash"])
    audit_record(
        actor=actor,
        action="audit.purge",
        object_type="audit.auditevent",
        data={"deleted": count, "older_than_days": days},
    )
    return count
