"""The only writer of the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from yiwang.core import requestctx
from yiwang.core.masking import mask_text

from .chain import GENESIS, compute_hash, preferred_algorithm, row_fields
from .models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


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
    """Append one event to the chain, inside the caller's transaction (or a new one)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    info = requestctx.current()
    actor_id, actor_label = _actor_parts(actor)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        seq = head.last_seq + 1
        prev = head.last_hash or GENESIS
        at = timezone.now()
        clean = _clean_data(data)
        algorithm = preferred_algorithm()
        fields = row_fields(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=str(outcome),
            ip=info.ip,
            channel=info.channel,
            data=clean,
        )
        digest = compute_hash(algorithm, prev, fields)
        event = AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=str(outcome),
            ip=info.ip,
            channel=info.channel,
            data=clean,
            algorithm=algorithm,
            prev_hash=prev,
            hash=digest,
        )
        head.last_seq = seq
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return event


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


def audit_verify_chain() -> VerifyResult:
    """Recompute the whole chain; report the first sequence number where it breaks."""
    head = AuditChainHead.objects.filter(id=1).first()
    expected_seq = head.anchor_seq if head else 1
    prev = (head.anchor_prev_hash if head else "") or GENESIS
    checked = 0
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "ip",
        "channel",
        "data",
        "algorithm",
        "prev_hash",
        "hash",
    )
    for (
        seq,
        at,
        actor_id,
        actor_label,
        action,
        otype,
        oid,
        outcome,
        ip,
        channel,
        data,
        algo,
        prev_hash,
        digest,
    ) in rows.iterator(chunk_size=5000):
        if seq != expected_seq:
            return VerifyResult(
                False, checked, min(seq, expected_seq), f"expected #{expected_seq}, found #{seq}"
            )
        if prev_hash != prev:
            return VerifyResult(False, checked, seq, "previous-hash link does not match the row before")
        fields = row_fields(
            seq=seq,
            at=at.astimezone(UTC) if at.tzinfo else at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=otype,
            object_id=oid,
            outcome=outcome,
            ip=ip,
            channel=channel,
            data=data,
        )
        if algo not in {"sm3", "sha256"} or compute_hash(algo, prev_hash, fields) != digest:
            return VerifyResult(False, checked, seq, "row content does not match its hash")
        prev = digest
        expected_seq += 1
        checked += 1
    if head and head.last_seq and head.last_seq != expected_seq - 1:
        return VerifyResult(False, checked, expected_seq, f"chain head says #{head.last_seq} is the last row")
    if head and head.last_seq and head.last_hash != prev:
        return VerifyResult(False, checked, head.last_seq, "chain head hash does not match the last row")
    return VerifyResult(True, checked)


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
        doomed = AuditEvent.objects.filter(at__lt=cutoff, seq__lt=head.last_seq)
        last = doomed.order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            count = 0
        else:
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL yiwang.audit_purge = 'on'")
            count = AuditEvent.objects.filter(seq__lte=last[0]).count()
            AuditEvent.objects.filter(seq__lte=last[0]).delete()
            head.anchor_seq = last[0] + 1
            head.anchor_prev_hash = last[1]
            head.save(update_fields=["anchor_seq", "anchor_prev_hash"])
    audit_record(
        actor=actor,
        action="audit.purge",
        object_type="audit.auditevent",
        data={"deleted": count, "older_than_days": days},
    )
    return count
