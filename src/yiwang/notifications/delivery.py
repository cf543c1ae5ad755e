"""Sending one queued message through its channel (run by the delivery task)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .channels import channel_for
from .models import Notification


def notification_deliver(*, notification_id: int) -> str:
    """Send one queued message through its channel; idempotent."""
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
