"""Queue notifications inside the caller's transaction; deliver them after commit through a task."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Notification


def notification_queue(
    *,
    subject: str,
    body: str,
    recipient: Any = None,
    address: str = "",
    channel: str = Notification.Channel.INBOX,
    link: str = "",
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Put one message in the outbox. With a ``dedupe_key`` a second call is a no-op (returns None)."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                recipient=recipient,
                address=address,
                channel=channel,
                subject=subject[:200],
                body=body,
                link=link[:300],
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None  # a concurrent sweep queued the same message first
    from .tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.enqueue(n.pk))
    return n


def notification_deliver(*, notification_id: int) -> str:
    """Send one queued message through its channel; idempotent."""
    from .channels import channel_for

    with transaction.atomic():
        n = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if n is None or n.status == Notification.Status.SENT:
            return "skipped"
        n.attempts += 1
        try:
            channel_for(n.channel).send(n)
        except Exception as exc:
            n.status = Notification.Status.FAILED
            n.error = str(exc)[:300]
        else:
            n.status = Notification.Status.SENT
            n.sent_at = timezone.now()
        n.save(update_fields=["attempts", "status", "error", "sent_at"])
        return str(n.status)


def notification_mark_read(*, user: Any, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
